// The kernel's own calls over the hosted backend (host_ipc_kernel_call), with the rules
// of kernel/ipc.c's ipc_kernel_call and reply: a thread never calls its own process, and
// a reply to the kernel that does not open is refused while the call goes on waiting.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/transport.h>	// the backend itself, for a reply libipc would not make
#include "harness.h"

// What a server answered to the kernel: a reply never sealed, then a proper one.
struct answers {
	long received, forged, replied;
};

static void forge_then_reply(struct proc *p)
{
	struct answers *a = p->arg;
	struct xinim_msg call;
	uint64_t badge;
	a->received = transport_receive(&call, CALL_TIMEOUT_US, &badge);
	struct xinim_msg forged = { .header = { .dest = XINIM_ENDPOINT_KERNEL, .type = 5,
						.length = 8, .id = call.header.id,
						.sequence = 1000 } };
	a->forged = transport_reply(&forged);
	struct xinim_msg reply = { .header = { .id = call.header.id } };
	a->replied = ipc_reply(XINIM_ENDPOINT_KERNEL, 7, &reply);
}

static void test_reply_to_kernel_call_that_does_not_open_is_refused_and_the_call_waits(void **state)
{
	(void)state;
	struct proc server;
	struct answers a = { -1, -1, -1 };
	proc_start(&server, SERVER, forge_then_reply, &a);
	struct xinim_msg msg = { .header = { .type = ECHO, .length = 8 } };
	long result = host_ipc_kernel_call(server.endpoint, fresh_endpoint(), &msg, CALL_TIMEOUT_US);
	proc_join(&server);

	assert_int_equal(a.received, XINIM_RECEIVED_CALL);
	assert_int_equal(a.forged, -EBADMSG);
	assert_int_equal(a.replied, 0);
	assert_int_equal(result, 7);	// the proper reply, which came second
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_REJECT, XINIM_TRACE_BAD_TAG,
				     server.endpoint, XINIM_ENDPOINT_KERNEL), 1);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_REPLY, XINIM_TRACE_OK, server.endpoint,
				     XINIM_ENDPOINT_KERNEL), 1);
}

static void test_kernel_call_for_a_thread_of_the_server_itself_gets_edeadlk(void **state)
{
	(void)state;
	struct proc server;
	proc_start(&server, SERVER, wait_for_release, NULL);
	struct xinim_msg msg = { .header = { .type = ECHO, .length = 8 } };
	long result = host_ipc_kernel_call(server.endpoint, server.endpoint, &msg, CALL_TIMEOUT_US);
	sem_post(&release);
	proc_join(&server);

	assert_int_equal(result, -EDEADLK);	// it would wait for itself
}

static int setup(void **state)
{
	(void)state;
	return harness_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reply_to_kernel_call_that_does_not_open_is_refused_and_the_call_waits, setup),
		cmocka_unit_test_setup(test_kernel_call_for_a_thread_of_the_server_itself_gets_edeadlk, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
