// The harness of the hosted IPC tests (harness.h).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/server.h>
#include "harness.h"

long deferred_replies[3];
uint64_t server_bad_tags;
sem_t release;

// The server's own state; only the server thread touches it until it is joined.
static atomic_bool stop;
static struct deferred {
	xinim_endpoint_t from;
	uint64_t id, value;
} deferred[3];
static unsigned ndeferred;

static void *proc_main(void *arg)
{
	struct proc *p = arg;
	p->endpoint = host_ipc_register(p->pid);
	sem_post(&p->registered);
	p->body(p);
	host_ipc_exit();
	return NULL;
}

void proc_start(struct proc *p, unsigned pid, void (*body)(struct proc *), void *arg)
{
	*p = (struct proc){ .pid = pid, .body = body, .arg = arg };
	if (sem_init(&p->registered, 0, 0) != 0 ||
	    pthread_create(&p->thread, NULL, proc_main, p) != 0)
		abort();
	while (sem_wait(&p->registered) != 0)
		;
}

void proc_join(struct proc *p)
{
	pthread_join(p->thread, NULL);
	sem_destroy(&p->registered);
}

uint64_t u64_at(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static long echo(const struct ipc_request *request, struct xinim_msg *reply)
{
	uint64_t v = u64_at(request->msg.payload) + 1;
	memcpy(reply->payload, &v, sizeof(v));
	reply->header.length = sizeof(v);
	return (long)request->badge;
}

static long defer(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	if (ndeferred == 3)
		return -EBUSY;
	deferred[ndeferred++] = (struct deferred){ .from = request->msg.header.source,
		.id = request->msg.header.id, .value = u64_at(request->msg.payload) };
	return IPC_DEFERRED;
}

static const struct ipc_route routes[TYPES_END - ECHO] = {
	[ECHO - ECHO] = { echo, 8 },
	[UNROUTED - ECHO] = { NULL, 0 },
	[DEFER - ECHO] = { defer, 8 },
};
static const struct ipc_table table = { .first = ECHO, .count = TYPES_END - ECHO, .routes = routes };

// Answers the three deferred calls, the latest first.
static void answer_deferred(void)
{
	for (unsigned i = 3; i-- > 0;) {
		uint64_t v = deferred[i].value * 10;
		struct xinim_msg reply = { .header = { .id = deferred[i].id, .length = 8 } };
		memcpy(reply.payload, &v, sizeof(v));
		deferred_replies[i] = ipc_reply(deferred[i].from, (long)deferred[i].value, &reply);
	}
	ndeferred = 0;
}

void serve(struct proc *p)
{
	(void)p;
	while (!atomic_load(&stop)) {
		ipc_serve_one(&table, 10000);
		if (ndeferred == 3)
			answer_deferred();
	}
	server_bad_tags = ipc_refused(XINIM_TRACE_BAD_TAG);
}

void serve_table(struct proc *p)
{
	while (!atomic_load(&stop))
		ipc_serve_one(p->arg, 10000);
}

int server_setup(struct proc *server, unsigned pid, const struct ipc_table *table)
{
	if (harness_reset() != 0)
		return -1;
	host_ipc_grant(XINIM_PID_PM, pid, 0);
	host_ipc_grant(CLIENT, pid, 0);
	proc_start(server, pid, serve_table, (void *)table);
	return 0;
}

xinim_endpoint_t fresh_endpoint(void)
{
	static unsigned next_pid = CLIENT + 1;	// CLIENT is the harness's own
	return xinim_endpoint(next_pid++, 1);
}

int server_group_teardown(void **state)
{
	host_ipc_exit();
	server_stop(*state);
	return 0;
}

void server_stop(struct proc *server)
{
	atomic_store(&stop, true);
	proc_join(server);
}

void wait_for_release(struct proc *p)
{
	(void)p;
	while (sem_wait(&release) != 0)
		;
}

int harness_reset(void)
{
	host_ipc_reset();
	atomic_store(&stop, false);
	ndeferred = 0;
	server_bad_tags = 0;
	memset(deferred_replies, 0xff, sizeof(deferred_replies));
	static bool release_ready;
	if (release_ready)
		sem_destroy(&release);
	release_ready = true;
	return sem_init(&release, 0, 0);
}

struct call echo_call(xinim_endpoint_t dest, uint64_t value)
{
	return (struct call){ .dest = dest, .type = ECHO, .length = 8, .value = value };
}

void do_call(struct call *c)
{
	struct xinim_msg msg = { .header = { .type = c->type, .length = c->length } };
	memcpy(msg.payload, &c->value, sizeof(c->value));
	c->result = ipc_call(c->dest, &msg, c->timeout_us ? c->timeout_us : CALL_TIMEOUT_US);
	c->answer = u64_at(msg.payload);
	c->answer_length = msg.header.length;
	c->answer_flags = msg.header.flags;
	c->answer_source = msg.header.source;
}

void caller(struct proc *p) { do_call(p->arg); }

struct xinim_msg syscall_message(xinim_endpoint_t caller, uint64_t number, const uint64_t args[6])
{
	struct xinim_syscall call = { .number = number, .caller = caller };
	memcpy(call.args, args, sizeof(call.args));
	int32_t type = number < XINIM_SYSCALL_NUMBERS ? XINIM_MSG_SYSCALL_FIRST + (int32_t)number
						      : XINIM_MSG_SYSCALL_OTHER;	// as kernel/syscall.c
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(call) } };
	memcpy(msg.payload, &call, sizeof(call));
	return msg;
}

_Thread_local struct xinim_syscall_raise_reply syscall_raised;

long kernel_syscall(xinim_endpoint_t server, xinim_endpoint_t caller, unsigned number,
		    const uint64_t args[6])
{
	struct xinim_msg msg = syscall_message(caller, number, args);
	long result = host_ipc_kernel_call(server, caller, &msg, CALL_TIMEOUT_US);
	syscall_raised = (struct xinim_syscall_raise_reply){ 0 };
	if (!result && msg.header.length == sizeof(syscall_raised)) {
		memcpy(&syscall_raised, msg.payload, sizeof(syscall_raised));
		return syscall_raised.value;
	}
	if (result != 0 || msg.header.length != sizeof(struct xinim_syscall_reply))
		return result ? result : -EBADMSG;
	struct xinim_syscall_reply answer;
	memcpy(&answer, msg.payload, sizeof(answer));
	return answer.value;
}

unsigned trace_take(const struct xinim_trace_record **records)
{
	static struct xinim_trace_record buffer[HOST_IPC_TRACE_RECORDS];
	*records = buffer;
	return host_ipc_trace(buffer, HOST_IPC_TRACE_RECORDS);
}

unsigned trace_count(const struct xinim_trace_record *records, unsigned count,
		     enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		     xinim_endpoint_t source, xinim_endpoint_t dest)
{
	unsigned matches = 0;
	for (unsigned i = 0; i < count; i++) {
		const struct xinim_trace_record *r = &records[i];
		matches += r->event == event && r->verdict == verdict &&
			   (source == XINIM_ENDPOINT_NONE || r->source == source) &&
			   (dest == XINIM_ENDPOINT_NONE || r->dest == dest);
	}
	return matches;
}

int trace_wait(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
	       xinim_endpoint_t source, xinim_endpoint_t dest)
{
	const struct timespec pause = { .tv_nsec = 1000000 };
	for (unsigned waited_us = 0; waited_us < CALL_TIMEOUT_US; waited_us += 1000) {
		const struct xinim_trace_record *records;
		unsigned count = trace_take(&records);
		if (trace_count(records, count, event, verdict, source, dest))
			return 0;
		nanosleep(&pause, NULL);
	}
	return -ETIMEDOUT;
}
