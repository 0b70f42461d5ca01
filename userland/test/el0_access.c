// What Linux lets EL0 do without a system call, run unchanged on musl as PID 1: read
// CTR_EL0, DCZID_EL0 and the virtual counter, clean and invalidate caches as
// __builtin___clear_cache does (JITs, libffi), zero a block with DC ZVA, and execute WFI
// (a no-op at EL0) and WFE. Each was a fatal trap once; tests/boot/el0_access.sh reads it.
// And the PMU's event counter 0 (kernel/arch/aarch64/pmu.c): SIGILL, as on Linux, or with
// pmu.user=on (`el0_access pmu`) instructions retired.
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "check.h"

#define READ_SYSREG(name) ({ uint64_t v; __asm__ volatile("mrs %0, " #name : "=r"(v)); v; })

static void cache_ids(void)
{
	uint64_t ctr = READ_SYSREG(ctr_el0);
	check(ctr >> 31 & 1, "CTR_EL0 reads (bit 31 is RES1)");
	check((ctr & 0xf) >= 2 && (ctr >> 16 & 0xf) >= 2, "CTR_EL0 gives cache lines of 16 bytes or more");
}

// A fresh heap buffer: the cache instructions meet pages not yet mapped, a fault MM must
// resolve as a read (cache maintenance sets WnR).
static void clear_cache(void)
{
	size_t size = 3 * 4096;
	char *buffer = malloc(size);
	__builtin___clear_cache(buffer, buffer + size);
	check(buffer != NULL, "__builtin___clear_cache over a fresh heap buffer");
	__asm__ volatile("dc civac, %0" ::"r"(buffer) : "memory");
	check(1, "dc civac");
	free(buffer);
	__builtin___clear_cache((char *)cache_ids, (char *)cache_ids + 64);
	check(1, "__builtin___clear_cache over program text");
}

// A JIT's life: write code into a writable mapping, make it executable, clear the cache,
// call it.
static void jit(void)
{
	static const uint32_t code[] = { 0x52800540, 0xd65f03c0 };	// mov w0, #42; ret
	uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		check(0, "mmap a page for code");
		return;
	}
	memcpy(page, code, sizeof(code));
	int protected = mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0;
	__builtin___clear_cache((char *)page, (char *)page + sizeof(code));
	check(protected && ((int (*)(void))(uintptr_t)page)() == 42,
	      "code written, made executable, cache cleared, called");
	munmap(page, 4096);
}

static void counter(void)
{
	uint64_t frequency = READ_SYSREG(cntfrq_el0);
	uint64_t before = READ_SYSREG(cntvct_el0);
	for (volatile int i = 0; i < 1000; i++)
		;
	uint64_t after = READ_SYSREG(cntvct_el0);
	check(frequency != 0, "CNTFRQ_EL0 reads");
	check(after > before, "CNTVCT_EL0 reads and advances");
}

// DC ZVA zeroes one aligned block of 4 << DCZID_EL0.BS bytes, where DZP says it may.
static void zero_block(void)
{
	uint64_t dczid = READ_SYSREG(dczid_el0);
	if (dczid >> 4 & 1) {
		check(0, "DCZID_EL0.DZP is 0: dc zva allowed");
		return;
	}
	size_t block = (size_t)4 << (dczid & 0xf);
	unsigned char *buffer = aligned_alloc(block, 3 * block);
	memset(buffer, 0xff, 3 * block);
	__asm__ volatile("dc zva, %0" ::"r"(buffer + block) : "memory");
	int zeroed = 1, kept = 1;
	for (size_t i = 0; i < block; i++) {
		zeroed &= buffer[block + i] == 0;
		kept &= buffer[i] == 0xff && buffer[2 * block + i] == 0xff;
	}
	check(zeroed && kept, "dc zva zeroes one block and nothing else");
	free(buffer);
}

static void wait_instructions(void)
{
	__asm__ volatile("wfi");
	check(1, "wfi returns");
	__asm__ volatile("sevl; wfe");
	check(1, "wfe returns");
}

static volatile sig_atomic_t illegal;

// Skips the instruction that trapped.
static void on_sigill(int signal, siginfo_t *info, void *context)
{
	(void)signal, (void)info;
	illegal++;
	((ucontext_t *)context)->uc_mcontext.pc += 4;
}

static uint64_t read_event_counter(void)
{
	uint64_t value = 0;
	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "+r"(value));
	return value;
}

static void event_counter(int allowed)
{
	struct sigaction action = { .sa_sigaction = on_sigill, .sa_flags = SA_SIGINFO };
	sigaction(SIGILL, &action, NULL);
	uint32_t before = (uint32_t)read_event_counter();
	for (volatile int i = 0; i < 1000; i++)
		;
	uint32_t counted = (uint32_t)read_event_counter() - before;
	if (allowed)
		check(!illegal && counted >= 1000 && counted < 1000000,
		      "PMEVCNTR0_EL0 counts the instructions of a loop");
	else
		check(illegal == 2, "PMEVCNTR0_EL0 is SIGILL without pmu.user=on");
	signal(SIGILL, SIG_DFL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "pmu") == 0) {
		event_counter(1);
		printf("el0_access: %d failures\n", failures);
		return failures;
	}
	event_counter(0);
	cache_ids();
	clear_cache();
	jit();
	counter();
	zero_block();
	wait_instructions();
	printf("el0_access: %d failures\n", failures);
	return failures;
}
