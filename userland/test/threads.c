// Threads as musl's pthreads make them (docs/processes.md, Threads), run as PID 1
// (tests/boot/threads.sh): 8 threads summing under a mutex and handing work over with
// condition variables, thread IDs and TLS, timed waits, semaphores, a robust mutex whose
// owner died, a signal sent to one thread, 200 threads created and joined, exit of the
// process from a thread, fork and execve in a threaded process. It prints each check
// and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PREFIX "threads: "
#include "check.h"

static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }

#define WORKERS 8
#define TERMS 200000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static uint64_t sum;
static int started, go;
static unsigned cpus_seen;	// a bit for each CPU a worker ran on
static __thread int mine;

// Worker n adds its share of 1..TERMS, a term at a time under the lock, once all have
// started (so that they run side by side).
static void *worker(void *arg)
{
	int n = (int)(intptr_t)arg;
	mine = n;
	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_broadcast(&changed);
	while (!go)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
	for (uint64_t k = (uint64_t)n + 1; k <= TERMS; k += WORKERS) {
		pthread_mutex_lock(&lock);
		sum += k;
		if (k % 1000 < WORKERS) {
			int cpu = sched_getcpu();
			cpus_seen |= cpu >= 0 && cpu < 32 ? 1u << cpu : 0;
		}
		pthread_mutex_unlock(&lock);
	}
	return (void *)(intptr_t)(mine == n ? tid() : -1);
}

static void summing(void)
{
	pthread_t threads[WORKERS];
	for (int n = 0; n < WORKERS; n++)
		pthread_create(&threads[n], NULL, worker, (void *)(intptr_t)n);
	pthread_mutex_lock(&lock);
	while (started < WORKERS)
		pthread_cond_wait(&changed, &lock);
	go = 1;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	int distinct = 1;
	pid_t seen[WORKERS];
	for (int n = 0; n < WORKERS; n++) {
		void *result;
		pthread_join(threads[n], &result);
		seen[n] = (pid_t)(intptr_t)result;
		distinct &= seen[n] > 0 && seen[n] != getpid();
		for (int m = 0; m < n; m++)
			distinct &= seen[m] != seen[n];
	}
	check(sum == (uint64_t)TERMS * (TERMS + 1) / 2,
	      "8 threads summed 1..200000 under a mutex, started together by a condition variable");
	check(distinct, "each thread had its own TID and its own TLS, and pthread_join gave its result");
	check(__builtin_popcount(cpus_seen) >= 2, "the workers ran on more than one CPU (getcpu)");
}

static void timed_waits(void)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 20000000;
	if (until.tv_nsec >= 1000000000)
		until.tv_sec++, until.tv_nsec -= 1000000000;
	pthread_mutex_lock(&lock);
	int r = pthread_cond_timedwait(&changed, &lock, &until);
	pthread_mutex_unlock(&lock);
	check(r == ETIMEDOUT, "pthread_cond_timedwait times out with ETIMEDOUT");
}

static sem_t ping, pong;

static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++) {
		sem_wait(&ping);
		sem_post(&pong);
	}
	return NULL;
}

static void semaphores(void)
{
	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, ponger, NULL);
	int rounds = 0;
	for (int i = 0; i < 1000; i++) {
		sem_post(&ping);
		rounds += sem_wait(&pong) == 0;
	}
	pthread_join(t, NULL);
	check(rounds == 1000, "1000 semaphore ping-pongs between two threads");
}

static uint32_t word1, word2;
static volatile int woke;

static void *waits_on_word2(void *arg)
{
	sem_post(arg);
	while (__atomic_load_n(&word2, __ATOMIC_ACQUIRE) == 0)
		syscall(SYS_futex, &word2, 128 /* FUTEX_WAIT_PRIVATE */, 0, NULL, NULL, 0);
	woke = 1;
	return NULL;
}

// FUTEX_WAKE_OP as glibc's condition variables once used it: word2 set to 5 atomically;
// its old value 0 compares equal to 0, so a waiter on word2 is woken.
static void wake_op(void)
{
	sem_t ready;
	sem_init(&ready, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, waits_on_word2, &ready);
	sem_wait(&ready);
	usleep(20000);	// it waits by now
	uint32_t op = 0u << 28 | 0u << 24 | 5u << 12 | 0u;	// FUTEX_OP(SET, 5, EQ, 0)
	long woken = syscall(SYS_futex, &word1, 5 /* FUTEX_WAKE_OP */, 1, 1, &word2, op);
	pthread_join(t, NULL);
	check(woken == 1 && woke && word2 == 5 && word1 == 0,
	      "FUTEX_WAKE_OP: the word set atomically, the waiter on it woken");
}

static pthread_mutex_t robust;

static void *dies_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL;	// ends without unlocking
}

static void robust_mutex(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &a);
	pthread_t t;
	pthread_create(&t, NULL, dies_holding, NULL);
	pthread_join(t, NULL);
	int r = pthread_mutex_lock(&robust);
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
	check(r == EOWNERDEAD, "a robust mutex whose owner ended: EOWNERDEAD");
}

static volatile pid_t handled_by;

static void on_usr1(int signal)
{
	(void)signal;
	handled_by = tid();
}

static void *waits_for_signal(void *arg)
{
	sem_t *ready = arg;
	sem_post(ready);
	while (!handled_by)
		usleep(1000);
	return (void *)(intptr_t)tid();
}

static void thread_signal(void)
{
	signal(SIGUSR1, on_usr1);
	sem_t ready;
	sem_init(&ready, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, waits_for_signal, &ready);
	sem_wait(&ready);
	pthread_kill(t, SIGUSR1);
	void *its;
	pthread_join(t, &its);
	check(handled_by == (pid_t)(intptr_t)its && handled_by != getpid(),
	      "pthread_kill: the handler ran in the thread it was sent to");
	signal(SIGUSR1, SIG_DFL);
}

static double seconds(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

// Spins in user mode between its clock's reads (each read is a call to PM, in which the
// thread waits and runs nothing: a loop of reads alone would hardly ever be running when
// the tick that counts CPU time comes).
static void *busy(void *arg)
{
	double *spent = arg;
	while (seconds(CLOCK_THREAD_CPUTIME_ID) < 0.03)
		for (volatile int i = 0; i < 100000; i++)
			;
	*spent = seconds(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

static void cpu_clocks(void)
{
	double spent = 0, before = seconds(CLOCK_THREAD_CPUTIME_ID);
	pthread_t t;
	pthread_create(&t, NULL, busy, &spent);
	pthread_join(t, NULL);
	double mine = seconds(CLOCK_THREAD_CPUTIME_ID) - before;
	check(spent >= 0.03 && mine < spent && seconds(CLOCK_PROCESS_CPUTIME_ID) >= spent,
	      "CLOCK_THREAD_CPUTIME_ID counts each thread's own time, the process's all of it");
}

static void *nothing(void *arg) { return arg; }

static void many(void)
{
	int joined = 0;
	for (int i = 0; i < 200; i++) {
		pthread_t t;
		void *r;
		if (pthread_create(&t, NULL, nothing, (void *)(intptr_t)i) == 0 &&
		    pthread_join(t, &r) == 0 && (intptr_t)r == i)
			joined++;
	}
	check(joined == 200, "200 threads created and joined one after another");
}

static void *spin(void *arg)
{
	(void)arg;
	for (;;)
		usleep(1000);
	return NULL;
}

static void *execs(void *arg)
{
	(void)arg;
	char *const argv[] = { "threads", "--after-exec", NULL };
	execve("/bin/threads", argv, NULL);
	_exit(99);
}

static void processes(void)
{
	int status = 0;
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, spin, NULL);
		usleep(10000);
		exit(3);	// exit_group: the spinning thread ends too
	}
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	      "exit from a threaded process ends all its threads");
	pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, spin, NULL);
		pthread_create(&t, NULL, execs, NULL);
		for (;;)
			usleep(1000);
	}
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 5,
	      "execve from a second thread: the others end, the program runs with its TID the PID");
	pthread_t t;
	pthread_create(&t, NULL, spin, NULL);
	pthread_detach(t);
	pid = fork();
	if (pid == 0)
		_exit(getpid() == tid() ? 4 : 1);
	check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 4,
	      "fork in a threaded process: the child runs its one thread");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--after-exec") == 0)
		return tid() == getpid() ? 5 : 6;
	summing();
	timed_waits();
	semaphores();
	wake_op();
	robust_mutex();
	thread_signal();
	cpu_clocks();
	many();
	processes();
	return check_summary();
}
