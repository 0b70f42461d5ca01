// The vDSO (docs/vdso.md), run as PID 1 by tests/boot/vdso.sh: AT_SYSINFO_EHDR names an
// ELF with Linux's symbols; each clock the vDSO serves agrees with the system call
// (its value between two svc readings, the monotonic ones never going back), and musl's
// clock_gettime, gettimeofday and time with both; the real time follows settimeofday and
// clock_settime; clock_getres; other clock ids fall to the system call with its errno;
// a bad pointer faults in the caller (SIGSEGV); the clock page refuses PROT_WRITE;
// /proc/self/maps names [vdso] and [vvar]; a forked child and an exec'ed program have a
// working vDSO; and all of it again after PM and MM are restarted (the rs call). It
// prints each check and exits 0 only if all went right. `vdso exec` is the exec'ed part.
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xinim/ipc/rs.h>
#include <xinim/vdso.h>
#define CHECK_PREFIX "vdso: "
#include "check.h"


typedef long clock_fn(clockid_t, struct timespec *);
typedef long timeofday_fn(struct timeval *, void *);
static clock_fn *vdso_gettime, *vdso_getres;
static timeofday_fn *vdso_timeofday;

// Looks name up in the vDSO at base through its DT_HASH and its version (LINUX_2.6.39),
// as a C library does. NULL when it is not there.
static void *vdso_symbol(const Elf64_Ehdr *eh, const char *name)
{
	const char *base = (const char *)eh;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(base + ph[i].p_offset);
	const Elf64_Sym *syms = NULL;
	const uint32_t *hash = NULL;
	const uint16_t *versym = NULL;
	const char *strings = NULL;
	const Elf64_Verdef *def = NULL;
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		const char *at = base + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB: syms = (const Elf64_Sym *)at; break;
		case DT_HASH: hash = (const uint32_t *)at; break;
		case DT_STRTAB: strings = at; break;
		case DT_VERSYM: versym = (const uint16_t *)at; break;
		case DT_VERDEF: def = (const Elf64_Verdef *)at; break;
		}
	}
	if (!syms || !hash || !strings || !versym || !def)
		return NULL;
	for (uint32_t i = 0; i < hash[1]; i++) {
		if (strcmp(strings + syms[i].st_name, name) || ELF64_ST_TYPE(syms[i].st_info) != STT_FUNC)
			continue;
		for (const Elf64_Verdef *d = def;; d = (const Elf64_Verdef *)((const char *)d + d->vd_next)) {
			const Elf64_Verdaux *aux = (const Elf64_Verdaux *)((const char *)d + d->vd_aux);
			if (d->vd_ndx == (versym[i] & 0x7fff) && !strcmp(strings + aux->vda_name, "LINUX_2.6.39"))
				return (void *)(base + syms[i].st_value);
			if (!d->vd_next)
				break;
		}
	}
	return NULL;
}

static bool vdso_found(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	if (!eh || (uint64_t)eh != XINIM_VDSO || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_DYN)
		return false;
	vdso_gettime = (clock_fn *)vdso_symbol(eh, "__kernel_clock_gettime");
	vdso_getres = (clock_fn *)vdso_symbol(eh, "__kernel_clock_getres");
	vdso_timeofday = (timeofday_fn *)vdso_symbol(eh, "__kernel_gettimeofday");
	return vdso_gettime && vdso_getres && vdso_timeofday &&
	       vdso_symbol(eh, "__kernel_rt_sigreturn") == (void *)XINIM_SIGRETURN_TRAMPOLINE;
}

// The system call itself: its result (0 or -errno).
static long svc2(long number, long a, long b)
{
	register long x0 __asm__("x0") = a, x1 __asm__("x1") = b, x8 __asm__("x8") = number;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
	return x0;
}

static long long ns_of(struct timespec t) { return t.tv_sec * 1000000000ll + t.tv_nsec; }

static const struct { clockid_t id; const char *name; long step; bool monotonic; } served[] = {
	{ CLOCK_REALTIME, "CLOCK_REALTIME", 1, false },
	{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC", 1, true },
	{ CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW", 1, true },
	{ CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE", 10000000, false },
	{ CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE", 10000000, true },
	{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME", 1, true },
	{ CLOCK_TAI, "CLOCK_TAI", 1, false },
};

// clock's vDSO readings lie between two system calls', and never go back, over many.
static bool agrees(clockid_t clock)
{
	struct timespec before, now, after, last = { 0 };
	for (int i = 0; i < 2000; i++) {
		if (svc2(SYS_clock_gettime, clock, (long)&before) || vdso_gettime(clock, &now) ||
		    svc2(SYS_clock_gettime, clock, (long)&after))
			return false;
		if (ns_of(now) < ns_of(before) || ns_of(now) > ns_of(after) || ns_of(now) < ns_of(last) ||
		    now.tv_nsec < 0 || now.tv_nsec >= 1000000000)
			return false;
		last = now;
	}
	return true;
}

// musl's calls (through the vDSO) between two system calls.
static bool libc_agrees(void)
{
	struct timespec before, now, after;
	struct timeval tv;
	svc2(SYS_clock_gettime, CLOCK_REALTIME, (long)&before);
	int r = clock_gettime(CLOCK_REALTIME, &now) | gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	svc2(SYS_clock_gettime, CLOCK_REALTIME, (long)&after);
	long long us = tv.tv_sec * 1000000ll + tv.tv_usec;
	return !r && ns_of(before) <= ns_of(now) && ns_of(now) <= ns_of(after) &&
	       before.tv_sec <= t && t <= after.tv_sec && ns_of(before) / 1000 <= us &&
	       us <= ns_of(after) / 1000;
}

static bool timeofday_agrees(void)
{
	struct timespec before, after;
	struct timeval tv;
	struct timezone tz = { 99, 99 };
	svc2(SYS_clock_gettime, CLOCK_REALTIME, (long)&before);
	long r = vdso_timeofday(&tv, &tz);
	svc2(SYS_clock_gettime, CLOCK_REALTIME, (long)&after);
	long long us = tv.tv_sec * 1000000ll + tv.tv_usec;
	return !r && ns_of(before) / 1000 <= us && us <= ns_of(after) / 1000 &&
	       tz.tz_minuteswest == 0 && tz.tz_dsttime == 0 && vdso_timeofday(NULL, NULL) == 0;
}

static void clocks_agree(const char *when)
{
	char what[160];
	const struct xinim_vvar *vvar = (const struct xinim_vvar *)(getauxval(AT_SYSINFO_EHDR) - 4096);
	snprintf(what, sizeof(what), "%sthe clock page is ready: the vDSO reads the real time itself", when);
	check(vvar->ready == XINIM_VVAR_READY, what);
	for (size_t i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		snprintf(what, sizeof(what), "%s%s: the vDSO's time between two system calls', never back",
			 when, served[i].name);
		check(agrees(served[i].id), what);
	}
	snprintf(what, sizeof(what), "%sclock_gettime, gettimeofday and time agree with the system call", when);
	check(libc_agrees(), what);
	snprintf(what, sizeof(what), "%s__kernel_gettimeofday: the real time in us, the zone zero", when);
	check(timeofday_agrees(), what);
}

// The real time set (by settimeofday or clock_settime) to an hour from now: the vDSO
// follows at once.
static void realtime_follows(const char *when, bool by_settimeofday)
{
	struct timespec now, seen;
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec += 3600;
	now.tv_nsec = 0;
	struct timeval tv = { .tv_sec = now.tv_sec };
	int r = by_settimeofday ? settimeofday(&tv, NULL) : clock_settime(CLOCK_REALTIME, &now);
	long got = vdso_gettime(CLOCK_REALTIME, &seen);
	char what[160];
	snprintf(what, sizeof(what), "%s%s an hour ahead: the vDSO's CLOCK_REALTIME follows", when,
		 by_settimeofday ? "settimeofday" : "clock_settime");
	check(!r && !got && seen.tv_sec >= now.tv_sec && seen.tv_sec < now.tv_sec + 60 &&
	      agrees(CLOCK_REALTIME), what);
}

static void resolutions(void)
{
	bool ok = true;
	for (size_t i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		struct timespec v, s;
		ok &= vdso_getres(served[i].id, &v) == 0 && svc2(SYS_clock_getres, served[i].id, (long)&s) == 0 &&
		      v.tv_sec == 0 && v.tv_nsec == served[i].step && s.tv_nsec == v.tv_nsec &&
		      vdso_getres(served[i].id, NULL) == 0;
	}
	check(ok, "__kernel_clock_getres: 1 ns, 10 ms for the coarse clocks, as the system call; NULL allowed");
}

// The clocks the vDSO leaves to the system call answer as it does.
static void others_by_syscall(void)
{
	struct timespec t;
	static const clockid_t bad[] = { 8, 9, 10, 12, 100, 0x7fffffff, -2 };
	bool ok = true;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok &= vdso_gettime(bad[i], &t) == svc2(SYS_clock_gettime, bad[i], (long)&t) &&
		      vdso_getres(bad[i], &t) == svc2(SYS_clock_getres, bad[i], (long)&t);
	check(ok, "other clock ids: the system call's answer, the same errno");
	check(vdso_gettime(100, &t) == -EINVAL && clock_gettime(100, &t) == -1 && errno == EINVAL,
	      "clock id 100: EINVAL from the vDSO and from clock_gettime");
	check(vdso_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0 && vdso_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0,
	      "the CPU-time clocks through the system call");
}

// What a bad pointer does: SIGSEGV in the caller with the vDSO (as Linux), EFAULT from
// the system call.
static void bad_pointer(void)
{
	pid_t child = fork();
	if (child == 0) {
		vdso_gettime(CLOCK_MONOTONIC, (struct timespec *)16);
		_exit(0);
	}
	int status = 0;
	waitpid(child, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "a bad pointer to the vDSO: SIGSEGV in the caller, as Linux");
	check(svc2(SYS_clock_gettime, CLOCK_MONOTONIC, 16) == -EFAULT, "a bad pointer to the system call: EFAULT");
}

static bool maps_names(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[256];
	bool vdso = false, vvar = false;
	char want_vdso[32], want_vvar[32];
	snprintf(want_vdso, sizeof(want_vdso), "%08lx-", getauxval(AT_SYSINFO_EHDR));
	snprintf(want_vvar, sizeof(want_vvar), "%08lx-", getauxval(AT_SYSINFO_EHDR) - 4096);
	while (f && fgets(line, sizeof(line), f)) {
		vdso |= !strncmp(line, want_vdso, strlen(want_vdso)) && strstr(line, " r-xp ") && strstr(line, "[vdso]");
		vvar |= !strncmp(line, want_vvar, strlen(want_vvar)) && strstr(line, " r--s ") && strstr(line, "[vvar]");
	}
	if (f)
		fclose(f);
	return vdso && vvar;
}

static void the_page(void)
{
	void *vvar = (void *)(getauxval(AT_SYSINFO_EHDR) - 4096);
	check(mprotect(vvar, 4096, PROT_READ | PROT_WRITE) == -1 && errno == EACCES &&
	      mprotect(vvar, 4096, PROT_READ | PROT_EXEC) == -1 && errno == EACCES &&
	      mprotect(vvar, 4096, PROT_READ) == 0,
	      "the clock page: mprotect PROT_WRITE or PROT_EXEC EACCES, PROT_READ 0");
	check(maps_names(), "/proc/self/maps: [vdso] at AT_SYSINFO_EHDR, r-x; [vvar] under it, read-only");
}

static void in_a_child(void)
{
	pid_t child = fork();
	if (child == 0)
		_exit(vdso_found() && agrees(CLOCK_MONOTONIC) && agrees(CLOCK_REALTIME) ? 0 : 1);
	int status = 0;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child: the vDSO works");
	child = fork();
	if (child == 0) {
		execl("/bin/vdso", "vdso", "exec", (char *)NULL);
		_exit(2);
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "an exec'ed program: its own vDSO works");
}

static long rs(long command, long a, long b)
{
	long r = syscall(XINIM_SYSCALL_RS, command, a, b);
	return r < 0 ? -errno : r;
}

// Restarts the server at pid through RS and waits (up to 10 s of sleeps) for it.
static bool restarted(unsigned pid)
{
	struct xinim_rs_status s = { 0 }, before = { 0 };
	for (unsigned i = 0; rs(XINIM_RS_STATUS, i, (long)&s) == 0; i++)
		if (s.pid == pid)
			before = s;
	if (rs(XINIM_RS_RESTART, pid, 0))
		return false;
	for (int tries = 0; tries < 1000; tries++) {
		for (unsigned i = 0; rs(XINIM_RS_STATUS, i, (long)&s) == 0; i++)
			if (s.pid == pid && s.up && s.generation == before.generation + 1)
				return true;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	return false;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec"))
		return vdso_found() && agrees(CLOCK_MONOTONIC) && agrees(CLOCK_REALTIME) ? 0 : 1;
	check(vdso_found(), "AT_SYSINFO_EHDR: an ELF with __kernel_clock_gettime, _gettimeofday, _getres, "
			   "_rt_sigreturn (LINUX_2.6.39), the last PM's default restorer");
	if (failures)
		return 1;
	clocks_agree("");
	realtime_follows("", true);
	realtime_follows("", false);
	resolutions();
	others_by_syscall();
	bad_pointer();
	the_page();
	in_a_child();
	check(restarted(3), "PM restarted");
	clocks_agree("after PM's restart: ");
	realtime_follows("after PM's restart: ", false);
	in_a_child();
	check(restarted(4), "MM restarted");
	clocks_agree("after MM's restart: ");
	realtime_follows("after MM's restart: ", true);
	in_a_child();
	return check_summary();
}
