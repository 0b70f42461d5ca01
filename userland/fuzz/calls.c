// Which system calls the fuzzer makes: every number the kernel routes
// (include/xinim/ipc/syscalls.h) except the denylist below, the calls a server serves
// today more often than the rest, and numbers Linux does not have.
#include <stddef.h>
#include <xinim/ipc/syscalls.h>
#include "fuzz.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name

const char *const fuzz_server_names[FUZZ_SERVERS] = { "vfs", "pm", "mm", "net", "unknown" };

static const uint8_t servers[XINIM_SYSCALL_NUMBERS] = {
#define SERVER_OF(name, number, server) [number] = FUZZ_##server + 1,
	XINIM_LINUX_SYSCALLS(SERVER_OF)
#undef SERVER_OF
};

enum fuzz_server fuzz_server_of(uint64_t number)
{
	if (number >= XINIM_SYSCALL_NUMBERS || !servers[number])
		return FUZZ_UNKNOWN;
	return (enum fuzz_server)(servers[number] - 1);
}

// Calls that would end or wreck the fuzzer, the machine or the test, each with why.
// Calls that only touch memory at a given address are not here: args.c keeps their
// addresses in the arena instead (munmap, mprotect, madvise, mmap MAP_FIXED, brk...).
static const char *const denied[XINIM_SYSCALL_NUMBERS] = {
	[N(exit)] = "ends the fuzzer",
	[N(exit_group)] = "ends the fuzzer",
	[N(execve)] = "replaces the fuzzer",
	[N(execveat)] = "replaces the fuzzer",
	[N(clone)] = "a second process the test does not expect",
	[N(clone3)] = "a second process the test does not expect",
	[N(rt_sigreturn)] = "loads every register from a frame at the stack pointer",
	[N(kill)] = "a signal may end the fuzzer",
	[N(tkill)] = "a signal may end the fuzzer",
	[N(tgkill)] = "a signal may end the fuzzer",
	[N(rt_sigqueueinfo)] = "a signal may end the fuzzer",
	[N(rt_tgsigqueueinfo)] = "a signal may end the fuzzer",
	[N(pidfd_send_signal)] = "a signal may end the fuzzer",
	[N(setitimer)] = "its SIGALRM would end the fuzzer",
	[N(timer_create)] = "its signal would end the fuzzer",
	[N(timer_settime)] = "its signal would end the fuzzer",
	[N(reboot)] = "ends the machine",
	[N(syslog)] = "CONSOLE_OFF and CONSOLE_LEVEL hide the kernel lines the test reads",
	[N(kexec_load)] = "ends the machine",
	[N(kexec_file_load)] = "ends the machine",
	[N(init_module)] = "changes the kernel",
	[N(finit_module)] = "changes the kernel",
	[N(delete_module)] = "changes the kernel",
	[N(swapoff)] = "machine-wide",
	[N(mount)] = "changes the tree the health checks read",
	[N(umount2)] = "changes the tree the health checks read",
	[N(pivot_root)] = "changes the tree the health checks read",
	[N(chroot)] = "changes the tree the health checks read",
	[N(vhangup)] = "hangs up the console the fuzzer prints on",
	[N(seccomp)] = "a filter would refuse the health checks",
	[N(rseq)] = "the kernel would write a random address at every switch",
	[N(process_vm_writev)] = "writes the fuzzer's memory where random iovecs say",
	[N(process_vm_readv)] = "writes the fuzzer's memory where random iovecs say",
	[N(process_madvise)] = "drops the fuzzer's pages where random iovecs say",
	[N(nanosleep)] = "a random time sleeps for hours: a hang that is no bug",
	[N(clock_nanosleep)] = "a random time sleeps for hours: a hang that is no bug",
	[N(futex)] = "FUTEX_WAIT blocks forever: no other thread wakes it",
	[N(rt_sigsuspend)] = "blocks until a signal that never comes",
	[N(rt_sigtimedwait)] = "blocks until a signal that never comes",
	[N(ppoll)] = "blocks for a random time",
	[N(pselect6)] = "blocks for a random time",
	[N(epoll_pwait)] = "blocks for a random time",
	[N(epoll_pwait2)] = "blocks for a random time",
	[N(io_getevents)] = "blocks for a random time",
	[N(io_pgetevents)] = "blocks for a random time",
	[N(io_uring_enter)] = "blocks for events",
	[N(mq_timedsend)] = "blocks on a full queue",
	[N(mq_timedreceive)] = "blocks on an empty queue",
	[N(msgsnd)] = "blocks on a full queue",
	[N(msgrcv)] = "blocks on an empty queue",
	[N(semop)] = "blocks on a semaphore",
	[N(semtimedop)] = "blocks on a semaphore",
	[N(accept)] = "blocks for a connection",
	[N(accept4)] = "blocks for a connection",
	[N(connect)] = "blocks for a peer",
	[N(recvfrom)] = "blocks for data",
	[N(recvmsg)] = "blocks for data",
	[N(recvmmsg)] = "blocks for data",
	[N(pipe2)] = "a read of its empty pipe blocks forever",
	[N(eventfd2)] = "a read of it blocks forever",
	[N(signalfd4)] = "a read of it blocks forever",
	[N(timerfd_create)] = "a read of it blocks for a random time",
	[N(inotify_init1)] = "a read of it blocks forever",
	[N(fanotify_init)] = "a read of it blocks forever",
	[N(userfaultfd)] = "a read of it blocks forever",
	[N(socket)] = "a read of it blocks forever",
	[N(socketpair)] = "a read of it blocks forever",
};

const char *fuzz_denied(uint64_t number)
{
	return number < XINIM_SYSCALL_NUMBERS ? denied[number] : NULL;
}

// The calls a server serves today (servers/*/table.c), drawn 60% of the time, with the
// class of each argument (args.c): f fd, s path, p pointer, v iovecs, l length, F flags,
// i small integer, a address for MM, r ioctl request, - anything.
struct served {
	uint16_t number;
	const char *hint;
};

static const struct served served[] = {
	{ N(openat), "fsFi--" },	{ N(close), "f-----" },	{ N(read), "fpl---" },
	{ N(write), "fpl---" },	{ N(readv), "fvi---" },	{ N(writev), "fvi---" },
	{ N(pread64), "fpli--" },	{ N(pwrite64), "fpli--" },	{ N(lseek), "fii---" },
	{ N(fstat), "fp----" },	{ N(newfstatat), "fspF--" },	{ N(getdents64), "fpl---" },
	{ N(ioctl), "frp---" },	{ N(getpid), "------" },	{ N(getppid), "------" },
	{ N(gettid), "------" },	{ N(getuid), "------" },	{ N(uname), "p-----" },
	{ N(set_tid_address), "p-----" },	{ N(clock_gettime), "ip----" },
	{ N(getrandom), "plF---" },	{ N(rt_sigaction), "ippl--" },
	{ N(rt_sigprocmask), "ippl--" },	{ N(prlimit64), "iipp--" },	{ N(brk), "a-----" },
	{ N(mmap), "alFFfi" },	{ N(munmap), "al----" },	{ N(mprotect), "alF---" },
	{ N(madvise), "ali---" },
};
#define SERVED (sizeof(served) / sizeof(served[0]))

const char *fuzz_hint(uint64_t number)
{
	for (size_t i = 0; i < SERVED; i++)
		if (served[i].number == number)
			return served[i].hint;
	return NULL;
}

// Numbers Linux does not have: the gaps of the table, just past it, and far past it.
static uint64_t unknown_number(uint64_t *rng)
{
	uint64_t r = fuzz_next(rng);
	switch (r % 4) {
	case 0: return 244 + (r >> 8) % 16;	// 244-259: no call on arm64
	case 1: return 295 + (r >> 8) % 129;	// 295-423
	case 2: return XINIM_SYSCALL_NUMBERS + (r >> 8) % 64;	// just past the table
	default: return (r >> 8) % 2 ? ~UINT64_C(0) - (r >> 16) % 4 : r;	// huge
	}
}

// A number to call: never one of the denylist.
uint64_t fuzz_pick_number(uint64_t *rng)
{
	for (;;) {
		uint64_t r = fuzz_next(rng) % 100, number;
		if (r < 60)
			number = served[fuzz_next(rng) % SERVED].number;
		else if (r < 92)
			number = fuzz_next(rng) % 448;	// the table's range
		else
			number = unknown_number(rng);
		if (!fuzz_denied(number))
			return number;
	}
}
