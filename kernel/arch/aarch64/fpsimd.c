// Per-CPU save areas for the user FP/SIMD state around the kernel's libsodium calls.
#include <kernel/arch/aarch64/context.h>
#include <kernel/arch/aarch64/fpsimd.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>

static struct cpu_context saved[MAX_CPUS];
static bool inside[MAX_CPUS];

void fpsimd_kernel_begin(void)
{
	unsigned id = this_cpu()->id;
	if (inside[id])
		panic("fpsimd_kernel_begin: nested");
	inside[id] = true;
	fpsimd_save_to(&saved[id]);
}

void fpsimd_kernel_end(void)
{
	unsigned id = this_cpu()->id;
	fpsimd_load_from(&saved[id]);
	inside[id] = false;
}
