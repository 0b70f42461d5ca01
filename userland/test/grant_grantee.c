// The grant test's grantee: copies the parked caller's buffer through the grants the
// server made, checks every refusal, and sees each grant end: one by GRANT_END, one by
// the answer to the caller (grant_test.h). Under -icount it also says what a 4 KiB copy
// costs, in instructions (the counter ticks once every 16).
#include <errno.h>
#include <string.h>
#include <libipc/ipc.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#define EXPECT_PREFIX "grant_grantee: "
#include "expect.h"
#include "grant_test.h"

#define TIMED_COPIES 64
#define INSTRUCTIONS_PER_TICK 16

static char here[GRANT_TEST_LENGTH];

static long copy(uint64_t grant, uint64_t offset, void *to, uint64_t n, long access)
{
	return xinim_kcall5(KCALL_GRANT_COPY, (long)grant, (long)offset, (long)to, (long)n, access);
}

static long call(enum grant_test_msg type, struct xinim_msg *msg)
{
	*msg = (struct xinim_msg){ .header = { .type = type } };
	return ipc_call(grant_test_server(), msg, XINIM_WAIT_FOREVER);
}

static void refusals(const struct grant_test_grants *g)
{
	uint64_t r = g->read, w = g->write, length = g->length;
	expect("write through the read grant", copy(r, 0, here, 4, XINIM_GRANT_WRITE), -EPERM);
	expect("read through the write grant", copy(w, 0, here, 4, XINIM_GRANT_READ), -EPERM);
	expect("read and write at once", copy(r, 0, here, 4, XINIM_GRANT_READ | XINIM_GRANT_WRITE),
	       -EINVAL);
	expect("past the range", copy(r, length - 1, here, 2, XINIM_GRANT_READ), -EINVAL);
	expect("from past the end", copy(r, length + 1, here, 0, XINIM_GRANT_READ), -EINVAL);
	expect("offset overflowing", copy(r, (uint64_t)-1, here, 2, XINIM_GRANT_READ), -EINVAL);
	expect("more than a copy may", copy(r, 0, here, XINIM_COPY_MAX + 1, XINIM_GRANT_READ),
	       -EINVAL);
	expect("another serial", copy(r + (1 << 8), 0, here, 4, XINIM_GRANT_READ), -ESRCH);
	expect("grant 0", copy(0, 0, here, 4, XINIM_GRANT_READ), -ESRCH);
	expect("to a bad pointer", copy(r, 0, (void *)16, 4, XINIM_GRANT_READ), -EFAULT);
	expect("end by the grantee", xinim_kcall(KCALL_GRANT_END, (long)r, 0), -EPERM);
}

// What a GRANT_COPY of n bytes costs, in instructions under -icount.
static unsigned long copy_cost(uint64_t grant, uint64_t n)
{
	uint64_t start = counter_ticks();
	for (unsigned i = 0; i < TIMED_COPIES; i++)
		copy(grant, 0, here, n, XINIM_GRANT_READ);
	return (unsigned long)((counter_ticks() - start) * INSTRUCTIONS_PER_TICK / TIMED_COPIES);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct xinim_msg msg;
	struct grant_test_grants g;
	expect("ready", call(GRANT_TEST_READY, &msg), 0);
	memcpy(&g, msg.payload, sizeof(g));
	expect("the server's own checks", g.refusals_wrong, 0);
	expect("read", copy(g.read, 0, here, g.length, XINIM_GRANT_READ), 0);
	expect("read what was lent", !memcmp(here, GRANT_TEST_TEXT, sizeof(GRANT_TEST_TEXT) - 1), 1);
	expect("read the last byte", copy(g.read, g.length - 1, here, 1, XINIM_GRANT_READ), 0);
	expect("the last byte", here[0], 'x');
	expect("write", copy(g.write, 0, GRANT_TEST_WRITTEN, sizeof(GRANT_TEST_WRITTEN) - 1,
			     XINIM_GRANT_WRITE), 0);
	refusals(&g);
	unsigned long cost = copy_cost(g.read, 4096), least = copy_cost(g.read, 8);
	expect("copied", call(GRANT_TEST_COPIED, &msg), 0);
	expect("write once ended by GRANT_END", copy(g.write, 0, "X", 1, XINIM_GRANT_WRITE), -ESRCH);
	expect("ended", call(GRANT_TEST_ENDED, &msg), 0);
	expect("read once the call is answered", copy(g.read, 0, here, 4, XINIM_GRANT_READ), -ESRCH);
	print("grant_grantee: a 4 KiB copy: %lu instructions, an 8-byte one %lu (under -icount)\n",
	      cost, least);
	print("grant_grantee: %u checks, %u wrong\n", expect_checks, expect_wrong);
	return expect_wrong != 0;
}
