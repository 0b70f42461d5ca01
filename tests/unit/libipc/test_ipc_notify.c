// Notifications over the hosted backend: bits ORed per notifier until received, and
// delivered as a message from the kernel, sealed on the kernel's channel to the receiver.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <xinim/codec.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/transport.h>	// the backend itself, to see the message as it arrives
#include "harness.h"

// What a notified process saw: the raw message, then the same message opened.
struct notified_case {
	long kind, channel, again;
	uint64_t badge;
	struct xinim_msg raw, opened;
	enum xinim_trace_verdict verdict;
	struct ipc_request request;
	long request_result;
};

// Notifies dest three times: bits 0x1, 0x4 and 0x1 again; then with no bits at all.
struct notifier_case {
	xinim_endpoint_t dest;
	long results[3], no_bits;
};

static void notifier(struct proc *p)
{
	struct notifier_case *c = p->arg;
	c->results[0] = ipc_notify(c->dest, 0x1);
	c->results[1] = ipc_notify(c->dest, 0x4);
	c->results[2] = ipc_notify(c->dest, 0x1);
	c->no_bits = ipc_notify(c->dest, 0);
}

// Waits for release, then takes the pending notification raw and opens it itself.
static void notified_raw(struct proc *p)
{
	struct notified_case *n = p->arg;
	wait_for_release(p);
	n->badge = 99;
	n->kind = transport_receive(&n->raw, 0, &n->badge);	// must already be there
	struct xinim_channel key;
	n->channel = transport_channel(XINIM_ENDPOINT_KERNEL, XINIM_FROM_PEER, &key);
	struct codec_channel rx;
	codec_channel_init(&rx, &key);
	n->opened = n->raw;
	n->verdict = codec_open(&rx, &n->opened);
	struct xinim_msg msg;
	n->again = transport_receive(&msg, 0, &n->badge);	// delivered once only
}

static void test_notifications_are_ored_and_arrive_sealed_from_the_kernel(void **state)
{
	(void)state;
	struct proc receiver, sender_proc;
	struct notified_case n = { 0 };
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&receiver, SERVER, notified_raw, &n);
	struct notifier_case sent = { .dest = receiver.endpoint, .results = { -1, -1, -1 } };
	proc_start(&sender_proc, CLIENT, notifier, &sent);
	proc_join(&sender_proc);
	sem_post(&release);
	proc_join(&receiver);

	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(sent.results[i], 0);
	assert_int_equal(sent.no_bits, -EINVAL);
	assert_int_equal(n.kind, 0);
	assert_int_equal(n.badge, 0);
	assert_int_equal(n.raw.header.source, XINIM_ENDPOINT_KERNEL);
	assert_int_equal(n.raw.header.dest, receiver.endpoint);
	assert_int_equal(n.raw.header.type, XINIM_MSG_NOTIFY);
	assert_int_equal(n.raw.header.flags, 0);	// sealed, not clear
	assert_int_equal(n.raw.header.length, sizeof(struct xinim_notification));
	struct xinim_notification plain = { .from = sender_proc.endpoint, .bits = 0x5 };
	assert_memory_not_equal(n.raw.payload, &plain, sizeof(plain));
	assert_int_equal(n.channel, 0);
	assert_int_equal(n.verdict, XINIM_TRACE_OK);
	assert_memory_equal(n.opened.payload, &plain, sizeof(plain));
	assert_int_equal(n.again, -ETIMEDOUT);
}

// Blocks in ipc_receive until a notification wakes it.
static void notified_ipc(struct proc *p)
{
	struct notified_case *n = p->arg;
	n->request_result = ipc_receive(&n->request, CALL_TIMEOUT_US);
}

static void test_a_notification_wakes_ipc_receive(void **state)
{
	(void)state;
	struct proc receiver, sender_proc;
	struct notified_case n = { 0 };
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&receiver, SERVER, notified_ipc, &n);
	struct notifier_case sent = { .dest = receiver.endpoint, .results = { -1, -1, -1 } };
	proc_start(&sender_proc, CLIENT, notifier, &sent);
	proc_join(&sender_proc);
	proc_join(&receiver);

	assert_int_equal(sent.results[0], 0);
	assert_int_equal(n.request_result, 0);
	assert_false(n.request.is_call);
	assert_int_equal(n.request.msg.header.source, XINIM_ENDPOINT_KERNEL);
	assert_int_equal(n.request.msg.header.type, XINIM_MSG_NOTIFY);
	struct xinim_notification got;
	memcpy(&got, n.request.msg.payload, sizeof(got));
	assert_int_equal(got.from, sender_proc.endpoint);
	assert_true(got.bits & 0x1);	// the receiver may have woken before the second bit
}

static int setup(void **state)
{
	(void)state;
	return harness_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_notifications_are_ored_and_arrive_sealed_from_the_kernel, setup),
		cmocka_unit_test_setup(test_a_notification_wakes_ipc_receive, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
