// Delegation (docs/architecture.md, System-call delegation): the kernel serves no Linux
// system call itself (but one, below). Each goes, as a message from the kernel, to the
// server the table names, and the caller waits for the reply.
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/rs.h>
#include <xinim/ipc/syscalls.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>

struct route {
	uint8_t server;		// enum xinim_pid; 0 for a number Linux does not have
	int16_t type;
};

static const struct route routes[XINIM_SYSCALL_NUMBERS] = {
#define ROUTE(name, number, server) \
	[number] = { XINIM_PID_##server, XINIM_MSG_SYSCALL_FIRST + number },
	XINIM_LINUX_SYSCALLS(ROUTE)
#undef ROUTE
};

// XINIM's own calls, numbered past Linux's.
static const struct {
	uint64_t number;
	struct route route;
} own_routes[] = {
	{ XINIM_SYSCALL_RS, { XINIM_PID_RS, XINIM_RS_CONTROL } },
};

// Numbers Linux does not have go to PM, which answers -ENOSYS and counts them.
static struct route route(uint64_t number)
{
	if (number < XINIM_SYSCALL_NUMBERS && routes[number].server)
		return routes[number];
	for (size_t i = 0; i < sizeof(own_routes) / sizeof(own_routes[0]); i++)
		if (own_routes[i].number == number)
			return own_routes[i].route;
	int32_t type = number < XINIM_SYSCALL_NUMBERS ? XINIM_MSG_SYSCALL_FIRST + (int32_t)number
						      : XINIM_MSG_SYSCALL_OTHER;
	return (struct route){ XINIM_PID_PM, (int16_t)type };
}

// PM's answer to a fork: the child starts as a copy of the calling thread (the kernel's
// mechanism; whether, and with what, is PM's). The caller gets the child's PID, or
// -ENOMEM when its thread cannot be made. Out of line, as raised: seldom given, and
// inlined its frame would be set up on every system call.
__attribute__((noinline))
static long forked(const struct xinim_msg *reply, const struct trapframe *frame)
{
	struct xinim_syscall_fork_reply answer;
	memcpy(&answer, reply->payload, sizeof(answer));
	if (answer.value < 0)
		return answer.value;
	if (answer.flags & XINIM_FORK_THREAD)
		return proc_thread_start((unsigned)answer.value, frame, answer.sp,
					 answer.flags & XINIM_FORK_TLS ? &answer.tls : NULL)
			       ? -EAGAIN : answer.value;
	if (proc_fork_start(answer.child, frame, answer.sp))
		return -ENOMEM;
	if (!(answer.flags & XINIM_FORK_VFORK))
		return answer.value;
	struct xinim_pm_vfork wait = { .parent = proc_current()->endpoint, .child = answer.child,
				       .tid = sched_current()->tid };
	const struct xinim_msg *done;
	long err = ipc_kernel_call(XINIM_PID_PM, XINIM_PM_VFORK_WAIT, &wait, sizeof(wait), &done);
	return err ? err : done->header.type < 0 ? done->header.type : answer.value;
}

// A server's answer that raises a signal in the caller (struct
// xinim_syscall_raise_reply): PM raises it, before the caller returns to EL0, and says
// what x0 is, or (*again) that the call is to be made again. Without PM, the answer as
// it is.
__attribute__((noinline)) static long raised(const struct xinim_msg *reply, bool *again)
{
	struct xinim_syscall_raise_reply answer;
	memcpy(&answer, reply->payload, sizeof(answer));
	struct xinim_pm_raise ask = { .who = proc_current()->endpoint, .tid = sched_current()->tid,
				      .signal = answer.signal, .flags = answer.flags,
				      .value = answer.value, .mask = answer.mask };
	struct xinim_pm_raise_reply verdict;
	const struct xinim_msg *done;
	long err = ipc_kernel_call(XINIM_PID_PM, XINIM_PM_RAISE, &ask, sizeof(ask), &done);
	if (err || done->header.type < 0 || done->header.length != sizeof(verdict))
		return answer.value;
	memcpy(&verdict, done->payload, sizeof(verdict));
	*again = verdict.again;
	return verdict.value;
}

// x0 from the server's reply: its value, or the error the server gave instead (a type
// it does not serve, a malformed request).
static long result_of(const struct xinim_msg *reply, uint8_t server, const struct trapframe *frame,
		      bool *again)
{
	struct xinim_syscall_reply answer;
	if (reply->header.type < 0)
		return reply->header.type;
	if (reply->header.length == sizeof(struct xinim_syscall_fork_reply) && server == XINIM_PID_PM)
		return forked(reply, frame);
	if (reply->header.length == sizeof(struct xinim_syscall_raise_reply))
		return raised(reply, again);
	if (reply->header.length != sizeof(answer))
		return -EIO;
	__builtin_memcpy(&answer, reply->payload, sizeof(answer));	// a load, no call
	return answer.value;
}

// The Linux calls the kernel answers itself:
// - set_tid_address of a supervised server, the only system call its C library makes as
//   it starts (musl's __init_tp). A server restarted while PM waits for it
//   (docs/resurrection.md) must not need PM to start; PM keeps nothing for a boot
//   program, and the answer is its TID, its PID.
// - rt_sigreturn, whose work is the registers' (kernel/signal.c); PM gets the mask.
static bool answered_here(const struct proc *proc, uint64_t number, struct trapframe *frame)
{
	if (number == XINIM_SYSCALL_NUMBER_rt_sigreturn) {
		signal_return(frame);
		return true;
	}
	if (!proc->supervised || number != XINIM_SYSCALL_NUMBER_set_tid_address)
		return false;
	frame->x[0] = proc->pid;
	return true;
}

// A server's answer that a signal interrupted the call: kept for the signal's delivery,
// which decides between -EINTR and the call made again.
static long interrupted(long result)
{
	if (result != -XINIM_ERESTARTSYS && result != -XINIM_ERESTARTNOINTR &&
	    result != -XINIM_ERESTARTNOHAND)
		return result;
	signal_restart_note((int)-result);
	return -EINTR;
}

// Out of line, as the answers above that are seldom given: with LTO, a kernel call would
// otherwise set up this function's frame on its way in.
__attribute__((noinline)) void syscall_linux(struct trapframe *frame)
{
	uint64_t number = frame->x[8];
	if (answered_here(proc_current(), number, frame))
		return;
	sched_current()->syscall_x0 = frame->x[0];
	struct route r = route(number);
	struct xinim_syscall call = { .number = number, .caller = proc_current()->endpoint,
				      .tid = sched_current()->tid,
				      .args = { frame->x[0], frame->x[1], frame->x[2], frame->x[3],
						frame->x[4], frame->x[5] } };
	const struct xinim_msg *reply;
	long result;
	bool again = false;
	do {	// once more at most: the server lets a call through whose signal was refused
		call.number = again ? number | XINIM_SYSCALL_AGAIN : number;
		bool first = !again;
		long err = ipc_kernel_call(r.server, r.type, &call, sizeof(call), &reply);
		if (err == -ESRCH)
			err = -ENOSYS;	// no server runs that could serve it
		again = false;
		result = err ? err : result_of(reply, r.server, frame, &again);
		again = again && first;
	} while (again);
	frame->x[0] = (uint64_t)interrupted(result);
}
