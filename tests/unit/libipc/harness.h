#pragma once
// The harness of the hosted IPC tests: processes as threads bound to PIDs by the hosted
// backend (<libipc/host.h>), a small test server with its ipc_table, a client call, and
// trace helpers. A process body must not use cmocka's asserts (they would jump out of
// its thread): it stores what it saw and the test asserts after proc_join.
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>

#define SERVER XINIM_PID_TEST
#define CLIENT XINIM_PID_FIRST_DYNAMIC
#define BADGE 0xb0

struct proc {
	pthread_t thread;
	unsigned pid;
	xinim_endpoint_t endpoint;	// set before proc_start returns
	void (*body)(struct proc *);
	void *arg;
	sem_t registered;
};

// Starts body as a new instance of pid; returns once it is registered. The instance
// exits (host_ipc_exit) when body returns.
void proc_start(struct proc *p, unsigned pid, void (*body)(struct proc *), void *arg);
void proc_join(struct proc *p);

// The test server's message types.
enum test_type {
	ECHO = XINIM_MSG_TEST_FIRST,	// (u64 v) -> the caller's badge, (u64 v + 1)
	UNROUTED,			// a row without a handler
	DEFER,				// (u64 v) -> answered later: v, (u64 v * 10)
	TYPES_END,
};

// What the server saw, readable once it is joined: deferred_replies are ipc_reply's
// results for the three deferred calls (answered latest first), bad_tags its
// ipc_refused(XINIM_TRACE_BAD_TAG) when it stopped.
extern long deferred_replies[3];
extern uint64_t server_bad_tags;
extern sem_t release;	// posted by a test to let wait_for_release return

// Process bodies: the server (until server_stop), and one that waits for release.
void serve(struct proc *p);
void server_stop(struct proc *server);
void wait_for_release(struct proc *p);

// The servers' tests (tests/unit/{vfs,pm,mm}). serve_table is a process body that serves
// the struct ipc_table at p->arg until server_stop. server_setup forgets the hosted
// kernel (harness_reset), lets PM and CLIENT call pid, and starts serve_table(table)
// there: 0 or -1. fresh_endpoint is an endpoint of a PID this program has not used
// before, so a process that no server has met. server_group_teardown is a cmocka group
// teardown for a group whose state is the server's struct proc: the calling thread's
// process exits, then the server stops.
struct ipc_table;
void serve_table(struct proc *p);
int server_setup(struct proc *server, unsigned pid, const struct ipc_table *table);
xinim_endpoint_t fresh_endpoint(void);
int server_group_teardown(void **state);

// Forgets the hosted kernel and the server's state. 0 or -1.
int harness_reset(void);

// Long enough for any test; a backend that loses a message fails the test instead of
// hanging it.
#define CALL_TIMEOUT_US 10000000

// One call as a client makes it, and what came back.
struct call {
	xinim_endpoint_t dest;
	int32_t type;
	uint16_t length;
	uint64_t value;		// the payload's first 8 bytes
	uint64_t timeout_us;	// 0: CALL_TIMEOUT_US
	long result;
	uint64_t answer;	// the reply's first 8 payload bytes
	uint16_t answer_length;
	uint16_t answer_flags;
	xinim_endpoint_t answer_source;
};

struct call echo_call(xinim_endpoint_t dest, uint64_t value);
void do_call(struct call *c);
void caller(struct proc *p);	// do_call(p->arg)

uint64_t u64_at(const uint8_t *p);

// The message the kernel sends for caller's system call number with args.
struct xinim_msg syscall_message(xinim_endpoint_t caller, uint64_t number, const uint64_t args[6]);

// A Linux system call of caller, as the kernel delegates it to server (a sealed call on
// the kernel's channel, host_ipc_kernel_call): the value the caller's x0 would get, or
// the call's own error. SYSCALL names the call as <xinim/ipc/syscalls.h> does, and
// ADDR makes an argument of a pointer (callers share the test's memory on the host).
// An answer that raises a signal (struct xinim_syscall_raise_reply) gives its value, its
// signal and flags left in syscall_raised (0: none) for the test, as PM is not there.
long kernel_syscall(xinim_endpoint_t server, xinim_endpoint_t caller, unsigned number,
		    const uint64_t args[6]);
extern _Thread_local struct xinim_syscall_raise_reply syscall_raised;
#define SYSCALL(server, caller, name, ...) \
	kernel_syscall(server, caller, XINIM_SYSCALL_NUMBER_##name, (const uint64_t[6]){ __VA_ARGS__ })
#define ADDR(pointer) ((uint64_t)(uintptr_t)(pointer))

// Takes every trace record so far into a static buffer; returns how many.
unsigned trace_take(const struct xinim_trace_record **records);

// How many of records match; XINIM_ENDPOINT_NONE matches any source or dest.
unsigned trace_count(const struct xinim_trace_record *records, unsigned count,
		     enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		     xinim_endpoint_t source, xinim_endpoint_t dest);

// Waits until the trace has a record that matches (as trace_count), for a test to know
// that another process has got that far (a call queued, a call taken). The records read
// meanwhile are taken. 0, or -ETIMEDOUT after CALL_TIMEOUT_US.
int trace_wait(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
	       xinim_endpoint_t source, xinim_endpoint_t dest);
