// Ends each program started before it on the command line (run=VICTIM,...,proc_ender,
// PIDs 16 up) with KCALL_PROC_END, as PM ends a process, and checks that each is gone
// soon after: a process must die whatever it is doing (computing, blocked in a receive,
// or in a call this program has taken). A call taken from a victim that was then ended
// can be neither answered nor copied from: -ESRCH. Holds the process and copy rights.
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/runtime.h>

#define FIRST_VICTIM 16
#define PATIENCE_US 200000	// 20 timer ticks
#define POLL_US 10000

static int failures;

static void check(int ok, const char *what, long value)
{
	print("proc_ender: %s (%ld): %s\n", what, value, ok ? "ok" : "FAILED");
	failures += !ok;
}

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
	static struct xinim_msg call, answer;
	xinim_kcall(KCALL_DEBUG_SLEEP, 30000, 0);	// each victim is where it should be
	// A victim's call, if one calls: taken, and left unanswered.
	long received = xinim_kcall(KCALL_IPC_RECEIVE, (long)&call, 0);
	for (unsigned pid = FIRST_VICTIM; pid < FIRST_VICTIM + victims; pid++) {
		long endpoint = xinim_kcall(KCALL_IPC_LOOKUP, pid, 0);
		long err = endpoint < 0 ? endpoint : xinim_kcall(KCALL_PROC_END, endpoint, 0);
		print("proc_ender: process %u ended (%ld): %s\n", pid, err,
		      err == 0 && gone(pid, endpoint) ? "ok" : "FAILED");
		failures += !(err == 0 && gone(pid, endpoint));
	}
	if (received == XINIM_RECEIVED_CALL) {
		uint64_t word;
		long copied = xinim_kcall4(KCALL_COPY_FROM, call.header.source, 0x1000, (long)&word,
					   sizeof(word));
		check(copied == -ESRCH, "a copy from the ended caller is refused", copied);
		answer.header = (struct xinim_msg_header){ .dest = call.header.source,
							   .flags = XINIM_MSG_CLEAR,
							   .id = call.header.id };
		long replied = xinim_kcall(KCALL_IPC_REPLY, (long)&answer, 0);
		check(replied == -ESRCH, "a reply to the ended caller is refused", replied);
	}
	print("proc_ender: %d failures\n", failures);
	return failures;
}
