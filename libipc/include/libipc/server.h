#pragma once
// The server loop: receive, check the request against its row in the server's table,
// run the handler, reply. A server's table.c is one array of routes indexed by message
// type minus the first type of the server's range.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libipc/ipc.h>

// What a handler returns to say the reply comes later (the handler keeps the caller's
// endpoint and answers with ipc_reply); any other value is the reply's result.
#define IPC_DEFERRED (-0x10000L)

// reply arrives zeroed; the handler fills its length and payload.
typedef long ipc_handler(const struct ipc_request *request, struct xinim_msg *reply);

struct ipc_route {
	ipc_handler *handle;
	uint16_t length;	// the payload length a request of this type must have
};

// A row of ipc_table.syscalls: IPC_SYSCALL(getpid, handler) (xinim/ipc/syscalls.h names).
#define IPC_SYSCALL(name, handler) \
	[XINIM_SYSCALL_NUMBER_##name] = { handler, sizeof(struct xinim_syscall) }

struct ipc_table {
	int32_t first;		// the message type of routes[0]
	unsigned count;
	const struct ipc_route *routes;
	// Linux system calls the kernel delegates (XINIM_MSG_SYSCALL_FIRST + number, from the
	// kernel only), indexed by number: XINIM_SYSCALL_NUMBERS rows, or NULL for none. A
	// handler's result is the caller's x0 (it goes in a struct xinim_syscall_reply).
	const struct ipc_route *syscalls;
	// Answers system calls without a row (NULL: -ENOSYS).
	ipc_handler *unrouted_syscall;
	// Notifications (messages from the kernel of type XINIM_MSG_NOTIFY); NULL drops them.
	void (*notified)(const struct xinim_notification *note);
	// Work that handlers left for later, so that no request holds the server long (a
	// long transfer parked after its first slice, its reply deferred): does one bounded
	// slice of it and says whether any remains. The loop calls it after each request
	// that was deferred and between requests while work remains, so a slice and a
	// request take turns. NULL: none.
	bool (*resume)(void);
	// Whether a request that was not deferred left work for resume all the same (VFS: a
	// pipe's end closed, calls parked on it to run again once the request is answered).
	// NULL: never.
	bool (*resume_due)(void);
	// Work due at a time (a sleep's end): how long until the next is due, in us
	// (XINIM_WAIT_FOREVER: none), with fire false changing nothing; with fire true it
	// does what is due now first. The loop waits for a message no longer, and fires
	// only with no reply of its own pending (an answer fired commits: keep.h). NULL: none.
	uint64_t (*timer)(bool fire);
	// A word the loop sets while it waits for a message and clears as soon as the wait
	// ends (NULL: none). A server whose memory is whole only between two messages (NET's
	// lwIP, changed without keep_change) keeps it, so that its next instance knows
	// whether the last one died waiting or half way through its work.
	uint32_t *waiting;
};

// The system call a request carries (one routed by ipc_table.syscalls).
static inline struct xinim_syscall ipc_syscall_of(const struct ipc_request *request)
{
	struct xinim_syscall call;
	__builtin_memcpy(&call, request->msg.payload, sizeof(call));
	return call;
}

// Copies n bytes (at most XINIM_COPY_MAX) between here and `there` in the memory of a
// caller blocked in a call to us (KCALL_COPY_FROM / KCALL_COPY_TO): 0 or -EFAULT,
// -ESRCH (no such caller), -EINVAL.
long ipc_copy_from(xinim_endpoint_t caller, void *here, uint64_t there, size_t n);
long ipc_copy_to(xinim_endpoint_t caller, uint64_t there, const void *here, size_t n);

// Copies the NUL-terminated string at `there` in a blocked caller's memory (KCALL_COPY_FROM,
// a page at a time, so that one ending just before unmapped memory is read) into here,
// at most size bytes with the NUL. Its length, or -EFAULT, -ENAMETOOLONG.
long ipc_caller_string(xinim_endpoint_t caller, char *here, uint64_t there, size_t size);

// The next system call answer made (the handler's result, ipc_syscall_answer,
// ipc_syscall_answer_parked) raises signal in the caller before it returns to EL0, as
// flags say (struct xinim_syscall_raise_reply): SIGPIPE, SIGTTIN, SIGTTOU.
void ipc_syscall_raise(uint32_t signal, uint32_t flags);
// The next answer made asks PM to change the caller's signal mask as flags say
// (XINIM_RAISE_MASK with mask, XINIM_RAISE_UNMASK): a call's own signal mask.
void ipc_syscall_mask(uint32_t flags, uint64_t mask);

// A deferred system call's answer: x0 for the caller, in reply (which the handler then
// sends with ipc_reply(XINIM_ENDPOINT_KERNEL, 0, reply), reply's id set to the call's).
void ipc_syscall_answer(struct xinim_msg *reply, long value);
// Answers the parked system call id with value: recorded as answered with the state's
// changes so far committed (libipc/keep.h), then sent. -ESRCH if its caller is gone.
long ipc_syscall_answer_parked(uint64_t id, long value);

// Tells the server at pid that we serve from now on (XINIM_NOTE_SERVING): 0, or
// ipc_lookup's or ipc_notify's error (the server does not run, or we may not tell it).
long ipc_announce(unsigned pid);

// Handles one message: unknown types get -ENOSYS, a wrong length -EINVAL (a send
// that fails so is dropped). First it does a slice of the table's parked work (resume),
// and then does not wait for a message while some remains. 0, or ipc_receive's error.
long ipc_serve_one(const struct ipc_table *table, uint64_t timeout_us);

// Maps every page of the program's bss now, and stack_bytes of stack below the
// caller's frame: a server whose work later comes at any time (NET's timers and DHCP, a
// driver's frames) takes its memory as it starts, before it says it serves, so that
// the machine's free memory does not move with that work (PM's count around init) and
// no later request waits for MM to map a page.
void ipc_resident(size_t stack_bytes);
// Serves forever.
void ipc_serve(const struct ipc_table *table) __attribute__((__noreturn__));
