// The IPC test server: its handlers are the rows of its table; see ipc_test.h.
#include <errno.h>
#include <string.h>
#include <libipc/server.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

#define CLIENTS 16
#define DEFERRED 3

struct client {
	xinim_endpoint_t endpoint;	// 0: a free slot
	uint64_t last, calls, out_of_order;
};

static struct client clients[CLIENTS];

struct deferred {
	xinim_endpoint_t caller;
	uint64_t id, token;
};

static struct deferred waiting[DEFERRED];
static unsigned waiting_count;
static uint32_t notifications;
static uint64_t notified_bits;

static struct client *client_of(xinim_endpoint_t endpoint)
{
	for (unsigned i = 0; i < CLIENTS; i++)
		if (clients[i].endpoint == endpoint || !clients[i].endpoint) {
			clients[i].endpoint = endpoint;
			return &clients[i];
		}
	return NULL;
}

static long echo_0(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request, (void)reply;
	return 0;
}

static long echo_64(const struct ipc_request *request, struct xinim_msg *reply)
{
	for (unsigned i = 0; i < XINIM_PAYLOAD_MAX; i++)
		reply->payload[i] = (uint8_t)(request->msg.payload[i] + 1);
	reply->header.length = XINIM_PAYLOAD_MAX;
	return 0;
}

static long sequence(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct test_sequence in;
	memcpy(&in, request->msg.payload, sizeof(in));
	struct client *c = client_of(request->msg.header.source);
	if (!c)
		return -ENOSPC;
	c->out_of_order += in.number != c->last + 1;
	c->last = in.number;
	c->calls++;
	struct test_sequence out = { .number = in.number, .check = in.number * TEST_CHECK };
	memcpy(reply->payload, &out, sizeof(out));
	reply->header.length = sizeof(out);
	return 0;
}

// Keeps the call; the third one releases all three, answered in the order 3rd, 1st, 2nd.
static long defer(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct deferred *d = &waiting[waiting_count++];
	d->caller = request->msg.header.source;
	d->id = request->msg.header.id;
	memcpy(&d->token, request->msg.payload, sizeof(d->token));
	if (waiting_count < DEFERRED)
		return IPC_DEFERRED;
	static const unsigned order[DEFERRED] = { 2, 0, 1 };
	for (unsigned i = 0; i < DEFERRED; i++) {
		struct deferred *answer = &waiting[order[i]];
		struct xinim_msg msg = { .header = { .id = answer->id, .length = sizeof(uint64_t) } };
		uint64_t value = answer->token * 3;
		memcpy(msg.payload, &value, sizeof(value));
		long err = ipc_reply(answer->caller, 0, &msg);
		print("ipc_echo: deferred reply %u to %x, which came %u of 3 (token %lu): %ld\n", i + 1,
		      answer->caller, order[i] + 1,
		      (unsigned long)answer->token, err);
	}
	waiting_count = 0;
	return IPC_DEFERRED;
}

static long ignore(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request, (void)reply;
	return IPC_DEFERRED;
}

static long stats(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct client *c = client_of(request->msg.header.source);
	struct test_stats out = {
		.sequence_calls = c ? c->calls : 0, .out_of_order = c ? c->out_of_order : 0,
		.refused_bad_tag = ipc_refused(XINIM_TRACE_BAD_TAG),
		.refused_replay = ipc_refused(XINIM_TRACE_REPLAY),
		.server_cpu = (uint32_t)debug_cpu(), .notifications = notifications,
		.notified_bits = notified_bits,
	};
	memcpy(reply->payload, &out, sizeof(out));
	reply->header.length = sizeof(out);
	return 0;
}

static const struct ipc_route routes[] = {
	[TEST_ECHO_0 - TEST_ECHO_0] = { echo_0, 0 },
	[TEST_ECHO_64 - TEST_ECHO_0] = { echo_64, XINIM_PAYLOAD_MAX },
	[TEST_SEQUENCE - TEST_ECHO_0] = { sequence, sizeof(struct test_sequence) },
	[TEST_DEFER - TEST_ECHO_0] = { defer, sizeof(uint64_t) },
	[TEST_IGNORE - TEST_ECHO_0] = { ignore, 0 },
	[TEST_STATS - TEST_ECHO_0] = { stats, 0 },
};

static void notified(const struct xinim_notification *note)
{
	notifications++;
	notified_bits |= note->bits;
	print("ipc_echo: notified by %x: bits %lx\n", note->from, (unsigned long)note->bits);
}

static const struct ipc_table table = {
	.first = TEST_ECHO_0, .count = sizeof(routes) / sizeof(routes[0]), .routes = routes,
	.notified = notified,
};

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	xinim_kcall(KCALL_DEBUG_PIN, 1, 0);	// CPU 1 where there is one, so clients can choose
	print("ipc_echo: serving as %x on cpu %ld\n", ipc_self(), debug_cpu());
	ipc_serve(&table);
}
