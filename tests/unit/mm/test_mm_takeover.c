// A restarted MM's take-over (mm_state_take): a kept state built by MM's handlers, then
// corrupted; a space that does not check out is dropped, the rest is kept and serves on,
// and the pool's free records are none of a kept space's.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/syscalls.h>
#include "mm_client.h"

#define BASE MMAP_BOTTOM
#define REGIONS_SEEN 8

static struct mm_state kept;	// the kept memory the tests corrupt
// a has three regions (RW, R, RW) from BASE, b two (R, RW) from BASE, c one page.
static xinim_endpoint_t a, b, c;

struct seen {
	unsigned count;
	struct region r[REGIONS_SEEN];	// start, end, prot
};

static struct space *space(xinim_endpoint_t process)
{
	return &kept.spaces[xinim_endpoint_pid(process)];
}

static struct region *record(uint32_t i) { return &kept.regions.r[i]; }

// process's regions in order, as regions_next walks them.
static struct seen regions_of(xinim_endpoint_t process)
{
	struct seen s = { 0 };
	const struct space *sp = space(process);
	for (const struct region *r = regions_next(mm_pool, &sp->regions, 0);
	     r && s.count < REGIONS_SEEN; r = regions_next(mm_pool, &sp->regions, r->end))
		s.r[s.count++] = (struct region){ .start = r->start, .end = r->end, .prot = r->prot };
	return s;
}

static int begin(xinim_endpoint_t process)
{
	who = process;
	return exec_message(XINIM_MM_EXEC_BEGIN, 0, 0, 0, NULL) ||
	       exec_message(XINIM_MM_EXEC_BRK, BRK_START, 0, 0, NULL) ? -1 : 0;
}

static int map_at(uint64_t at, unsigned prot)
{
	return mmap_call(at, PAGE, prot, ANON | MAP_FIXED) == (long)at ? 0 : -1;
}

// Each test starts from a state of MM's own making, in kept memory of the test's.
static int build_state(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	mm_state_take(&kept, KEEP_FRESH);
	a = fresh_endpoint();
	b = fresh_endpoint();
	c = fresh_endpoint();
	return begin(a) || map_at(BASE, RW) || map_at(BASE + PAGE, PROT_READ) ||
	       map_at(BASE + 2 * PAGE, RW) || begin(b) || map_at(BASE, PROT_READ) ||
	       map_at(BASE + PAGE, RW) || begin(c) || map_at(BASE, RW) ? -1 : 0;
}

static void assert_dropped(xinim_endpoint_t process)
{
	const struct space empty = { 0 };
	assert_memory_equal(space(process), &empty, sizeof(empty));
	assert_null(space_of(process));
	who = process;
	assert_int_equal(mmap_call(0, PAGE, RW, ANON), -ENOMEM);	// not MM's any more
}

// process kept as it was, and served: a new mapping, a fault, its break.
static void assert_kept(xinim_endpoint_t process, const struct seen *before)
{
	struct seen now = regions_of(process);
	assert_int_equal(now.count, before->count);
	assert_memory_equal(now.r, before->r, sizeof(now.r));
	who = process;
	assert_int_equal(fault(true, XINIM_MM_READ, BASE), 0);
	long at = mmap_call(0, PAGE, PROT_READ, ANON);
	assert_true(at > 0);
	assert_int_equal(regions()->count, before->count + 1);
	assert_int_equal(SYSCALL(mm.endpoint, who, brk, 0), page_up(BRK_START));
}

// The pool holds exactly the kept spaces' records, and its free list none of them.
static void assert_pool_is_the_spaces(void)
{
	uint32_t used = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		used += kept.spaces[pid].regions.count;
	assert_int_equal(kept.regions.used, used);
	uint32_t free = 0;
	for (uint32_t i = kept.regions.free; i; i = record(i)->left, free++) {
		assert_true(i <= kept.regions.touched);
		assert_int_equal(record(i)->end, 0);	// a free record, in no tree
		assert_true(free < kept.regions.touched);
	}
	assert_int_equal(used + free, kept.regions.touched);
}

static void test_a_sound_state_is_taken_over_whole(void **state)
{
	(void)state;
	struct seen sa = regions_of(a), sb = regions_of(b);
	struct mm_state *before = malloc(sizeof(kept));
	memcpy(before, &kept, sizeof(kept));
	mm_state_take(&kept, KEEP_INHERITED);
	assert_memory_equal(kept.spaces, before->spaces, sizeof(kept.spaces));
	free(before);
	assert_pool_is_the_spaces();
	assert_kept(a, &sa);
	assert_kept(b, &sb);
}

static void test_a_space_kept_at_another_pids_index_is_dropped_and_its_records_freed(void **state)
{
	(void)state;
	struct seen sb = regions_of(b);
	space(a)->owner = xinim_endpoint(xinim_endpoint_pid(a) + 100, 1);
	mm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(a);
	assert_pool_is_the_spaces();
	assert_int_equal(kept.regions.used, 3);	// b's two and c's one
	assert_kept(b, &sb);
}

static void test_region_indices_out_of_range_drop_their_space(void **state)
{
	(void)state;
	struct seen sb = regions_of(b);
	record(space(a)->regions.root)->left = REGIONS_POOL + 7;
	space(c)->regions.root = kept.regions.touched + 1;	// never handed out
	mm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(a);
	assert_dropped(c);
	assert_pool_is_the_spaces();
	assert_kept(b, &sb);
}

static void test_a_cycle_in_a_region_tree_drops_its_space(void **state)
{
	(void)state;
	struct seen sb = regions_of(b);
	uint32_t root = space(a)->regions.root;
	record(record(root)->right)->right = root;
	mm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(a);
	assert_pool_is_the_spaces();
	assert_kept(b, &sb);
}

static void test_overlapping_regions_or_a_wrong_count_drop_their_space(void **state)
{
	(void)state;
	struct seen sc = regions_of(c);
	struct region *first = record(record(space(a)->regions.root)->left);
	first->end += PAGE;	// into the next region
	space(b)->regions.count++;
	mm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(a);
	assert_dropped(b);
	assert_pool_is_the_spaces();
	assert_kept(c, &sc);
}

static void test_records_in_two_spaces_drop_both(void **state)
{
	(void)state;
	struct seen sc = regions_of(c);
	space(b)->regions = space(a)->regions;	// each tree sound, the records a's
	mm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(a);
	assert_dropped(b);
	assert_pool_is_the_spaces();
	assert_kept(c, &sc);
}

static void test_regions_no_call_makes_drop_their_space(void **state)
{
	(void)state;
	struct seen sb = regions_of(b);
	record(space(a)->regions.root)->prot = PROT_WRITE | PROT_EXEC;	// W^X
	struct region *only = record(space(c)->regions.root);
	only->start = only->low = 0;	// below MM_MIN_ADDR
	mm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(a);
	assert_dropped(c);
	assert_kept(b, &sb);
}

static void test_a_break_below_its_base_drops_its_space(void **state)
{
	(void)state;
	struct seen sa = regions_of(a);
	space(b)->brk = space(b)->brk_base - 1;
	space(c)->brk_base += 1;	// not a page
	mm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(b);
	assert_dropped(c);
	assert_kept(a, &sa);
}

static void test_the_pools_counts_and_free_list_are_made_again(void **state)
{
	(void)state;
	struct seen sa = regions_of(a), sb = regions_of(b);
	kept.regions.free = space(a)->regions.root;	// a's records handed out again
	kept.regions.used = 0;
	kept.regions.touched = UINT32_MAX;
	mm_state_take(&kept, KEEP_INHERITED);
	assert_pool_is_the_spaces();
	assert_true(kept.regions.touched < REGIONS_POOL);
	who = b;
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(map_at(BASE + (4 + 2 * i) * PAGE, i % 2 ? RW : PROT_READ), 0);
	assert_int_equal(regions_of(a).count, sa.count);
	assert_memory_equal(regions_of(a).r, sa.r, sizeof(sa.r));
	assert_true(regions_check(mm_pool, &space(a)->regions));
	assert_int_equal(regions()->count, sb.count + 20);
}

static void test_a_free_spaces_leftovers_are_cleared(void **state)
{
	(void)state;
	struct seen sa = regions_of(a);
	unsigned pid = xinim_endpoint_pid(fresh_endpoint());
	kept.spaces[pid].regions = space(a)->regions;	// no owner: space_claim would clear it
	mm_state_take(&kept, KEEP_INHERITED);
	const struct space empty = { 0 };
	assert_memory_equal(&kept.spaces[pid], &empty, sizeof(empty));
	assert_kept(a, &sa);
}

static struct attach *attachment_of(xinim_endpoint_t process)
{
	for (unsigned i = 0; i < SHM_ATTACHES; i++)
		if (kept.shm.attaches[i].owner == process)
			return &kept.shm.attaches[i];
	fail();
	return NULL;
}

// a and b attach one segment, c a removed one; a third is attached by none. Records no
// call makes are dropped, the counts made again, and a removed segment left with no
// attachment goes with its pages.
static void test_shared_memory_records_are_checked_again(void **state)
{
	(void)state;
	who = a;
	long shared = SYSCALL(mm.endpoint, who, shmget, IPC_PRIVATE, PAGE, 0600);
	long removed = SYSCALL(mm.endpoint, who, shmget, IPC_PRIVATE, 2 * PAGE, 0600);
	long broken = SYSCALL(mm.endpoint, who, shmget, IPC_PRIVATE, PAGE, 0600);
	assert_true(shared >= 0 && removed >= 0 && broken >= 0);
	assert_true(SYSCALL(mm.endpoint, who, shmat, shared, 0, 0) > 0);
	who = b;
	assert_true(SYSCALL(mm.endpoint, who, shmat, shared, 0, 0) > 0);
	who = c;
	assert_true(SYSCALL(mm.endpoint, who, shmat, removed, 0, 0) > 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, shmctl, removed, IPC_RMID, 0), 0);
	unsigned stored = host_pages_of(HOST_STORE);
	struct segment *g = &kept.shm.segments[shared % SHM_SEGMENTS];
	g->nattch = 9;
	kept.shm.segments[broken % SHM_SEGMENTS].size = 0;	// no shmget makes that
	attachment_of(b)->end += PAGE;	// not the segment's size
	attachment_of(c)->segment = SHM_SEGMENTS + 3;
	mm_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(g->nattch, 1);		// a's
	assert_null(segment_of(broken));
	assert_null(segment_of(removed));	// c's attachment dropped: it had none left
	assert_int_equal(host_pages_of(HOST_STORE), stored - 3);
	who = a;
	struct linux_shmid64_ds ds;
	assert_int_equal(SYSCALL(mm.endpoint, who, shmctl, shared, IPC_STAT, ADDR(&ds)), 0);
	assert_int_equal(ds.nattch, 1);
	assert_int_equal(SYSCALL(mm.endpoint, who, shmctl, shared, IPC_RMID, 0), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, shmdt, attachment_of(a)->start), 0);
	assert_null(segment_of(shared));
}

int main(void)
{
#define TAKEOVER_TEST(name) cmocka_unit_test_setup(name, build_state)
	const struct CMUnitTest tests[] = {
		TAKEOVER_TEST(test_a_sound_state_is_taken_over_whole),
		TAKEOVER_TEST(test_a_space_kept_at_another_pids_index_is_dropped_and_its_records_freed),
		TAKEOVER_TEST(test_region_indices_out_of_range_drop_their_space),
		TAKEOVER_TEST(test_a_cycle_in_a_region_tree_drops_its_space),
		TAKEOVER_TEST(test_overlapping_regions_or_a_wrong_count_drop_their_space),
		TAKEOVER_TEST(test_records_in_two_spaces_drop_both),
		TAKEOVER_TEST(test_regions_no_call_makes_drop_their_space),
		TAKEOVER_TEST(test_a_break_below_its_base_drops_its_space),
		TAKEOVER_TEST(test_the_pools_counts_and_free_list_are_made_again),
		TAKEOVER_TEST(test_a_free_spaces_leftovers_are_cleared),
		TAKEOVER_TEST(test_shared_memory_records_are_checked_again),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
