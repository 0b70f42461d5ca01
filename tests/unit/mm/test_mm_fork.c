// fork's part in MM (XINIM_MM_FORK, servers/mm/fork.c): the child gets the parent's
// regions and break, every page shared read-only on both sides until a write fault
// gives the writer its own copy; a fork done again (MM restarted in the middle) gives
// the same child; bad requests change nothing.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/syscalls.h>
#include "mm_client.h"

static long fork_message(xinim_endpoint_t parent, xinim_endpoint_t child)
{
	struct xinim_mm_fork f = { .parent = parent, .child = child };
	return to_mm(false, XINIM_MM_FORK, &f, sizeof(f));
}

// A child of who: made by PM (a fresh endpoint), its space a fork of who's.
static xinim_endpoint_t forked(void)
{
	xinim_endpoint_t child = fresh_endpoint();
	assert_int_equal(fork_message(who, child), 0);
	return child;
}

// who with a writable mapping of 3 pages, two of them touched, and a read-only one.
static uint64_t parent_with_pages(void)
{
	long rw = mmap_call(0, 3 * PAGE, RW, ANON);
	long ro = mmap_call(0, PAGE, PROT_READ, ANON);
	assert_true(rw > 0 && ro > 0);
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)rw), 0);
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)rw + 2 * PAGE), 0);
	assert_int_equal(fault(true, XINIM_MM_READ, (uint64_t)ro), 0);
	return (uint64_t)rw;
}

static void test_the_child_has_the_parents_regions_and_break(void **state)
{
	(void)state;
	parent_with_pages();
	const struct space *parent = space_of(who);
	xinim_endpoint_t child = forked();
	const struct space *c = space_of(child);
	assert_non_null(c);
	assert_int_equal(c->regions.count, parent->regions.count);
	assert_int_equal(c->brk_base, parent->brk_base);
	assert_int_equal(c->brk, parent->brk);
	for (const struct region *p = regions_next(mm_pool, &parent->regions, 0), *r;
	     p; p = regions_next(mm_pool, &parent->regions, p->end)) {
		r = regions_find(mm_pool, &c->regions, p->start);
		assert_non_null(r);
		assert_int_equal(r->start, p->start);
		assert_int_equal(r->end, p->end);
		assert_int_equal(r->prot, p->prot);
	}
	assert_int_equal(host_pages_of(child), host_pages_of(who));	// every page, none more
}

static void test_pages_are_shared_read_only_until_a_write_fault(void **state)
{
	(void)state;
	uint64_t rw = parent_with_pages();
	xinim_endpoint_t child = forked();
	const struct host_page *in_parent = host_page_at(who, rw), *in_child = host_page_at(child, rw);
	assert_non_null(in_parent);
	assert_non_null(in_child);
	assert_true(in_parent->shared && in_child->shared);
	assert_int_equal(in_parent->prot, PROT_READ);	// the region is RW; the page is not
	assert_int_equal(in_child->prot, PROT_READ);
	xinim_endpoint_t parent = who;
	who = child;	// the child writes: its page becomes its own, the parent's stays shared
	assert_int_equal(fault(true, XINIM_MM_WRITE, rw), 0);
	assert_int_equal(host_page_at(child, rw)->prot, RW);
	assert_false(host_page_at(child, rw)->shared);
	assert_int_equal(host_page_at(parent, rw)->prot, PROT_READ);
	// mprotect keeps a shared page read-only: only its fault makes it writable.
	who = parent;
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, rw, 3 * PAGE, RW), 0);
	assert_int_equal(host_page_at(parent, rw + 2 * PAGE)->prot, PROT_READ);
	// An untouched page is nobody's: the fault gives a fresh one.
	assert_null(host_page_at(child, rw + PAGE));
}

static void test_a_fork_done_again_gives_the_same_child(void **state)
{
	(void)state;
	parent_with_pages();
	xinim_endpoint_t child = forked();
	unsigned pages = host_pages_of(child), count = space_of(child)->regions.count;
	assert_int_equal(fork_message(who, child), 0);	// MM died before its reply
	assert_int_equal(host_pages_of(child), pages);
	assert_int_equal(space_of(child)->regions.count, count);
}

static void test_bad_forks_are_refused(void **state)
{
	(void)state;
	xinim_endpoint_t stranger = fresh_endpoint();
	assert_int_equal(fork_message(stranger, fresh_endpoint()), -ESRCH);	// no such parent
	assert_int_equal(fork_message(who, who), -ESRCH);
	struct xinim_mm_fork f = { .parent = who, .child = fresh_endpoint() };
	assert_int_equal(to_mm(true, XINIM_MM_FORK, &f, sizeof(f)), -EPERM);	// not PM
	assert_null(space_of(f.child));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_the_child_has_the_parents_regions_and_break),
		TEST(test_pages_are_shared_read_only_until_a_write_fault),
		TEST(test_a_fork_done_again_gives_the_same_child),
		TEST(test_bad_forks_are_refused),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
