// Per-CPU save areas for the user FP/SIMD state around the kernel's libsodium calls.
#include <kernel/arch/aarch64/context.h>
#include <kernel/arch/aarch64/fpsimd.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>

static struct cpu_context saved[MAX_CPUS];
static bool inside[MAX_CPUS];

// This CPU's save area, as a bracket opens.
static struct cpu_context *bracket_open(void)
{
	unsigned id = this_cpu()->id;
	if (inside[id])
		panic("fpsimd_kernel_begin: nested");
	inside[id] = true;
	return &saved[id];
}

// This CPU's save area, as the bracket closes (interrupts are masked in the kernel, so
// nothing opens another before the registers are loaded).
static struct cpu_context *bracket_close(void)
{
	unsigned id = this_cpu()->id;
	inside[id] = false;
	return &saved[id];
}

void fpsimd_kernel_begin(void) { fpsimd_save_to(bracket_open()); }

void fpsimd_kernel_end(void) { fpsimd_load_from(bracket_close()); }

void fpsimd_codec_begin(void) { fpsimd_codec_save_to(bracket_open()); }

void fpsimd_codec_end(void) { fpsimd_codec_load_from(bracket_close()); }
