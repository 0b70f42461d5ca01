#pragma once
// KCALL_SPACE_* (include/xinim/ipc/kcall.h), for MM.
#include <kernel/arch/aarch64/trapframe.h>

long space_kcall_map(struct trapframe *frame);
long space_kcall_unmap(struct trapframe *frame);
long space_kcall_protect(struct trapframe *frame);
long space_kcall_write(struct trapframe *frame);
long space_kcall_share(struct trapframe *frame);
long space_kcall_fault(struct trapframe *frame);
long space_kcall_present(struct trapframe *frame);
