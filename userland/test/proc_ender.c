// Ends each program started before it on the command line (run=VICTIM,...,proc_ender,
// PIDs 16 up) with KCALL_PROC_END, as PM ends a process, and checks that each is gone
// soon after: a process must die whatever it is doing. Holds the process right for it.
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>

#define FIRST_VICTIM 16
#define PATIENCE_US 200000	// 20 timer ticks
#define POLL_US 10000

// Whether pid's instance endpoint is gone within PATIENCE_US.
static int gone(unsigned pid, long endpoint)
{
	for (long waited = 0; waited <= PATIENCE_US; waited += POLL_US) {
		if (xinim_kcall(KCALL_IPC_LOOKUP, pid, 0) != endpoint)
			return 1;
		xinim_kcall(KCALL_DEBUG_SLEEP, POLL_US, 0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned victims = argc > 1 ? (unsigned)(argv[1][0] - '0') : 0;
	int failures = 0;
	xinim_kcall(KCALL_DEBUG_SLEEP, 30000, 0);	// each victim is where it should be
	for (unsigned pid = FIRST_VICTIM; pid < FIRST_VICTIM + victims; pid++) {
		long endpoint = xinim_kcall(KCALL_IPC_LOOKUP, pid, 0);
		long err = endpoint < 0 ? endpoint : xinim_kcall(KCALL_PROC_END, endpoint, 0);
		int ok = err == 0 && gone(pid, endpoint);
		print("proc_ender: process %u ended (%ld): %s\n", pid, err, ok ? "ok" : "FAILED");
		failures += !ok;
	}
	print("proc_ender: %d failures\n", failures);
	return failures;
}
