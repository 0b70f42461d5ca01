// fuzz_syscalls SEED COUNT [FIRST] [trace]: makes COUNT random system calls, those of
// indexes FIRST to FIRST + COUNT - 1 of SEED's sequence (args.c), with a health check
// of every server each HEALTH_EVERY calls and at the end; "trace" prints every call
// and its result. Exits 0 only if every health check passed (docs/fuzzing.md).
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xinim/ipc/syscalls.h>
#include "fuzz.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name
#define HEALTH_EVERY 1000
#define FAILED_CHECKS_MAX 5	// stop after this many failed health checks
#define RECENT 16	// calls kept to show when a health check fails
#define ERRNOS 134	// errno values named in the histogram (Linux has 1-133)

struct stats {
	uint64_t calls, by_server[FUZZ_SERVERS], ok, errors[ERRNOS + 1];
	uint64_t checks, checks_failed;
};

struct recent {
	struct fuzz_call call;
	long result;
};

static struct stats stats;
static struct recent recent[RECENT];

long fuzz_syscall(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		  uint64_t a4, uint64_t a5)
{
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;
	register uint64_t x8 __asm__("x8") = number;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x8)
			 : "memory");
	return (long)x0;
}

long fuzz_syscall6(uint64_t number, const uint64_t a[6])
{
	return fuzz_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

// One line to fd 1 with write(2), no stdio buffer; false if VFS did not take all of it.
bool fuzz_say(const char *format, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(line, sizeof(line), format, ap);
	va_end(ap);
	if (n < 0)
		return false;
	size_t length = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	return fuzz_syscall(N(write), 1, (uint64_t)(uintptr_t)line, length, 0, 0, 0) == (long)length;
}

static const char *name_of(uint64_t number)
{
	const char *name = xinim_syscall_name(number);
	return name ? name : "unknown";
}

static void say_call(const char *prefix, const struct fuzz_call *c, long result)
{
	const uint64_t *a = c->args;
	fuzz_say("%s%llu: %s (%llu) %llx %llx %llx %llx %llx %llx = %ld\n", prefix,
		 (unsigned long long)c->index, name_of(c->number), (unsigned long long)c->number,
		 (unsigned long long)a[0], (unsigned long long)a[1], (unsigned long long)a[2],
		 (unsigned long long)a[3], (unsigned long long)a[4], (unsigned long long)a[5], result);
}

// What a call left that the next ones must not trip over: memory mapped outside the
// arena goes again at once (the arena itself is mapped afresh before each health check).
static void clean_up(const struct fuzz_call *c, long result)
{
	uint64_t at = (uint64_t)result, length;
	if (c->number == N(mmap))
		length = c->args[1];
	else if (c->number == N(mremap))
		length = c->args[2];
	else
		return;
	bool mapped = result > 0 && (at & (FUZZ_PAGE - 1)) == 0 && at < FUZZ_USER_TOP;
	if (mapped && (at < FUZZ_ARENA || at >= FUZZ_ARENA_END))
		fuzz_syscall(N(munmap), at, length, 0, 0, 0, 0);
}

// System V shared memory segments outlive their maker, as Linux's: those the calls made
// go at the end (as ipcrm -a), so that the fuzzer's memory all comes back.
static void remove_segments(void)
{
	uint64_t buffer[14];	// a struct shmid64_ds, or a struct shminfo64
	uint64_t at = (uint64_t)(uintptr_t)buffer;
	long highest = fuzz_syscall(N(shmctl), 0, 3 /* IPC_INFO */, at, 0, 0, 0);
	for (long index = 0; index <= highest; index++) {
		long id = fuzz_syscall(N(shmctl), index, 15 /* SHM_STAT_ANY */, at, 0, 0, 0);
		if (id >= 0)
			fuzz_syscall(N(shmctl), id, 0 /* IPC_RMID */, 0, 0, 0, 0);
	}
}

static void count(const struct fuzz_call *c, long result)
{
	stats.calls++;
	stats.by_server[fuzz_server_of(c->number)]++;
	if (result < 0 && result >= -4095)
		stats.errors[-result < ERRNOS ? -result : ERRNOS]++;
	else
		stats.ok++;
	recent[c->index % RECENT] = (struct recent){ *c, result };
}

static bool health(uint64_t seed, uint64_t done, uint64_t index)
{
	int failed = fuzz_health(seed);
	stats.checks++;
	if (failed) {
		stats.checks_failed++;
		fuzz_say("fuzz: health check after call %llu FAILED; the last calls:\n",
			 (unsigned long long)index);
		for (uint64_t i = index + 1 > RECENT ? index + 1 - RECENT : 0; i <= index; i++)
			if (recent[i % RECENT].call.index == i && stats.calls)
				say_call("fuzz:   ", &recent[i % RECENT].call, recent[i % RECENT].result);
	}
	fuzz_say("fuzz: %llu calls, health check %llu: %s\n", (unsigned long long)done,
		 (unsigned long long)stats.checks, failed ? "FAILED" : "ok");
	return !failed;
}

static uint64_t now_ns(void)
{
	struct timespec t = { 0, 0 };
	fuzz_syscall(N(clock_gettime), CLOCK_MONOTONIC, (uint64_t)(uintptr_t)&t, 0, 0, 0, 0);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static const char *const errno_names[ERRNOS] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
	[EIO] = "EIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF",
	[ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
	[EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST", [ENODEV] = "ENODEV",
	[ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL", [EMFILE] = "EMFILE",
	[ENOTTY] = "ENOTTY", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE",
	[EROFS] = "EROFS", [ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOSYS] = "ENOSYS", [ELOOP] = "ELOOP", [EOVERFLOW] = "EOVERFLOW",
	[EOPNOTSUPP] = "EOPNOTSUPP", [ETIMEDOUT] = "ETIMEDOUT",
};

// The errno histogram's most frequent values, most first.
static void say_errors(void)
{
	uint64_t shown[ERRNOS + 1] = { 0 };
	char line[200] = "fuzz: errors:";
	for (int top = 0; top < 10; top++) {
		int best = 0;
		for (int e = 1; e <= ERRNOS; e++)
			if (!shown[e] && stats.errors[e] > (best ? stats.errors[best] : 0))
				best = e;
		if (!best)
			break;
		shown[best] = 1;
		size_t at = strlen(line);
		if (best < ERRNOS && errno_names[best])
			snprintf(line + at, sizeof(line) - at, " %s %llu", errno_names[best],
				 (unsigned long long)stats.errors[best]);
		else
			snprintf(line + at, sizeof(line) - at, " errno-%d %llu", best,
				 (unsigned long long)stats.errors[best]);
	}
	fuzz_say("%s\n", line);
}

static void summary(uint64_t seed, uint64_t first, uint64_t ns)
{
	uint64_t ms = ns / 1000000 ? ns / 1000000 : 1;
	fuzz_say("fuzz: seed %llu, calls %llu to %llu, %llu ms of guest time, %llu calls/s\n",
		 (unsigned long long)seed, (unsigned long long)first,
		 (unsigned long long)(first + stats.calls - 1), (unsigned long long)ms,
		 (unsigned long long)(stats.calls * 1000 / ms));
	fuzz_say("fuzz: by server: vfs %llu, pm %llu, mm %llu, net %llu, unknown %llu\n",
		 (unsigned long long)stats.by_server[FUZZ_VFS], (unsigned long long)stats.by_server[FUZZ_PM],
		 (unsigned long long)stats.by_server[FUZZ_MM], (unsigned long long)stats.by_server[FUZZ_NET],
		 (unsigned long long)stats.by_server[FUZZ_UNKNOWN]);
	fuzz_say("fuzz: results: %llu succeeded\n", (unsigned long long)stats.ok);
	say_errors();
	fuzz_say("fuzz: health checks: %llu passed, %llu failed\n",
		 (unsigned long long)(stats.checks - stats.checks_failed),
		 (unsigned long long)stats.checks_failed);
	fuzz_say("fuzz: %llu calls, %llu failures\n", (unsigned long long)stats.calls,
		 (unsigned long long)stats.checks_failed);
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	uint64_t calls = argc > 2 ? strtoull(argv[2], NULL, 0) : 10000;
	uint64_t first = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	bool trace = argc > 4 && strcmp(argv[4], "trace") == 0;
	fuzz_say("fuzz: seed %llu, calls %llu to %llu, a health check every %d; replay call I "
		 "alone: fuzz_syscalls %llu 1 I trace\n", (unsigned long long)seed,
		 (unsigned long long)first, (unsigned long long)(first + calls - 1), HEALTH_EVERY,
		 (unsigned long long)seed);
	if (fuzz_health(seed)) {
		fuzz_say("fuzz: the first health check, before any call: FAILED\n");
		return 2;
	}
	uint64_t start = now_ns();
	for (uint64_t done = 0; done < calls && stats.checks_failed < FAILED_CHECKS_MAX; done++) {
		struct fuzz_call c;
		fuzz_generate(seed, first + done, &c);
		if (trace)
			say_call("fuzz: call ", &c, 0);
		long result = fuzz_syscall6(c.number, c.args);
		if (trace)
			fuzz_say("fuzz: = %ld\n", result);
		count(&c, result);
		clean_up(&c, result);
		if ((done + 1) % HEALTH_EVERY == 0 && done + 1 < calls)
			health(seed, done + 1, c.index);
	}
	health(seed, stats.calls, first + stats.calls - 1);
	remove_segments();
	summary(seed, first, now_ns() - start);
	return stats.checks_failed ? 1 : 0;
}
