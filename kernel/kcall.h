#pragma once
#include <kernel/arch/aarch64/trapframe.h>

// A kernel call (svc #1): checks the caller's capability for the call and runs it,
// leaving the result in x0 (-ENOSYS for an unknown call, -EPERM without the capability;
// the first denial of each process is also logged on the console).
void kcall_dispatch(struct trapframe *frame);
