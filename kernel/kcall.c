// Kernel calls, dispatched by a table: number -> (handler, capability it needs).
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/psci.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/bootdata.h>
#include <kernel/boottable.h>
#include <kernel/cap.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/ipc.h>
#include <kernel/kcall.h>
#include <kernel/proc.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>
#include <kernel/space.h>
#include <kernel/trace.h>

#define DEBUG_WRITE_MAX 4096

// KCALL_DEBUG_WRITE for test programs, KCALL_CONSOLE_WRITE for VFS.
static long debug_write(struct trapframe *frame)
{
	char text[256];
	uint64_t from = frame->x[0];
	size_t length = frame->x[1];
	if (length > DEBUG_WRITE_MAX)
		return -EINVAL;
	for (size_t done = 0; done < length;) {
		size_t chunk = length - done < sizeof(text) ? length - done : sizeof(text);
		if (copy_from_user(text, from + done, chunk) != 0)
			return -EFAULT;
		console_write(text, chunk);
		done += chunk;
	}
	return (long)length;
}

static long debug_exit(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	klog("proc %u (%s): exit status %d", proc->pid, proc->name, (int)frame->x[0]);
	proc_end();
}

static long debug_cpu(struct trapframe *frame)
{
	(void)frame;
	return this_cpu()->id;
}

static long debug_yield(struct trapframe *frame)
{
	(void)frame;
	sched_yield();
	return 0;
}

// Longer than any test needs, short enough that the deadline cannot overflow.
#define DEBUG_SLEEP_MAX_US (3600UL * 1000000)

static long debug_sleep(struct trapframe *frame)
{
	uint64_t us = frame->x[0];
	if (us > DEBUG_SLEEP_MAX_US)
		return -EINVAL;
	sleep_until(sleep_deadline(us));
	return 0;
}

static long debug_pin(struct trapframe *frame)
{
	return frame->x[0] > UINT32_MAX ? -EINVAL : sched_pin((unsigned)frame->x[0]);
}

// KCALL_POWER_OFF. The console's last line must leave the UART before the power goes.
// PSCI SYSTEM_OFF takes every CPU down with it, so the others are not stopped first.
static long power_off(struct trapframe *frame)
{
	(void)frame;
	console_flush();
	psci_system_off();
	return -EOPNOTSUPP;	// no PSCI: the machine stays on
}

// name: for the console when a call is denied. cap 0: any process may make the call.
static const struct {
	const char *name;
	long (*run)(struct trapframe *frame);
	unsigned cap;
} kcalls[KCALL_COUNT] = {
	[KCALL_DEBUG_WRITE] = { "debug_write", debug_write, KCAP_DEBUG },
	[KCALL_DEBUG_EXIT] = { "debug_exit", debug_exit, KCAP_DEBUG },
	[KCALL_DEBUG_CPU] = { "debug_cpu", debug_cpu, KCAP_DEBUG },
	[KCALL_DEBUG_YIELD] = { "debug_yield", debug_yield, KCAP_DEBUG },
	[KCALL_DEBUG_SLEEP] = { "debug_sleep", debug_sleep, KCAP_DEBUG },
	[KCALL_DEBUG_PIN] = { "debug_pin", debug_pin, KCAP_DEBUG },
	[KCALL_IPC_SELF] = { "ipc_self", ipc_kcall_self, 0 },
	[KCALL_IPC_LOOKUP] = { "ipc_lookup", ipc_kcall_lookup, 0 },
	[KCALL_IPC_CHANNEL] = { "ipc_channel", ipc_kcall_channel, 0 },
	[KCALL_IPC_CALL] = { "ipc_call", ipc_kcall_call, 0 },
	[KCALL_IPC_SEND] = { "ipc_send", ipc_kcall_send, 0 },
	[KCALL_IPC_RECEIVE] = { "ipc_receive", ipc_kcall_receive, 0 },
	[KCALL_IPC_REPLY] = { "ipc_reply", ipc_kcall_reply, 0 },
	[KCALL_IPC_REPLY_RECEIVE] = { "ipc_reply_receive", ipc_kcall_reply_receive, 0 },
	[KCALL_IPC_NOTIFY] = { "ipc_notify", ipc_kcall_notify, 0 },
	[KCALL_IPC_REJECTED] = { "ipc_rejected", ipc_kcall_rejected, 0 },
	[KCALL_TRACE_READ] = { "trace_read", trace_kcall_read, KCAP_TRACE },
	[KCALL_COPY_TO] = { "copy_to", ipc_kcall_copy_to, KCAP_COPY },
	[KCALL_COPY_FROM] = { "copy_from", ipc_kcall_copy_from, KCAP_COPY },
	[KCALL_CONSOLE_WRITE] = { "console_write", debug_write, KCAP_CONSOLE },
	[KCALL_BOOT_ARCHIVE] = { "boot_archive", bootdata_kcall_archive, KCAP_BOOT },
	[KCALL_BOOT_ARGS] = { "boot_args", bootdata_kcall_args, KCAP_BOOT },
	[KCALL_PROC_NEW] = { "proc_new", proc_kcall_new, KCAP_PROC },
	[KCALL_PROC_START] = { "proc_start", proc_kcall_start, KCAP_PROC },
	[KCALL_PROC_EXEC] = { "proc_exec", proc_kcall_exec, KCAP_PROC },
	[KCALL_PROC_END] = { "proc_end", proc_kcall_end, KCAP_PROC },
	[KCALL_RANDOM] = { "random", random_kcall, KCAP_PROC },
	[KCALL_POWER_OFF] = { "power_off", power_off, KCAP_POWER },
	[KCALL_SPACE_MAP] = { "space_map", space_kcall_map, KCAP_SPACE },
	[KCALL_SPACE_UNMAP] = { "space_unmap", space_kcall_unmap, KCAP_SPACE },
	[KCALL_SPACE_PROTECT] = { "space_protect", space_kcall_protect, KCAP_SPACE },
	[KCALL_SPACE_WRITE] = { "space_write", space_kcall_write, KCAP_SPACE },
};

// The process learns of a denial from -EPERM; the person at the console from one line,
// or a program started without a right it needs (a test program as init) would fail in
// silence. One line per process, so that a program retrying in a loop cannot flood it.
static void kcall_denied(struct proc *proc, uint64_t number)
{
	unsigned missing = kcalls[number].cap & ~proc->caps.kcalls;
	if (__atomic_exchange_n(&proc->kcall_denial_logged, true, __ATOMIC_RELAXED))
		return;
	klog("proc %u (%s): kernel call %s (%lu) denied, -EPERM: it lacks the %s right%s "
	     "(later denials are not logged)", proc->pid, proc->name, kcalls[number].name,
	     number, cap_kcall_name(missing & -missing),
	     proc->managed ? ", as every process PM starts does" : "");
}

void kcall_dispatch(struct trapframe *frame)
{
	uint64_t number = frame->x[8];
	struct proc *proc = proc_current();
	if (number >= KCALL_COUNT || !kcalls[number].run) {
		frame->x[0] = (uint64_t)-ENOSYS;
	} else if (!cap_allows_kcall(&proc->caps, kcalls[number].cap)) {
		kcall_denied(proc, number);
		frame->x[0] = (uint64_t)-EPERM;
	} else {
		frame->x[0] = (uint64_t)kcalls[number].run(frame);
	}
}
