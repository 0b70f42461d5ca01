// The MM test processes' side (mm_client.h): MM's thread, the test's process, and the
// messages they send it.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <libipc/ipc.h>
#include <xinim/ipc/syscalls.h>
#include "mm_client.h"

struct proc mm;
xinim_endpoint_t who;

// A message to MM, from the kernel (for a thread of who: its system call or fault) or
// from the test itself (PM): MM's result.
long to_mm(bool from_kernel, int32_t type, const void *payload, uint16_t length)
{
	struct xinim_msg msg = { .header = { .type = type, .length = length } };
	memcpy(msg.payload, payload, length);
	return from_kernel ? host_ipc_kernel_call(mm.endpoint, who, &msg, CALL_TIMEOUT_US)
			   : ipc_call(mm.endpoint, &msg, CALL_TIMEOUT_US);
}

long exec_message(int32_t type, uint64_t va, uint64_t length, unsigned prot,
			 const void *source)
{
	struct xinim_mm_exec exec = { .target = who, .prot = prot, .va = va, .length = length,
				      .source = ADDR(source) };
	return to_mm(false, type, &exec, sizeof(exec));
}

long fault(bool from_kernel, uint32_t access, uint64_t address)
{
	struct xinim_mm_fault f = { .who = who, .access = access, .address = address };
	return to_mm(from_kernel, XINIM_MM_FAULT, &f, sizeof(f));
}

long mmap_file(uint64_t addr, uint64_t length, uint64_t prot, uint64_t flags,
		      uint64_t fd, uint64_t offset)
{
	return SYSCALL(mm.endpoint, who, mmap, addr, length, prot, flags, fd, offset);
}

long mmap_call(uint64_t addr, uint64_t length, uint64_t prot, uint64_t flags)
{
	return mmap_file(addr, length, prot, flags, (uint64_t)-1, 0);
}

const struct regions *regions(void)
{
	const struct space *s = space_of(who);
	assert_non_null(s);
	return &s->regions;
}

const struct region *nth_region(unsigned i)
{
	const struct region *r = regions_next(mm_pool, regions(), 0);
	while (r && i--)
		r = regions_next(mm_pool, regions(), r->end);
	assert_non_null(r);
	return r;
}

void assert_region(unsigned i, uint64_t start, uint64_t end, unsigned prot)
{
	assert_true(i < regions()->count);
	const struct region *r = nth_region(i);
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
	assert_int_equal(r->prot, prot);
}

int group_setup(void **state)
{
	*state = &mm;
	host_kcalls_reset();
	if (server_setup(&mm, XINIM_PID_MM, &mm_table) != 0 || vvar_made() != 0)
		return -1;	// the clock page, as MM makes it before it serves (main.c)
	host_ipc_register(XINIM_PID_PM);
	return 0;
}

// Each test runs in a new process, whose space PM has just begun with a program break.
int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	return exec_message(XINIM_MM_EXEC_BEGIN, 0, 0, 0, NULL) ||
	       exec_message(XINIM_MM_EXEC_BRK, BRK_START, 0, 0, NULL);
}
