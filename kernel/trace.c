// Per-CPU trace rings. Only its own CPU writes a ring (with interrupts masked, as all
// kernel code runs); the ring's lock orders that writer against a reader on another CPU.
#include <errno.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cpu.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

#define RING 256	// records per CPU, a power of two

struct ring {
	struct spinlock lock;
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
	spin_lock(&r->lock);
	uint64_t n = ++r->written;
	r->records[n & (RING - 1)] = (struct xinim_trace_record){
		.timestamp = counter_now(), .cpu_sequence = n, .message_id = message_id,
		.sequence = h->sequence, .source = h->source, .dest = h->dest, .type = h->type,
		.length = h->length, .cpu = (uint8_t)cpu, .event = (uint8_t)event,
		.verdict = (uint8_t)verdict,
	};
	spin_unlock(&r->lock);
}

// Copies up to max unread records of one CPU to out; the count, or -EFAULT.
static long drain(struct ring *r, uint64_t out, unsigned max)
{
	struct xinim_trace_record record;
	long copied = 0;
	for (; copied < max; copied++) {
		spin_lock(&r->lock);
		if (r->written - r->read > RING)
			r->read = r->written - RING;	// the older ones were overwritten
		bool have = r->read < r->written;
		if (have)
			record = r->records[++r->read & (RING - 1)];
		spin_unlock(&r->lock);
		if (!have)
			break;
		if (copy_to_user(out + copied * sizeof(record), &record, sizeof(record)))
			return -EFAULT;
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
