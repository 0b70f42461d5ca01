// Timers for real (docs/processes.md, Timers), run as PID 1 (tests/boot/timers.sh):
// alarm, setitimer's intervals, getitimer, the CPU-time itimers, timer_create with
// SIGEV_SIGNAL (its siginfo), relative and absolute timer_settime, timer_gettime,
// overruns while the signal is blocked, musl's SIGEV_THREAD, errors, and what fork and
// execve do to timers. It prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PREFIX "timers: "
#include "check.h"

static volatile sig_atomic_t caught, caught_count, caught_code, caught_timer, caught_overrun;
static volatile intptr_t caught_value;

static void on_info(int signal, siginfo_t *info, void *context)
{
	(void)context;
	caught = signal;
	caught_count++;
	caught_code = info->si_code;
	caught_value = (intptr_t)info->si_value.sival_ptr;
	caught_timer = info->si_timerid;
	caught_overrun = info->si_overrun;
}

static void catch(int signal)
{
	struct sigaction a = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO };
	sigaction(signal, &a, NULL);
}

// Waits in sigsuspend, signal blocked otherwise, until count handlers ran (at most 100
// waits).
static void wait_for(int signal, int count)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, signal);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (int i = 0; i < 100 && caught_count < count; i++)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int64_t ns_of(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static int64_t now_ns(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return ns_of(t);
}

static void alarms(void)
{
	catch(SIGALRM);
	alarm(10);
	check(alarm(0) == 10, "alarm: a second alarm returns the first's seconds left");
	caught = caught_count = 0;
	int64_t start = now_ns(CLOCK_MONOTONIC);
	alarm(1);
	wait_for(SIGALRM, 1);
	int64_t took = now_ns(CLOCK_MONOTONIC) - start;
	check(caught == SIGALRM && caught_code == SI_KERNEL && took >= 1000000000,
	      "alarm(1): SIGALRM after a second, sigsuspend waiting");
	struct itimerval v = { .it_value = { 2, 0 } }, got;
	setitimer(ITIMER_REAL, &v, NULL);
	getitimer(ITIMER_REAL, &got);
	check(got.it_value.tv_sec == 1 || (got.it_value.tv_sec == 2 && !got.it_value.tv_usec),
	      "getitimer: the time left");
	v = (struct itimerval){ .it_value = { 0, 10000 }, .it_interval = { 0, 10000 } };
	caught_count = 0;
	setitimer(ITIMER_REAL, &v, NULL);
	wait_for(SIGALRM, 5);
	struct itimerval off = { 0 };
	setitimer(ITIMER_REAL, &off, &got);
	check(caught_count >= 5 && got.it_interval.tv_usec == 10000,
	      "setitimer: an interval of 10 ms fires again and again");
	getitimer(ITIMER_REAL, &got);
	check(!got.it_value.tv_sec && !got.it_value.tv_usec, "setitimer: a zero value disarms");
}

static void itimer_errors(void)
{
	struct itimerval v = { .it_value = { 0, 1000000 } };
	errno = 0;
	check(setitimer(ITIMER_REAL, &v, NULL) < 0 && errno == EINVAL,
	      "setitimer: a tv_usec of a second: EINVAL");
	errno = 0;
	check(getitimer(7, &v) < 0 && errno == EINVAL, "getitimer: no such timer: EINVAL");
	errno = 0;
	check(setitimer(ITIMER_REAL, (void *)8, NULL) < 0 && errno == EFAULT,
	      "setitimer: a bad pointer: EFAULT");
}

// Spins until signal's handler ran or the process has used `limit` s of CPU time,
// looking at the clock (a call to PM, where its time does not run) now and then.
static void spin_for(int signal, int limit)
{
	volatile unsigned work = 0;
	while (caught != signal && now_ns(CLOCK_PROCESS_CPUTIME_ID) < (int64_t)limit * 1000000000)
		for (unsigned i = 0; i < 100000 && caught != signal; i++)
			work++;
}

static void cpu_itimers(void)
{
	catch(SIGPROF);
	catch(SIGVTALRM);
	int64_t start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	struct itimerval v = { .it_value = { 0, 50000 } };
	caught = 0;
	setitimer(ITIMER_PROF, &v, NULL);
	spin_for(SIGPROF, 5);
	check(caught == SIGPROF && now_ns(CLOCK_PROCESS_CPUTIME_ID) - start >= 50000000,
	      "ITIMER_PROF: SIGPROF after 50 ms of CPU time");
	caught = 0;
	setitimer(ITIMER_VIRTUAL, &v, NULL);
	spin_for(SIGVTALRM, 10);
	check(caught == SIGVTALRM, "ITIMER_VIRTUAL: SIGVTALRM after 50 ms of user time");
}

static timer_t signal_timer(int signal, int value)
{
	struct sigevent e = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = signal,
			      .sigev_value.sival_int = value };
	timer_t id = 0;
	if (timer_create(CLOCK_MONOTONIC, &e, &id))
		check(0, "timer_create");
	return id;
}

static void posix_timers(void)
{
	catch(SIGUSR1);
	timer_t id = signal_timer(SIGUSR1, 77);
	struct itimerspec v = { .it_value = { 0, 20000000 } }, got;
	caught = caught_count = 0;
	timer_settime(id, 0, &v, NULL);
	wait_for(SIGUSR1, 1);
	check(caught == SIGUSR1 && caught_code == SI_TIMER && caught_value == 77 &&
	      caught_timer == (int)(intptr_t)id && !caught_overrun,
	      "timer_create: SIGEV_SIGNAL with si_code SI_TIMER, si_value and si_timerid");
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t at = ns_of(now) + 30000000;
	v = (struct itimerspec){ .it_value = { at / 1000000000, at % 1000000000 } };
	caught_count = 0;
	timer_settime(id, TIMER_ABSTIME, &v, NULL);
	wait_for(SIGUSR1, 1);
	check(caught_count == 1 && now_ns(CLOCK_MONOTONIC) >= at,
	      "timer_settime with TIMER_ABSTIME: the signal at that time");
	v = (struct itimerspec){ .it_value = { 5, 0 }, .it_interval = { 1, 0 } };
	timer_settime(id, 0, &v, NULL);
	timer_gettime(id, &got);
	check(got.it_value.tv_sec == 4 && got.it_interval.tv_sec == 1,
	      "timer_gettime: the time left and the interval");
	v = (struct itimerspec){ 0 };
	timer_settime(id, 0, &v, &got);
	check(got.it_value.tv_sec == 4, "timer_settime: the old value");
	errno = 0;
	check(timer_settime(id, 0, NULL, NULL) < 0 && errno == EINVAL,
	      "timer_settime without a value: EINVAL");
	check(timer_delete(id) == 0, "timer_delete");
	errno = 0;
	check(timer_gettime(id, &got) < 0 && errno == EINVAL, "a deleted timer: EINVAL");
	errno = 0;
	check(timer_create(99, NULL, &id) < 0 && errno == EINVAL, "timer_create: no such clock: EINVAL");
}

static void overruns(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	timer_t id = signal_timer(SIGUSR2, 5);
	struct itimerspec v = { .it_value = { 0, 10000000 }, .it_interval = { 0, 10000000 } };
	timer_settime(id, 0, &v, NULL);
	struct timespec pause = { 0, 100000000 };
	nanosleep(&pause, NULL);
	siginfo_t info;
	int signal = sigwaitinfo(&set, &info);
	int overrun = timer_getoverrun(id);
	timer_delete(id);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(signal == SIGUSR2 && info.si_code == SI_TIMER && info.si_overrun >= 3 &&
	      overrun == info.si_overrun,
	      "blocked for 10 intervals: si_overrun and timer_getoverrun count the expiries");
}

static atomic_int thread_calls;
static atomic_int thread_value;
static pthread_t main_thread;
static atomic_int other_thread;

static void on_expiry(union sigval v)
{
	atomic_store(&thread_value, v.sival_int);
	atomic_store(&other_thread, !pthread_equal(pthread_self(), main_thread));
	atomic_fetch_add(&thread_calls, 1);
}

static void thread_timer(void)
{
	main_thread = pthread_self();
	struct sigevent e = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_expiry,
			      .sigev_value.sival_int = 9 };
	timer_t id;
	check(timer_create(CLOCK_MONOTONIC, &e, &id) == 0, "SIGEV_THREAD: timer_create");
	struct itimerspec v = { .it_value = { 0, 10000000 }, .it_interval = { 0, 10000000 } };
	timer_settime(id, 0, &v, NULL);
	struct timespec pause = { 0, 10000000 };
	for (int i = 0; i < 200 && atomic_load(&thread_calls) < 3; i++)
		nanosleep(&pause, NULL);
	timer_delete(id);
	check(atomic_load(&thread_calls) >= 3 && atomic_load(&thread_value) == 9 &&
	      atomic_load(&other_thread),
	      "SIGEV_THREAD: the function runs in a thread of its own at each expiry");
}

static void fork_child(void)
{
	struct itimerval v = { .it_value = { 100, 0 } }, got = { 0 };
	setitimer(ITIMER_REAL, &v, NULL);
	timer_t id = signal_timer(SIGUSR1, 1);
	pid_t child = fork();
	if (!child) {
		getitimer(ITIMER_REAL, &got);
		struct itimerspec t;
		_exit(!got.it_value.tv_sec && timer_gettime(id, &t) < 0 ? 0 : 1);
	}
	int status = 0;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "fork: the child inherits no timer");
	timer_delete(id);
	if (!(child = fork())) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		pause();
		_exit(0);
	}
	waitpid(child, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM,
	      "alarm without a handler ends the process with SIGALRM");
}

// After the execve: ITIMER_REAL still armed, the timer_create one gone.
static int after_exec(int before, timer_t id)
{
	failures = before;
	struct itimerval got, off = { 0 };
	setitimer(ITIMER_REAL, &off, &got);
	check(got.it_value.tv_sec > 90, "execve: ITIMER_REAL is kept");
	struct itimerspec t;
	errno = 0;
	check(timer_gettime(id, &t) < 0 && errno == EINVAL, "execve: timer_create's timers are deleted");
	return check_summary();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "after-exec"))
		return after_exec(atoi(argv[2]), (timer_t)(intptr_t)atoi(argv[3]));
	alarms();
	itimer_errors();
	cpu_itimers();
	posix_timers();
	overruns();
	thread_timer();
	fork_child();
	struct itimerval v = { .it_value = { 100, 0 } };
	setitimer(ITIMER_REAL, &v, NULL);
	timer_t id = signal_timer(SIGUSR1, 1);
	char failed[16], timer[16];
	snprintf(failed, sizeof(failed), "%d", failures);
	snprintf(timer, sizeof(timer), "%d", (int)(intptr_t)id);
	char *args[] = { argv[0], "after-exec", failed, timer, NULL };
	execv("/bin/timers", args);
	check(0, "execve");
	return 1;
}
