// Kept state (libipc/keep.c, docs/resurrection.md) on a region in the test's memory: a
// "crash" is attaching the region again without the commit, as a new instance would.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libipc/keep.h>

#define VERSION 7
#define UNDO 8192
#define REGION_SIZE (KEEP_STATE_OFFSET(UNDO) + 4096)

struct state {
	uint64_t counter;
	char name[16];
	uint64_t table[8];
};

static void *region;

static struct state *attach(bool inherited, enum keep_start expected)
{
	enum keep_start start;
	struct state *s = keep_attach(region, REGION_SIZE, UNDO, VERSION, inherited, false, &start);
	assert_int_equal(start, expected);
	return s;
}

static int setup(void **state)
{
	(void)state;
	region = aligned_alloc(4096, REGION_SIZE);
	memset(region, 0xa5, REGION_SIZE);	// what a fresh start must not trust
	return region ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(region);
	return 0;
}

static struct ipc_request call(uint64_t id, xinim_endpoint_t from)
{
	return (struct ipc_request){ .msg.header = { .id = id, .source = from, .type = 1063 },
				     .is_call = 1 };
}

static void test_a_fresh_state_is_zeroed(void **state)
{
	(void)state;
	struct state *s = attach(false, KEEP_FRESH);
	assert_int_equal(s->counter, 0);
	assert_int_equal(s->table[7], 0);
}

// A request that dies half done is rolled back whole, however often it changed an
// object: the oldest logged bytes win.
static void test_a_request_that_died_half_done_is_rolled_back(void **state)
{
	(void)state;
	struct state *s = attach(false, KEEP_FRESH);
	s->counter = 5;
	keep_commit();
	keep_change(&s->counter, sizeof(s->counter));
	s->counter = 6;
	keep_change(&s->counter, sizeof(s->counter));
	s->counter = 7;
	keep_change(s->name, sizeof(s->name));
	strcpy(s->name, "half");
	s = attach(true, KEEP_INHERITED);	// the instance died before the reply
	assert_int_equal(s->counter, 5);
	assert_string_equal(s->name, "");
}

// keep_change_once logs an object once a request, and again in the next request.
static void test_once_a_request(void **state)
{
	(void)state;
	struct state *s = attach(false, KEEP_FRESH);
	uint64_t mark = 0;
	s->counter = 1;
	keep_commit();
	keep_change_once(&mark, &s->counter, sizeof(s->counter));
	s->counter = 2;
	uint64_t used = ((struct keep_header *)region)->commit.undo_used;
	keep_change_once(&mark, &s->counter, sizeof(s->counter));	// not logged again
	assert_int_equal(((struct keep_header *)region)->commit.undo_used, used);
	s->counter = 3;
	keep_commit();
	keep_change_once(&mark, &s->counter, sizeof(s->counter));	// a new request: logged
	s->counter = 4;
	s = attach(true, KEEP_INHERITED);
	assert_int_equal(s->counter, 3);
}

// The reply is the commit: after it the changes stay, and the same request delivered
// again is answered from the record without running.
static void test_an_answered_request_is_answered_again_not_run(void **state)
{
	(void)state;
	struct state *s = attach(false, KEEP_FRESH);
	struct ipc_request request = call(0x100, 0x10001);
	long result;
	struct xinim_msg reply = { .header.id = 0x100, .header.length = 8 };
	assert_int_equal(keep_replayed(&request, &result, &reply), KEEP_RUN);
	keep_change(&s->counter, sizeof(s->counter));
	s->counter = 41;
	memcpy(reply.payload, "answer!", 8);
	keep_answered(&request, 3, &reply);
	s = attach(true, KEEP_INHERITED);	// died after the commit, before the reply left
	assert_int_equal(s->counter, 41);
	struct xinim_msg again = { 0 };
	assert_int_equal(keep_replayed(&request, &result, &again), KEEP_ANSWERED);
	assert_int_equal(result, 3);
	assert_memory_equal(again.payload, "answer!", 8);
	struct ipc_request other = call(0x100, 0x10002);	// the same id from another caller
	assert_int_equal(keep_replayed(&other, &result, &again), KEEP_RUN);
}

// A record written but not committed (the instance died between the record and the
// commit's one store): the request is not taken as answered; it runs again on the state
// rolled back, and the request answered before it still is.
static void test_a_record_without_its_commit_answers_nothing(void **state)
{
	(void)state;
	struct state *s = attach(false, KEEP_FRESH);
	struct ipc_request first = call(0x200, 0x10001), second = call(0x201, 0x10001);
	long result;
	struct xinim_msg reply = { .header.id = 0x200, .header.length = 8 };
	assert_int_equal(keep_replayed(&first, &result, &reply), KEEP_RUN);
	keep_answered(&first, 1, &reply);
	assert_int_equal(keep_replayed(&second, &result, &reply), KEEP_RUN);
	keep_change(&s->counter, sizeof(s->counter));
	s->counter = 9;
	struct keep_header *h = region;
	h->answered_caller = 0x10001;	// keep_answered's writes, but for the commit
	h->answered_result = 2;
	s = attach(true, KEEP_INHERITED);
	assert_int_equal(s->counter, 0);
	assert_int_equal(keep_replayed(&second, &result, &reply), KEEP_RUN);
	assert_int_equal(h->commit.answered_id, 0x200);
}

// A request that kills every instance it is delivered to is answered -EIO at its third
// delivery, unrun, and the next request runs as usual.
static void test_a_poisoned_request_is_answered_eio(void **state)
{
	(void)state;
	attach(false, KEEP_FRESH);
	struct ipc_request request = call(0x200, 0x10001);
	long result = 0;
	struct xinim_msg reply;
	for (int delivery = 1; delivery < KEEP_POISON_DELIVERIES; delivery++) {
		assert_int_equal(keep_replayed(&request, &result, &reply), KEEP_RUN);
		attach(true, KEEP_INHERITED);	// it crashed the server
	}
	assert_int_equal(keep_replayed(&request, &result, &reply), KEEP_POISONED);
	assert_int_equal(result, -EIO);
	struct ipc_request next = call(0x201, 0x10001);
	assert_int_equal(keep_replayed(&next, &result, &reply), KEEP_RUN);
}

// State that does not check out is refused and zeroed, never trusted: another version, a
// broken head, an undo log that points outside the state.
static void test_a_corrupted_state_is_refused(void **state)
{
	(void)state;
	struct state *s = attach(false, KEEP_FRESH);
	s->counter = 9;
	keep_commit();
	enum keep_start start;
	keep_attach(region, REGION_SIZE, UNDO, VERSION + 1, true, false, &start);
	assert_int_equal(start, KEEP_REFUSED);

	s = attach(false, KEEP_FRESH);
	s->counter = 9;
	keep_commit();
	((struct keep_header *)region)->state_size += 8;	// the head no longer checks out
	s = attach(true, KEEP_REFUSED);
	assert_int_equal(s->counter, 0);

	s = attach(false, KEEP_FRESH);
	keep_change(&s->counter, sizeof(s->counter));
	s->counter = 9;
	uint64_t offset = REGION_SIZE;	// the log's entry now points past the region
	memcpy((char *)region + sizeof(struct keep_header), &offset, sizeof(offset));
	s = attach(true, KEEP_REFUSED);
	assert_int_equal(s->counter, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_fresh_state_is_zeroed),
		cmocka_unit_test(test_a_request_that_died_half_done_is_rolled_back),
		cmocka_unit_test(test_once_a_request),
		cmocka_unit_test(test_an_answered_request_is_answered_again_not_run),
		cmocka_unit_test(test_a_record_without_its_commit_answers_nothing),
		cmocka_unit_test(test_a_poisoned_request_is_answered_eio),
		cmocka_unit_test(test_a_corrupted_state_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
