// The driver's kept state (docs/resurrection.md): only its counters. Frames in flight
// are not kept: a new instance resets the device, and NET's TCP sends again what was
// lost. A counter only grows; a request's additions are undone if it dies half way.
#include <xinim/runtime.h>
#include "virtio_net.h"

struct nic_state {
	uint64_t counters[NIC_COUNTERS];	// frames since the driver's first start
};

#ifdef XINIM_HOSTED
static struct nic_state hosted_state;
static struct nic_state *kept = &hosted_state;
#else
static struct nic_state *kept;
#endif
static uint64_t logged;	// keep_change_once's mark

size_t state_size(void) { return sizeof(struct nic_state); }

void state_take(void *state, enum keep_start start)
{
	kept = state;
	if (start == KEEP_REFUSED)
		klog(LOGLEVEL_WARNING, "virtio_net: the kept counters did not check out: from zero\n");
}

void state_count(enum nic_counter counter, uint64_t n)
{
	if (!n)
		return;
	keep_change_once(&logged, kept->counters, sizeof(kept->counters));
	kept->counters[counter] += n;
}

uint64_t state_counter(enum nic_counter counter)
{
	return kept->counters[counter];
}
