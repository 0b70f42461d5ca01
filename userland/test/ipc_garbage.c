// Sends the test server a call whose ciphertext and tag are garbage: the server's codec
// refuses it and answers -EBADMSG (the result is in the clear header), counts it, and
// goes on serving: the next proper call works.
#include <errno.h>
#include <string.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include "../lib/xinim.h"

static long raw_call(struct xinim_msg *msg)
{
	register long x0 __asm__("x0") = (long)msg;
	register long x1 __asm__("x1") = (long)XINIM_WAIT_FOREVER;
	register long x8 __asm__("x8") = KCALL_IPC_CALL;
	__asm__ volatile("svc #1" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
	return x0;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct xinim_msg first = { .header = { .type = TEST_ECHO_0 } };
	long before = ipc_call(test_server(), &first, XINIM_WAIT_FOREVER);
	struct xinim_msg garbage = { .header = {
		.source = ipc_self(), .dest = test_server(), .type = TEST_ECHO_64,
		.length = XINIM_PAYLOAD_MAX, .sequence = 1000000 } };
	for (unsigned i = 0; i < XINIM_MSG_SIZE - XINIM_HEADER_SIZE; i++)
		garbage.payload[i] = (uint8_t)(i * 37 + 11);
	long sent = raw_call(&garbage);
	int32_t verdict = garbage.header.type;
	struct xinim_msg stats_msg = { .header = { .type = TEST_STATS } };
	long after = ipc_call(test_server(), &stats_msg, XINIM_WAIT_FOREVER);
	struct test_stats stats;
	memcpy(&stats, stats_msg.payload, sizeof(stats));
	print("ipc_garbage: first call %ld; garbage call %ld answered %d from %x; next call %ld, "
	      "server refused %lu bad tags\n", before, sent, verdict, garbage.header.source, after,
	      (unsigned long)stats.refused_bad_tag);
	return !(before == 0 && sent == 0 && verdict == -EBADMSG && after == 0 &&
		 stats.refused_bad_tag == 1);
}
