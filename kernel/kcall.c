// Kernel calls, dispatched by a table: number -> (handler, capability it needs).
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/psci.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/bootdata.h>
#include <kernel/boottable.h>
#include <kernel/cap.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cputime.h>
#include <kernel/cpu.h>
#include <kernel/device.h>
#include <kernel/frame.h>
#include <kernel/grant.h>
#include <kernel/ipc.h>
#include <kernel/kcall.h>
#include <kernel/keep.h>
#include <kernel/klog.h>
#include <kernel/panic.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/supervise.h>
#include <kernel/random.h>
#include <kernel/rtc.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>
#include <kernel/space.h>
#include <kernel/trace.h>

#define DEBUG_WRITE_MAX 4096

// Writes to the console once each: VFS names a write by its request's id and where its
// bytes stand in the request; a VFS restarted in the middle of a request does it again
// (docs/resurrection.md), and what the console had already shown is not shown twice.
// The last writes of the requests in progress (at most VFS's parked jobs, and one).
#define WRITES_REMEMBERED 128
static struct spinlock writes_lock;
static struct { uint64_t id, end; } writes[WRITES_REMEMBERED];
static unsigned writes_next;

// How many bytes of (id, position, length) the console has shown already.
static size_t shown_already(uint64_t id, uint64_t position, size_t length)
{
	size_t shown = 0;
	spin_lock(&writes_lock);
	unsigned slot = writes_next;
	for (unsigned i = 0; i < WRITES_REMEMBERED; i++) {
		if (writes[i].id != id)
			continue;
		slot = i;
		if (writes[i].end > position)
			shown = writes[i].end - position < length ? writes[i].end - position : length;
	}
	if (slot == writes_next)
		writes_next = (writes_next + 1) % WRITES_REMEMBERED;
	writes[slot].id = id;
	if (writes[slot].end < position + length)
		writes[slot].end = position + length;
	spin_unlock(&writes_lock);
	return shown;
}

// KCALL_DEBUG_WRITE for test programs, KCALL_CONSOLE_WRITE for VFS (with x2 = the
// request's id, 0 for none, and x3 = where the bytes stand in it; its bytes go out as
// they are: VFS's terminal made "\r\n" of "\n" if its settings say so).
static long debug_write(struct trapframe *frame)
{
	char text[256];
	uint64_t from = frame->x[0];
	size_t length = frame->x[1];
	if (length > DEBUG_WRITE_MAX)
		return -EINVAL;
	bool console = frame->x[8] == KCALL_CONSOLE_WRITE && frame->x[2];
	size_t skip = console ? shown_already(frame->x[2], frame->x[3], length) : 0;
	for (size_t done = skip; done < length;) {
		size_t chunk = length - done < sizeof(text) ? length - done : sizeof(text);
		if (copy_from_user(text, from + done, chunk) != 0)
			return -EFAULT;
		(frame->x[8] == KCALL_CONSOLE_WRITE ? console_write_raw : console_write)(text, chunk);
		done += chunk;
	}
	return (long)length;
}

static long debug_exit(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	klog(LOGLEVEL_INFO, "proc %u (%s): exit status %d", proc->pid, proc->name, (int)frame->x[0]);
	supervise_ending(proc, &(struct xinim_death){ .cause = XINIM_DEATH_ENDED,
		.ender = proc->endpoint, .status = (int32_t)frame->x[0] });
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
// PSCI SYSTEM_OFF and SYSTEM_RESET take every CPU with them, so the others are not
// stopped first.
static long power_off(struct trapframe *frame)
{
	uint64_t how = frame->x[0];
	if (how > XINIM_POWER_HALT)
		return -EINVAL;
	console_flush();
	if (how == XINIM_POWER_HALT)
		machine_halt();
	if (how == XINIM_POWER_RESET)
		psci_system_reset();
	else
		psci_system_off();
	return -EOPNOTSUPP;	// no PSCI: the machine stays on
}

// KCALL_MEMORY: the frame pool's counts.
static long memory(struct trapframe *frame)
{
	size_t usable, free;
	frame_pool_counts(&kernel_frames, &usable, &free);
	struct xinim_memory m = { .total_bytes = usable * FRAME_SIZE, .free_bytes = free * FRAME_SIZE,
				  .cpus_present = cpus_present };
	for (unsigned i = 0; i < cpus_present; i++)
		m.cpus_online += cpus[i].online;
	return copy_to_user(frame->x[0], &m, sizeof(m)) ? -EFAULT : 0;
}

// cap 0: any process may make the call. name: for the console when a call is denied,
// held in the row so that a row is 32 bytes (a power of two: the look-up is one shift).
static const struct kcall_row {
	long (*run)(struct trapframe *frame);
	unsigned cap;
	char name[20];
} kcalls[KCALL_COUNT] = {
	[KCALL_DEBUG_WRITE] = { debug_write, KCAP_DEBUG, "debug_write" },
	[KCALL_DEBUG_EXIT] = { debug_exit, KCAP_DEBUG, "debug_exit" },
	[KCALL_DEBUG_CPU] = { debug_cpu, KCAP_DEBUG, "debug_cpu" },
	[KCALL_DEBUG_YIELD] = { debug_yield, KCAP_DEBUG, "debug_yield" },
	[KCALL_DEBUG_SLEEP] = { debug_sleep, KCAP_DEBUG, "debug_sleep" },
	[KCALL_DEBUG_PIN] = { debug_pin, KCAP_DEBUG, "debug_pin" },
	[KCALL_IPC_SELF] = { ipc_kcall_self, 0, "ipc_self" },
	[KCALL_IPC_LOOKUP] = { ipc_kcall_lookup, 0, "ipc_lookup" },
	[KCALL_IPC_CHANNEL] = { ipc_kcall_channel, 0, "ipc_channel" },
	[KCALL_IPC_CALL] = { ipc_kcall_call, 0, "ipc_call" },
	[KCALL_IPC_SEND] = { ipc_kcall_send, 0, "ipc_send" },
	[KCALL_IPC_RECEIVE] = { ipc_kcall_receive, 0, "ipc_receive" },
	[KCALL_IPC_REPLY] = { ipc_kcall_reply, 0, "ipc_reply" },
	[KCALL_IPC_REPLY_RECEIVE] = { ipc_kcall_reply_receive, 0, "ipc_reply_receive" },
	[KCALL_IPC_NOTIFY] = { ipc_kcall_notify, 0, "ipc_notify" },
	[KCALL_IPC_REJECTED] = { ipc_kcall_rejected, 0, "ipc_rejected" },
	[KCALL_TRACE_READ] = { trace_kcall_read, KCAP_TRACE, "trace_read" },
	[KCALL_COPY_TO] = { ipc_kcall_copy_to, KCAP_COPY, "copy_to" },
	[KCALL_COPY_FROM] = { ipc_kcall_copy_from, KCAP_COPY, "copy_from" },
	[KCALL_CONSOLE_WRITE] = { debug_write, KCAP_CONSOLE, "console_write" },
	[KCALL_CONSOLE_READ] = { console_input_kcall, KCAP_CONSOLE, "console_read" },
	[KCALL_BOOT_ARCHIVE] = { bootdata_kcall_archive, KCAP_BOOT, "boot_archive" },
	[KCALL_BOOT_ARGS] = { bootdata_kcall_args, KCAP_BOOT, "boot_args" },
	[KCALL_PROC_NEW] = { proc_kcall_new, KCAP_PROC, "proc_new" },
	[KCALL_PROC_START] = { proc_kcall_start, KCAP_PROC, "proc_start" },
	[KCALL_PROC_EXEC] = { proc_kcall_exec, KCAP_PROC, "proc_exec" },
	[KCALL_PROC_END] = { proc_kcall_end, KCAP_PROC, "proc_end" },
	[KCALL_PROC_DEATH] = { supervise_kcall_death, KCAP_RESTART, "proc_death" },
	[KCALL_PROC_RESTART] = { supervise_kcall_restart, KCAP_RESTART, "proc_restart" },
	[KCALL_KEEP] = { keep_kcall, KCAP_KEEP, "keep" },
	[KCALL_RANDOM] = { random_kcall, KCAP_RANDOM, "random" },
	[KCALL_POWER_OFF] = { power_off, KCAP_POWER, "power_off" },
	[KCALL_MEMORY] = { memory, KCAP_BOOT, "memory" },
	[KCALL_PROC_MADE] = { proc_kcall_made, KCAP_PROC, "proc_made" },
	[KCALL_PROC_SIGNAL] = { signal_kcall, KCAP_PROC, "proc_signal" },
	[KCALL_PROC_STOP] = { signal_kcall_stop, KCAP_PROC, "proc_stop" },
	[KCALL_THREAD_END] = { proc_kcall_thread_end, KCAP_PROC, "thread_end" },
	[KCALL_PROC_ATOMIC] = { proc_kcall_atomic, KCAP_PROC, "proc_atomic" },
	[KCALL_THREAD_SP] = { signal_kcall_thread_sp, KCAP_PROC, "thread_sp" },
	[KCALL_THREAD_CPU] = { proc_kcall_thread_cpu, KCAP_PROC, "thread_cpu" },
	[KCALL_THREAD_AFFINITY] = { proc_kcall_thread_affinity, KCAP_PROC, "thread_affinity" },
	[KCALL_PROC_TIMES] = { cputime_kcall, KCAP_PROC, "proc_times" },
	[KCALL_TIME_BASE] = { rtc_kcall_base, KCAP_BOOT, "time_base" },
	[KCALL_LOG_WRITE] = { klog_kcall_write, KCAP_LOG, "log_write" },
	[KCALL_SYSLOG] = { klog_kcall_syslog, KCAP_LOG, "syslog" },
	[KCALL_SPACE_MAP] = { space_kcall_map, KCAP_SPACE, "space_map" },
	[KCALL_SPACE_UNMAP] = { space_kcall_unmap, KCAP_SPACE, "space_unmap" },
	[KCALL_SPACE_PROTECT] = { space_kcall_protect, KCAP_SPACE, "space_protect" },
	[KCALL_SPACE_WRITE] = { space_kcall_write, KCAP_SPACE, "space_write" },
	[KCALL_SPACE_SHARE] = { space_kcall_share, KCAP_SPACE, "space_share" },
	[KCALL_SPACE_FAULT] = { space_kcall_fault, KCAP_SPACE, "space_fault" },
	[KCALL_SPACE_PRESENT] = { space_kcall_present, KCAP_SPACE, "space_present" },
	[KCALL_DEVICE_INFO] = { device_kcall_info, KCAP_DEVICE, "device_info" },
	[KCALL_DEVICE_MAP] = { device_kcall_map, KCAP_DEVICE, "device_map" },
	[KCALL_DEVICE_IRQ_BIND] = { device_kcall_irq_bind, KCAP_DEVICE, "device_irq_bind" },
	[KCALL_DEVICE_IRQ_ACK] = { device_kcall_irq_ack, KCAP_DEVICE, "device_irq_ack" },
	[KCALL_DMA_ALLOC] = { device_kcall_dma_alloc, KCAP_DEVICE, "dma_alloc" },
	[KCALL_GRANT_MAKE] = { grant_kcall_make, KCAP_GRANT, "grant_make" },
	[KCALL_GRANT_COPY] = { grant_kcall_copy, KCAP_COPY, "grant_copy" },
	[KCALL_GRANT_END] = { grant_kcall_end, KCAP_GRANT, "grant_end" },
};
_Static_assert(sizeof(struct kcall_row) == 32, "a kernel-call row is 32 bytes");

// The process learns of a denial from -EPERM; the person at the console from one line,
// or a program started without a right it needs (a test program as init) would fail in
// silence. One line per process, so that a program retrying in a loop cannot flood it.
// Returns -EPERM, the call's answer.
__attribute__((noinline, cold)) static long kcall_denied(struct proc *proc, uint64_t number)
{
	unsigned missing = kcalls[number].cap & ~proc->caps.kcalls;
	if (__atomic_exchange_n(&proc->kcall_denial_logged, true, __ATOMIC_RELAXED))
		return -EPERM;
	klog(LOGLEVEL_WARNING, "proc %u (%s): kernel call %s (%lu) denied, -EPERM: it lacks the %s right%s "
	     "(later denials are not logged)", proc->pid, proc->name, kcalls[number].name,
	     number, cap_kcall_name(missing & -missing),
	     proc->managed ? ", as every process PM starts does" : "");
	return -EPERM;
}

void kcall_dispatch(struct trapframe *frame)
{
	uint64_t number = frame->x[8];
	if (number >= KCALL_COUNT || !kcalls[number].run)
		frame->x[0] = (uint64_t)-ENOSYS;
	else if (!cap_allows_kcall(&proc_current()->caps, kcalls[number].cap))
		frame->x[0] = (uint64_t)kcall_denied(proc_current(), number);
	else
		frame->x[0] = (uint64_t)kcalls[number].run(frame);
}
