// Kept state: undo log, commit at reply (libipc/include/libipc/keep.h,
// docs/resurrection.md).
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <libipc/keep.h>

#define KEEP_MAGIC "XKEEP02"
#define ALIGN8(n) (((n) + 7) & ~(uint64_t)7)


// An entry of the undo log; its bytes follow, padded to 8, then its whole length (a
// uint64_t), so that the log is undone from its end, newest first.
struct undo_entry {
	uint64_t offset;	// in the region: in the state, or the answered record
	uint64_t size;
};

static uint64_t entry_length(uint64_t size)
{
	return sizeof(struct undo_entry) + ALIGN8(size) + sizeof(uint64_t);
}

// Per process; on the host, where processes are threads, per thread (libipc/ipc.c).
#ifndef IPC_PROCESS_LOCAL
#define IPC_PROCESS_LOCAL
#endif
static IPC_PROCESS_LOCAL struct keep_header *kept;	// NULL: keep_open not called
static IPC_PROCESS_LOCAL uint8_t *state;
static IPC_PROCESS_LOCAL uint64_t region_size;
static IPC_PROCESS_LOCAL uint8_t *undo;		// the log, after the header
static IPC_PROCESS_LOCAL unsigned crash_countdown;	// keep_crash_after; 0: none
static IPC_PROCESS_LOCAL uint64_t serial;		// commits in this instance
static IPC_PROCESS_LOCAL bool unlogged;		// keep_unlogged

// Whether [offset, offset + size) of the region may be logged: the state only.
static bool loggable(uint64_t offset, uint64_t size)
{
	if (size > region_size || offset > region_size - size)
		return false;
	return offset >= (uint64_t)(state - (uint8_t *)kept);
}

// Both commit words in one store: one instruction, which a crash either ran or did not.
static void commit_store(uint64_t undo_used, uint64_t answered_id)
{
#ifdef __aarch64__
	__asm__ volatile("stp %1, %2, [%0]" : : "r"(&kept->commit), "r"(undo_used), "r"(answered_id)
			 : "memory");
#else	// hosted tests: their crashes fall between keep calls, never inside this
	__atomic_store_n(&kept->commit.answered_id, answered_id, __ATOMIC_RELAXED);
	__atomic_store_n(&kept->commit.undo_used, undo_used, __ATOMIC_RELEASE);
#endif
}

static uint64_t header_check(const struct keep_header *h)
{
	uint64_t sum = 0x9e3779b97f4a7c15;
	const uint64_t words[] = { h->version, h->header_size, h->state_size, h->undo_size };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		sum = (sum ^ words[i]) * 0x100000001b3;
	return sum;
}

// Puts the logged bytes back, newest first: the state as it was before the request
// that was running when the last instance died. False if the log is not sound.
static bool roll_back(void)
{
	uint64_t end = kept->commit.undo_used;
	while (end) {
		uint64_t length;
		if (end % 8 || end < entry_length(0))
			return false;
		memcpy(&length, undo + end - sizeof(length), sizeof(length));
		if (length > end || length < entry_length(0))
			return false;
		const struct undo_entry *e = (const void *)(undo + end - length);
		if (entry_length(e->size) != length || !loggable(e->offset, e->size))
			return false;
		memcpy((uint8_t *)kept + e->offset, e + 1, e->size);
		end -= length;
	}
	kept->commit.undo_used = 0;
	return true;
}

void *keep_attach(void *region, size_t size, size_t undo_size, uint32_t version, bool inherited,
		  bool zeroed, enum keep_start *start)
{
	kept = region;
	undo = (uint8_t *)region + sizeof(*kept);
	state = (uint8_t *)region + KEEP_STATE_OFFSET(undo_size);
	region_size = size;
	size_t state_size = size - KEEP_STATE_OFFSET(undo_size);
	bool sound = inherited && !memcmp(kept->magic, KEEP_MAGIC, sizeof(kept->magic)) &&
		     kept->version == version && kept->header_size == sizeof(*kept) &&
		     kept->state_size == state_size && kept->undo_size == undo_size &&
		     kept->check == header_check(kept) && kept->commit.undo_used <= undo_size && roll_back();
	*start = sound ? KEEP_INHERITED : inherited ? KEEP_REFUSED : KEEP_FRESH;
	if (!sound) {
		if (!zeroed)
			memset(region, 0, size);
		memcpy(kept->magic, KEEP_MAGIC, sizeof(kept->magic));
		kept->version = version;
		kept->header_size = sizeof(*kept);
		kept->state_size = state_size;
		kept->undo_size = undo_size;
		kept->check = header_check(kept);
	}
	return state;
}

void keep_unlogged(bool on) { unlogged = on; }

void keep_change(const void *object, size_t size)
{
	if (!kept || unlogged)
		return;
	uint64_t offset = (uint64_t)((const uint8_t *)object - (const uint8_t *)kept);
	uint64_t need = entry_length(size);
	if (crash_countdown && !--crash_countdown)
		*(volatile int *)0 = 0;		// the injected crash, between two changes
	if (!loggable(offset, size) || need > kept->undo_size - kept->commit.undo_used)
		*(volatile int *)KEEP_BUG_ADDRESS = 0;	// a handler's bug: the restart rolls
							// the request back, and it is poisoned
	struct undo_entry *e = (void *)(undo + kept->commit.undo_used);
	*e = (struct undo_entry){ offset, size };
	memcpy(e + 1, object, size);
	memcpy(undo + kept->commit.undo_used + need - sizeof(need), &need, sizeof(need));
	__atomic_store_n(&kept->commit.undo_used, kept->commit.undo_used + need, __ATOMIC_RELEASE);	// the
						// entry is whole before the log says it is there
}

void keep_poison_test(void)
{
	if (kept)
		kept->running_poisoned = 1;
}

void keep_crash_after(unsigned changes)
{
	crash_countdown = changes;
}

void keep_commit(void)
{
	if (kept && kept->commit.undo_used)
		__atomic_store_n(&kept->commit.undo_used, 0, __ATOMIC_RELEASE);
	serial++;
}

void keep_change_once(uint64_t *logged, const void *object, size_t size)
{
	if (*logged != serial + 1) {	// serial + 1: this request's mark, never 0
		keep_change(object, size);
		*logged = serial + 1;
	}
}

enum keep_verdict keep_replayed(const struct ipc_request *request, long *result,
				struct xinim_msg *reply)
{
	const struct xinim_msg_header *h = &request->msg.header;
	if (!kept || !request->is_call || !h->id)
		return KEEP_RUN;
	if (h->id == kept->commit.answered_id && h->source == kept->answered_caller) {
		*result = kept->answered_result;
		*reply = kept->answered_reply;
		return KEEP_ANSWERED;
	}
	if (h->id != kept->running_id || h->source != kept->running_caller) {
		kept->running_id = h->id;
		kept->running_caller = h->source;
		kept->running_deliveries = 1;
		kept->running_poisoned = 0;
		return KEEP_RUN;
	}
	if (++kept->running_deliveries < KEEP_POISON_DELIVERIES) {
		if (kept->running_poisoned)
			*(volatile int *)0 = 0;	// the test's poison, again
		return KEEP_RUN;
	}
	kept->running_poisoned = 0;
	*result = -EIO;
	return KEEP_POISONED;
}

// The record is written in place, unlogged, then the commit empties the log and names
// the record's request in one store: a crash before it rolls the request's changes back
// and leaves the record naming no request delivered again (the one before was answered
// and its reply sent before this one ran), so the request runs again; a crash after it
// keeps both (the request, delivered again, is answered from the record).
void keep_answered_call(uint64_t id, xinim_endpoint_t source, long result,
			const struct xinim_msg *reply)
{
	if (!kept)
		return;
	kept->answered_caller = source;
	kept->answered_result = result;
	kept->answered_reply = *reply;
	commit_store(0, id);
	serial++;
}

void keep_answered(const struct ipc_request *request, long result, const struct xinim_msg *reply)
{
	keep_answered_call(request->msg.header.id, request->msg.header.source, result, reply);
}
