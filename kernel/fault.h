#pragma once
#include <kernel/arch/aarch64/trapframe.h>

// A synchronous exception from EL0 that is not a call: reports
// "proc N (name): <reason> at <pc> addr <far>" and ends the process. (Page faults will go
// to MM as messages, and signals to PM, once they exist.)
void fault_user(const struct trapframe *frame) __attribute__((__noreturn__));
