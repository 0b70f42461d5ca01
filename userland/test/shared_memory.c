// Shared memory as Linux programs use it, run as PID 1 (tests/boot/shared_memory.sh): a
// MAP_SHARED anonymous page written by a child is the parent's too, System V segments
// (shmget, shmat, shmdt, shmctl) across fork and after IPC_RMID, mremap's growth keeping
// the contents, mincore, mlock, msync; and the memory a segment took comes back. It
// prints each check and exits 0 only if all went right.
#define _GNU_SOURCE	// mremap's flags
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

#define CHECK_PREFIX "shared_memory: "
#include "check.h"

// The child's exit status, or -1; a signal's end is 128 + its number.
static int child_end(pid_t pid)
{
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static unsigned long free_bytes(void)
{
	struct sysinfo info;
	return sysinfo(&info) ? 0 : info.freeram * info.mem_unit;
}

static void map_shared(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 'P';	// the second page is not touched before the fork
	q[0] = 'P';
	pid_t pid = fork();
	if (pid == 0) {
		int saw = p[0] == 'P';
		p[1] = 'C';
		p[PAGE] = 'C';
		q[0] = 'C';
		_exit(saw ? 0 : 1);
	}
	check(child_end(pid) == 0 && p[1] == 'C' && p[PAGE] == 'C',
	      "a MAP_SHARED page written by a child is seen by the parent");
	check(q[0] == 'P', "a MAP_PRIVATE page written by a child is not");
	munmap(p, 2 * PAGE);
	munmap(q, PAGE);
}

static void segment_across_fork(void)
{
	int id = shmget(IPC_PRIVATE, 3 * PAGE, IPC_CREAT | 0600);
	char *p = id >= 0 ? shmat(id, NULL, 0) : (char *)-1;
	check(id >= 0 && p != (char *)-1, "shmget(IPC_PRIVATE) and shmat");
	if (p == (char *)-1)
		return;
	strcpy(p, "parent");
	pid_t pid = fork();
	if (pid == 0) {
		char *again = shmat(id, NULL, SHM_RDONLY);
		int saw = !strcmp(p, "parent") && again != (char *)-1 && !strcmp(again, "parent");
		strcpy(p + 2 * PAGE, "child");
		_exit(saw && !strcmp(again + 2 * PAGE, "child") ? 0 : 1);
	}
	check(child_end(pid) == 0 && !strcmp(p + 2 * PAGE, "child"),
	      "a forked child has the segment attached, attaches it again, and its write is the parent's");
	struct shmid_ds ds;
	check(!shmctl(id, IPC_STAT, &ds) && ds.shm_segsz == 3 * PAGE && ds.shm_nattch == 1 &&
	      (ds.shm_perm.mode & 0777) == 0600 && ds.shm_cpid == getpid(),
	      "IPC_STAT: size, one attachment once the child is gone, mode, creator");
	pid = fork();
	if (pid == 0) {
		char *ro = shmat(id, NULL, SHM_RDONLY);
		ro[0] = 'X';	// SIGSEGV
		_exit(0);
	}
	check(child_end(pid) == 128 + SIGSEGV && p[0] == 'p', "a write to a SHM_RDONLY attachment is SIGSEGV");
	check(!shmctl(id, IPC_RMID, NULL) && !shmctl(id, IPC_STAT, &ds) && ds.shm_perm.mode & SHM_DEST &&
	      !strcmp(p, "parent"), "IPC_RMID while attached: marked SHM_DEST, still there");
	check(!shmdt(p) && shmctl(id, IPC_STAT, &ds) == -1 && errno == EINVAL,
	      "the last shmdt destroys a removed segment");
	check(shmdt(p) == -1 && errno == EINVAL, "shmdt of what is not attached: EINVAL");
}

static void segment_keys(void)
{
	key_t key = 0x5eed;
	int id = shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0644);
	check(id >= 0 && shmget(key, PAGE, 0) == id && shmget(key, 10, IPC_CREAT) == id,
	      "shmget of a key: made once, found again");
	check(shmget(key, PAGE, IPC_CREAT | IPC_EXCL) == -1 && errno == EEXIST,
	      "IPC_CREAT | IPC_EXCL of a key in use: EEXIST");
	check(shmget(key, 2 * PAGE, 0) == -1 && errno == EINVAL, "a size above the segment's: EINVAL");
	check(shmget(key + 1, PAGE, 0) == -1 && errno == ENOENT, "a key nobody made: ENOENT");
	check(shmget(key + 1, 0, IPC_CREAT) == -1 && errno == EINVAL, "size 0: EINVAL");
	check(!shmctl(id, IPC_RMID, NULL) && shmget(key, PAGE, 0) == -1 && errno == ENOENT,
	      "IPC_RMID: the key is free again");
	unsigned long before = free_bytes();
	id = shmget(IPC_PRIVATE, 64 * PAGE, 0600);
	unsigned long during = free_bytes();
	shmctl(id, IPC_RMID, NULL);
	printf("shared_memory: free memory %lu KiB, %lu KiB with a segment of 256 KiB, %lu KiB after it\n",
	       before >> 10, during >> 10, free_bytes() >> 10);
	check(id >= 0 && before - during >= 64 * PAGE && free_bytes() == before,
	      "a segment's memory is taken at shmget and comes back at IPC_RMID");
}

static void remap(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *fence = mmap(p + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			   MAP_FIXED_NOREPLACE, -1, 0);
	memset(p, 'M', 2 * PAGE);
	check(mremap(p, 2 * PAGE, 16 * PAGE, 0) == MAP_FAILED && errno == ENOMEM,
	      "mremap growth without room and without MREMAP_MAYMOVE: ENOMEM");
	char *q = mremap(p, 2 * PAGE, 16 * PAGE, MREMAP_MAYMOVE);
	check(q != MAP_FAILED && q != p && q[0] == 'M' && q[2 * PAGE - 1] == 'M' && q[15 * PAGE] == 0,
	      "mremap growth moves and keeps the contents, the new pages zero");
	check(mremap(q, 16 * PAGE, PAGE, 0) == q && q[0] == 'M', "mremap shrinks in place");
	check(mremap(q, PAGE, 4 * PAGE, 0) == q && q[3 * PAGE] == 0, "mremap grows in place");
	check(mremap(p, 2 * PAGE, PAGE, 0) == MAP_FAILED && errno == EFAULT,
	      "mremap of what is not mapped: EFAULT");
	check(mremap(q, PAGE, PAGE, MREMAP_FIXED, q + 8 * PAGE) == MAP_FAILED && errno == EINVAL,
	      "MREMAP_FIXED without MREMAP_MAYMOVE: EINVAL");
	munmap(q, 4 * PAGE);
	munmap(fence, PAGE);
}

static void resident(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char v[4] = { 9, 9, 9, 9 };
	p[0] = p[2 * PAGE] = 1;
	check(!mincore(p, 4 * PAGE, v) && v[0] == 1 && v[1] == 0 && v[2] == 1 && v[3] == 0,
	      "mincore: the touched pages and only them");
	check(mincore(p + 1, PAGE, v) == -1 && errno == EINVAL, "mincore unaligned: EINVAL");
	check(!mlock(p, 4 * PAGE) && !mincore(p, 4 * PAGE, v) && v[1] == 1 && v[3] == 1 &&
	      !munlock(p, 4 * PAGE), "mlock makes every page, munlock");
	check(mlockall(0) == -1 && errno == EINVAL && !mlockall(MCL_CURRENT) && !munlockall(),
	      "mlockall: flags checked");
	check(!msync(p, 4 * PAGE, MS_SYNC) && msync(p, PAGE, MS_SYNC | MS_ASYNC) == -1 &&
	      errno == EINVAL, "msync: MS_SYNC, and MS_SYNC | MS_ASYNC is EINVAL");
	munmap(p, 4 * PAGE);
	check(mincore(p, PAGE, v) == -1 && errno == ENOMEM && mlock(p, PAGE) == -1 &&
	      errno == ENOMEM && msync(p, PAGE, MS_ASYNC) == -1 && errno == ENOMEM,
	      "mincore, mlock and msync of what is not mapped: ENOMEM");
}

int main(void)
{
	map_shared();
	segment_across_fork();
	segment_keys();
	remap();
	resident();
	return check_summary();
}
