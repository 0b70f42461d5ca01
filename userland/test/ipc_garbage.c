// Sends the test server a call whose ciphertext and tag are garbage: the server's codec
// refuses it and answers -EBADMSG (the result is in the clear header), counts it, and
// goes on serving: the next proper call works.
#include <errno.h>
#include <string.h>
#include <libipc/ipc.h>
#include <libipc/transport.h>	// the backend itself: a message ipc_call would not make
#include "ipc_test.h"
#include <xinim/runtime.h>

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
	long sent = transport_call(&garbage, XINIM_WAIT_FOREVER);	// unsealed by libipc
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
