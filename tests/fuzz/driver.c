// The libFuzzer driver (driver.h): decodes an input into requests, sends each to the
// target's server as the kernel (a system call) or PM (a message) would, and aborts on a
// hang, a reply no Linux call could give, or a server that fails its health check.
#define _GNU_SOURCE	// process_vm_readv
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <libipc/ipc.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/syscalls.h>
#include "driver.h"
#include "harness.h"

#define FUZZ_PID XINIM_PID_FIRST_DYNAMIC	// the fuzz process, a new instance per input
#define REPLY_TIMEOUT_US 5000000	// a message that takes longer hangs
// A system call not answered by then was parked, or hangs: the health check tells.
#define SYSCALL_WAIT_US 200000
#define ERRNO_MAX 4095

uint8_t *fuzz_memory;

// Strings at fuzz_memory + 64 * i, so that an input names one by its offset: paths, then
// interfaces' names (an ifreq's first bytes).
static const char *const strings[] = {
	"/etc/motd", "/etc", "/", "/etc/motd.link", "/loop/a", "/home/user/notes", "/dev/null",
	"/dev/zero", "/dev/console", "", "/etc/motd/x", "../..", "motd", "/bin/tool",
	"/motd.absolute", "//etc//motd", "lo", "eth0",
};

static struct proc server;
static xinim_endpoint_t server_endpoint;

static xinim_endpoint_t endpoint_now(void)
{
	return fuzz_target.endpoint ? fuzz_target.endpoint() : server_endpoint;
}
static bool trace;	// FUZZ_TRACE set: each request and its result on stderr
static xinim_endpoint_t who, last;
static unsigned generation;

static _Noreturn void finding(const char *what, long detail)
{
	fprintf(stderr, "fuzz_%s: FINDING: %s (%ld)\n", fuzz_target.name, what, detail);
	abort();
}

static void setup(void)
{
	// The caller's memory and a guard page after it: a copy past the end faults.
	void *m = mmap(NULL, FUZZ_MEMORY_SIZE + 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect((uint8_t *)m + FUZZ_MEMORY_SIZE, 4096, PROT_NONE))
		abort();
	fuzz_memory = m;
	host_kcalls_reset();
	if (fuzz_target.start) {
		server_endpoint = fuzz_target.start();
	} else {
		if (server_setup(&server, fuzz_target.pid, fuzz_target.table) != 0)
			abort();
		server_endpoint = server.endpoint;
		// The fuzzer's thread is PM, which sends the servers' messages; for PM itself, a
		// client.
		host_ipc_register(fuzz_target.pid == XINIM_PID_PM ? CLIENT : XINIM_PID_PM);
	}
	if (fuzz_target.setup(server_endpoint) != 0)
		abort();
}

// Whether the host has memory at v that a handler could reach: readable (ASan's shadow
// gap, for one, is mapped but not accessible, as are 1 << 32 | 3 and its kind).
static bool host_reachable(uint64_t v)
{
	char byte;
	struct iovec local = { &byte, 1 }, remote = { (void *)(uintptr_t)v, 1 };
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 1;
}

// An argument that would point into the fuzzer's own memory points into the caller's
// instead. What the host cannot reach stays (a copy there fails at once, -EFAULT), so
// that values such as 1 << 32 | 3 reach the handlers as they are.
uint64_t fuzz_address(uint64_t v)
{
	uint64_t base = (uintptr_t)fuzz_memory;
	if (v < 0x10000 || v >= XINIM_USER_TOP || (v >= base && v < base + FUZZ_MEMORY_SIZE) ||
	    !host_reachable(v))
		return v;
	return base + v % FUZZ_MEMORY_SIZE;
}

static uint64_t u64_from(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

// Any endpoint but the health checks' process, which no input may touch.
static xinim_endpoint_t not_health(xinim_endpoint_t e)
{
	return xinim_endpoint_pid(e) == FUZZ_HEALTH_PID ? e + 1 : e;
}

static xinim_endpoint_t caller_of(const uint8_t *r)
{
	switch (r[3] % 8) {
	case 4: return xinim_endpoint(FUZZ_PID + 1 + r[6] % 8, 1 + r[7]);	// never met
	case 5: return last ? last : who;
	case 6: return xinim_endpoint(XINIM_PID_PM, 1);
	case 7: return not_health((xinim_endpoint_t)u64_from(r + 8));
	default: return who;
	}
}

long fuzz_kernel_syscall(xinim_endpoint_t dest, xinim_endpoint_t caller, uint64_t number,
			 const uint64_t args[6], bool *delivered)
{
	struct xinim_msg msg = syscall_message(caller, number, args);
	long result = host_ipc_kernel_call(dest, caller, &msg, SYSCALL_WAIT_US);
	// A call the server parked (a read of the console, a long sleep) waits as a program's
	// would: a hang only if the server no longer serves. The process's next instance
	// (fresh) ends the wait.
	if (result == -ETIMEDOUT && !fuzz_target.healthy(dest))
		finding("no reply to a system call: a hang", (long)number);
	*delivered = result == 0;
	if (result != 0)
		return result;	// the server's error for a type it does not serve
	if (msg.header.length != sizeof(struct xinim_syscall_reply))
		finding("a system call's reply without a result (the kernel gives -EIO)", (long)number);
	struct xinim_syscall_reply answer;
	memcpy(&answer, msg.payload, sizeof(answer));
	return answer.value;
}

long fuzz_message(xinim_endpoint_t dest, int32_t type, const void *payload, uint16_t length)
{
	struct xinim_msg msg = { .header = { .type = type, .length = length } };
	memcpy(msg.payload, payload, length);
	long result = ipc_call(dest, &msg, REPLY_TIMEOUT_US);
	if (result == -ETIMEDOUT)
		finding("no reply to a message: a hang", type);
	return result;
}

static void syscall_request(const uint8_t *r)
{
	uint64_t number;
	if (r[0] % 4 < 2 && fuzz_target.served_count)
		number = fuzz_target.served[r[1] % fuzz_target.served_count];
	else
		number = (r[1] | (uint64_t)r[2] << 8) % 512;
	uint64_t args[6];
	for (int i = 0; i < 6; i++) {
		uint64_t v = u64_from(r + 8 + 8 * i);
		if (r[4] & 1u << i)
			v = (uintptr_t)fuzz_memory + v % FUZZ_MEMORY_SIZE;
		args[i] = fuzz_target.copies ? fuzz_address(v) : v;
	}
	bool delivered;
	xinim_endpoint_t caller = caller_of(r);
	long value = fuzz_kernel_syscall(endpoint_now(), caller, number, args, &delivered);
	if (trace)
		fprintf(stderr, "fuzz_%s: %s (%lu) of %#x: %#lx %#lx %#lx %#lx %#lx %#lx = %ld%s\n",
			fuzz_target.name, xinim_syscall_name(number) ? xinim_syscall_name(number) : "unknown",
			(unsigned long)number, caller, (unsigned long)args[0], (unsigned long)args[1],
			(unsigned long)args[2], (unsigned long)args[3], (unsigned long)args[4],
			(unsigned long)args[5], value, delivered ? "" : " (not delivered)");
	if (delivered && value < -ERRNO_MAX && value > -(1L << 47))
		finding("a result below -4095: neither an errno nor a result", value);
}

static void message_request(const uint8_t *r)
{
	if (!fuzz_target.first_type)
		return;
	uint8_t payload[XINIM_PAYLOAD_MAX];
	memcpy(payload, r + 8, sizeof(payload));
	xinim_endpoint_t subject = r[5] & 1 ? who : not_health((xinim_endpoint_t)u64_from(payload));
	memcpy(payload, &subject, sizeof(subject));
	int32_t type = fuzz_target.first_type + r[1] % 100;
	if (fuzz_target.sanitize)
		fuzz_target.sanitize(type, payload);
	long result = fuzz_message(endpoint_now(), type, payload, r[2] % (XINIM_PAYLOAD_MAX + 1));
	if (fuzz_target.answered)
		fuzz_target.answered(type, payload, result);
	if (trace)
		fprintf(stderr, "fuzz_%s: message %d, %u bytes = %ld\n", fuzz_target.name, type,
			r[2] % (XINIM_PAYLOAD_MAX + 1), result);
}

static void fresh_memory(void)
{
	memset(fuzz_memory, 0, FUZZ_MEMORY_SIZE);
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		strcpy((char *)fuzz_memory + 64 * i, strings[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		trace = getenv("FUZZ_TRACE") != NULL;
		setup();
		ready = true;
	}
	generation = generation % 0xfffe + 1;
	last = who;
	who = xinim_endpoint(FUZZ_PID, generation);
	fuzz_target.fresh(endpoint_now(), who, last);
	fresh_memory();
	for (size_t at = 0; at + FUZZ_RECORD <= size && at < FUZZ_RECORD * FUZZ_RECORDS_MAX;
	     at += FUZZ_RECORD) {
		if (data[at] % 4 == 3)
			message_request(data + at);
		else
			syscall_request(data + at);
	}
	if (!fuzz_target.healthy(endpoint_now()))
		finding("the server failed its health check after the input", 0);
	return 0;
}
