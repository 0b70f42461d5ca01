// Console input: the PL011's receive interrupt drains its FIFO into a ring here and
// notifies VFS (XINIM_NOTE_CONSOLE_INPUT), which takes the bytes with KCALL_CONSOLE_READ
// and runs its line discipline over them (docs/console.md). No polling anywhere: without
// the interrupt (a machine whose DTB names none) the console has no input.
//
// Locking: input_lock guards the ring; it is taken from the interrupt handler and from
// the kernel call, so always with interrupts masked (irq_save).
#include <errno.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>
#include <kernel/arch/aarch64/irq.h>
#include <kernel/arch/aarch64/pl011.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/ipc.h>
#include <kernel/spinlock.h>

#define INPUT_RING 4096	// a power of two; bytes beyond it are dropped and counted
#define READ_CHUNK 256	// what one kernel call copies out at most per step

static struct spinlock input_lock;
static uint8_t ring[INPUT_RING];
static uint32_t head, tail;	// free-running: tail - head bytes wait
static uint64_t dropped;

// Logged at the 1st, 2nd, 4th... drop: visible without flooding the console.
static void report_dropped(uint64_t n)
{
	if ((n & (n - 1)) == 0)
		klog("console: input ring full, %lu bytes dropped so far", n);
}

static void input_interrupt(unsigned intid)
{
	(void)intid;
	uint64_t daif = irq_save(), lost = 0;
	bool any = false;
	spin_lock(&input_lock);
	for (int c; (c = pl011_getc()) >= 0;) {
		if (tail - head == INPUT_RING) {
			lost = ++dropped;
			continue;
		}
		ring[tail++ % INPUT_RING] = (uint8_t)c;
		any = true;
	}
	spin_unlock(&input_lock);
	irq_restore(daif);
	if (lost)
		report_dropped(lost);
	// By PID: a restarted VFS is told too (a VFS that is down drains the ring at start).
	if (any)
		ipc_kernel_notify(XINIM_PID_VFS, XINIM_NOTE_CONSOLE_INPUT);
}

void console_input_init(unsigned intid)
{
	if (!intid)
		return;
	irq_register(intid, input_interrupt);
	pl011_rx_interrupts();
	klog("console: input by interrupt %u", intid);
}

// KCALL_CONSOLE_READ (char *here, size_t n) -> bytes taken from the ring, 0 if it is
// empty; never waits. Bytes taken are gone: a copy that faults loses none (they are
// copied out before they leave the ring).
long console_input_kcall(struct trapframe *frame)
{
	uint64_t to = frame->x[0], n = frame->x[1], done = 0;
	while (done < n) {
		uint8_t chunk[READ_CHUNK];
		uint64_t daif = irq_save();
		spin_lock(&input_lock);
		uint32_t waiting = tail - head, take = 0;
		while (take < waiting && take < sizeof(chunk) && done + take < n) {
			chunk[take] = ring[(head + take) % INPUT_RING];
			take++;
		}
		spin_unlock(&input_lock);
		irq_restore(daif);
		if (!take || copy_to_user(to + done, chunk, take))
			return done ? (long)done : take ? -EFAULT : 0;
		daif = irq_save();
		spin_lock(&input_lock);
		head += take;	// only this call moves head, and VFS makes it one at a time
		spin_unlock(&input_lock);
		irq_restore(daif);
		done += take;
	}
	return (long)done;
}
