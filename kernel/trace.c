// Per-CPU trace rings. Only its own CPU writes a ring, with interrupts masked as all
// kernel code runs, and without a lock: a record's cpu_sequence is stored last (with
// release order), so a reader on another CPU, or on the host through guest memory (the
// directory, docs/console.md), takes a record only if its number is the one it expects
// both before and after copying it.
#include <errno.h>
#include <string.h>
#include <xinim/limits.h>
#include <kernel/arch/aarch64/memory.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cpu.h>
#include <stdbool.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

#define RING 8192	// records per CPU, a power of two: 512 KiB, a burst of ~5,000 faults

struct ring {
	struct spinlock read_lock;	// between readers
	uint64_t written;	// records ever written; the newest is number `written`
	uint64_t read;		// records handed out (or skipped as overwritten)
	uint64_t ids;		// message ids made on this CPU
	struct xinim_trace_record records[RING];
};

static struct ring rings[MAX_CPUS];
_Static_assert(MAX_CPUS <= XINIM_TRACE_CPUS_MAX, "the directory has a place for every ring");

// For readers outside the guest: where the rings are, and the name of each PID's live
// process (kept here, as the records naming it may be overwritten before they attach).
static struct xinim_trace_directory directory __attribute__((aligned(PAGE_SIZE)));
static struct xinim_trace_name names[XINIM_PROCS_MAX];
static bool tracing = true;

void trace_init(unsigned cpus, bool enabled, uint64_t boot_id)
{
	tracing = enabled;
	directory = (struct xinim_trace_directory){
		.version = XINIM_TRACE_VERSION, .size = sizeof(directory),
		.self_pa = virt_to_phys(&directory), .boot_id = boot_id,
		.counter_hz = sysreg_read(cntfrq_el0), .cpus = cpus, .ring_records = RING,
		.record_size = sizeof(struct xinim_trace_record),
		.flags = enabled ? 0 : XINIM_TRACE_OFF,
		.names_pa = virt_to_phys(names), .names_count = XINIM_PROCS_MAX,
	};
	for (unsigned cpu = 0; cpu < cpus; cpu++)
		directory.rings[cpu] = (struct xinim_trace_ring_place){
			.written_pa = virt_to_phys(&rings[cpu].written),
			.records_pa = virt_to_phys(rings[cpu].records) };
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(directory.magic, XINIM_TRACE_MAGIC, sizeof(directory.magic));
}

uint64_t trace_new_id(void)
{
	struct cpu *cpu = this_cpu();
	return (uint64_t)cpu->id << 56 | ++rings[cpu->id].ids;
}

// The next record of cpu's ring, marked as being written: fill it, then trace_commit.
static inline struct xinim_trace_record *trace_begin(unsigned cpu, uint64_t *n)
{
	*n = rings[cpu].written + 1;
	struct xinim_trace_record *t = &rings[cpu].records[*n & (RING - 1)];
	__atomic_store_n(&t->cpu_sequence, 0, __ATOMIC_RELAXED);	// being rewritten
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return t;
}

static inline void trace_commit(unsigned cpu, struct xinim_trace_record *t, uint64_t n)
{
	t->timestamp = sysreg_read(cntvct_el0);
	t->cpu = (uint8_t)cpu;
	__atomic_store_n(&t->cpu_sequence, n, __ATOMIC_RELEASE);
	__atomic_store_n(&rings[cpu].written, n, __ATOMIC_RELEASE);
}

void trace_event_value(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		       const struct xinim_msg_header *h, uint64_t message_id, int64_t value)
{
	if (!tracing)
		return;
	unsigned cpu = this_cpu()->id;
	uint64_t n;
	struct xinim_trace_record *t = trace_begin(cpu, &n);
	t->message_id = message_id;
	t->sequence = h->sequence;
	t->source = h->source;
	t->dest = h->dest;
	t->type = h->type;
	t->length = h->length;
	t->event = (uint8_t)event;
	t->verdict = (uint8_t)verdict;
	t->value = value;
	trace_commit(cpu, t, n);
}

// A name NUL-padded to XINIM_TRACE_NAME_SIZE, cut there.
static void name_copy(char to[XINIM_TRACE_NAME_SIZE], const char *name)
{
	size_t length = strnlen(name, XINIM_TRACE_NAME_SIZE);
	memset(to, 0, XINIM_TRACE_NAME_SIZE);
	memcpy(to, name, length);
}

void trace_name(unsigned pid, xinim_endpoint_t endpoint, const char *name)
{
	struct xinim_trace_name *entry = &names[pid];
	uint32_t sequence = entry->sequence;
	__atomic_store_n(&entry->sequence, sequence + 1, __ATOMIC_RELAXED);	// odd: writing
	__atomic_thread_fence(__ATOMIC_RELEASE);
	entry->endpoint = endpoint;
	name_copy(entry->name, name);
	__atomic_store_n(&entry->sequence, sequence + 2, __ATOMIC_RELEASE);
	if (!tracing || !endpoint)
		return;
	unsigned cpu = this_cpu()->id;
	uint64_t n;
	struct xinim_trace_record *t = trace_begin(cpu, &n);
	*t = (struct xinim_trace_record){ .source = endpoint, .event = XINIM_TRACE_NAME };
	name_copy(t->name, name);
	trace_commit(cpu, t, n);
}

// Copies record number n of r into out; false if it was overwritten meanwhile.
static bool read_record(struct ring *r, uint64_t n, struct xinim_trace_record *out)
{
	struct xinim_trace_record *t = &r->records[n & (RING - 1)];
	if (__atomic_load_n(&t->cpu_sequence, __ATOMIC_ACQUIRE) != n)
		return false;
	*out = *t;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&t->cpu_sequence, __ATOMIC_RELAXED) == n;
}

// Copies up to max unread records of one CPU to out; the count, or -EFAULT.
static long drain(struct ring *r, uint64_t out, unsigned max)
{
	struct xinim_trace_record record;
	long copied = 0;
	while (copied < max) {
		spin_lock(&r->read_lock);
		uint64_t written = __atomic_load_n(&r->written, __ATOMIC_ACQUIRE);
		if (written - r->read > RING)
			r->read = written - RING;	// the older ones were overwritten
		bool have = r->read < written;
		bool good = have && read_record(r, ++r->read, &record);
		spin_unlock(&r->read_lock);
		if (!have)
			break;
		if (!good)
			continue;	// overwritten while read: a gap the numbers show
		if (copy_to_user(out + copied * sizeof(record), &record, sizeof(record)))
			return -EFAULT;
		copied++;
	}
	return copied;
}

long trace_kcall_read(struct trapframe *frame)
{
	uint64_t out = frame->x[0];
	unsigned max = (unsigned)frame->x[1];
	long total = 0;
	for (unsigned cpu = 0; cpu < cpus_present && total < max; cpu++) {
		long n = drain(&rings[cpu], out + total * sizeof(struct xinim_trace_record),
			       max - (unsigned)total);
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}
