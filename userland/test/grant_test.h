#pragma once
// The protocol of the grant test (tests/boot/grants.sh): a server (grant_server, PID
// XINIM_PID_TEST) grants the buffer of a parked caller (grant_caller) to a second
// process (grant_grantee), which copies through the grants and checks every refusal.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>

enum grant_test_msg {
	GRANT_TEST_READY = XINIM_MSG_TEST_FIRST + 50,	// grantee: parked until a caller lends;
							// -> struct grant_test_grants
	GRANT_TEST_LEND,	// caller: struct grant_test_lend; answered after GRANT_TEST_ENDED
	GRANT_TEST_COPIED,	// grantee: done copying; -> the write grant ended by GRANT_END
	GRANT_TEST_ENDED,	// grantee: -> the caller answered, which ends the read grant
};

struct grant_test_lend {
	uint64_t va, length;
};

struct grant_test_grants {
	uint64_t read, write;	// the handles: the whole buffer, each one way
	uint64_t length;
	int64_t refusals_wrong;	// of the server's own checks (GRANT_MAKE's refusals)
};

// What the caller lends: the grantee writes GRANT_TEST_WRITTEN over its start.
#define GRANT_TEST_LENGTH 8192
#define GRANT_TEST_TEXT "lent by grant_caller"
#define GRANT_TEST_WRITTEN "WRITTEN"

static inline xinim_endpoint_t grant_test_server(void) { return xinim_endpoint(XINIM_PID_TEST, 1); }
