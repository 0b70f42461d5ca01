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
#include <kernel/klog.h>
#include <kernel/cpu.h>
#include <kernel/ipc.h>
#include <kernel/spinlock.h>

#define INPUT_RING 4096	// a power of two; bytes beyond it are dropped and counted
#define READ_CHUNK 256	// what one kernel call copies out at most per step

static struct spinlock input_lock;
static uint8_t ring[INPUT_RING];
// Positions in the input since boot: bytes [head, tail) are held. head moves only when
// VFS says it has taken the bytes before it (KCALL_CONSOLE_READ's position), so that a
// VFS that dies before its state says so gets them again: each byte is taken once.
static uint64_t head, tail;
static uint64_t dropped;

// Logged at the 1st, 2nd, 4th... drop: visible without flooding the console.
static void report_dropped(uint64_t n)
{
	if ((n & (n - 1)) == 0)
		klog(LOGLEVEL_WARNING, "console: input ring full, %lu bytes dropped so far", n);
}

static void input_interrupt(unsigned intid)
{
	(void)intid;
	uint64_t daif = irq_save(), lost = 0;
	bool any = false;
	spin_lock(&input_lock);
	pl011_rx_acknowledge();
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
	// A full ring too: VFS's next take lets go of what it took before, and makes room.
	if (any || lost)
		ipc_kernel_notify(XINIM_PID_VFS, XINIM_NOTE_CONSOLE_INPUT);
}

void console_input_init(unsigned intid)
{
	if (!intid)
		return;
	irq_register(intid, input_interrupt);
	pl011_rx_interrupts();
	klog(LOGLEVEL_INFO, "console: input by interrupt %u", intid);
}

// KCALL_CONSOLE_READ (char *here, size_t n, uint64_t position): the bytes from
// position on (n 0: the oldest byte's position); those before it are VFS's now and
// leave the ring. Bytes copied, 0 when none waits; -ERANGE for a position outside the
// ring (before its oldest byte, or past its newest); never waits.
long console_input_kcall(struct trapframe *frame)
{
	uint64_t to = frame->x[0], n = frame->x[1], position = frame->x[2], done = 0;
	uint64_t daif = irq_save();
	spin_lock(&input_lock);
	long err = !n ? (long)head : position < head || position > tail ? -ERANGE : 0;
	if (n && !err)
		head = position;
	spin_unlock(&input_lock);
	irq_restore(daif);
	while (!err && done < n) {
		uint8_t chunk[READ_CHUNK];
		uint32_t take = 0;
		daif = irq_save();
		spin_lock(&input_lock);
		// head may not pass position + done meanwhile: only these calls move it.
		while (position + done + take < tail && take < sizeof(chunk) && done + take < n) {
			chunk[take] = ring[(position + done + take) % INPUT_RING];
			take++;
		}
		spin_unlock(&input_lock);
		irq_restore(daif);
		if (!take)
			break;
		if (copy_to_user(to + done, chunk, take))
			return done ? (long)done : -EFAULT;
		done += take;
	}
	return err ? err : (long)done;
}
