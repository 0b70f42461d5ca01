#pragma once
// The freestanding programs' runtime: the debug kernel calls and a printf over them.
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/kcall.h>
#include <xinim/klog.h>
#include <xinim/ipc/syscalls.h>

#ifdef XINIM_HOSTED
// Hosted unit tests run servers as threads of a Linux program: there is no `svc`, and
// the kernel calls go to the hosted kernel's emulation (libipc/host/kcalls.c).
long xinim_kcall6(long number, long a0, long a1, long a2, long a3, long a4, long a5);
#else
static inline long xinim_kcall6(long number, long a0, long a1, long a2, long a3, long a4,
				long a5)
{
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;
	register long x5 __asm__("x5") = a5;
	register long x8 __asm__("x8") = number;
	__asm__ volatile("svc #1" : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x8)
			 : "memory");
	return x0;
}
#endif

static inline long xinim_kcall5(long number, long a0, long a1, long a2, long a3, long a4)
{
	return xinim_kcall6(number, a0, a1, a2, a3, a4, 0);
}

static inline long xinim_kcall4(long number, long a0, long a1, long a2, long a3)
{
	return xinim_kcall6(number, a0, a1, a2, a3, 0, 0);
}

static inline long xinim_kcall3(long number, long a0, long a1, long a2)
{
	return xinim_kcall4(number, a0, a1, a2, 0);
}

static inline long xinim_kcall(long number, long a0, long a1)
{
	return xinim_kcall3(number, a0, a1, 0);
}

static inline long debug_write(const char *text, size_t length)
{
	return xinim_kcall(KCALL_DEBUG_WRITE, (long)text, (long)length);
}

static inline long debug_cpu(void) { return xinim_kcall(KCALL_DEBUG_CPU, 0, 0); }
static inline long debug_yield(void) { return xinim_kcall(KCALL_DEBUG_YIELD, 0, 0); }

// The virtual counter (CNTVCT_EL0, readable at EL0) and its frequency; hosted, the
// emulation's clock.
#ifdef XINIM_HOSTED
uint64_t counter_ticks(void);
uint64_t counter_hz(void);
#else
static inline uint64_t counter_ticks(void)
{
	uint64_t value;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value));
	return value;
}

static inline uint64_t counter_hz(void)
{
	uint64_t value;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(value));
	return value;
}
#endif

// ticks of the counter in nanoseconds, without overflow for any uptime.
static inline uint64_t counter_ticks_ns(uint64_t ticks)
{
	uint64_t hz = counter_hz();
	return ticks / hz * 1000000000 + ticks % hz * 1000000000 / hz;
}

// Formats (<xinim/format.h>) and writes one line at most 256 bytes long: a program's
// output, straight to the console (KCALL_DEBUG_WRITE).
void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// A server's line (KCALL_LOG_WRITE): into the kernel log at level, shown on the console
// only when the level passes the console log level (include/xinim/klog.h).
void klog(enum xinim_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifndef XINIM_HOSTED	// on the host, Linux itself would answer
// A Linux system call (svc #0); until the servers exist every one answers -ENOSYS.
static inline long linux_syscall(long number, long a0)
{
	register long x0 __asm__("x0") = a0;
	register long x8 __asm__("x8") = number;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8) : "memory");
	return x0;
}

// Ends the calling process with status. A program the boot table starts holds the debug
// right and ends at the first call. One PM started (init=/bin/hello) does not: the call
// fails (the kernel says so on the console) and the process ends as a Linux program
// does, with exit_group, so that PM learns its status. Should that fail too (no PM), a
// trap makes the kernel end it with a report: a program never spins here unseen.
__attribute__((__noreturn__)) static inline void debug_exit(int status)
{
	xinim_kcall(KCALL_DEBUG_EXIT, status, 0);
	linux_syscall(XINIM_SYSCALL_NUMBER_exit_group, status);
	__builtin_trap();
}
#endif

int main(int argc, char **argv);
