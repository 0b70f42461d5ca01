// A server's copies to and from its callers' memory over the hosted backend, under the
// kernel's rules (kernel/ipc.c, copy_with_caller and copy_once): only a process blocked
// in a call the server took and has not answered, named with its generation; at most
// XINIM_COPY_MAX bytes; -EFAULT at the first page that may not be accessed so.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/server.h>
#include <xinim/ipc/kcall.h>
#include "harness.h"

#define OTHER_SERVER (XINIM_PID_TEST + 1)

// The callers' memory the servers copy (on the host, callers share the test's memory).
static char caller_memory[16];

// What a copying server did: target is whom it copies when it takes no call itself.
struct copies {
	xinim_endpoint_t target;
	long queued, received, from, to, other_generation, replied, after_reply;
	char read[8];
};

static void copy_to_target(struct proc *p)
{
	struct copies *c = p->arg;
	c->to = ipc_copy_to(c->target, ADDR(caller_memory), "server", 7);
	c->from = ipc_copy_from(c->target, c->read, ADDR(caller_memory), 7);
}

// Answers the call it took, by its caller's endpoint or the kernel's.
static long answer(const struct ipc_request *request)
{
	struct xinim_msg reply = { .header = { .id = request->msg.header.id } };
	return ipc_reply(request->msg.header.source, 0, &reply);
}

// A server that answered a process stays until released: its caller fetches the key to
// open the reply only then, and a dead server's keys are gone.
static void linger(struct proc *p) { wait_for_release(p); }

// Copies while a call waits queued, once it is taken, and after the reply.
static void take_one_call(struct proc *p)
{
	struct copies *c = p->arg;
	wait_for_release(p);
	c->queued = ipc_copy_to(c->target, ADDR(caller_memory), "queued", 7);
	struct ipc_request request;
	c->received = ipc_receive(&request, CALL_TIMEOUT_US);
	xinim_endpoint_t from = request.msg.header.source;
	c->from = ipc_copy_from(from, c->read, ADDR(caller_memory), 7);
	c->to = ipc_copy_to(from, ADDR(caller_memory), "taken", 6);
	xinim_endpoint_t next = xinim_endpoint(xinim_endpoint_pid(from),
					       xinim_endpoint_generation(from) + 1);
	c->other_generation = ipc_copy_to(next, ADDR(caller_memory), "next", 5);
	c->replied = answer(&request);
	c->after_reply = ipc_copy_to(from, ADDR(caller_memory), "late", 5);
	linger(p);
}

static void test_copy_to_caller_not_blocked_fails(void **state)
{
	(void)state;
	struct proc idle, server;
	strcpy(caller_memory, "caller");
	proc_start(&idle, CLIENT, wait_for_release, NULL);
	struct copies c = { .target = idle.endpoint };
	proc_start(&server, SERVER, copy_to_target, &c);
	proc_join(&server);
	sem_post(&release);
	proc_join(&idle);

	assert_int_equal(c.to, -ESRCH);
	assert_int_equal(c.from, -ESRCH);
	assert_string_equal(caller_memory, "caller");
}

static void test_copy_reaches_a_taken_call_and_fails_after_the_reply(void **state)
{
	(void)state;
	struct proc server, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	strcpy(caller_memory, "caller");
	struct copies c = { 0 };
	proc_start(&server, SERVER, take_one_call, &c);
	struct call call = echo_call(server.endpoint, 1);
	proc_start(&client, CLIENT, caller, &call);
	c.target = client.endpoint;
	assert_int_equal(trace_wait(XINIM_TRACE_CALL, XINIM_TRACE_OK, client.endpoint,
				    server.endpoint), 0);
	sem_post(&release);
	proc_join(&client);
	sem_post(&release);
	proc_join(&server);

	assert_int_equal(c.queued, -ESRCH);	// sent, but the server has not taken it
	assert_int_equal(c.received, 0);
	assert_int_equal(c.from, 0);
	assert_string_equal(c.read, "caller");
	assert_int_equal(c.to, 0);
	assert_int_equal(c.other_generation, -ESRCH);
	assert_int_equal(c.replied, 0);
	assert_int_equal(c.after_reply, -ESRCH);
	assert_string_equal(caller_memory, "taken");
	assert_int_equal(call.result, 0);
}

// Takes one call and answers it once released, copying to its caller just before.
static void hold_one_call(struct proc *p)
{
	struct copies *c = p->arg;
	struct ipc_request request;
	c->received = ipc_receive(&request, CALL_TIMEOUT_US);
	wait_for_release(p);
	c->to = ipc_copy_to(request.msg.header.source, ADDR(caller_memory), "mine", 5);
	c->replied = answer(&request);
	linger(p);
}

static void test_copy_to_caller_blocked_on_another_server_fails(void **state)
{
	(void)state;
	struct proc holder, other, client;
	host_ipc_grant(CLIENT, SERVER, BADGE);
	strcpy(caller_memory, "caller");
	struct copies held = { 0 };
	proc_start(&holder, SERVER, hold_one_call, &held);
	struct call call = echo_call(holder.endpoint, 1);
	proc_start(&client, CLIENT, caller, &call);
	assert_int_equal(trace_wait(XINIM_TRACE_RECEIVE, XINIM_TRACE_OK, client.endpoint,
				    holder.endpoint), 0);
	struct copies stranger = { .target = client.endpoint };
	proc_start(&other, OTHER_SERVER, copy_to_target, &stranger);
	proc_join(&other);
	sem_post(&release);
	proc_join(&client);
	sem_post(&release);
	proc_join(&holder);

	assert_int_equal(stranger.to, -ESRCH);
	assert_int_equal(stranger.from, -ESRCH);
	assert_int_equal(held.received, 0);
	assert_int_equal(held.to, 0);
	assert_int_equal(held.replied, 0);
	assert_string_equal(caller_memory, "mine");
	assert_int_equal(call.result, 0);
}

// Takes the kernel's call for c->target and copies to target before and after the reply.
static void take_kernel_call(struct proc *p)
{
	struct copies *c = p->arg;
	struct ipc_request request;
	c->received = ipc_receive(&request, CALL_TIMEOUT_US);
	c->to = ipc_copy_to(c->target, ADDR(caller_memory), "kernel", 7);
	c->replied = answer(&request);
	c->after_reply = ipc_copy_to(c->target, ADDR(caller_memory), "late", 5);
}

static void test_copy_reaches_the_process_a_kernel_call_is_made_for(void **state)
{
	(void)state;
	struct proc server;
	strcpy(caller_memory, "caller");
	struct copies c = { .target = fresh_endpoint() };
	proc_start(&server, SERVER, take_kernel_call, &c);
	struct xinim_msg msg = { .header = { .type = ECHO, .length = 8 } };
	long result = host_ipc_kernel_call(server.endpoint, c.target, &msg, CALL_TIMEOUT_US);
	proc_join(&server);

	assert_int_equal(result, 0);
	assert_int_equal(c.received, 0);
	assert_int_equal(c.to, 0);
	assert_int_equal(c.replied, 0);
	assert_int_equal(c.after_reply, -ESRCH);
	assert_string_equal(caller_memory, "kernel");
	const struct xinim_trace_record *t;
	unsigned n = trace_take(&t);
	assert_int_equal(trace_count(t, n, XINIM_TRACE_CALL, XINIM_TRACE_OK, c.target,
				     server.endpoint), 1);	// the trace names whom it is for
}

// The caller's pages: read and write, read only, no access; one page of the host each.
struct limits {
	char *pages;
	size_t page;
	long too_long, too_long_stranger, stranger, nothing, null, into_read_only,
		from_no_access, into_own_read_only, whole, received, replied;
	char read[8];
};

static void copy_at_the_limits(struct proc *p)
{
	struct limits *l = p->arg;
	struct ipc_request request;
	l->received = ipc_receive(&request, CALL_TIMEOUT_US);
	xinim_endpoint_t from = request.msg.header.source, stranger = fresh_endpoint();
	char *rw = l->pages, *ro = l->pages + l->page, *none = l->pages + 2 * l->page;
	l->too_long = ipc_copy_to(from, ADDR(rw), rw, XINIM_COPY_MAX + 1);
	l->too_long_stranger = ipc_copy_to(stranger, ADDR(rw), rw, XINIM_COPY_MAX + 1);
	l->stranger = ipc_copy_to(stranger, 0, "x", 1);
	l->nothing = ipc_copy_to(from, 0, "x", 0);
	l->null = ipc_copy_to(from, 0, "x", 1);
	l->into_read_only = ipc_copy_to(from, ADDR(ro - 4), "1234567", 8);
	l->from_no_access = ipc_copy_from(from, l->read, ADDR(none - 4), 8);
	l->into_own_read_only = ipc_copy_from(from, ro, ADDR(rw), 4);
	l->whole = ipc_copy_to(from, ADDR(rw), "whole", 6);
	l->replied = answer(&request);
	linger(p);
}

static void test_copy_checks_length_then_caller_then_each_page(void **state)
{
	(void)state;
	struct proc server, client;
	struct limits l = { .page = (size_t)sysconf(_SC_PAGESIZE) };
	l.pages = mmap(NULL, 3 * l.page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	assert_true(l.pages != MAP_FAILED);
	memcpy(l.pages + 2 * l.page - 4, "ro!", 4);
	assert_int_equal(mprotect(l.pages + l.page, l.page, PROT_READ), 0);
	assert_int_equal(mprotect(l.pages + 2 * l.page, l.page, PROT_NONE), 0);
	host_ipc_grant(CLIENT, SERVER, BADGE);
	proc_start(&server, SERVER, copy_at_the_limits, &l);
	struct call call = echo_call(server.endpoint, 1);
	proc_start(&client, CLIENT, caller, &call);
	proc_join(&client);
	sem_post(&release);
	proc_join(&server);

	assert_int_equal(l.received, 0);
	assert_int_equal(l.too_long, -EINVAL);
	assert_int_equal(l.too_long_stranger, -EINVAL);
	assert_int_equal(l.stranger, -ESRCH);
	assert_int_equal(l.nothing, 0);		// no byte to copy, no page to check
	assert_int_equal(l.null, -EFAULT);
	assert_int_equal(l.into_read_only, -EFAULT);
	assert_int_equal(l.from_no_access, -EFAULT);
	assert_memory_equal(l.read, "ro!", 4);	// the pages before the fault are copied
	assert_int_equal(l.into_own_read_only, -EFAULT);
	assert_int_equal(l.whole, 0);
	assert_memory_equal(l.pages + l.page - 4, "1234", 4);
	assert_string_equal(l.pages, "whole");
	assert_int_equal(l.replied, 0);
	assert_int_equal(call.result, 0);
	munmap(l.pages, 3 * l.page);
}

static int setup(void **state)
{
	(void)state;
	return harness_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_copy_to_caller_not_blocked_fails, setup),
		cmocka_unit_test_setup(test_copy_reaches_a_taken_call_and_fails_after_the_reply, setup),
		cmocka_unit_test_setup(test_copy_to_caller_blocked_on_another_server_fails, setup),
		cmocka_unit_test_setup(test_copy_reaches_the_process_a_kernel_call_is_made_for, setup),
		cmocka_unit_test_setup(test_copy_checks_length_then_caller_then_each_page, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
