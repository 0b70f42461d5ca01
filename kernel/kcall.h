#pragma once
#include <kernel/arch/aarch64/trapframe.h>

// A kernel call (svc #1): checks the caller's capability for the call and runs it,
// leaving the result in x0 (-ENOSYS for an unknown call, -EPERM without the capability).
void kcall_dispatch(struct trapframe *frame);
