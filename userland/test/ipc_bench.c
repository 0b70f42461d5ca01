// Instructions per call+reply round trip to the test server (pinned to CPU 1), with this
// client on the same CPU and then on CPU 0. Under `qemu -icount shift=0` the counter
// advances one tick per 16 instructions of all CPUs together, so ticks * 16 / calls is
// the round trip's cost, all CPUs counted. Lines: "bench NAME VALUE instructions".
#include <stdbool.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

#define WARMUP 100
#define CALLS 2000
#define INSTRUCTIONS_PER_TICK 16

// Average round trip in instructions; *clear tells whether the channel is unsealed.
static uint64_t measure(int32_t type, uint16_t length, bool *clear)
{
	struct xinim_msg msg;
	uint64_t start = 0;
	for (unsigned i = 0; i < WARMUP + CALLS; i++) {
		if (i == WARMUP)
			start = counter_ticks();
		msg = (struct xinim_msg){ .header = { .type = type, .length = length } };
		if (ipc_call(test_server(), &msg, XINIM_WAIT_FOREVER) != 0)
			return 0;
	}
	*clear = msg.header.flags & XINIM_MSG_CLEAR;
	return (counter_ticks() - start) * INSTRUCTIONS_PER_TICK / CALLS;
}

static void report(const char *where, const char *what, int32_t type, uint16_t length)
{
	bool clear = false;
	uint64_t cost = measure(type, length, &clear);
	print("bench ipc_rtt_%s_%s%s %lu instructions\n", where, clear ? "unsealed_" : "sealed_",
	      what, (unsigned long)cost);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	xinim_kcall(KCALL_DEBUG_PIN, 1, 0);
	report("same_cpu", "0B", TEST_ECHO_0, 0);
	report("same_cpu", "64B", TEST_ECHO_64, XINIM_PAYLOAD_MAX);
	xinim_kcall(KCALL_DEBUG_PIN, 0, 0);
	report("cross_cpu", "64B", TEST_ECHO_64, XINIM_PAYLOAD_MAX);
	return 0;
}
