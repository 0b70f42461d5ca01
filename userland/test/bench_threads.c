// Instructions per exchange between two threads of an unmodified musl program (bench.h),
// both pinned to CPU 0:
//   futex_pingpong       a round trip: this thread posts a round on one word and wakes
//                        the other (FUTEX_WAKE), which waits for it (FUTEX_WAIT), posts it
//                        on a second word and wakes this one, waiting there: two waits,
//                        two wakes and two switches a round;
//   pthread_create_join  pthread_create of a thread that returns at once, and its join.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "bench.h"

#define ROUND_TRIPS 500
#define THREADS 200
// <linux/futex.h>'s, which musl's headers do not have.
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static uint32_t ping, pong;	// the last round each side posted

static void wait_for(uint32_t *word, uint32_t round)
{
	uint32_t seen;
	while ((seen = __atomic_load_n(word, __ATOMIC_ACQUIRE)) != round)
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, NULL);
}

static void post(uint32_t *word, uint32_t round)
{
	__atomic_store_n(word, round, __ATOMIC_RELEASE);
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1);
}

static void *ponger(void *unused)
{
	(void)unused;
	for (uint32_t round = 1; round <= ROUND_TRIPS + 1; round++) {
		wait_for(&ping, round);
		post(&pong, round);
	}
	return NULL;
}

static bool futex_pingpong(void)
{
	pthread_t other;
	if (pthread_create(&other, NULL, ponger, NULL))
		return false;
	post(&ping, 1);	// warm: the other thread runs
	wait_for(&pong, 1);
	uint64_t start = counter_ticks();
	for (uint32_t round = 2; round <= ROUND_TRIPS + 1; round++) {
		post(&ping, round);
		wait_for(&pong, round);
	}
	uint64_t ticks = counter_ticks() - start;
	if (pthread_join(other, NULL))
		return false;
	bench_report("futex_pingpong", ticks, ROUND_TRIPS);
	return true;
}

static void *returns(void *unused) { return unused; }

static bool create_join(pthread_t *thread)
{
	return pthread_create(thread, NULL, returns, NULL) == 0 && pthread_join(*thread, NULL) == 0;
}

static bool pthread_create_join(void)
{
	pthread_t thread;
	bool right = create_join(&thread);	// warm
	uint64_t start = counter_ticks();
	for (int i = 0; i < THREADS && right; i++)
		right = create_join(&thread);
	uint64_t ticks = counter_ticks() - start;
	if (right)
		bench_report("pthread_create_join", ticks, THREADS);
	return right;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	bench_pin(0);
	if (!futex_pingpong() || !pthread_create_join()) {
		perror("bench_threads");
		return 1;
	}
	return 0;
}
