// One of three clients whose calls the test server keeps and answers out of order.
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	uint64_t token = 100 + (argc > 1 ? strtoul(argv[1], NULL, 10) : 0);
	struct xinim_msg msg = { .header = { .type = TEST_DEFER, .length = sizeof(token) } };
	memcpy(msg.payload, &token, sizeof(token));
	long result = ipc_call(test_server(), &msg, XINIM_WAIT_FOREVER);
	uint64_t answer;
	memcpy(&answer, msg.payload, sizeof(answer));
	bool good = result == 0 && answer == token * 3;
	print("ipc_defer %lu: result %ld, answer %lu: %s\n", (unsigned long)token, result,
	      (unsigned long)answer, good ? "right" : "WRONG");
	return !good;
}
