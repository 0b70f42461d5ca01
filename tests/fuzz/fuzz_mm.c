// libFuzzer on MM's handlers (driver.h): each input's process has a space PM began (with
// a program break), released after the input; messages may name any process.
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/syscalls.h>
#include <mm/mm.h>
#include "driver.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name
#define BRK_START UINT64_C(0x400000)

static const uint16_t served[] = {
	N(brk), N(mmap), N(munmap), N(mprotect), N(madvise), N(mremap), N(mlock), N(mlock2),
	N(munlock), N(mlockall), N(munlockall), N(mincore), N(msync), N(shmget), N(shmctl),
	N(shmat), N(shmdt),
};

static const xinim_endpoint_t health = (FUZZ_HEALTH_PID | 1u << XINIM_PID_BITS);

static long exec_message(xinim_endpoint_t server, int32_t type, xinim_endpoint_t target, uint64_t va)
{
	struct xinim_mm_exec exec = { .target = target, .va = va };
	return fuzz_message(server, type, &exec, sizeof(exec));
}

static int begin(xinim_endpoint_t server, xinim_endpoint_t who)
{
	return exec_message(server, XINIM_MM_EXEC_BEGIN, who, 0) ||
	       exec_message(server, XINIM_MM_EXEC_BRK, who, BRK_START);
}

static int setup(xinim_endpoint_t server)
{
	return begin(server, health);
}

static void fresh(xinim_endpoint_t server, xinim_endpoint_t who, xinim_endpoint_t last)
{
	if (last)
		exec_message(server, XINIM_MM_RELEASE, last, 0);
	begin(server, who);
}

// EXEC_WRITE copies from PM's memory: the source points into the fuzz memory instead.
static void sanitize(int32_t type, uint8_t payload[XINIM_PAYLOAD_MAX])
{
	if (type != XINIM_MM_EXEC_WRITE)
		return;
	uint64_t source;
	memcpy(&source, payload + offsetof(struct xinim_mm_exec, source), sizeof(source));
	source = (uintptr_t)fuzz_memory + source % FUZZ_MEMORY_SIZE;
	memcpy(payload + offsetof(struct xinim_mm_exec, source), &source, sizeof(source));
}

// The health process maps a page and unmaps it; its break is where PM put it.
static bool healthy(xinim_endpoint_t server)
{
	bool delivered;
	long at = fuzz_kernel_syscall(server, health, N(mmap),
				      (const uint64_t[6]){ 0, 4096, PROT_READ | PROT_WRITE,
							   MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0 },
				      &delivered);
	long unmapped = fuzz_kernel_syscall(server, health, N(munmap), (const uint64_t[6]){ (uint64_t)at, 4096 },
					    &delivered);
	long brk = fuzz_kernel_syscall(server, health, N(brk), (const uint64_t[6]){ 0 }, &delivered);
	return at > 0 && at % 4096 == 0 && unmapped == 0 && (uint64_t)brk == BRK_START;
}

const struct fuzz_server fuzz_target = {
	.name = "mm", .pid = XINIM_PID_MM, .table = &mm_table, .served = served,
	.served_count = sizeof(served) / sizeof(served[0]), .first_type = XINIM_MSG_MM_FIRST,
	.copies = true,	// shmctl and mincore copy to their caller
	.setup = setup, .fresh = fresh, .sanitize = sanitize, .healthy = healthy,
};
