// Watches the trace while PID 1 runs (tests/boot/first_light.sh): each Linux system call
// of process 1 must show as a call the kernel makes to VFS, PM or MM and that server's
// reply, and each page fault as a call to MM. Once process 1 has called exit or
// exit_group, prints per system call the server and how many calls and replies the trace
// held, then the page faults, then how many records were lost (overwritten unread).
#include <stdbool.h>
#include <xinim/format.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/ipc/trace.h>
#include <xinim/runtime.h>

#define BATCH 4096	// a whole ring at a read: the reader takes its turns seldom under -icount
#define CALLS_MAX 16384
#define RECENT 64		// a reply is looked for among this many latest calls first
#define FAULT_SLOT XINIM_SYSCALL_NUMBERS

struct call {
	uint64_t id;
	unsigned slot;		// system call number, or FAULT_SLOT
	bool replied;
};

struct tally {
	unsigned server;	// the PID the calls went to
	bool mixed;		// some went elsewhere
	unsigned calls, replies;
};

static struct call calls[CALLS_MAX];
static unsigned call_count;
static uint64_t unmatched[CALLS_MAX];	// replies read before their call
static unsigned unmatched_count;
static struct tally tallies[FAULT_SLOT + 1];
static uint64_t last_sequence[256];
static unsigned long lost, overflow;
static bool exited;

// Marks the call with message id id replied, looking at the newest calls only.
static bool reply_to(uint64_t id, unsigned newest)
{
	for (unsigned i = call_count; i > 0; i--) {
		if (calls[i - 1].id == id && !calls[i - 1].replied) {
			calls[i - 1].replied = true;
			tallies[calls[i - 1].slot].replies++;
			return true;
		}
		if (call_count - i >= newest)
			break;
	}
	return false;
}

static void note_call(const struct xinim_trace_record *r)
{
	int64_t syscall = (int64_t)r->type - XINIM_MSG_SYSCALL_FIRST;
	unsigned slot = r->type == XINIM_MM_FAULT ? FAULT_SLOT
		      : syscall >= 0 && syscall < XINIM_SYSCALL_NUMBERS ? (unsigned)syscall : FAULT_SLOT + 1;
	if (slot > FAULT_SLOT || call_count == CALLS_MAX) {
		overflow++;
		return;
	}
	struct tally *t = &tallies[slot];
	unsigned server = xinim_endpoint_pid(r->dest);
	if (t->calls++ && t->server != server)
		t->mixed = true;
	t->server = server;
	calls[call_count++] = (struct call){ .id = r->message_id, .slot = slot };
	if (slot == XINIM_SYSCALL_NUMBER_exit || slot == XINIM_SYSCALL_NUMBER_exit_group)
		exited = true;
}

static void note(const struct xinim_trace_record *r)
{
	if (r->cpu_sequence != last_sequence[r->cpu] + 1)
		lost += r->cpu_sequence - last_sequence[r->cpu] - 1;
	last_sequence[r->cpu] = r->cpu_sequence;
	if (r->verdict != XINIM_TRACE_OK)
		return;
	if (r->event == XINIM_TRACE_CALL && xinim_endpoint_pid(r->source) == XINIM_PID_INIT)
		note_call(r);
	else if (r->event == XINIM_TRACE_REPLY && r->dest == XINIM_ENDPOINT_KERNEL &&
		 !reply_to(r->message_id, RECENT) && unmatched_count < CALLS_MAX)
		unmatched[unmatched_count++] = r->message_id;
}

static const char *server_name(unsigned pid)
{
	static const char *const names[] = { [XINIM_PID_VFS] = "vfs", [XINIM_PID_PM] = "pm",
					     [XINIM_PID_MM] = "mm" };
	return pid < sizeof(names) / sizeof(names[0]) && names[pid] ? names[pid] : "another process";
}

static void report(const char *what, const struct tally *t)
{
	print("trace: %s -> %s: %u calls, %u replies\n", what,
	      t->mixed ? "several servers" : server_name(t->server), t->calls, t->replies);
}

// Lets this CPU's other threads and the other CPUs run before the rings are read again
// (a sleep lasts a tick, in which the rings would overflow). Under qemu -icount the vCPUs
// take turns on one host thread, and a vCPU polling here would keep its turn for up to
// ~100M instructions while the traced program and its servers wait for theirs: the yield
// hint ends the turn (a no-op on hardware; unlike wfe, EL0 may execute it untrapped).
static void pause_reading(void)
{
	debug_yield();
	__asm__ volatile("yield" : : : "memory");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	static struct xinim_trace_record records[BATCH];
	// Records of replies to calls not yet read may follow a little later.
	for (int quiet_rounds = 0; quiet_rounds < 3;) {
		long n = xinim_kcall(KCALL_TRACE_READ, (long)records, BATCH);
		for (long i = 0; i < n; i++)
			note(&records[i]);
		if (n <= 0)
			pause_reading();
		quiet_rounds = exited && n <= 0 ? quiet_rounds + 1 : 0;
	}
	for (unsigned i = 0; i < unmatched_count; i++)
		reply_to(unmatched[i], CALLS_MAX);
	for (unsigned number = 0; number < XINIM_SYSCALL_NUMBERS; number++) {
		const char *name = xinim_syscall_name(number);
		char what[48];
		ksnprintf(what, sizeof(what), "%s (%u)", name ? name : "unknown", number);
		if (tallies[number].calls)
			report(what, &tallies[number]);
	}
	report("page faults", &tallies[FAULT_SLOT]);
	print("trace: records lost %lu, calls not counted %lu\n", lost, overflow);
	return 0;
}
