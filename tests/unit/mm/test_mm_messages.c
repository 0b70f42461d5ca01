// MM as a server (mm_client.h): its messages and system calls, each doing its job.
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

static void test_mmap_places_anonymous_mappings_top_down_without_pages(void **state)
{
	(void)state;
	long first = mmap_call(0, 5000, RW, ANON);
	long second = mmap_call(0, PAGE, PROT_READ, ANON);
	assert_int_equal(first, MMAP_TOP - 2 * PAGE);	// 5000 bytes take two pages
	assert_int_equal(second, first - PAGE);
	assert_int_equal(regions()->count, 2);
	assert_region(0, second, first, PROT_READ);
	assert_region(1, first, MMAP_TOP, RW);
	assert_int_equal(host_pages_of(who), 0);	// pages come at the first touch
}

static void test_mmap_takes_a_free_hint_and_fixed_replaces(void **state)
{
	(void)state;
	const uint64_t hint = MMAP_BOTTOM + 16 * PAGE;
	assert_int_equal(mmap_call(hint, PAGE, RW, ANON), hint);
	assert_int_equal(mmap_call(hint, PAGE, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	assert_int_equal(mmap_call(hint, PAGE, PROT_READ, ANON | MAP_FIXED), hint);
	assert_int_equal(regions()->count, 1);
	assert_region(0, hint, hint + PAGE, PROT_READ);
	// A hint that is taken is only a hint: the mapping goes elsewhere.
	long elsewhere = mmap_call(hint, PAGE, RW, ANON);
	assert_true(elsewhere > 0 && (uint64_t)elsewhere != hint);
}

static void test_mmap_refuses_bad_arguments_and_changes_nothing(void **state)
{
	(void)state;
	static const struct {
		uint64_t addr, length, prot, flags, fd, offset;
		long expected;
	} cases[] = {
		{ 0, 0, RW, ANON, -1, 0, -EINVAL },			// nothing to map
		{ 0, (uint64_t)-100, RW, ANON, -1, 0, -ENOMEM },	// wraps when rounded up
		{ 0, UINT64_C(1) << 48, RW, ANON, -1, 0, -ENOMEM },	// more than user space
		{ 0, PAGE, RW, MAP_ANONYMOUS, -1, 0, -EINVAL },		// neither private nor shared
		{ 0, PAGE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0, -EINVAL },	// Linux 6.1
							// takes it only for files (do_mmap)
		{ 0, PAGE, RW, ANON, -1, 100, -EINVAL },		// an unaligned offset
		{ MMAP_BOTTOM + 1, PAGE, RW, ANON | MAP_FIXED, -1, 0, -EINVAL },	// unaligned
		{ 0, PAGE, RW, ANON | MAP_FIXED, -1, 0, -EPERM },	// below 64 KiB
		{ 0x1000, PAGE, RW, ANON | MAP_FIXED, -1, 0, -EPERM },
		{ MM_MIN_ADDR - PAGE, 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0, -EPERM },
		{ 0xffff000000000000, PAGE, RW, ANON | MAP_FIXED, -1, 0, -ENOMEM },	// the kernel's
		{ XINIM_USER_TOP - PAGE, 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0, -ENOMEM },
		{ XINIM_USER_TOP, PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0, -ENOMEM },
		{ 0, PAGE, PROT_WRITE | PROT_EXEC, ANON, -1, 0, -EACCES },	// W^X
		{ 0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0, -EBADF },	// a file mapping of no fd
		{ 0, PAGE, PROT_READ, MAP_PRIVATE, -1, 100, -EINVAL },	// the offset comes first
		{ 0, PAGE, PROT_READ, MAP_PRIVATE, 3, 0, -ENODEV },	// a file mapping
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(mmap_file(cases[i].addr, cases[i].length, cases[i].prot,
					   cases[i].flags, cases[i].fd, cases[i].offset),
				 cases[i].expected);
	assert_int_equal(regions()->count, 0);
}

static void test_munmap_in_the_middle_splits_the_mapping_and_drops_its_pages(void **state)
{
	(void)state;
	long at = mmap_call(0, 3 * PAGE, RW, ANON);
	for (uint64_t page = 0; page < 3; page++)
		assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)at + page * PAGE + 8), 0);
	assert_int_equal(host_pages_of(who), 3);

	assert_int_equal(SYSCALL(mm.endpoint, who, munmap, (uint64_t)at + PAGE, PAGE), 0);
	assert_int_equal(regions()->count, 2);
	assert_region(0, (uint64_t)at, (uint64_t)at + PAGE, RW);
	assert_region(1, (uint64_t)at + 2 * PAGE, (uint64_t)at + 3 * PAGE, RW);
	assert_null(host_page_at(who, (uint64_t)at + PAGE));
	assert_non_null(host_page_at(who, (uint64_t)at));
	assert_non_null(host_page_at(who, (uint64_t)at + 2 * PAGE));
	// The hole is no longer the program's: touching it is a fault MM refuses.
	assert_int_equal(fault(true, XINIM_MM_READ, (uint64_t)at + PAGE), -EFAULT);

	assert_int_equal(SYSCALL(mm.endpoint, who, munmap, (uint64_t)at + 1, PAGE), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, munmap, (uint64_t)at, 0), -EINVAL);
	assert_int_equal(regions()->count, 2);
}

static void test_mprotect_of_one_page_splits_and_reprotects_its_mapped_page(void **state)
{
	(void)state;
	uint64_t at = (uint64_t)mmap_call(0, 3 * PAGE, RW, ANON);
	assert_int_equal(fault(true, XINIM_MM_WRITE, at + PAGE), 0);
	assert_int_equal(host_page_at(who, at + PAGE)->prot, RW);

	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at + PAGE, PAGE, PROT_READ), 0);
	assert_int_equal(regions()->count, 3);
	assert_region(1, at + PAGE, at + 2 * PAGE, PROT_READ);
	assert_int_equal(host_page_at(who, at + PAGE)->prot, PROT_READ);
	assert_int_equal(fault(true, XINIM_MM_WRITE, at + PAGE), -EFAULT);
	assert_int_equal(fault(true, XINIM_MM_READ, at + PAGE), 0);

	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at, PAGE, PROT_WRITE | PROT_EXEC),
			 -EACCES);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at + 1, PAGE, PROT_READ), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at, 4 * PAGE, PROT_READ), -ENOMEM);
	assert_int_equal(regions()->count, 3);
	assert_region(0, at, at + PAGE, RW);
}

static void test_brk_grows_and_shrinks_above_its_start_only(void **state)
{
	(void)state;
	const uint64_t base = page_up(BRK_START);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, 0), base);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, base + 2 * PAGE + 0x800), base + 2 * PAGE + 0x800);
	assert_int_equal(regions()->count, 1);
	assert_region(0, base, base + 3 * PAGE, RW);

	assert_int_equal(SYSCALL(mm.endpoint, who, brk, base - 1), base + 2 * PAGE + 0x800);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, XINIM_USER_TOP), base + 2 * PAGE + 0x800);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, base + PAGE), base + PAGE);
	assert_region(0, base, base + PAGE, RW);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, base), base);
	assert_int_equal(regions()->count, 0);
}

static void test_brk_stops_at_a_region_in_its_way(void **state)
{
	(void)state;
	const uint64_t base = page_up(BRK_START);
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, base + 2 * PAGE, PAGE, PROT_READ, NULL),
			 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, base + PAGE), base + PAGE);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, base + 3 * PAGE), base + PAGE);
	assert_int_equal(regions()->count, 2);
	// As Linux, a page stays free below what lies above.
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, base + 2 * PAGE), base + PAGE);
}

static void test_a_fault_in_a_region_maps_a_zeroed_page_with_its_prot(void **state)
{
	(void)state;
	uint64_t at = (uint64_t)mmap_call(0, 2 * PAGE, PROT_READ, ANON);
	assert_int_equal(fault(true, XINIM_MM_READ, at + PAGE + 123), 0);
	const struct host_page *page = host_page_at(who, at + PAGE);
	assert_non_null(page);
	assert_int_equal(page->va, at + PAGE);
	assert_int_equal(page->prot, PROT_READ);
	static const uint8_t zeros[HOST_PAGE_SIZE];
	assert_memory_equal(page->bytes, zeros, sizeof(zeros));
	assert_int_equal(host_pages_of(who), 1);
}

static void test_faults_that_no_region_allows_are_refused(void **state)
{
	(void)state;
	uint64_t at = (uint64_t)mmap_call(0, PAGE, RW, ANON);
	assert_int_equal(fault(true, XINIM_MM_READ, at - 1), -EFAULT);	// below the mapping
	assert_int_equal(fault(true, XINIM_MM_EXEC, at), -EFAULT);	// not executable
	assert_int_equal(fault(true, 0, at), -EFAULT);			// no such access
	assert_int_equal(fault(false, XINIM_MM_READ, at), -EPERM);	// not from the kernel
	assert_int_equal(host_pages_of(who), 0);
	who = xinim_endpoint(XINIM_PID_MASK, 1);			// MM never met it
	assert_int_equal(fault(true, XINIM_MM_READ, at), -EFAULT);
}

static void test_exec_write_copies_into_a_region_whatever_its_prot(void **state)
{
	(void)state;
	static const char code[] = "\x1f\x20\x03\xd5 not really code";
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 0x400000, 0x1800, RX, NULL), 0);
	assert_region(0, 0x400000, 0x402000, RX);
	assert_int_equal(exec_message(XINIM_MM_EXEC_WRITE, 0x400ffc, sizeof(code), 0, code), 0);
	const struct host_page *first = host_page_at(who, 0x400000);
	const struct host_page *second = host_page_at(who, 0x401000);
	assert_non_null(first);
	assert_non_null(second);
	assert_memory_equal(first->bytes + 0xffc, code, 4);	// across the page boundary
	assert_memory_equal(second->bytes, code + 4, sizeof(code) - 4);
	assert_int_equal(first->prot, RX);	// writable only while MM copied
	assert_int_equal(second->prot, RX);
}

static void test_exec_regions_refuse_overlaps_wx_and_writes_outside(void **state)
{
	(void)state;
	static const char byte = 1;
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 0x400000, 0x2000, RX, NULL), 0);
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 0x401000, 0x2000, RW, NULL), -EINVAL);
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 0x410000, PAGE,
				      PROT_WRITE | PROT_EXEC, NULL), -EACCES);
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 0x410000, 0, PROT_READ, NULL), -EINVAL);
	assert_int_equal(exec_message(XINIM_MM_EXEC_WRITE, 0x402000, 1, 0, &byte), -EFAULT);
	assert_int_equal(exec_message(XINIM_MM_EXEC_WRITE, 0x401fff, 2, 0, &byte), -EFAULT);
	assert_int_equal(regions()->count, 1);
	assert_int_equal(host_pages_of(who), 0);
}

// Another process tries PM's messages.
static void test_exec_messages_come_from_pm_only(void **state)
{
	(void)state;
	struct proc impostor;
	struct call c = { .dest = mm.endpoint, .type = XINIM_MM_EXEC_BEGIN,
			  .length = sizeof(struct xinim_mm_exec), .value = who };
	proc_start(&impostor, CLIENT, caller, &c);
	proc_join(&impostor);
	assert_int_equal(c.result, -EPERM);
	assert_non_null(space_of(who));
}

static void test_release_forgets_the_space(void **state)
{
	(void)state;
	assert_true(mmap_call(0, PAGE, RW, ANON) > 0);
	assert_int_equal(exec_message(XINIM_MM_RELEASE, 0, 0, 0, NULL), 0);
	assert_null(space_of(who));
	assert_int_equal(mmap_call(0, PAGE, RW, ANON), -ENOMEM);
	assert_int_equal(exec_message(XINIM_MM_EXEC_REGION, 0x400000, PAGE, RX, NULL), -ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_mmap_places_anonymous_mappings_top_down_without_pages),
		TEST(test_mmap_takes_a_free_hint_and_fixed_replaces),
		TEST(test_mmap_refuses_bad_arguments_and_changes_nothing),
		TEST(test_munmap_in_the_middle_splits_the_mapping_and_drops_its_pages),
		TEST(test_mprotect_of_one_page_splits_and_reprotects_its_mapped_page),
		TEST(test_brk_grows_and_shrinks_above_its_start_only),
		TEST(test_brk_stops_at_a_region_in_its_way),
		TEST(test_a_fault_in_a_region_maps_a_zeroed_page_with_its_prot),
		TEST(test_faults_that_no_region_allows_are_refused),
		TEST(test_exec_write_copies_into_a_region_whatever_its_prot),
		TEST(test_exec_regions_refuse_overlaps_wx_and_writes_outside),
		TEST(test_exec_messages_come_from_pm_only),
		TEST(test_release_forgets_the_space),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
