#pragma once
// Grants (kernel/grant.c; docs/net.md, Grants): KCALL_GRANT_MAKE and KCALL_GRANT_END for
// the granter (KCAP_GRANT), KCALL_GRANT_COPY for the grantee (KCAP_COPY).
struct trapframe;

long grant_kcall_make(struct trapframe *frame);
long grant_kcall_copy(struct trapframe *frame);
long grant_kcall_end(struct trapframe *frame);
