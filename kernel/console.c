// The console lock is owned by a CPU, so that a panic on the CPU that holds it (or that
// seizes it from a stuck one) can still print. Interrupts are masked while it is held.
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/pl011.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <xinim/format.h>
#include <kernel/spinlock.h>

#define NO_OWNER (~0u)

static struct spinlock console_lock;
static unsigned console_owner = NO_OWNER;

void console_init(uint64_t uart_phys)
{
	pl011_init(mmio_map(uart_phys, PAGE_SIZE));
}

static void uart_sink(char c, void *context)
{
	(void)context;
	if (c == '\n')
		pl011_putc('\r');
	pl011_putc(c);
}

static unsigned cpu_id(void)
{
	struct cpu *cpu = this_cpu();
	return cpu ? cpu->id : 0;
}

// Returns whether this call took the lock (false when this CPU already owns it).
static bool console_enter(uint64_t *daif)
{
	*daif = irq_save();
	unsigned me = cpu_id();
	if (__atomic_load_n(&console_owner, __ATOMIC_ACQUIRE) == me)
		return false;
	spin_lock(&console_lock);
	__atomic_store_n(&console_owner, me, __ATOMIC_RELEASE);
	return true;
}

static void console_leave(bool took, uint64_t daif)
{
	if (took) {
		__atomic_store_n(&console_owner, NO_OWNER, __ATOMIC_RELEASE);
		spin_unlock(&console_lock);
	}
	irq_restore(daif);
}

void console_flush(void)
{
	uint64_t daif;
	bool took = console_enter(&daif);
	pl011_flush();
	console_leave(took, daif);
}

void console_seize(void)
{
	__atomic_store_n(&console_owner, cpu_id(), __ATOMIC_RELEASE);
}

void counter_to_time(uint64_t ticks, uint64_t *seconds, uint64_t *micros)
{
	uint64_t hz = counter_frequency();
	*seconds = ticks / hz;
	*micros = (ticks % hz) * 1000000 / hz;
}

void console_write(const char *text, size_t length)
{
	uint64_t daif;
	bool took = console_enter(&daif);
	while (length--)
		uart_sink(*text++, 0);
	console_leave(took, daif);
}

void console_write_raw(const char *text, size_t length)
{
	uint64_t daif;
	bool took = console_enter(&daif);
	while (length--)
		pl011_putc(*text++);
	console_leave(took, daif);
}

void kprintf(const char *fmt, ...)
{
	uint64_t daif;
	bool took = console_enter(&daif);
	va_list args;
	va_start(args, fmt);
	format(uart_sink, 0, fmt, args);
	va_end(args);
	console_leave(took, daif);
}
