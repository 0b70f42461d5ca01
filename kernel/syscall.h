#pragma once
#include <kernel/arch/aarch64/trapframe.h>

// A Linux system call (svc #0, x8 = number). Until the servers exist there is nobody to
// delegate to: every call answers -ENOSYS and is counted.
void syscall_linux(struct trapframe *frame);
