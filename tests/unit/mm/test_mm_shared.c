// Shared memory in MM: MAP_SHARED anonymous regions shared writable across fork
// (servers/mm/fork.c), System V segments (shm.c, attach.c), and the calls about
// mappings and residency (remap.c, resident.c), each with Linux's errors.
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <cmocka.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/runtime.h>
#include <xinim/vdso.h>
#include "mm_client.h"

#define SHARED_ANON (MAP_SHARED | MAP_ANONYMOUS)

static xinim_endpoint_t fork_of(xinim_endpoint_t parent)
{
	xinim_endpoint_t child = fresh_endpoint();
	struct xinim_mm_fork f = { .parent = parent, .child = child };
	assert_int_equal(to_mm(false, XINIM_MM_FORK, &f, sizeof(f)), 0);
	return child;
}

// Writes text at va in owner's space, as the program would (the page must be writable).
static void write_at(xinim_endpoint_t owner, uint64_t va, const char *text)
{
	assert_int_equal(xinim_kcall4(KCALL_SPACE_WRITE, owner, (long)va, (long)text,
				      (long)strlen(text) + 1), 0);
}

static const char *bytes_at(xinim_endpoint_t owner, uint64_t va)
{
	const struct host_page *p = host_page_at(owner, va);
	assert_non_null(p);
	return (const char *)p->bytes + va % PAGE;
}

static long shm_call(long number, uint64_t a, uint64_t b, uint64_t c)
{
	switch (number) {
	case XINIM_SYSCALL_NUMBER_shmget: return SYSCALL(mm.endpoint, who, shmget, a, b, c);
	case XINIM_SYSCALL_NUMBER_shmat: return SYSCALL(mm.endpoint, who, shmat, a, b, c);
	case XINIM_SYSCALL_NUMBER_shmdt: return SYSCALL(mm.endpoint, who, shmdt, a);
	default: return SYSCALL(mm.endpoint, who, shmctl, a, b, c);
	}
}
#define SHMGET(key, size, flags) shm_call(XINIM_SYSCALL_NUMBER_shmget, (uint64_t)(key), size, flags)
#define SHMAT(id, addr, flags) shm_call(XINIM_SYSCALL_NUMBER_shmat, (uint64_t)(id), addr, flags)
#define SHMDT(addr) shm_call(XINIM_SYSCALL_NUMBER_shmdt, addr, 0, 0)
#define SHMCTL(id, cmd, buf) shm_call(XINIM_SYSCALL_NUMBER_shmctl, (uint64_t)(id), cmd, ADDR(buf))

static struct linux_shmid64_ds stat_of(long id)
{
	struct linux_shmid64_ds ds;
	memset(&ds, 0xff, sizeof(ds));
	assert_int_equal(SHMCTL(id, IPC_STAT, &ds), 0);
	return ds;
}

static void test_map_shared_pages_are_shared_writable_across_fork(void **state)
{
	(void)state;
	long p = mmap_call(0, 2 * PAGE, RW, SHARED_ANON);
	assert_true(p > 0);
	assert_int_equal(nth_region(0)->prot, RW | MM_SHARED);
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)p), 0);	// the second page: not yet
	write_at(who, (uint64_t)p, "parent");
	xinim_endpoint_t parent = who, child = fork_of(parent);
	for (uint64_t at = (uint64_t)p; at < (uint64_t)p + 2 * PAGE; at += PAGE) {
		const struct host_page *mine = host_page_at(parent, at), *its = host_page_at(child, at);
		assert_non_null(mine);
		assert_non_null(its);
		assert_true(mine->linked && its->linked && mine->frame == its->frame);
		assert_int_equal(its->prot, RW);	// writable, not copy-on-write
	}
	write_at(child, (uint64_t)p + PAGE, "child");
	assert_string_equal(bytes_at(parent, (uint64_t)p + PAGE), "child");
	who = child;	// a write fault keeps the page the parent's too
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)p), 0);
	assert_int_equal(host_page_at(child, (uint64_t)p)->frame, host_page_at(parent, (uint64_t)p)->frame);
}

static void test_mprotect_and_madvise_keep_a_regions_kind(void **state)
{
	(void)state;
	long p = mmap_call(MMAP_BOTTOM, PAGE, RW, SHARED_ANON | MAP_FIXED);
	assert_int_equal(mmap_call(MMAP_BOTTOM + PAGE, PAGE, RW, ANON | MAP_FIXED), MMAP_BOTTOM + PAGE);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, p, 2 * PAGE, PROT_READ), 0);
	assert_region(0, MMAP_BOTTOM, MMAP_BOTTOM + PAGE, PROT_READ | MM_SHARED);
	assert_region(1, MMAP_BOTTOM + PAGE, MMAP_BOTTOM + 2 * PAGE, PROT_READ);
	assert_int_equal(fault(true, XINIM_MM_READ, (uint64_t)p), 0);
	assert_int_equal(fault(true, XINIM_MM_READ, (uint64_t)p + PAGE), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, madvise, p, 2 * PAGE, MADV_DONTNEED), 0);
	assert_non_null(host_page_at(who, (uint64_t)p));	// shared: kept
	assert_null(host_page_at(who, (uint64_t)p + PAGE));
}

static void test_shmget_finds_makes_and_refuses_as_linux(void **state)
{
	(void)state;
	unsigned stored = host_pages_of(HOST_STORE);	// other tests' attached segments
	assert_int_equal(SHMGET(0x51, PAGE, 0), -ENOENT);
	assert_int_equal(SHMGET(0x51, 0, IPC_CREAT), -EINVAL);
	assert_int_equal(SHMGET(0x51, SHM_SIZE_MAX + 1, IPC_CREAT), -EINVAL);
	long id = SHMGET(0x51, PAGE + 1, IPC_CREAT | IPC_EXCL | 0640);
	assert_true(id >= 0);
	assert_int_equal(SHMGET(0x51, 0, 0), id);
	assert_int_equal(SHMGET(0x51, 2 * PAGE, 0), -EINVAL);	// bigger than it is
	assert_int_equal(SHMGET(0x51, PAGE, IPC_CREAT | IPC_EXCL), -EEXIST);
	long other = SHMGET(IPC_PRIVATE, PAGE, 0);
	assert_true(other >= 0 && other != id);
	struct linux_shmid64_ds ds = stat_of(id);
	assert_int_equal(ds.key, 0x51);
	assert_int_equal(ds.segsz, PAGE + 1);
	assert_int_equal(ds.mode, 0640);
	assert_int_equal(ds.nattch, 0);
	assert_int_equal(ds.cpid, xinim_endpoint_pid(who));
	assert_int_equal(host_pages_of(HOST_STORE), stored + 3);	// two pages and one, at once
	assert_int_equal(SHMCTL(id, IPC_RMID, NULL), 0);
	assert_int_equal(SHMCTL(other, IPC_RMID, NULL), 0);
	assert_int_equal(host_pages_of(HOST_STORE), stored);
	assert_int_equal(SHMCTL(id, IPC_STAT, &ds), -EINVAL);
	assert_int_equal(SHMGET(0x51, PAGE, 0), -ENOENT);
}

static void test_shmat_shares_the_segments_pages(void **state)
{
	(void)state;
	long id = SHMGET(IPC_PRIVATE, 2 * PAGE, 0600);
	long at = SHMAT(id, 0, 0);
	assert_true(at > 0);
	assert_int_equal(nth_region(0)->prot, RW | MM_SHARED);
	write_at(who, (uint64_t)at + PAGE, "attached");
	long again = SHMAT(id, 0, SHM_RDONLY);
	assert_true(again > 0 && again != at);
	assert_string_equal(bytes_at(who, (uint64_t)again + PAGE), "attached");
	assert_int_equal(host_page_at(who, (uint64_t)again)->prot, PROT_READ);
	assert_int_equal(stat_of(id).nattch, 2);
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)again), -EFAULT);
	assert_int_equal(SHMDT(again), 0);
	assert_int_equal(SHMDT(again), -EINVAL);
	assert_int_equal(SHMDT(at + 1), -EINVAL);
	assert_int_equal(stat_of(id).nattch, 1);
	assert_int_equal(SHMCTL(id, IPC_RMID, NULL), 0);
}

static void test_shmat_refuses_as_linux(void **state)
{
	(void)state;
	long id = SHMGET(IPC_PRIVATE, PAGE, 0600);
	assert_int_equal(SHMAT(-1, 0, 0), -EINVAL);
	assert_int_equal(SHMAT(id + SHM_SEGMENTS, 0, 0), -EINVAL);	// another use of the record
	assert_int_equal(SHMAT(id, MMAP_BOTTOM + 1, 0), -EINVAL);	// unaligned, no SHM_RND
	assert_int_equal(SHMAT(id, MMAP_BOTTOM + 1, SHM_RND), MMAP_BOTTOM);
	assert_int_equal(SHMAT(id, MMAP_BOTTOM, 0), -EINVAL);	// something is there
	assert_int_equal(SHMAT(id, MMAP_BOTTOM, SHM_REMAP), MMAP_BOTTOM);
	assert_int_equal(stat_of(id).nattch, 1);	// the one it replaced is gone
	assert_int_equal(SHMAT(id, 0, SHM_REMAP), -EINVAL);
	assert_int_equal(SHMAT(id, PAGE, 0), -EPERM);	// below 64 KiB
	assert_int_equal(SHMAT(id, 0, SHM_EXEC), -EACCES);	// W^X
	assert_int_equal(SHMCTL(id, 99, NULL), -EINVAL);
	assert_int_equal(SHMCTL(id, IPC_RMID, NULL), 0);
}

static void test_a_removed_segment_goes_with_its_last_attachment(void **state)
{
	(void)state;
	unsigned stored = host_pages_of(HOST_STORE);	// other tests' attached segments
	long id = SHMGET(0x77, PAGE, IPC_CREAT | 0600);
	long at = SHMAT(id, 0, 0);
	xinim_endpoint_t parent = who, child = fork_of(parent);
	assert_int_equal(stat_of(id).nattch, 2);	// the child's copy
	assert_true(host_page_at(child, (uint64_t)at)->linked);
	assert_int_equal(SHMCTL(id, IPC_RMID, NULL), 0);
	struct linux_shmid64_ds ds = stat_of(id);
	assert_true(ds.mode & SHM_DEST);
	assert_int_equal(ds.key, IPC_PRIVATE);
	assert_int_equal(SHMGET(0x77, PAGE, 0), -ENOENT);
	assert_int_equal(host_pages_of(HOST_STORE), stored + 1);
	who = child;	// the child ends
	assert_int_equal(exec_message(XINIM_MM_RELEASE, 0, 0, 0, NULL), 0);
	who = parent;
	assert_int_equal(stat_of(id).nattch, 1);
	assert_int_equal(exec_message(XINIM_MM_EXEC_BEGIN, 0, 0, 0, NULL), 0);	// an exec
	assert_int_equal(SHMCTL(id, IPC_STAT, &ds), -EINVAL);
	assert_int_equal(host_pages_of(HOST_STORE), stored);
}

static void test_shmctl_set_info_and_lock(void **state)
{
	(void)state;
	long id = SHMGET(IPC_PRIVATE, PAGE, 0600);
	struct linux_shmid64_ds ds = stat_of(id);
	ds.mode = 0444 | SHM_DEST;	// only the permission bits are taken
	ds.uid = 5;
	assert_int_equal(SHMCTL(id, IPC_SET, &ds), 0);
	ds = stat_of(id);
	assert_int_equal(ds.mode, 0444);
	assert_int_equal(ds.uid, 5);
	assert_int_equal(SHMCTL(id, SHM_LOCK, NULL), 0);
	assert_true(stat_of(id).mode & SHM_LOCKED);
	long index = id % SHM_SEGMENTS;
	assert_int_equal(SHMCTL(index, SHM_STAT, &ds), id);
	assert_true(SHMCTL(0, IPC_INFO, &ds) >= index);
	assert_int_equal(SHMCTL(id, IPC_RMID, NULL), 0);
}

static void test_mremap_moves_grows_and_shrinks(void **state)
{
	(void)state;
	long p = mmap_call(MMAP_BOTTOM, 2 * PAGE, RW, ANON | MAP_FIXED);
	assert_int_equal(mmap_call(MMAP_BOTTOM + 2 * PAGE, PAGE, PROT_READ, ANON | MAP_FIXED),
			 MMAP_BOTTOM + 2 * PAGE);	// no room after it
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)p + PAGE), 0);
	write_at(who, (uint64_t)p + PAGE, "moved");
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p, 2 * PAGE, 4 * PAGE, 0), -ENOMEM);
	long q = SYSCALL(mm.endpoint, who, mremap, p, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE);
	assert_true(q > 0 && q != p);
	assert_string_equal(bytes_at(who, (uint64_t)q + PAGE), "moved");
	assert_null(host_page_at(who, (uint64_t)p + PAGE));
	assert_null(regions_find(mm_pool, regions(), (uint64_t)p));
	assert_int_equal(regions_find(mm_pool, regions(), (uint64_t)q)->end, (uint64_t)q + 4 * PAGE);
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)q), 0);
	write_at(who, (uint64_t)q, "kept");
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, q, 4 * PAGE, PAGE, 0), q);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, q, PAGE, 3 * PAGE, 0), q);	// in place
	long r = SYSCALL(mm.endpoint, who, mremap, q, 3 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
			 MMAP_BOTTOM + 16 * PAGE);
	assert_int_equal(r, MMAP_BOTTOM + 16 * PAGE);
	assert_string_equal(bytes_at(who, (uint64_t)r), "kept");
	assert_null(host_page_at(who, (uint64_t)q));
}

static void test_mremap_refuses_as_linux(void **state)
{
	(void)state;
	long p = mmap_call(0, 2 * PAGE, RW, ANON);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p, PAGE, PAGE, 8), -EINVAL);	// no such flag
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p, PAGE, PAGE, MREMAP_FIXED, 0), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p, PAGE, 2 * PAGE,
				 MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p + 1, PAGE, PAGE, 0), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p, PAGE, 0, 0), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, MMAP_BOTTOM, PAGE, PAGE, 0), -EFAULT);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE),
			 -EFAULT);	// past its region
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, p, 2 * PAGE, 2 * PAGE,
				 MREMAP_MAYMOVE | MREMAP_FIXED, p + PAGE), -EINVAL);	// overlap
	long id = SHMGET(IPC_PRIVATE, PAGE, 0600);
	long at = SHMAT(id, 0, 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, mremap, at, PAGE, 2 * PAGE, MREMAP_MAYMOVE),
			 -EINVAL);	// a gap: attachments do not move
	assert_int_equal(SHMCTL(id, IPC_RMID, NULL), 0);
}

static void test_mincore_mlock_and_msync(void **state)
{
	(void)state;
	long p = mmap_call(0, 3 * PAGE, RW, ANON);
	unsigned char v[3] = { 9, 9, 9 };
	assert_int_equal(fault(true, XINIM_MM_WRITE, (uint64_t)p + PAGE), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, mincore, p, 3 * PAGE, ADDR(v)), 0);
	assert_memory_equal(v, ((unsigned char[]){ 0, 1, 0 }), 3);
	assert_int_equal(SYSCALL(mm.endpoint, who, mincore, p + 1, PAGE, ADDR(v)), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mincore, p, 4 * PAGE, ADDR(v)), -ENOMEM);
	assert_int_equal(SYSCALL(mm.endpoint, who, mlock, p + 1, 2 * PAGE), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, mincore, p, 3 * PAGE, ADDR(v)), 0);
	assert_memory_equal(v, ((unsigned char[]){ 1, 1, 1 }), 3);
	assert_int_equal(SYSCALL(mm.endpoint, who, mlock, p, 4 * PAGE), -ENOMEM);
	assert_int_equal(SYSCALL(mm.endpoint, who, mlock2, p, PAGE, 2), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, munlock, p, 3 * PAGE), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, mlockall, 0), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mlockall, MCL_ONFAULT), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, mlockall, MCL_CURRENT | MCL_FUTURE), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, munlockall, 0), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, msync, p, 3 * PAGE, MS_SYNC | MS_INVALIDATE), 0);
	assert_int_equal(SYSCALL(mm.endpoint, who, msync, p, PAGE, MS_SYNC | MS_ASYNC), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, msync, p + 1, PAGE, MS_SYNC), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, msync, p, PAGE, 8), -EINVAL);
	assert_int_equal(SYSCALL(mm.endpoint, who, msync, p, 4 * PAGE, MS_ASYNC), -ENOMEM);
}

// The clock page (vvar.c, docs/vdso.md): one frame of MM's store shared read-only into
// each program, fork's child included; its words as PM sets them, PM only; mprotect
// never makes it writable or executable.
static void test_the_clock_page_is_one_frame_read_only_that_pm_sets(void **state)
{
	(void)state;
	assert_int_equal(exec_message(XINIM_MM_EXEC_VVAR, 0, 0, 0, NULL), 0);
	assert_region(0, XINIM_VVAR, XINIM_VVAR + PAGE, PROT_READ | MM_SHARED | REGION_VVAR);
	const struct host_page *page = host_page_at(who, XINIM_VVAR);
	assert_non_null(page);
	assert_int_equal(page->prot, PROT_READ);
	xinim_endpoint_t parent = who, child = fork_of(parent);
	assert_int_equal(host_page_at(child, XINIM_VVAR)->frame, page->frame);
	assert_int_equal(host_page_at(child, XINIM_VVAR)->prot, PROT_READ);

	struct xinim_vvar_set set = { .epoch_seconds = 1700000000, .counter = 42, .realtime_offset = -7 };
	assert_int_equal(to_mm(true, XINIM_MM_VVAR_SET, &set, sizeof(set)), -EPERM);
	assert_int_equal(to_mm(false, XINIM_MM_VVAR_SET, &set, sizeof(set)), 0);
	const struct xinim_vvar *vvar = (const struct xinim_vvar *)bytes_at(child, XINIM_VVAR);
	assert_int_equal(vvar->ready, XINIM_VVAR_READY);
	assert_int_equal(vvar->base.epoch_seconds, 1700000000);
	assert_int_equal(vvar->base.counter, 42);
	assert_int_equal(vvar->realtime_offset, -7);

	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, XINIM_VVAR, PAGE, RW), -EACCES);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, XINIM_VVAR, PAGE, RX), -EACCES);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, XINIM_VVAR, PAGE, PROT_NONE), 0);
	assert_region(0, XINIM_VVAR, XINIM_VVAR + PAGE, MM_SHARED | REGION_VVAR);
	assert_int_equal(SYSCALL(mm.endpoint, who, mprotect, XINIM_VVAR, PAGE, PROT_READ), 0);
	assert_int_equal(host_page_at(who, XINIM_VVAR)->frame, page->frame);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	const struct CMUnitTest tests[] = {
		TEST(test_map_shared_pages_are_shared_writable_across_fork),
		TEST(test_mprotect_and_madvise_keep_a_regions_kind),
		TEST(test_shmget_finds_makes_and_refuses_as_linux),
		TEST(test_shmat_shares_the_segments_pages),
		TEST(test_shmat_refuses_as_linux),
		TEST(test_a_removed_segment_goes_with_its_last_attachment),
		TEST(test_shmctl_set_info_and_lock),
		TEST(test_mremap_moves_grows_and_shrinks),
		TEST(test_mremap_refuses_as_linux),
		TEST(test_mincore_mlock_and_msync),
		TEST(test_the_clock_page_is_one_frame_read_only_that_pm_sets),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
