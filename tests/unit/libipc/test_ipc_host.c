// libipc's calls and server loop over the hosted backend: a server thread runs a small
// ipc_table, clients are other threads, and the hosted kernel enforces capabilities,
// generations, timeouts and sealing as XINIM's will.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <xinim/codec.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/server.h>
#include <libipc/transport.h>	// the backend itself, for messages ipc_call would not make
#include "harness.h"

static void test_call_round_trip_returns_the_handlers_result_and_payload(void **state)
{
	(void)state;
	struct proc server, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, serve, NULL);
	struct call c = echo_call(server.endpoint, 41);
	proc_start(&client, CLIENT, caller, &c);
	proc_join(&client);
	server_stop(&server);

	assert_int_equal(c.result, BADGE);	// the server saw the capability's badge
	assert_int_equal(c.answer, 42);
	assert_int_equal(c.answer_length, 8);
	assert_int_equal(c.answer_source, server.endpoint);
	assert_int_equal(c.answer_flags, 0);	// sealed
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_CALL, XINIM_TRACE_OK, client.endpoint,
				     server.endpoint), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_RECEIVE, XINIM_TRACE_OK,
				     client.endpoint, server.endpoint), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_REPLY, XINIM_TRACE_OK, server.endpoint,
				     client.endpoint), 1);
}

static void test_clear_channels_carry_calls_unsealed(void **state)
{
	(void)state;
	struct proc server, client;
	host_ipc_set_clear(true);
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, serve, NULL);
	struct call c = echo_call(server.endpoint, 41);
	proc_start(&client, CLIENT, caller, &c);
	proc_join(&client);
	server_stop(&server);

	assert_int_equal(c.result, BADGE);
	assert_int_equal(c.answer, 42);
	assert_int_equal(c.answer_flags, XINIM_MSG_CLEAR);
}

static void test_unknown_types_get_enosys_and_wrong_lengths_einval(void **state)
{
	(void)state;
	struct proc server, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, serve, NULL);
	struct call calls[] = {
		{ .dest = server.endpoint, .type = UNROUTED },
		{ .dest = server.endpoint, .type = TYPES_END, .length = 8 },
		{ .dest = server.endpoint, .type = ECHO - 1, .length = 8 },
		{ .dest = server.endpoint, .type = ECHO, .length = 4 },
		{ .dest = server.endpoint, .type = ECHO, .length = 64 },
	};
	const long expected[] = { -ENOSYS, -ENOSYS, -ENOSYS, -EINVAL, -EINVAL };
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		proc_start(&client, CLIENT, caller, &calls[i]);
		proc_join(&client);
		assert_int_equal(calls[i].result, expected[i]);
		assert_int_equal(calls[i].answer_length, 0);
	}
	server_stop(&server);
}

// A process with no capability to the server, either way.
struct stranger_case {
	struct call call;
	long notify, lookup, raw_call;
};

static void stranger(struct proc *p)
{
	struct stranger_case *s = p->arg;
	do_call(&s->call);
	s->notify = ipc_notify(s->call.dest, 1);
	s->lookup = ipc_lookup(SERVER);
	// Past the ipc layer, which has no keys for the server: the kernel refuses it too.
	struct xinim_msg msg = { .header = { .dest = s->call.dest, .type = ECHO,
					     .flags = XINIM_MSG_CLEAR } };
	s->raw_call = transport_call(&msg, CALL_TIMEOUT_US);
}

static void test_call_without_capability_is_denied_and_traced(void **state)
{
	(void)state;
	struct proc server, client, other;
	host_ipc_grant(SERVER, CLIENT, 1);	// the other way only: keys, but no right to call
	proc_start(&server, SERVER, serve, NULL);
	struct call c = echo_call(server.endpoint, 1);
	struct stranger_case s = { .call = echo_call(server.endpoint, 1) };
	proc_start(&client, CLIENT, caller, &c);
	proc_join(&client);
	proc_start(&other, CLIENT + 1, stranger, &s);
	proc_join(&other);
	server_stop(&server);

	assert_int_equal(c.result, -EACCES);
	assert_int_equal(s.call.result, -EACCES);
	assert_int_equal(s.notify, -EACCES);
	assert_int_equal(s.lookup, -EACCES);
	assert_int_equal(s.raw_call, -EACCES);
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_CALL, XINIM_TRACE_DENIED,
				     client.endpoint, server.endpoint), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_CALL, XINIM_TRACE_DENIED,
				     other.endpoint, server.endpoint), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_NOTIFY, XINIM_TRACE_DENIED,
				     other.endpoint, server.endpoint), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_RECEIVE, XINIM_TRACE_OK,
				     XINIM_ENDPOINT_NONE, server.endpoint), 0);
}

// A client of a restarted server: the old endpoint is dead, lookup finds the new one.
struct restart_case {
	xinim_endpoint_t old;
	long dead_result, raw_dead_result, lookup, live_result;
	struct call live;
};

static void restart_client(struct proc *p)
{
	struct restart_case *r = p->arg;
	struct call dead = echo_call(r->old, 1);
	do_call(&dead);
	r->dead_result = dead.result;	// refused already when the keys are asked for
	struct xinim_msg msg = { .header = { .dest = r->old, .type = ECHO } };
	r->raw_dead_result = transport_call(&msg, CALL_TIMEOUT_US);	// by the kernel
	r->lookup = ipc_lookup(SERVER);
	r->live = echo_call((xinim_endpoint_t)r->lookup, 7);
	do_call(&r->live);
}

static void test_call_to_a_dead_generation_gets_esrch(void **state)
{
	(void)state;
	struct proc first, second, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&first, SERVER, wait_for_release, NULL);
	sem_post(&release);
	proc_join(&first);
	proc_start(&second, SERVER, serve, NULL);
	struct restart_case r = { .old = first.endpoint };
	proc_start(&client, CLIENT, restart_client, &r);
	proc_join(&client);
	server_stop(&second);

	assert_int_equal(xinim_endpoint_generation(first.endpoint), 1);
	assert_int_equal(xinim_endpoint_generation(second.endpoint), 2);
	assert_int_equal(r.dead_result, -ESRCH);
	assert_int_equal(r.raw_dead_result, -ESRCH);
	assert_int_equal(r.lookup, second.endpoint);
	assert_int_equal(r.live.result, BADGE);
	assert_int_equal(r.live.answer, 8);
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_CALL, XINIM_TRACE_DEAD, client.endpoint,
				     first.endpoint), 1);
}

// A client that has met 300 generations of the server's PID (more than its table of
// peers holds), each dead: the server's live instance is still reached.
struct generations_case {
	xinim_endpoint_t live;
	long dead_result;
	struct call call;
};

static void generations_client(struct proc *p)
{
	struct generations_case *g = p->arg;
	unsigned live = xinim_endpoint_generation(g->live);
	for (unsigned gen = live + 1; gen <= live + 300; gen++) {
		struct call dead = echo_call(xinim_endpoint(SERVER, gen), 1);
		do_call(&dead);
		g->dead_result = dead.result;
	}
	g->call = echo_call(g->live, 7);
	do_call(&g->call);
}

static void test_a_client_reaches_a_server_after_meeting_300_generations_of_it(void **state)
{
	(void)state;
	struct proc server, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, serve, NULL);
	struct generations_case g = { .live = server.endpoint };
	proc_start(&client, CLIENT, generations_client, &g);
	proc_join(&client);
	server_stop(&server);
	assert_int_equal(g.dead_result, -ESRCH);
	assert_int_equal(g.call.result, BADGE);
	assert_int_equal(g.call.answer, 8);
}

static void test_deferred_replies_reach_three_callers_in_any_order(void **state)
{
	(void)state;
	struct proc server, clients[3];
	struct call calls[3];
	proc_start(&server, SERVER, serve, NULL);
	for (unsigned i = 0; i < 3; i++) {
		host_ipc_grant(CLIENT + i, SERVER, BADGE);
		calls[i] = (struct call){ .dest = server.endpoint, .type = DEFER, .length = 8,
					  .value = 100 + i };
		proc_start(&clients[i], CLIENT + i, caller, &calls[i]);
	}
	for (unsigned i = 0; i < 3; i++)
		proc_join(&clients[i]);
	server_stop(&server);

	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(deferred_replies[i], 0);
		assert_int_equal(calls[i].result, 100 + i);
		assert_int_equal(calls[i].answer, (100 + i) * 10);
	}
	// The replies went out in the reverse of the order the calls were received.
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t), received = 0, replied = 0;
	xinim_endpoint_t order[3];
	for (unsigned i = 0; i < n; i++) {
		if (t[i].verdict != XINIM_TRACE_OK)
			continue;	// the server's polls that timed out
		if (t[i].event == XINIM_TRACE_RECEIVE && t[i].dest == server.endpoint) {
			assert_in_range(received, 0, 2);
			order[received++] = t[i].source;
		} else if (t[i].event == XINIM_TRACE_REPLY) {
			assert_int_equal(received, 3);
			assert_int_equal(t[i].dest, order[2 - replied++]);
		}
	}
	assert_int_equal(received, 3);
	assert_int_equal(replied, 3);
}

static void test_call_times_out_when_the_server_never_receives(void **state)
{
	(void)state;
	struct proc server, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, wait_for_release, NULL);
	struct call c = echo_call(server.endpoint, 1);
	c.timeout_us = 50000;
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	proc_start(&client, CLIENT, caller, &c);
	proc_join(&client);
	clock_gettime(CLOCK_MONOTONIC, &end);
	sem_post(&release);
	proc_join(&server);

	assert_int_equal(c.result, -ETIMEDOUT);
	long elapsed_us = (end.tv_sec - start.tv_sec) * 1000000 +
			  (end.tv_nsec - start.tv_nsec) / 1000;
	assert_true(elapsed_us >= 50000);
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_CALL, XINIM_TRACE_TIMEOUT,
				     client.endpoint, server.endpoint), 1);
}

static void receive_then_die(struct proc *p)
{
	struct ipc_request request;
	*(long *)p->arg = ipc_receive(&request, CALL_TIMEOUT_US);
}

static void test_caller_of_a_server_that_dies_gets_eio(void **state)
{
	(void)state;
	struct proc server, client;
	long received = -1;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, receive_then_die, &received);
	struct call c = echo_call(server.endpoint, 1);
	proc_start(&client, CLIENT, caller, &c);
	proc_join(&client);
	proc_join(&server);

	assert_int_equal(received, 0);
	assert_int_equal(c.result, -EIO);
}

// A process that seals its own messages with keys it took itself, past the ipc layer.
struct raw_case {
	xinim_endpoint_t server;
	long channels, again, garbage_result, valid_result;
	enum xinim_trace_verdict garbage_verdict, valid_verdict;
	struct xinim_msg garbage, valid;	// the replies, opened
};

static long raw_call(struct codec_channel *tx, struct codec_channel *rx, xinim_endpoint_t self,
		     xinim_endpoint_t server, uint64_t id, bool damage, struct xinim_msg *msg,
		     enum xinim_trace_verdict *verdict)
{
	uint64_t value = id;
	*msg = (struct xinim_msg){ .header = { .source = self, .dest = server, .type = ECHO,
					       .length = 8, .id = id } };
	memcpy(msg->payload, &value, sizeof(value));
	codec_seal(tx, msg);
	if (damage)
		msg->payload[3] ^= 0x10;
	long result = transport_call(msg, CALL_TIMEOUT_US);
	*verdict = codec_open(rx, msg);
	return result;
}

static void raw_client(struct proc *p)
{
	struct raw_case *r = p->arg;
	struct xinim_channel to_key, from_key;
	r->channels = transport_channel(r->server, XINIM_TO_PEER, &to_key) ||
		      transport_channel(r->server, XINIM_FROM_PEER, &from_key);
	r->again = transport_channel(r->server, XINIM_TO_PEER, &to_key);
	struct codec_channel tx, rx;
	codec_channel_init(&tx, &to_key);
	codec_channel_init(&rx, &from_key);
	tx.counter = 1000;	// the damaged message gets sequence 1001, the valid one 1
	r->garbage_result = raw_call(&tx, &rx, p->endpoint, r->server, 99, true, &r->garbage,
				     &r->garbage_verdict);
	// Had the refused message moved the server's counter to 1001, this were a replay.
	tx.counter = 0;
	r->valid_result = raw_call(&tx, &rx, p->endpoint, r->server, 100, false, &r->valid,
				   &r->valid_verdict);
}

static void test_garbage_ciphertext_gets_ebadmsg_and_changes_nothing(void **state)
{
	(void)state;
	struct proc server, before, raw, after;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	host_ipc_grant(CLIENT + 1, SERVER, BADGE + 1);
	proc_start(&server, SERVER, serve, NULL);
	struct call first = echo_call(server.endpoint, 1), last = echo_call(server.endpoint, 2);
	struct raw_case r = { .server = server.endpoint };
	proc_start(&before, CLIENT, caller, &first);
	proc_join(&before);
	proc_start(&raw, CLIENT + 1, raw_client, &r);
	proc_join(&raw);
	proc_start(&after, CLIENT, caller, &last);
	proc_join(&after);
	server_stop(&server);

	assert_int_equal(r.channels, 0);
	assert_int_equal(r.again, -EALREADY);	// each end takes a key once
	assert_int_equal(r.garbage_result, 0);
	assert_int_equal(r.garbage_verdict, XINIM_TRACE_OK);
	assert_int_equal(r.garbage.header.type, -EBADMSG);
	assert_int_equal(r.garbage.header.id, 99);
	assert_int_equal(r.valid_result, 0);
	assert_int_equal(r.valid_verdict, XINIM_TRACE_OK);
	assert_int_equal(r.valid.header.type, BADGE + 1);
	assert_int_equal(u64_at(r.valid.payload), 101);
	assert_int_equal(first.result, BADGE);
	assert_int_equal(last.result, BADGE);
	assert_int_equal(last.answer, 3);
	assert_int_equal(server_bad_tags, 1);
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_REJECT, XINIM_TRACE_BAD_TAG,
				     raw.endpoint, server.endpoint), 1);
}

static void sender(struct proc *p)
{
	struct call *c = p->arg;
	struct xinim_msg msg = { .header = { .type = c->type, .length = c->length } };
	memcpy(msg.payload, &c->value, sizeof(c->value));
	c->result = ipc_send(c->dest, &msg, CALL_TIMEOUT_US);
}

static void test_send_returns_once_received_and_a_stray_reply_finds_no_caller(void **state)
{
	(void)state;
	struct proc server, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, serve, NULL);
	struct call c = echo_call(server.endpoint, 5);
	proc_start(&client, CLIENT, sender, &c);
	proc_join(&client);
	server_stop(&server);

	assert_int_equal(c.result, 0);
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_SEND, XINIM_TRACE_OK, client.endpoint,
				     server.endpoint), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_RECEIVE, XINIM_TRACE_OK,
				     client.endpoint, server.endpoint), 1);
	// The server's loop must not answer a send: no reply, and none to no one.
	assert_int_equal(trace_count(t, n, XINIM_TRACE_REPLY, XINIM_TRACE_OK,
				     XINIM_ENDPOINT_NONE, XINIM_ENDPOINT_NONE), 0);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_REPLY, XINIM_TRACE_NO_CALLER,
				     XINIM_ENDPOINT_NONE, XINIM_ENDPOINT_NONE), 0);
}

// Calls without waiting (refused) and sends without waiting: a send that may not wait
// still reaches a receiver blocked at that moment, as the kernel hands it over at once.
struct no_wait_case {
	xinim_endpoint_t server;
	long call, send;
	unsigned sends;
};

static void call_then_send_without_waiting(struct proc *p)
{
	struct no_wait_case *c = p->arg;
	struct xinim_msg msg = { .header = { .type = ECHO, .length = 8 } };
	c->call = ipc_call(c->server, &msg, 0);
	const struct timespec pause = { .tv_nsec = 1000000 };
	do {	// until the server has blocked in its receive
		msg = (struct xinim_msg){ .header = { .type = ECHO, .length = 8 } };
		c->send = ipc_send(c->server, &msg, 0);
	} while (c->send == -ETIMEDOUT && ++c->sends < 2000 && !nanosleep(&pause, NULL));
	wait_for_release(p);	// the server fetches our key to open the message
}

static void test_send_that_may_not_wait_reaches_a_blocked_receiver(void **state)
{
	(void)state;
	struct proc server, client;
	long received = -1;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, receive_then_die, &received);
	struct no_wait_case c = { .server = server.endpoint };
	proc_start(&client, CLIENT, call_then_send_without_waiting, &c);
	proc_join(&server);
	sem_post(&release);
	proc_join(&client);

	assert_int_equal(c.call, -EINVAL);	// it could never see its reply
	assert_int_equal(c.send, 0);
	assert_int_equal(received, 0);
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_CALL, XINIM_TRACE_INVALID,
				     client.endpoint, server.endpoint), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_SEND, XINIM_TRACE_TIMEOUT,
				     client.endpoint, server.endpoint), c.sends);
}

static int setup(void **state)
{
	(void)state;
	return harness_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_call_round_trip_returns_the_handlers_result_and_payload, setup),
		cmocka_unit_test_setup(test_clear_channels_carry_calls_unsealed, setup),
		cmocka_unit_test_setup(test_unknown_types_get_enosys_and_wrong_lengths_einval, setup),
		cmocka_unit_test_setup(test_call_without_capability_is_denied_and_traced, setup),
		cmocka_unit_test_setup(test_call_to_a_dead_generation_gets_esrch, setup),
		cmocka_unit_test_setup(test_a_client_reaches_a_server_after_meeting_300_generations_of_it,
				       setup),
		cmocka_unit_test_setup(test_deferred_replies_reach_three_callers_in_any_order, setup),
		cmocka_unit_test_setup(test_call_times_out_when_the_server_never_receives, setup),
		cmocka_unit_test_setup(test_caller_of_a_server_that_dies_gets_eio, setup),
		cmocka_unit_test_setup(test_garbage_ciphertext_gets_ebadmsg_and_changes_nothing, setup),
		cmocka_unit_test_setup(test_send_returns_once_received_and_a_stray_reply_finds_no_caller, setup),
		cmocka_unit_test_setup(test_send_that_may_not_wait_reaches_a_blocked_receiver, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
