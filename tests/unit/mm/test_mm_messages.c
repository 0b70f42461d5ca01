// MM as a server: its thread serves mm_table; the test is PM (the exec messages) and,
// through host_ipc_kernel_call, the kernel (system calls and page faults). The pages
// MM asks the kernel for land in the hosted kernel's page maps (<libipc/host_kcalls.h>).
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
#include <mm/mm.h>
#include "harness.h"

#define PAGE MM_PAGE
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define BRK_START 0x500123UL

static struct proc mm;
static xinim_endpoint_t who;	// the test's process, a fresh one for each test

// A message to MM, from the kernel (for a thread of who: its system call or fault) or
// from the test itself (PM): MM's result.
static long to_mm(bool from_kernel, int32_t type, const void *payload, uint16_t length)
{
	struct xinim_msg msg = { .header = { .type = type, .length = length } };
	memcpy(msg.payload, payload, length);
	return from_kernel ? host_ipc_kernel_call(mm.endpoint, who, &msg, CALL_TIMEOUT_US)
			   : ipc_call(mm.endpoint, &msg, CALL_TIMEOUT_US);
}

static long exec_message(int32_t type, uint64_t va, uint64_t length, unsigned prot,
			 const void *source)
{
	struct xinim_mm_exec exec = { .target = who, .prot = prot, .va = va, .length = length,
				      .source = ADDR(source) };
	return to_mm(false, type, &exec, sizeof(exec));
}

static long fault(bool from_kernel, uint32_t access, uint64_t address)
{
	struct xinim_mm_fault f = { .who = who, .access = access, .address = address };
	return to_mm(from_kernel, XINIM_MM_FAULT, &f, sizeof(f));
}

static long mmap_file(uint64_t addr, uint64_t length, uint64_t prot, uint64_t flags,
		      uint64_t fd, uint64_t offset)
{
	return SYSCALL(mm.endpoint, who, mmap, addr, length, prot, flags, fd, offset);
}

static long mmap_call(uint64_t addr, uint64_t length, uint64_t prot, uint64_t flags)
{
	return mmap_file(addr, length, prot, flags, (uint64_t)-1, 0);
}

static const struct regions *regions(void)
{
	const struct space *s = space_of(who);
	assert_non_null(s);
	return &s->regions;
}

// The i-th region of the test's process, in address order.
static const struct region *nth_region(unsigned i)
{
	const struct region *r = regions_next(&mm_regions, regions(), 0);
	while (r && i--)
		r = regions_next(&mm_regions, regions(), r->end);
	assert_non_null(r);
	return r;
}

static void assert_region(unsigned i, uint64_t start, uint64_t end, unsigned prot)
{
	assert_true(i < regions()->count);
	const struct region *r = nth_region(i);
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
	assert_int_equal(r->prot, prot);
}

static int group_setup(void **state)
{
	*state = &mm;
	host_kcalls_reset();
	if (server_setup(&mm, XINIM_PID_MM, &mm_table) != 0)
		return -1;
	host_ipc_register(XINIM_PID_PM);
	return 0;
}

// Each test runs in a new process, whose space PM has just begun with a program break.
static int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	return exec_message(XINIM_MM_EXEC_BEGIN, 0, 0, 0, NULL) ||
	       exec_message(XINIM_MM_EXEC_BRK, BRK_START, 0, 0, NULL);
}

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
	// A hint below 64 KiB is only moved.
	long moved = mmap_call(0x1000, PAGE, RW, ANON);
	assert_true(moved >= (long)MM_MIN_ADDR);
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
	uint32_t used = mm_regions.used;	// by the processes of the tests before
	uint64_t at = (uint64_t)mmap_call(0, pages * PAGE, RW, ANON);
	assert_int_equal(alternate_until_refused(at, pages), 65529 / 2);
	assert_int_equal(regions()->count, 65529);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, at + 70000 * PAGE - 2 * PAGE, PAGE,
				 PROT_READ), -ENOMEM);
	assert_int_equal(SYSCALL(mm.endpoint, who, munmap, at, pages * PAGE), 0);
	assert_int_equal(regions()->count, 0);
	assert_int_equal(mm_regions.used, used);	// every record went back to the pool
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
	assert_int_equal(regions_find(&mm_regions, regions(), data + PAGE)->start, data);
	assert_int_equal(regions_find(&mm_regions, regions(), data + PAGE)->end, data + 3 * PAGE);
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

#define TEST(name) cmocka_unit_test_setup(name, fresh_process)

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
		TEST(test_brk_grows_past_4_gib_until_a_mapping),
		TEST(test_a_fault_in_a_region_maps_a_zeroed_page_with_its_prot),
		TEST(test_faults_that_no_region_allows_are_refused),
		TEST(test_exec_write_copies_into_a_region_whatever_its_prot),
		TEST(test_exec_regions_refuse_overlaps_wx_and_writes_outside),
		TEST(test_exec_messages_come_from_pm_only),
		TEST(test_release_forgets_the_space),
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
