// Kernel calls, dispatched by a table: number -> (handler, capability it needs).
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/boottable.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/kcall.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>

#define DEBUG_WRITE_MAX 4096

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
	sleep_until(counter_now() + us * counter_frequency() / 1000000);
	return 0;
}

static const struct {
	long (*run)(struct trapframe *frame);
	unsigned cap;
} kcalls[KCALL_COUNT] = {
	[KCALL_DEBUG_WRITE] = { debug_write, KCAP_DEBUG },
	[KCALL_DEBUG_EXIT] = { debug_exit, KCAP_DEBUG },
	[KCALL_DEBUG_CPU] = { debug_cpu, KCAP_DEBUG },
	[KCALL_DEBUG_YIELD] = { debug_yield, KCAP_DEBUG },
	[KCALL_DEBUG_SLEEP] = { debug_sleep, KCAP_DEBUG },
};

void kcall_dispatch(struct trapframe *frame)
{
	uint64_t number = frame->x[8];
	if (number >= KCALL_COUNT || !kcalls[number].run)
		frame->x[0] = (uint64_t)-ENOSYS;
	else if (!(proc_current()->caps & kcalls[number].cap))
		frame->x[0] = (uint64_t)-EPERM;
	else
		frame->x[0] = (uint64_t)kcalls[number].run(frame);
}
