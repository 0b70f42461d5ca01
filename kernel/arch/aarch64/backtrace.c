#include <kernel/arch/aarch64/backtrace.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/ksyms.h>
#include <kernel/sched.h>

#define MAX_DEPTH 32

extern const uint64_t ksyms_count, ksyms_addresses[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];

static const struct ksym_table *kernel_symbols(void)
{
	static struct ksym_table table;
	table = (struct ksym_table){
		.count = ksyms_count,
		.addresses = ksyms_addresses,
		.name_offsets = ksyms_name_offsets,
		.names = ksyms_names,
		.end = (uint64_t)_etext,
	};
	return &table;
}

#define INSTRUCTION 4

void symbol_print(uint64_t addr, bool is_return)
{
	uint64_t back = is_return ? INSTRUCTION : 0, offset;
	const char *name = ksym_lookup(kernel_symbols(), addr - back, &offset);
	if (name)
		kprintf("%s+0x%lx", name, offset + back);
	else
		kprintf("?");
}

static void frame_print(unsigned depth, uint64_t addr)
{
	kprintf("  #%-2u %016lx  ", depth, addr);
	symbol_print(addr, depth > 0);
	kprintf("\n");
}

void backtrace_print(uint64_t pc, uint64_t fp)
{
	struct cpu *cpu = this_cpu();
	unsigned id = cpu ? cpu->id : 0;
	uint64_t low = cpu_stack_base(id), high = cpu_stack_top(id);
	const void *thread_stack = cpu ? sched_current_stack() : NULL;
	if (thread_stack) {
		low = (uint64_t)thread_stack;
		high = low + KSTACK_SIZE;
	}
	kprintf("backtrace:\n");
	frame_print(0, pc);
	for (unsigned depth = 1; depth < MAX_DEPTH && fp; depth++) {
		if (fp < low || fp > high - 16 || (fp & 7)) {
			kprintf("  (frame pointer %016lx is outside the stack)\n", fp);
			return;
		}
		const uint64_t *record = (const uint64_t *)fp;
		if (!record[1])
			return;
		frame_print(depth, record[1]);
		if (record[0] && record[0] <= fp)	// records must climb the stack
			return;
		fp = record[0];
	}
}
