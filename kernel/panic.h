#pragma once
// Stopping the machine with a report a person can read.
#include <stdbool.h>
#include <stdnoreturn.h>
#include <kernel/arch/aarch64/trapframe.h>

// Prints the message and a backtrace, halts every CPU.
noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// For an exception the kernel cannot handle: the decoded cause, every register and a
// backtrace from the trapped code, then halts every CPU.
noreturn void panic_trap(const struct trapframe *frame, const char *what);

// Stops every CPU, this one last, without a report (reboot(2)'s LINUX_REBOOT_CMD_HALT):
// the machine stays on, doing nothing.
noreturn void machine_halt(void);

// Registers the handler that halts a CPU when another one panics.
void panic_init(void);

// Whether a CPU has begun a panic report (the kernel log then takes no lock it may
// never get: another CPU may have halted holding it).
bool panic_running(void);
