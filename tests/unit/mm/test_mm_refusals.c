// MM as a server (mm_client.h): refusals and limits as Linux 6.1's; a refused call
// changes nothing, neither the regions nor the pages.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/syscalls.h>
#include "mm_client.h"

// As Linux's, the heap has no ceiling of its own: a program whose break moves up by
// 4 MiB a cycle may go on far past 4 GiB, until it meets a mapping.
static void test_brk_grows_past_4_gib_until_a_mapping(void **state)
{
	(void)state;
	const uint64_t base = page_up(BRK_START);
	uint64_t brk = base;
	for (unsigned i = 0; i < 2000; i++) {
		brk += 8 << 20;
		assert_int_equal(SYSCALL(mm.endpoint, who, brk, brk), brk);
		brk -= 4 << 20;
		assert_int_equal(SYSCALL(mm.endpoint, who, brk, brk), brk);
	}
	assert_true(brk > UINT64_C(7) << 30);	// 7.8 GiB
	assert_int_equal(regions()->count, 1);
	uint64_t above = page_up(brk) + 2 * PAGE;
	assert_int_equal(mmap_call(above, PAGE, RW, ANON | MAP_FIXED), (long)above);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, above), brk);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, above - PAGE), above - PAGE);
}

// As Linux: mmap ignores prot bits it does not know; mprotect takes PROT_SEM, refuses the
// others, and checks in do_mprotect_pkey's order.
static void test_prot_bits_beyond_rwx_as_linux(void **state)
{
	(void)state;
	uint64_t at = (uint64_t)mmap_call(0, 2 * PAGE, RW | 0x100, ANON);
	assert_region(0, at, at + 2 * PAGE, RW);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at, PAGE, PROT_READ | 0x8), 0);
	assert_region(0, at, at + PAGE, PROT_READ);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at, PAGE, RW | 0x100), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at, PAGE, RW | PROT_GROWSDOWN),
			 -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at, 0, RW | 0x100), 0);	// nothing to do
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at, (uint64_t)-PAGE, PROT_READ),
			 -ENOMEM);	// wraps
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, at, (uint64_t)-PAGE, MADV_DONTNEED),
			 -EINVAL);	// wraps
	assert_region(0, at, at + PAGE, PROT_READ);
	assert_int_equal(regions()->count, 2);
}

// One answer for a process MM does not manage, whatever the call: -ENOMEM.
static void test_every_memory_call_refuses_an_unmanaged_caller_alike(void **state)
{
	(void)state;
	who = xinim_endpoint(XINIM_PID_MASK, 1);	// MM never met it
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, 0), -ENOMEM);
	assert_int_equal(mmap_call(0, PAGE, RW, ANON), -ENOMEM);
	assert_int_equal(SYSCALL(mm.endpoint, who, munmap, MMAP_BOTTOM, PAGE), -ENOMEM);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, MMAP_BOTTOM, PAGE, PROT_READ), -ENOMEM);
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, MMAP_BOTTOM, PAGE, MADV_DONTNEED),
			 -ENOMEM);
}

static void test_madvise_refuses_advice_linux_does_not_know(void **state)
{
	(void)state;
	uint64_t at = (uint64_t)mmap_call(0, PAGE, RW, ANON);
	assert_int_equal(fault(true, XINIM_MM_WRITE, at), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, at, PAGE, 12345), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, at, PAGE, 5), -EINVAL);	// a hole
	assert_non_null(host_page_at(who, at));
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, at, PAGE, MADV_WILLNEED), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, at, PAGE, MADV_COLD), 0);
	assert_non_null(host_page_at(who, at));
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, at, PAGE, MADV_DONTNEED), 0);
	assert_null(host_page_at(who, at));
}

// A refused MAP_FIXED mmap below 64 KiB must not have dropped what lay in its range.
static void test_a_fixed_mmap_at_0_is_eperm_and_unmaps_nothing(void **state)
{
	(void)state;
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 0x400000, PAGE, RX, NULL), 0);
	assert_int_equal(fault(true, XINIM_MM_READ, 0x400000), 0);
	assert_int_equal(mmap_call(0, 64 << 20, RW, ANON | MAP_FIXED), -EPERM);
	assert_int_equal(regions()->count, 1);
	assert_region(0, 0x400000, 0x400000 + PAGE, RX);
	assert_non_null(host_page_at(who, 0x400000));
	// A hint below 64 KiB is only moved; one above it that is free is taken, as Linux.
	long moved = mmap_call(0x1000, PAGE, RW, ANON);
	assert_true(moved >= (long)MM_MIN_ADDR);
	assert_int_equal(mmap_call(MM_MIN_ADDR, PAGE, RW, ANON), MM_MIN_ADDR);
	assert_int_equal(mmap_call(0x10000000, PAGE, RW, ANON), 0x10000000);
	// Nor does a program's segment go there.
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, MM_MIN_ADDR - PAGE, 2 * PAGE, RX, NULL),
			 -EPERM);
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 2 * MM_MIN_ADDR, PAGE, RX, NULL), 0);
}

// Alternate protections on one mapping of pages pages, from its second page on, until
// MM refuses; the calls that succeeded.
static unsigned alternate_until_refused(uint64_t at, uint64_t pages)
{
	unsigned calls = 0;
	for (uint64_t page = 1; page + 1 < pages; page += 2, calls++)
		if (SYSCALL(mm.endpoint, who, mprotect, at + page * PAGE, PAGE, PROT_READ) != 0)
			break;
	return calls;
}

// Linux's vm.max_map_count: 65,530 regions, not 64.
static void test_alternate_mprotects_reach_65530_regions(void **state)
{
	(void)state;
	const uint64_t pages = 70000;
	uint32_t used = mm_pool->used;	// by the processes of the tests before
	uint64_t at = (uint64_t)mmap_call(0, pages * PAGE, RW, ANON);
	assert_int_equal(alternate_until_refused(at, pages), 65529 / 2);
	assert_int_equal(regions()->count, 65529);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at + 70000 * PAGE - 2 * PAGE, PAGE,
				 PROT_READ), -ENOMEM);
	assert_int_equal(SYSCALL(mm.endpoint, who, munmap, at, pages * PAGE), 0);
	assert_int_equal(regions()->count, 0);
	assert_int_equal(mm_pool->used, used);	// every record went back to the pool
}

// With the table full, a MAP_FIXED mmap that would split a region fails and leaves both
// the regions and the pages there as they were.
static void test_a_fixed_mmap_that_does_not_fit_changes_nothing(void **state)
{
	(void)state;
	const uint64_t pages = 70000;
	const uint64_t data = MMAP_BOTTOM + 16 * PAGE;	// apart from the big mapping
	assert_int_equal(mmap_call(data, 3 * PAGE, RW, ANON), (long)data);
	assert_int_equal(fault(true, XINIM_MM_WRITE, data + PAGE), 0);
	uint64_t at = (uint64_t)mmap_call(0, pages * PAGE, RW, ANON);
	alternate_until_refused(at, pages);
	uint32_t count = regions()->count;
	assert_true(count >= 65529);
	assert_int_equal(mmap_call(data + PAGE, PAGE, PROT_READ, ANON | MAP_FIXED), -ENOMEM);
	assert_int_equal(regions()->count, count);
	assert_int_equal(regions_find(mm_pool, regions(), data + PAGE)->start, data);
	assert_int_equal(regions_find(mm_pool, regions(), data + PAGE)->end, data + 3 * PAGE);
	assert_non_null(host_page_at(who, data + PAGE));
	assert_int_equal(host_page_at(who, data + PAGE)->prot, RW);
	// One that replaces whole regions needs no room, and drops the pages it replaces.
	assert_int_equal(mmap_call(data, 3 * PAGE, PROT_READ, ANON | MAP_FIXED), (long)data);
	assert_null(host_page_at(who, data + PAGE));
	assert_int_equal(SYSCALL(mm.endpoint, who, munmap, at, pages * PAGE), 0);
}

// Growing and shrinking the break, touching the new page each time, without end.
static void test_brk_cycles_without_end(void **state)
{
	(void)state;
	const uint64_t base = page_up(BRK_START);
	for (unsigned i = 0; i < 2000; i++) {
		assert_int_equal(SYSCALL(mm.endpoint, who, brk, base + 16 * PAGE), base + 16 * PAGE);
		assert_int_equal(fault(true, XINIM_MM_WRITE, base + PAGE + i), 0);
		assert_int_equal(SYSCALL(mm.endpoint, who, brk, base), base);
	}
	assert_int_equal(regions()->count, 0);
	assert_int_equal(host_pages_of(who), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_brk_grows_past_4_gib_until_a_mapping),
		TEST(test_every_memory_call_refuses_an_unmanaged_caller_alike),
		TEST(test_prot_bits_beyond_rwx_as_linux),
		TEST(test_madvise_refuses_advice_linux_does_not_know),
		TEST(test_a_fixed_mmap_at_0_is_eperm_and_unmaps_nothing),
		TEST(test_alternate_mprotects_reach_65530_regions),
		TEST(test_a_fixed_mmap_that_does_not_fit_changes_nothing),
		TEST(test_brk_cycles_without_end),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
