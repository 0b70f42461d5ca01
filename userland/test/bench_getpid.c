// Instructions per getpid() of an unmodified musl program, delegated to PM (PID 3) as
// a sealed call and back, from CNTVCT under -icount shift=0 (16 instructions per tick).
#include <unistd.h>
#include <xinim/runtime.h>

// Enough that the timer ticks of Linux (the reference, one each ~4 M instructions)
// falling in the loop or not move its average by under 0.5 %.
#define CALLS 10000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pid_t pid = getpid();	// the first call also fetches PM's keys
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		pid ^= getpid();
	uint64_t ticks = counter_ticks() - start;
	print("bench syscall_getpid %lu instructions (%d calls, %lu ticks, pid %d)\n",
	      ticks * 16 / CALLS, CALLS, ticks, pid);
	return 0;
}
