// The first CPU to panic reports and stops the others with IPI_STOP; a CPU that panics
// while another is reporting only halts itself. Interrupts stay masked throughout.
#include <stdarg.h>
#include <kernel/arch/aarch64/backtrace.h>
#include <kernel/arch/aarch64/esr.h>
#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/irq.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cpu.h>
#include <xinim/format.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>

#define STOP_WAIT_SECONDS 1

static unsigned panicking;
static unsigned halted;

// The tick is stopped too: its pending interrupt would wake wfi at once, for ever.
static noreturn void halt_self(void)
{
	irq_disable();
	sysreg_write(cntv_ctl_el0, 0);
	isb();
	for (;;)
		wfi();
}

static noreturn void halt_counted(void)
{
	__atomic_fetch_add(&halted, 1, __ATOMIC_RELEASE);
	cpu_send_event();
	halt_self();
}

static void stop_handler(unsigned intid)
{
	(void)intid;
	halt_counted();
}

bool panic_running(void)
{
	return __atomic_load_n(&panicking, __ATOMIC_ACQUIRE);
}

void panic_init(void)
{
	irq_register(IPI_STOP, stop_handler);
}

// Claims the report for this CPU; a second panicking CPU only halts (with interrupts
// masked it cannot take IPI_STOP, so it counts itself).
static unsigned panic_begin(void)
{
	irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
		halt_counted();
	console_seize();
	struct cpu *cpu = this_cpu();
	return cpu ? cpu->id : 0;
}

// Sends IPI_STOP to every other CPU online and waits a while for them; *others gets
// how many were sent it. Returns how many halted.
static unsigned stop_others(unsigned self, unsigned *others)
{
	*others = 0;
	for (unsigned i = 0; i < cpus_present; i++) {
		if (i != self && cpus[i].online) {
			gic_send_sgi(IPI_STOP, i);
			(*others)++;
		}
	}
	uint64_t deadline = counter_now() + STOP_WAIT_SECONDS * counter_frequency();
	while (__atomic_load_n(&halted, __ATOMIC_ACQUIRE) < *others && counter_now() < deadline)
		wfe();
	return __atomic_load_n(&halted, __ATOMIC_ACQUIRE);
}

void machine_halt(void)
{
	irq_disable();
	struct cpu *cpu = this_cpu();
	unsigned others;
	stop_others(cpu ? cpu->id : 0, &others);
	halt_self();
}

static noreturn void panic_end(unsigned self)
{
	unsigned others;
	unsigned stopped = stop_others(self, &others);
	if (stopped == others)
		klog(LOGLEVEL_EMERG, "panic: all %u cpus halted", others + 1);
	else
		klog(LOGLEVEL_EMERG, "panic: %u of %u other cpus halted; the rest did not answer", stopped, others);
	// The last line: someone new to QEMU's console is left facing a machine that answers
	// nothing, and the key that leaves is not obvious.
	kprintf("The machine is stopped. To leave QEMU, type Ctrl-A X.\n");
	halt_self();
}

void panic(const char *fmt, ...)
{
	unsigned self = panic_begin();
	char message[160];
	va_list args;
	va_start(args, fmt);
	kvsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	kprintf("\n");
	klog(LOGLEVEL_EMERG, "panic: cpu %u: %s", self, message);
	// Start at the call of panic, in the caller's frame.
	const uint64_t *frame = __builtin_frame_address(0);
	backtrace_print(frame[1] - 4, frame[0]);
	panic_end(self);
}

static void registers_print(const struct trapframe *frame)
{
	kprintf("  esr %016lx  elr %016lx  far %016lx  spsr %016lx\n", frame->esr, frame->elr,
		frame->far, frame->spsr);
	kprintf("  pc  ");
	symbol_print(frame->elr, false);
	kprintf("\n  lr  ");
	symbol_print(frame->x[30], true);
	kprintf("\n");
	for (unsigned i = 0; i < 31; i++)
		kprintf("  x%-2u %016lx%s", i, frame->x[i], i % 4 == 3 ? "\n" : "");
	kprintf("  sp  %016lx\n", frame->sp);
}

void panic_trap(const struct trapframe *frame, const char *what)
{
	unsigned self = panic_begin();
	int level;
	const char *fault = esr_fault_name(frame->esr, &level);
	const char *access = esr_access(frame->esr);
	kprintf("\n");
	klog(LOGLEVEL_EMERG, "panic: cpu %u: %s: %s", self, what, esr_class_name(frame->esr));
	if (fault && level >= 0)
		kprintf("  %s, %s at level %d\n", access ? access : "fetch", fault, level);
	else if (fault)
		kprintf("  %s, %s\n", access ? access : "fetch", fault);
	registers_print(frame);
	backtrace_print(frame->elr, frame->x[29]);
	panic_end(self);
}
