#pragma once
#include <kernel/arch/aarch64/trapframe.h>

// A Linux system call (svc #0, x8 = number, x0..x5 = arguments): delegated to its server
// (include/xinim/ipc/syscalls.h), whose answer goes to x0. With no server running to
// take it, the answer is -ENOSYS; a server calling itself gets -EDEADLK.
void syscall_linux(struct trapframe *frame);
