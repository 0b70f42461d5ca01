// /sbin/init until a shell exists: says the system is up and how to run a program
// instead, then exits (PM reports it).
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("init: XINIM is up (pid %d); no shell yet: boot with init=/path to run a "
	       "program as PID 1\n", (int)getpid());
	return 0;
}
