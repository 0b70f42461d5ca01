// The workload of the resurrection tests (tests/boot/resurrection.sh), run as PID 1
// while VFS, PM or MM is killed: files opened, read, seeked and stat-ed from the boot
// archive, 16 MiB mapped, touched, protected and unmapped in pieces, children forked
// (copy-on-write) and reaped, shared memory (MAP_SHARED, a System V segment, mremap)
// written by a child, threads summing under a mutex, signals caught, a child stopped,
// continued and killed, identity, credential, limit and clock calls, console writes;
// ROUNDS times over (or argv[1] times). It prints what it computes, the same on
// every run, so that a run with kills can be compared byte for byte with one without,
// and exits 0 only if every result was right; or, if every result was right and more
// arguments follow, executes them (the tests' `rs status`, in the same boot).
#define _GNU_SOURCE	// MREMAP_MAYMOVE, setresuid, getresuid
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 8
#define MAPPING (16u << 20)
#define PAGE 4096u

static int failures;

static void check(int ok, int round, const char *what)
{
	if (!ok) {
		printf("round %d: %s: FAILED\n", round, what);
		failures++;
	}
}

// FNV-1a over n bytes.
static uint64_t digest(const void *bytes, size_t n, uint64_t h)
{
	const unsigned char *b = bytes;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3;
	return h;
}

// Reads /service/pm at a few offsets with lseek and pread; the digest of all of it.
static uint64_t files(int round)
{
	uint64_t h = 0xcbf29ce484222325;
	int fd = open("/service/pm", O_RDONLY);
	check(fd >= 0, round, "open /service/pm");
	struct stat st;
	check(fstat(fd, &st) == 0 && st.st_size > 65536, round, "fstat");
	char buffer[4096];
	for (off_t at = 0; at < 65536; at += 12288) {
		check(lseek(fd, at, SEEK_SET) == at, round, "lseek");
		ssize_t n = read(fd, buffer, sizeof(buffer));
		check(n == (ssize_t)sizeof(buffer), round, "read");
		h = digest(buffer, sizeof(buffer), h);
		check(pread(fd, buffer, 100, at + 7) == 100, round, "pread");
		h = digest(buffer, 100, h);
	}
	check(lseek(fd, 0, SEEK_CUR) == 65536, round, "the offset after the reads");
	check(close(fd) == 0, round, "close");
	check(stat("/etc/issue", &st) == 0 && st.st_size == 6, round, "stat /etc/issue");
	check(open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT, round, "ENOENT");
	return h;
}

// Maps 16 MiB, writes each page, protects the second half read-only, unmaps every
// fourth page, reads back what is left: the digest of it.
static uint64_t memory(int round)
{
	unsigned char *m = mmap(NULL, MAPPING, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	check(m != MAP_FAILED, round, "mmap 16 MiB");
	if (m == MAP_FAILED)
		return 0;
	for (unsigned at = 0; at < MAPPING; at += PAGE)
		m[at] = (unsigned char)(at / PAGE * 7 + round);
	check(mprotect(m + MAPPING / 2, MAPPING / 2, PROT_READ) == 0, round, "mprotect");
	for (unsigned at = 0; at < MAPPING; at += 4 * PAGE)
		check(munmap(m + at, PAGE) == 0, round, "munmap a page");
	uint64_t h = 0xcbf29ce484222325;
	for (unsigned at = PAGE; at < MAPPING; at += PAGE)
		if (at % (4 * PAGE))
			h = digest(&m[at], 1, h);
	check(munmap(m, MAPPING) == 0, round, "munmap the rest");
	return h;
}

// Forks CHILDREN children that each read and write a page they share copy-on-write
// with this process, and exit with what they computed; reaps each with waitpid: the
// digest of their statuses, and checks that this process's page is untouched.
#define CHILDREN 3
static uint64_t tree(int round)
{
	static unsigned char shared[PAGE] __attribute__((aligned(PAGE)));
	memset(shared, round, sizeof(shared));
	pid_t pids[CHILDREN];
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			unsigned sum = 0;
			for (unsigned at = 0; at < PAGE; at += 64)
				sum += shared[at];
			memset(shared, 0xee, sizeof(shared));	// its own copy now
			_exit((int)((sum + (unsigned)i * 31 + (getppid() == 1)) & 0xff));
		}
		check(pids[i] > 0, round, "fork");
	}
	uint64_t h = 0xcbf29ce484222325;
	for (int i = 0; i < CHILDREN; i++) {
		int status = 0;
		check(pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i], round, "waitpid");
		check(WIFEXITED(status), round, "the child exited");
		int code = WEXITSTATUS(status);
		h = digest(&code, sizeof(code), h);
	}
	check(shared[0] == (unsigned char)round && shared[PAGE - 1] == (unsigned char)round, round,
	      "the parent's page after its children wrote theirs");
	check(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, round, "no child left");
	return h;
}

// A child writes a MAP_SHARED page and a System V segment; this process reads what it
// wrote, grows the mapping with mremap, removes the segment: the digest of what it read.
static uint64_t sharing(int round)
{
	unsigned char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0);
	int id = shmget(IPC_PRIVATE, 3 * PAGE, IPC_CREAT | 0600);
	unsigned char *g = id >= 0 ? shmat(id, NULL, 0) : (unsigned char *)-1;
	check(m != MAP_FAILED && g != (unsigned char *)-1, round, "MAP_SHARED, shmget and shmat");
	if (m == MAP_FAILED || g == (unsigned char *)-1)
		return 0;
	pid_t pid = fork();
	if (pid == 0) {
		for (unsigned at = 0; at < 2 * PAGE; at += 512)
			m[at] = (unsigned char)(at / 512 + round);
		for (unsigned at = 0; at < 3 * PAGE; at += 512)
			g[at] = (unsigned char)(at / 256 + round);
		_exit(0);
	}
	int status = -1;
	check(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0, round, "the sharing child");
	unsigned char *grown = mremap(m, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	check(grown != MAP_FAILED, round, "mremap");
	uint64_t h = 0xcbf29ce484222325;
	if (grown != MAP_FAILED)
		h = digest(grown, 2 * PAGE, h);
	h = digest(g, 3 * PAGE, h);
	check(shmctl(id, IPC_RMID, NULL) == 0 && shmdt(g) == 0, round, "IPC_RMID and shmdt");
	check(munmap(grown != MAP_FAILED ? grown : m, 8 * PAGE) == 0, round, "munmap");
	return h;
}

#define THREADS 4
#define TERMS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t total;
static volatile sig_atomic_t caught;

static void *add_terms(void *arg)
{
	for (uint64_t k = (uint64_t)(uintptr_t)arg; k <= TERMS; k += THREADS) {
		pthread_mutex_lock(&lock);
		total += k;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void on_usr1(int signal) { caught = signal; }

// Threads, signals and a stopped child; a digest of what came out.
static uint64_t signals_and_threads(int round)
{
	pthread_t threads[THREADS];
	total = 0;
	for (int i = 0; i < THREADS; i++)
		check(pthread_create(&threads[i], NULL, add_terms, (void *)(uintptr_t)(i + 1)) == 0,
		      round, "pthread_create");
	for (int i = 0; i < THREADS; i++)
		check(pthread_join(threads[i], NULL) == 0, round, "pthread_join");
	check(total == (uint64_t)TERMS * (TERMS + 1) / 2, round, "the threads' sum");
	struct sigaction a = { .sa_handler = on_usr1 };
	sigset_t usr1, none;
	sigemptyset(&usr1);
	sigemptyset(&none);
	sigaddset(&usr1, SIGUSR1);
	sigaction(SIGUSR1, &a, NULL);
	caught = 0;
	raise(SIGUSR1);
	check(caught == SIGUSR1, round, "a handler of its own signal");
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	pid_t waiter = fork();
	if (waiter == 0) {
		caught = 0;
		sigsuspend(&none);
		_exit(caught == SIGUSR1 ? 10 + round % 10 : 1);
	}
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	int status = 0, stopped = 0, killed = 0;
	check(kill(waiter, SIGUSR1) == 0 && waitpid(waiter, &status, 0) == waiter, round,
	      "the child's sigsuspend");
	pid_t quick = vfork();	// the parent goes on once the child has ended
	if (quick == 0)
		_exit(20 + round % 10);
	int vforked = 0;
	check(quick > 0 && waitpid(quick, &vforked, 0) == quick &&
	      WEXITSTATUS(vforked) == 20 + round % 10, round, "vfork");
	pid_t sleeper = fork();
	if (sleeper == 0)
		for (;;)
			usleep(5000);
	check(kill(sleeper, SIGSTOP) == 0 && waitpid(sleeper, &stopped, WUNTRACED) == sleeper &&
	      kill(sleeper, SIGCONT) == 0 && kill(sleeper, SIGKILL) == 0 &&
	      waitpid(sleeper, &killed, 0) == sleeper, round, "stop, continue, kill");
	check(WIFSTOPPED(stopped) && WIFSIGNALED(killed) && WTERMSIG(killed) == SIGKILL, round,
	      "the stopped and killed child's statuses");
	uint64_t h = digest(&total, sizeof(total), 0);
	h = digest(&status, sizeof(status), h);
	h = digest(&vforked, sizeof(vforked), h);
	h = digest(&stopped, sizeof(stopped), h);
	return digest(&killed, sizeof(killed), h);
}

static void identity(int round)
{
	struct utsname u;
	check(getpid() == 1, round, "getpid");
	check(uname(&u) == 0 && strcmp(u.sysname, "XINIM") == 0, round, "uname");
	struct timespec a, b;
	check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, round, "clock_gettime");
	check(clock_gettime(CLOCK_MONOTONIC, &b) == 0, round, "clock_gettime again");
	check(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec), round,
	      "the monotonic clock goes forward");
	// Credentials and limits, each change told to VFS or MM; root again at the end.
	gid_t groups[2] = { (gid_t)round, 100 }, got[2];
	check(setgroups(2, groups) == 0 && getgroups(2, got) == 2 && got[0] == (gid_t)round,
	      round, "setgroups");
	check(setresgid(-1, 50 + round, -1) == 0 && getegid() == (gid_t)(50 + round) &&
	      setresgid(-1, 0, -1) == 0, round, "setresgid there and back");
	uid_t r, e, saved;
	check(setresuid(-1, 1000 + round, -1) == 0 && getresuid(&r, &e, &saved) == 0 && r == 0 &&
	      e == (uid_t)(1000 + round) && saved == 0 && setuid(0) == 0 && geteuid() == 0,
	      round, "seteuid there and back");
	struct rlimit files = { 64 + round, 128 }, data = { UINT64_C(1) << 40, RLIM_INFINITY };
	check(setrlimit(RLIMIT_NOFILE, &files) == 0 && setrlimit(RLIMIT_DATA, &data) == 0 &&
	      getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur == (rlim_t)(64 + round),
	      round, "setrlimit");
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS;
	for (int round = 1; round <= rounds; round++) {
		uint64_t f = files(round), m = memory(round), t = tree(round), s = sharing(round);
		uint64_t g = signals_and_threads(round);
		identity(round);
		printf("round %d: files %016llx memory %016llx tree %016llx shared %016llx "
		       "signals %016llx\n", round, (unsigned long long)f, (unsigned long long)m,
		       (unsigned long long)t, (unsigned long long)s, (unsigned long long)g);
	}
	printf("resurrection_workload: %d failures\n", failures);
	if (argc > 2 && !failures) {	// then the command the rest of the line names
		fflush(stdout);
		execv(argv[2], argv + 2);
		printf("resurrection_workload: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return failures ? 1 : 0;
}
