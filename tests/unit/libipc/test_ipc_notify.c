// Notifications over the hosted backend: bits ORed per notifier until received,
// delivered as a message from the kernel, sealed on the kernel's channel to the receiver
// as it takes them, and served in turn with senders (kernel/ipc.c, receive).
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

// Four messages wait for the server: two sends and two notifications; it receives them
// without waiting and notes who each came from.
struct turns {
	xinim_endpoint_t server;
	long kinds[4];
	xinim_endpoint_t from[4];
};

static void receive_four(struct proc *p)
{
	struct turns *t = p->arg;
	wait_for_release(p);
	for (unsigned i = 0; i < 4; i++) {
		struct ipc_request request;
		t->kinds[i] = ipc_receive(&request, 0);
		struct xinim_notification note;
		memcpy(&note, request.msg.payload, sizeof(note));
		t->from[i] = request.msg.header.type == XINIM_MSG_NOTIFY ? note.from
									  : request.msg.header.source;
	}
}

// Sends, then stays until released: the server fetches a sender's key to open its
// message after the send has returned, and a dead sender's keys are gone.
static void send_one(struct proc *p)
{
	struct turns *t = p->arg;
	struct xinim_msg msg = { .header = { .type = ECHO, .length = 8 } };
	ipc_send(t->server, &msg, CALL_TIMEOUT_US);
	wait_for_release(p);
}

static void notify_one(struct proc *p)
{
	struct turns *t = p->arg;
	ipc_notify(t->server, 0x1);
}

static void test_receive_alternates_notifications_and_senders(void **state)
{
	(void)state;
	struct proc server, senders[2], notifiers[2];
	struct turns t = { 0 };
	for (unsigned pid = CLIENT; pid < CLIENT + 4; pid++)
		host_ipc_grant(pid, SERVER, BADGE);
	proc_start(&server, SERVER, receive_four, &t);
	t.server = server.endpoint;
	for (unsigned i = 0; i < 2; i++) {
		proc_start(&senders[i], CLIENT + i, send_one, &t);	// queued in this order
		assert_int_equal(trace_wait(XINIM_TRACE_SEND, XINIM_TRACE_OK, senders[i].endpoint,
					    server.endpoint), 0);
	}
	for (unsigned i = 0; i < 2; i++) {
		proc_start(&notifiers[i], CLIENT + 2 + i, notify_one, &t);
		proc_join(&notifiers[i]);
	}
	sem_post(&release);	// the senders wait in ipc_send until the server has begun
	proc_join(&server);
	sem_post(&release);
	sem_post(&release);
	for (unsigned i = 0; i < 2; i++)
		proc_join(&senders[i]);

	// As kernel/ipc.c's receive: after a notification, a sender goes first.
	const xinim_endpoint_t expected[4] = { notifiers[0].endpoint, senders[0].endpoint,
					       notifiers[1].endpoint, senders[1].endpoint };
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(t.kinds[i], 0);
		assert_int_equal(t.from[i], expected[i]);
	}
}

// A call of the kernel and a notification wait together; the server answers the call.
struct kernel_and_note {
	xinim_endpoint_t server, who;
	long kernel_result, replied;
	long kinds[2];
	int32_t types[2];
};

static void receive_both(struct proc *p)
{
	struct kernel_and_note *k = p->arg;
	wait_for_release(p);
	for (unsigned i = 0; i < 2; i++) {
		struct ipc_request request;
		k->kinds[i] = ipc_receive(&request, 0);
		k->types[i] = request.msg.header.type;
		struct xinim_msg reply = { .header = { .id = request.msg.header.id } };
		if (k->kinds[i] == 0 && request.is_call)
			k->replied = ipc_reply(XINIM_ENDPOINT_KERNEL, 7, &reply);
	}
}

static void kernel_calls(struct proc *p)
{
	struct kernel_and_note *k = p->arg;
	struct xinim_msg msg = { .header = { .type = ECHO, .length = 8 } };
	k->kernel_result = host_ipc_kernel_call(k->server, k->who, &msg, CALL_TIMEOUT_US);
}

static void test_kernel_call_and_notification_pending_together_both_open(void **state)
{
	(void)state;
	struct proc server, kernel, notifier;
	struct kernel_and_note k = { .who = fresh_endpoint(), .replied = -1 };
	host_ipc_grant(CLIENT + 1, SERVER, BADGE);
	proc_start(&server, SERVER, receive_both, &k);
	k.server = server.endpoint;
	proc_start(&kernel, CLIENT, kernel_calls, &k);
	assert_int_equal(trace_wait(XINIM_TRACE_CALL, XINIM_TRACE_OK, k.who, server.endpoint), 0);
	struct turns t = { .server = server.endpoint };
	proc_start(&notifier, CLIENT + 1, notify_one, &t);
	proc_join(&notifier);
	sem_post(&release);
	proc_join(&server);
	proc_join(&kernel);

	// The kernel seals both on its channel to the server as they are taken, so the
	// call, taken second though sent first, is no replay.
	assert_int_equal(k.kinds[0], 0);
	assert_int_equal(k.types[0], XINIM_MSG_NOTIFY);
	assert_int_equal(k.kinds[1], 0);
	assert_int_equal(k.types[1], ECHO);
	assert_int_equal(k.replied, 0);
	assert_int_equal(k.kernel_result, 7);
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
		cmocka_unit_test_setup(test_receive_alternates_notifications_and_senders, setup),
		cmocka_unit_test_setup(test_kernel_call_and_notification_pending_together_both_open, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
