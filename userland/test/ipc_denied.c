// Sends to the test server without a capability for it: the kernel refuses with
// -EACCES and the trace shows the refusal with this program as the source.
#include <errno.h>
#include <libipc/ipc.h>
#include <libipc/transport.h>
#include <xinim/ipc/trace.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

#define RECORDS 64

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct xinim_msg msg = { .header = { .type = TEST_ECHO_0 } };
	long sent = ipc_send(test_server(), &msg, XINIM_WAIT_FOREVER);
	long lookup = ipc_lookup(XINIM_PID_TEST);
	// Past libipc, which would not seal without a channel: the backend's kernel call.
	struct xinim_msg raw = { .header = { .dest = test_server(), .type = TEST_ECHO_0 } };
	long raw_sent = transport_send(&raw, 0);
	static struct xinim_trace_record records[RECORDS];
	long count = xinim_kcall(KCALL_TRACE_READ, (long)records, RECORDS);
	unsigned denied = 0;
	for (long i = 0; i < count; i++)
		if (records[i].source == ipc_self() && records[i].event == XINIM_TRACE_SEND &&
		    records[i].verdict == XINIM_TRACE_DENIED && records[i].dest == test_server())
			denied++;
	print("ipc_denied: send %ld, lookup %ld, raw send %ld; %u denied sends from %x in the "
	      "trace (%ld records read)\n", sent, lookup, raw_sent, denied, ipc_self(), count);
	return !(sent == -EACCES && lookup == -EACCES && raw_sent == -EACCES && denied == 1);
}
