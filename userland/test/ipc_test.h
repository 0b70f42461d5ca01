#pragma once
// The protocol of the IPC test server (ipc_echo, PID XINIM_PID_TEST) and its clients.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>

enum test_msg {
	TEST_ECHO_0 = XINIM_MSG_TEST_FIRST,	// empty -> empty
	TEST_ECHO_64,		// 64 bytes -> each byte plus one
	TEST_SEQUENCE,		// struct test_sequence: numbers must run 1, 2, 3... per client
	TEST_DEFER,		// uint64_t token: answered (token * 3) once three are waiting, out of order
	TEST_IGNORE,		// never answered
	TEST_STATS,		// -> struct test_stats about the caller
	TEST_LAST = TEST_STATS,
};

struct test_sequence {
	uint64_t number;
	uint64_t check;		// number * TEST_CHECK in the reply
};

#define TEST_CHECK 0x9e3779b97f4a7c15ull

struct test_stats {
	uint64_t sequence_calls;	// TEST_SEQUENCE calls from the caller
	uint64_t out_of_order;		// of them, numbers that did not follow the last
	uint64_t refused_bad_tag;	// messages the server's codec refused, from anyone
	uint64_t refused_replay;
	uint32_t server_cpu;
	uint32_t notifications;		// notification messages the server received
	uint64_t notified_bits;		// their bits ORed together
};

// The test server's endpoint: its first instance.
static inline xinim_endpoint_t test_server(void) { return xinim_endpoint(XINIM_PID_TEST, 1); }
