// Calls the test server with a message it never answers: the call must end with
// -ETIMEDOUT no sooner than its timeout, and the server must go on serving.
#include <errno.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

#define TIMEOUT_US 50000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct xinim_msg msg = { .header = { .type = TEST_IGNORE } };
	uint64_t start = counter_ticks();
	long result = ipc_call(test_server(), &msg, TIMEOUT_US);
	uint64_t waited_us = (counter_ticks() - start) * 1000000 / counter_hz();
	struct ipc_request request;
	long received = ipc_receive(&request, 0);
	struct xinim_msg echo = { .header = { .type = TEST_ECHO_0 } };
	long after = ipc_call(test_server(), &echo, XINIM_WAIT_FOREVER);
	print("ipc_timeout: call %ld after %lu us (timeout %u us); empty receive %ld; "
	      "next call %ld\n", result, (unsigned long)waited_us, TIMEOUT_US, received, after);
	return !(result == -ETIMEDOUT && waited_us >= TIMEOUT_US && received == -ETIMEDOUT &&
		 after == 0);
}
