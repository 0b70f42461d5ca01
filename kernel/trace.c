// Per-CPU trace rings. Only its own CPU writes a ring, with interrupts masked as all
// kernel code runs, and without a lock: a record's cpu_sequence is stored last (with
// release order), so a reader on another CPU takes a record only if its number is the
// one it expects both before and after copying it.
#include <errno.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cpu.h>
#include <stdbool.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

#define RING 1024	// records per CPU, a power of two

struct ring {
	struct spinlock read_lock;	// between readers
	uint64_t written;	// records ever written; the newest is number `written`
	uint64_t read;		// records handed out (or skipped as overwritten)
	uint64_t ids;		// message ids made on this CPU
	struct xinim_trace_record records[RING];
};

static struct ring rings[MAX_CPUS];

uint64_t trace_new_id(void)
{
	struct cpu *cpu = this_cpu();
	return (uint64_t)cpu->id << 56 | ++rings[cpu->id].ids;
}

void trace_event(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		 const struct xinim_msg_header *h, uint64_t message_id)
{
	unsigned cpu = this_cpu()->id;
	struct ring *r = &rings[cpu];
	uint64_t n = r->written + 1;
	struct xinim_trace_record *t = &r->records[n & (RING - 1)];
	__atomic_store_n(&t->cpu_sequence, 0, __ATOMIC_RELAXED);	// being rewritten
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->timestamp = sysreg_read(cntvct_el0);
	t->message_id = message_id;
	t->sequence = h->sequence;
	t->source = h->source;
	t->dest = h->dest;
	t->type = h->type;
	t->length = h->length;
	t->cpu = (uint8_t)cpu;
	t->event = (uint8_t)event;
	t->verdict = (uint8_t)verdict;
	__atomic_store_n(&t->cpu_sequence, n, __ATOMIC_RELEASE);
	__atomic_store_n(&r->written, n, __ATOMIC_RELEASE);
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
