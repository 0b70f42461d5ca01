#pragma once
// Kept state (docs/resurrection.md): a server's state in memory that outlives the
// server (KCALL_KEEP), changed so that a crash at any instruction leaves it recoverable.
//   keep_open(...)            at start: the state, checked, with a half-done request
//                             rolled back;
//   keep_change(&obj, size)   before a request first changes obj: its old bytes go to
//                             the undo log;
//   and the server loop commits each request at its reply (keep_answered), answers again
//   a request it had answered (keep_replayed), and answers -EIO to a request that has
//   killed KEEP_POISON_DELIVERIES instances.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libipc/ipc.h>

#define KEEP_VA UINT64_C(0x4000000000)	// where a server's kept memory is mapped (256 GiB)
#define KEEP_POISON_DELIVERIES 3	// the delivery of a request answered -EIO unrun
#define KEEP_BUG_ADDRESS 0xdead	// keep_change outside the state: the fault is here
// Where the state starts in the region: after the header and the undo log of undo
// bytes, on a page of its own.
#define KEEP_STATE_OFFSET(undo) ((sizeof(struct keep_header) + (undo) + 4095) & ~(size_t)4095)

enum keep_start {
	KEEP_FRESH,		// the first instance: the state is zeroed
	KEEP_INHERITED,		// an earlier instance's state, checked (and rolled back)
	KEEP_REFUSED,		// an earlier instance's state did not check out: zeroed
};

// The region's head; the server's state follows it, page-aligned.
struct keep_header {
	char magic[8];			// KEEP_MAGIC
	uint32_t version;		// the server's state version
	uint32_t header_size;		// sizeof(struct keep_header)
	uint64_t state_size;
	uint64_t undo_size;		// the undo log's room, after this header
	uint64_t check;			// of the fields above
	uint64_t reserved;
	// The commit (keep.c): the undo log emptied and the answered record made the last
	// request's in one store of both words, so neither is ever seen without the other.
	struct keep_commit_words {
		// The undo log, after this header: entries {offset, size, old bytes, length}.
		uint64_t undo_used;
		// The last request answered (its reply sent again if it is delivered again):
		// the rest of its record is valid for this id only.
		uint64_t answered_id;
	} __attribute__((aligned(16))) commit;
	xinim_endpoint_t answered_caller;
	uint32_t reserved2;
	int64_t answered_result;
	struct xinim_msg answered_reply;
	// The request being handled, and how many instances have had it delivered.
	uint64_t running_id;
	xinim_endpoint_t running_caller;
	uint32_t running_deliveries;
	uint32_t running_poisoned;	// a test's (keep_poison_test): it kills each instance
	uint32_t reserved3;
};

// Maps the kept memory (KCALL_KEEP): the header, an undo log of undo_size bytes (what
// one request may change, plus 24 bytes an entry), state_size bytes of state; and checks
// it. *start says what was found. The state, or NULL (no kept memory).
void *keep_open(size_t state_size, size_t undo_size, uint32_t version, enum keep_start *start);

// keep_open with the region, size bytes, at va (page-aligned), in place of what the
// server has there: NET's is part of its image, lwIP's memory in it (servers/net/kept.ld).
// The state is what follows KEEP_STATE_OFFSET(undo_size), to the region's end.
void *keep_open_at(void *va, size_t size, size_t undo_size, uint32_t version,
		   enum keep_start *start);

// A server's start (main.c): keep_open, then take(state, start), the server's own
// take-over. False, said on the console with who's name, if there is no kept memory:
// the server cannot keep its state and stops.
bool keep_start_with(const char *who, size_t state_size, size_t undo_size, uint32_t version,
		     void (*take)(void *state, enum keep_start start));

// keep_open's work on a region already mapped (size bytes at region; inherited: it held
// an earlier instance's state; zeroed: it holds zeros, as KCALL_KEEP's first region,
// which a fresh start then need not write: megabytes). For hosted tests too.
void *keep_attach(void *region, size_t size, size_t undo_size, uint32_t version, bool inherited,
		  bool zeroed, enum keep_start *start);

// For tests of the roll back (inject=SERVER:midway:N): the changes-th keep_change from now
// crashes the server, half way through its request.
void keep_crash_after(unsigned changes);
// For tests of a poisoned request (inject=SERVER:poison:N): the request running now
// crashes the server, and every instance it is delivered to until it is answered -EIO.
void keep_poison_test(void);

// Logs the old bytes of [object, object + size) in the state, before it changes. Call it
// before the first change of each object in a request; a repeat costs a little log.
void keep_change(const void *object, size_t size);

// While unlogged, keep_change logs nothing: a server building a fresh state, which it
// marks whole only once built (a crash before that leaves it to be built again).
void keep_unlogged(bool unlogged);

// The server loop's part (libipc/server.c); each does nothing until keep_open.
enum keep_verdict {
	KEEP_RUN,		// run the request
	KEEP_ANSWERED,		// it was answered already: *result and *reply are that answer
	KEEP_POISONED,		// it has killed KEEP_POISON_DELIVERIES instances: answer -EIO
};
enum keep_verdict keep_replayed(const struct ipc_request *request, long *result,
				struct xinim_msg *reply);
// request's reply is result and reply: recorded, then the undo log emptied (the commit).
void keep_answered(const struct ipc_request *request, long result, const struct xinim_msg *reply);
// The same for a call answered later (a parked one): its id and the endpoint it came from.
void keep_answered_call(uint64_t id, xinim_endpoint_t source, long result,
			const struct xinim_msg *reply);
// The state's changes so far are committed without a reply (a deferred request, a slice).
void keep_commit(void);
// keep_change, unless object was logged already in this request: for objects a request
// rewrites many times (a tree's rotations). *logged is the caller's mark for the object,
// outside kept memory, 0 at start.
void keep_change_once(uint64_t *logged, const void *object, size_t size);
