// The vDSO's functions (docs/vdso.md), Linux arm64's names and version (LINUX_2.6.39):
// musl's clock_gettime and glibc's clock_gettime, gettimeofday and clock_getres call them
// when the auxiliary vector has AT_SYSINFO_EHDR. The clocks PM serves from the counter
// alone are read here at EL0, with PM's arithmetic (servers/pm/time.c, realtime.c), so
// that both answer the same at the same counter value; any other clock id, and the
// real-time clocks before the vvar is ready, go to the system call, whose errors stay
// exact. A bad pointer faults here, in the caller, as with Linux's vDSO (SIGSEGV, not
// EFAULT). Position-independent, no data of its own, nothing to relocate.
#include <stdbool.h>
#include <stdint.h>
#include <xinim/runtime.h>
#include <xinim/vdso.h>

#define NS 1000000000
#define TICK_NS 10000000	// the kernel's timer tick: the coarse clocks' resolution

// Linux's layouts on arm64.
struct linux_timespec { int64_t tv_sec; long tv_nsec; };
struct linux_timeval { int64_t tv_sec; long tv_usec; };
struct linux_timezone { int tz_minuteswest, tz_dsttime; };

// The vvar page, one page under the image (vdso.lds).
extern const volatile struct xinim_vvar xinim_vvar __attribute__((visibility("hidden")));

enum clock_kind { BY_SYSCALL, MONOTONIC, REALTIME };

// Linux's clock ids as PM's clock_read sorts them; every id not here is BY_SYSCALL.
static const struct { unsigned char kind; unsigned step_ns; } clocks[] = {
	[0] = { REALTIME, 1 },		// CLOCK_REALTIME
	[1] = { MONOTONIC, 1 },		// CLOCK_MONOTONIC
	[4] = { MONOTONIC, 1 },		// CLOCK_MONOTONIC_RAW
	[5] = { REALTIME, TICK_NS },	// CLOCK_REALTIME_COARSE
	[6] = { MONOTONIC, TICK_NS },	// CLOCK_MONOTONIC_COARSE
	[7] = { MONOTONIC, 1 },		// CLOCK_BOOTTIME
	[11] = { REALTIME, 1 },		// CLOCK_TAI
};

static enum clock_kind kind_of(int clock)
{
	unsigned id = (unsigned)clock;
	return id < sizeof(clocks) / sizeof(clocks[0]) ? clocks[id].kind : BY_SYSCALL;
}

static long syscall2(long number, long a0, long a1)
{
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x8 __asm__("x8") = number;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
	return x0;
}

// Whether PM has told MM the real time yet (acquire: the rest was written before).
static bool realtime_ready(void)
{
	return __atomic_load_n(&xinim_vvar.ready, __ATOMIC_ACQUIRE) == XINIM_VVAR_READY;
}

// The time of clock kind now, as PM computes it (sleep_timespec, realtime_now).
static struct linux_timespec now(enum clock_kind kind)
{
	uint64_t ticks = counter_ticks(), hz = counter_hz();
	if (kind == MONOTONIC)
		return (struct linux_timespec){ .tv_sec = (int64_t)(ticks / hz),
						.tv_nsec = (long)(ticks % hz * NS / hz) };
	struct xinim_time_base base = { .epoch_seconds = xinim_vvar.base.epoch_seconds,
					.counter = xinim_vvar.base.counter };
	int64_t ns = xinim_realtime_ns(&base, xinim_vvar.realtime_offset, ticks, hz);
	return (struct linux_timespec){ .tv_sec = ns / NS, .tv_nsec = (long)(ns % NS) };
}

long __kernel_clock_gettime(int clock, struct linux_timespec *ts)
{
	enum clock_kind kind = kind_of(clock);
	if (kind == BY_SYSCALL || (kind == REALTIME && !realtime_ready()))
		return syscall2(XINIM_SYSCALL_NUMBER_clock_gettime, clock, (long)ts);
	*ts = now(kind);
	return 0;
}

long __kernel_gettimeofday(struct linux_timeval *tv, struct linux_timezone *tz)
{
	if (!realtime_ready())
		return syscall2(XINIM_SYSCALL_NUMBER_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		struct linux_timespec t = now(REALTIME);
		*tv = (struct linux_timeval){ .tv_sec = t.tv_sec, .tv_usec = t.tv_nsec / 1000 };
	}
	if (tz)
		*tz = (struct linux_timezone){ 0 };
	return 0;
}

// The return of a signal handler installed without SA_RESTORER (glibc's way): PM's
// default restorer, XINIM_SIGRETURN_TRAMPOLINE, which vdso.lds puts at the start of the
// image's second page.
__asm__(".pushsection .sigreturn, \"ax\"\n"
	".globl __kernel_rt_sigreturn\n"
	".type __kernel_rt_sigreturn, %function\n"
	"__kernel_rt_sigreturn:\n"
	"	mov x8, #139\n"	// rt_sigreturn
	"	svc #0\n"
	".size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn\n"
	".popsection\n");

long __kernel_clock_getres(int clock, struct linux_timespec *res)
{
	if (kind_of(clock) == BY_SYSCALL)
		return syscall2(XINIM_SYSCALL_NUMBER_clock_getres, clock, (long)res);
	if (res)
		*res = (struct linux_timespec){ .tv_nsec = clocks[clock].step_ns };
	return 0;
}
