// The grant test's server: once both a grantee and a caller wait on it, it grants the
// caller's buffer to the grantee (read, and write), checks GRANT_MAKE's refusals, and
// answers the grantee with the grants; the grantee's next calls end one grant by
// GRANT_END and the other by the answer to the caller (grant_test.h).
#include <errno.h>
#include <string.h>
#include <libipc/server.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#define EXPECT_PREFIX "grant_server: "
#include "expect.h"
#include "grant_test.h"

struct parked {
	xinim_endpoint_t endpoint;	// 0: none
	uint64_t id;
};

static struct parked grantee, caller;
static struct grant_test_lend lent;
static uint64_t write_grant;

static long make(uint64_t call_id, xinim_endpoint_t to, uint64_t va, uint64_t length, long access)
{
	return xinim_kcall6(KCALL_GRANT_MAKE, caller.endpoint, (long)call_id, to, (long)va,
			    (long)length, access);
}

// GRANT_MAKE's refusals, and XINIM_GRANTS_PER_CALL grants on one call at most.
static void make_refusals(void)
{
	xinim_endpoint_t to = grantee.endpoint;
	expect("make for no such call", make(caller.id + 1, to, lent.va, lent.length,
					     XINIM_GRANT_READ), -ESRCH);
	expect("make with no access", make(caller.id, to, lent.va, lent.length, 0), -EINVAL);
	expect("make with an unknown access", make(caller.id, to, lent.va, lent.length, 4), -EINVAL);
	expect("make of 0 bytes", make(caller.id, to, lent.va, 0, XINIM_GRANT_READ), -EINVAL);
	expect("make past the user range", make(caller.id, to, lent.va, -lent.va,
						XINIM_GRANT_READ), -EINVAL);
	expect("make to nobody", make(caller.id, XINIM_ENDPOINT_NONE, lent.va, lent.length,
				      XINIM_GRANT_READ), -EINVAL);
	long extra[XINIM_GRANTS_PER_CALL];
	unsigned made = 0;
	for (long g; made < XINIM_GRANTS_PER_CALL &&
		     (g = make(caller.id, to, lent.va, 1, XINIM_GRANT_READ)) > 0;)
		extra[made++] = g;
	expect("grants on one call before it is full", made, XINIM_GRANTS_PER_CALL - 2);
	expect("one grant too many on a call", make(caller.id, to, lent.va, 1, XINIM_GRANT_READ),
	       -ENOSPC);
	for (unsigned i = 0; i < made; i++)
		expect("end", xinim_kcall(KCALL_GRANT_END, extra[i], 0), 0);
}

// Both wait: the grants go to the grantee in its answer.
static void grant_when_both_wait(void)
{
	if (!grantee.endpoint || !caller.endpoint)
		return;
	struct grant_test_grants g = { .length = lent.length };
	g.read = (uint64_t)make(caller.id, grantee.endpoint, lent.va, lent.length, XINIM_GRANT_READ);
	g.write = write_grant = (uint64_t)make(caller.id, grantee.endpoint, lent.va, lent.length,
					       XINIM_GRANT_WRITE);
	expect("make read", (long)g.read > 0, 1);
	expect("make write", (long)g.write > 0, 1);
	make_refusals();
	char byte;
	expect("copy by the granter, not the grantee",
	       xinim_kcall5(KCALL_GRANT_COPY, (long)g.read, 0, (long)&byte, 1, XINIM_GRANT_READ),
	       -EPERM);
	g.refusals_wrong = expect_wrong;
	struct xinim_msg msg = { .header = { .id = grantee.id, .length = sizeof(g) } };
	memcpy(msg.payload, &g, sizeof(g));
	expect("answer to the grantee", ipc_reply(grantee.endpoint, 0, &msg), 0);
	print("grant_server: granted %lu bytes of %x's call to %x: %u wrong\n",
	      (unsigned long)lent.length, caller.endpoint, grantee.endpoint, expect_wrong);
}

static struct parked parked_of(const struct ipc_request *request)
{
	return (struct parked){ request->msg.header.source, request->msg.header.id };
}

static long ready(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	grantee = parked_of(request);
	grant_when_both_wait();
	return IPC_DEFERRED;
}

static long lend(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	caller = parked_of(request);
	memcpy(&lent, request->msg.payload, sizeof(lent));
	grant_when_both_wait();
	return IPC_DEFERRED;
}

// The write grant ends by GRANT_END, once: the answer is how many ends went wrong.
static long copied(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request, (void)reply;
	unsigned before = expect_wrong;
	expect("end", xinim_kcall(KCALL_GRANT_END, (long)write_grant, 0), 0);
	expect("end again", xinim_kcall(KCALL_GRANT_END, (long)write_grant, 0), -ESRCH);
	expect("end of grant 0", xinim_kcall(KCALL_GRANT_END, 0, 0), -ESRCH);
	return (long)(expect_wrong - before);
}

// The caller is answered, which ends the read grant.
static long ended(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request, (void)reply;
	struct xinim_msg msg = { .header = { .id = caller.id } };
	return ipc_reply(caller.endpoint, 0, &msg);
}

static const struct ipc_route routes[] = {
	[GRANT_TEST_READY - GRANT_TEST_READY] = { ready, 0 },
	[GRANT_TEST_LEND - GRANT_TEST_READY] = { lend, sizeof(struct grant_test_lend) },
	[GRANT_TEST_COPIED - GRANT_TEST_READY] = { copied, 0 },
	[GRANT_TEST_ENDED - GRANT_TEST_READY] = { ended, 0 },
};

static const struct ipc_table table = {
	.first = GRANT_TEST_READY, .count = sizeof(routes) / sizeof(routes[0]), .routes = routes,
};

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("grant_server: serving as %x\n", ipc_self());
	ipc_serve(&table);
}
