// 10,000 calls to the test server from another CPU, each reply checked; then the server
// is asked how many it saw and whether they came in order. The messages take turns
// between a buffer the kernel moves in one copy and two it must copy piece by piece.
#include <string.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

#define CALLS 10000

static long call_stats(struct test_stats *out)
{
	struct xinim_msg msg = { .header = { .type = TEST_STATS } };
	long result = ipc_call(test_server(), &msg, XINIM_WAIT_FOREVER);
	memcpy(out, msg.payload, sizeof(*out));
	return result;
}

static _Alignas(4096) unsigned char arena[3 * 4096];

// Where call n's message lies: on the stack, across a page boundary, or misaligned.
static struct xinim_msg *placed(uint64_t n, struct xinim_msg *on_stack)
{
	static struct xinim_msg *const elsewhere[] = {
		(struct xinim_msg *)(arena + 4096 - 64), (struct xinim_msg *)(arena + 2 * 4096 + 4),
	};
	return n % 3 ? elsewhere[n % 3 - 1] : on_stack;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	xinim_kcall(KCALL_DEBUG_PIN, 0, 0);
	unsigned failed = 0, mismatched = 0;
	for (uint64_t n = 1; n <= CALLS; n++) {
		struct test_sequence out = { .number = n }, in;
		struct xinim_msg on_stack, *msg = placed(n, &on_stack);
		memset(msg, 0, sizeof(*msg));
		msg->header.type = TEST_SEQUENCE;
		msg->header.length = sizeof(out);
		memcpy(msg->payload, &out, sizeof(out));
		long result = ipc_call(test_server(), msg, XINIM_WAIT_FOREVER);
		memcpy(&in, msg->payload, sizeof(in));
		if (result != 0) {
			if (failed++ < 5)
				print("ipc_client: call %lu failed: %ld\n", (unsigned long)n, result);
		} else if (msg->header.length != sizeof(in) || in.number != n ||
			   in.check != n * TEST_CHECK) {
			mismatched++;
		}
	}
	struct test_stats stats;
	long result = call_stats(&stats);
	print("ipc_client: %d calls from cpu %ld to the server on cpu %u: %u failed, %u "
	      "mismatched; server saw %lu, %lu out of order (stats %ld)\n", CALLS, debug_cpu(),
	      stats.server_cpu, failed, mismatched, (unsigned long)stats.sequence_calls,
	      (unsigned long)stats.out_of_order, result);
	return failed || mismatched || result || stats.sequence_calls != CALLS ||
	       stats.out_of_order;
}
