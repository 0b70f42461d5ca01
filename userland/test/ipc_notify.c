// Notifies the test server twice (bits 0x5, then 0x2): the bits reach it as a message
// the kernel sealed, ORed if the second came before it received the first.
#include <string.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	long first = ipc_notify(test_server(), 0x5);
	long second = ipc_notify(test_server(), 0x2);
	long none = ipc_notify(test_server(), 0);
	struct xinim_msg msg = { .header = { .type = TEST_STATS } };
	long result = ipc_call(test_server(), &msg, XINIM_WAIT_FOREVER);
	struct test_stats stats;
	memcpy(&stats, msg.payload, sizeof(stats));
	print("ipc_notify: notify %ld %ld, empty notify %ld; server got %u notifications, bits "
	      "%lx (stats %ld)\n", first, second, none, stats.notifications,
	      (unsigned long)stats.notified_bits, result);
	return !(first == 0 && second == 0 && none == -22 && result == 0 &&
		 stats.notified_bits == 0x7 && stats.notifications >= 1 && stats.notifications <= 2);
}
