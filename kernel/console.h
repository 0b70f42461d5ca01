#pragma once
// The kernel console: the UART's output side (the kernel's lines come through the kernel
// log, kernel/klog.h; a panic's report and backtrace are written here straight).
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void console_init(uint64_t uart_phys);

// Formatted text, under the console lock.
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Writes text as it is (no timestamp), under the console lock.
void console_write(const char *text, size_t length);

// Writes bytes as they are, without turning "\n" into "\r\n" (VFS's terminal does its own
// output processing: ONLCR).
void console_write_raw(const char *text, size_t length);

// Returns once everything written has left the UART: before the power goes.
void console_flush(void);

// Makes this CPU the console's owner whether or not another CPU holds it; for panic,
// when the holder may never let go.
void console_seize(void);

// console_input.c: input from the UART's interrupt intid (0: none) into a ring that VFS
// takes with KCALL_CONSOLE_READ (console_input_kcall).
struct trapframe;
void console_input_init(unsigned intid);
long console_input_kcall(struct trapframe *frame);

// Seconds and microseconds since the counter started, for timestamps.
void counter_to_time(uint64_t ticks, uint64_t *seconds, uint64_t *micros);
