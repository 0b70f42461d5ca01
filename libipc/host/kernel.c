// The hosted kernel's processes, capabilities and trace ring, and the test controls of
// <libipc/host.h>; channel keys live in the kernel's own table (<xinim/channels.h>). A
// "process" is a thread bound to a PID by host_ipc_register; the binding is thread-local.
// The rules are the kernel's (kernel/ipc.c, kernel/proc.c).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium/core.h>
#include <sodium/randombytes.h>
#include <sodium/utils.h>
#include <xinim/channels.h>
#include "kernel.h"

#define CAPS 256
#define RING HOST_IPC_TRACE_RECORDS

// A PID and its latest instance, with the kernel's own channels to it (kernel/proc.c).
struct process {
	unsigned generation;	// of the latest instance; 0: never registered
	bool live;
	struct xinim_channel kernel_keys[2];	// by enum xinim_direction, as the process sees it
	bool kernel_keys_taken[2];
	struct codec_channel kernel_tx;		// the kernel's end of kernel -> process
	struct codec_channel kernel_rx;		// the kernel's end of process -> kernel
};

struct cap {
	unsigned from, to;	// PIDs
	uint64_t badge;
};

pthread_mutex_t host_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t host_changed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static unsigned epoch;	// bumped by reset: threads bound before it are stale
static struct process procs[HOST_IPC_PIDS];
static struct cap caps[CAPS];
static unsigned ncaps;
static struct xinim_trace_record ring[RING];
static uint64_t written, taken;	// records ever written / taken by host_ipc_trace
static uint64_t last_id;	// of trace message ids

static _Thread_local xinim_endpoint_t me = XINIM_ENDPOINT_NONE;
static _Thread_local unsigned my_epoch;

static struct channel_table channels;	// under host_lock

// The kernel's CSPRNG, for the channel keys.
static void random_bytes(void *out, size_t n) { randombytes_buf(out, n); }

// Timed waits use the monotonic clock, so a change of the wall clock cannot fire them.
static void init(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&host_changed, &attr);
	pthread_condattr_destroy(&attr);
	if (sodium_init() < 0)
		abort();
	channels_init(&channels, random_bytes, true);
}

void host_enter(void)
{
	pthread_once(&once, init);
	pthread_mutex_lock(&host_lock);
}

void host_leave(void) { pthread_mutex_unlock(&host_lock); }

bool host_live(xinim_endpoint_t ep)
{
	unsigned pid = xinim_endpoint_pid(ep);
	return pid > 0 && pid < HOST_IPC_PIDS && procs[pid].live &&
	       xinim_endpoint_generation(ep) == procs[pid].generation;
}

xinim_endpoint_t host_instance(unsigned pid)
{
	if (pid == 0 || pid >= HOST_IPC_PIDS || !procs[pid].live)
		return XINIM_ENDPOINT_NONE;
	return xinim_endpoint(pid, procs[pid].generation);
}

xinim_endpoint_t host_self(void)
{
	return my_epoch == epoch && host_live(me) ? me : XINIM_ENDPOINT_NONE;
}

static struct cap *cap_find(unsigned from, unsigned to)
{
	for (unsigned i = 0; i < ncaps; i++)
		if (caps[i].from == from && caps[i].to == to)
			return &caps[i];
	return NULL;
}

bool host_cap(unsigned from_pid, unsigned to_pid, uint64_t *badge)
{
	const struct cap *c = cap_find(from_pid, to_pid);
	if (c && badge)
		*badge = c->badge;
	return c != NULL;
}

static long kernel_key_take(xinim_endpoint_t self, enum xinim_direction direction,
			    struct xinim_channel *out)
{
	struct process *p = &procs[xinim_endpoint_pid(self)];
	if (p->kernel_keys_taken[direction])
		return -EALREADY;
	*out = p->kernel_keys[direction];
	sodium_memzero(&p->kernel_keys[direction], sizeof(*out));
	p->kernel_keys_taken[direction] = true;
	return 0;
}

long host_channel_take(xinim_endpoint_t self, xinim_endpoint_t peer,
		       enum xinim_direction direction, struct xinim_channel *out)
{
	if (peer == XINIM_ENDPOINT_KERNEL)
		return kernel_key_take(self, direction, out);
	return channels_take(&channels, self, peer, direction, out);
}

struct codec_channel *host_kernel_tx(xinim_endpoint_t ep)
{
	return &procs[xinim_endpoint_pid(ep)].kernel_tx;
}

struct codec_channel *host_kernel_rx(xinim_endpoint_t ep)
{
	return &procs[xinim_endpoint_pid(ep)].kernel_rx;
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

uint64_t host_trace_id(void) { return ++last_id; }

void host_trace(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		const struct xinim_msg_header *h, uint64_t message_id)
{
	ring[written % RING] = (struct xinim_trace_record){
		.timestamp = now_ns(), .cpu_sequence = written + 1, .message_id = message_id,
		.sequence = h->sequence, .source = h->source, .dest = h->dest,
		.type = h->type, .length = h->length, .event = (uint8_t)event,
		.verdict = (uint8_t)verdict,
	};
	written++;
}

long host_refuse(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		 const struct xinim_msg_header *h, long err)
{
	host_trace(event, verdict, h, 0);
	return err;
}

// The live instance of pid dies: its waiters fail, its channels are forgotten.
static void kill_instance(unsigned pid)
{
	xinim_endpoint_t ep = xinim_endpoint(pid, procs[pid].generation);
	procs[pid].live = false;
	host_messages_kill(ep);
	channels_forget(&channels, ep);
	sodium_memzero(procs[pid].kernel_keys, sizeof(procs[pid].kernel_keys));
}

void host_ipc_reset(void)
{
	host_enter();
	host_messages_reset();
	host_grants_reset();
	epoch++;
	sodium_memzero(procs, sizeof(procs));
	ncaps = 0;
	channels_init(&channels, random_bytes, true);
	written = taken = last_id = 0;
	host_leave();
}

// A new instance of pid, with fresh keys for the kernel's channels to and from it.
xinim_endpoint_t host_ipc_register(unsigned pid)
{
	if (pid == 0 || pid >= HOST_IPC_PIDS)
		abort();
	host_enter();
	struct process *p = &procs[pid];
	if (p->live)
		kill_instance(pid);
	p->generation = p->generation % XINIM_PID_MASK + 1;	// 1 .. 65535, as the kernel
	p->live = true;
	for (unsigned d = XINIM_TO_PEER; d <= XINIM_FROM_PEER; d++) {
		channels_new_key(&channels, &p->kernel_keys[d]);
		p->kernel_keys_taken[d] = false;
	}
	codec_channel_init(&p->kernel_tx, &p->kernel_keys[XINIM_FROM_PEER]);
	codec_channel_init(&p->kernel_rx, &p->kernel_keys[XINIM_TO_PEER]);
	me = xinim_endpoint(pid, p->generation);
	my_epoch = epoch;
	host_leave();
	return me;
}

void host_ipc_exit(void)
{
	host_enter();
	if (host_self() != XINIM_ENDPOINT_NONE)
		kill_instance(xinim_endpoint_pid(me));
	me = XINIM_ENDPOINT_NONE;
	host_leave();
}

void host_ipc_grant(unsigned from_pid, unsigned to_pid, uint64_t badge)
{
	if (from_pid == 0 || from_pid >= HOST_IPC_PIDS || to_pid == 0 || to_pid >= HOST_IPC_PIDS)
		abort();
	host_enter();
	struct cap *c = cap_find(from_pid, to_pid);
	if (!c) {
		if (ncaps == CAPS)
			abort();
		c = &caps[ncaps++];
	}
	*c = (struct cap){ .from = from_pid, .to = to_pid, .badge = badge };
	host_leave();
}

void host_ipc_set_clear(bool clear)
{
	host_enter();
	channels_init(&channels, random_bytes, !clear);
	host_leave();
}

unsigned host_ipc_trace(struct xinim_trace_record *out, unsigned max)
{
	host_enter();
	if (written - taken > RING)
		taken = written - RING;	// the oldest were overwritten
	unsigned count = 0;
	for (; count < max && taken < written; count++, taken++)
		out[count] = ring[taken % RING];
	host_leave();
	return count;
}
