// Lends a buffer to the grant test server, which grants it to grant_grantee; once
// answered, the grantee's write must be there and the rest as it was.
#include <string.h>
#include <libipc/ipc.h>
#include <xinim/runtime.h>
#include "grant_test.h"

static char buffer[GRANT_TEST_LENGTH];

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	memset(buffer, 'x', sizeof(buffer));
	memcpy(buffer, GRANT_TEST_TEXT, sizeof(GRANT_TEST_TEXT) - 1);
	struct grant_test_lend lend = { (uint64_t)buffer, sizeof(buffer) };
	struct xinim_msg msg = { .header = { .type = GRANT_TEST_LEND, .length = sizeof(lend) } };
	memcpy(msg.payload, &lend, sizeof(lend));
	long result = ipc_call(grant_test_server(), &msg, XINIM_WAIT_FOREVER);
	size_t written = sizeof(GRANT_TEST_WRITTEN) - 1;
	int good = result == 0 && memcmp(buffer, GRANT_TEST_WRITTEN, written) == 0 &&
		   memcmp(buffer + written, &GRANT_TEST_TEXT[written],
			  sizeof(GRANT_TEST_TEXT) - 1 - written) == 0 &&
		   buffer[sizeof(buffer) - 1] == 'x';
	char start[sizeof(GRANT_TEST_TEXT)] = { 0 };
	memcpy(start, buffer, sizeof(start) - 1);
	print("grant_caller: answered %ld; the buffer holds \"%s\": %s\n", result, start,
	      good ? "right" : "WRONG");
	return !good;
}
