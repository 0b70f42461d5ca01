// The table of user-to-user channel keys waiting to be taken (kernel/channel.h).
#include <errno.h>
#include <string.h>
#include <sodium/utils.h>
#include <kernel/channel.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>

#define CHANNELS 512

struct channel {
	xinim_endpoint_t from, to;	// from == XINIM_ENDPOINT_NONE: a free slot
	bool taken_by_from, taken_by_to;
	struct xinim_channel key;
};

static struct channel channels[CHANNELS];
static struct spinlock channel_lock;
static bool sealing = true;

void channel_init(bool seal)
{
	sealing = seal;
	for (unsigned i = 0; i < CHANNELS; i++)
		channels[i].from = XINIM_ENDPOINT_NONE;
}

void channel_new_key(struct xinim_channel *out)
{
	*out = (struct xinim_channel){ .flags = sealing ? 0 : XINIM_CHANNEL_CLEAR };
	random_bytes(out->key, sizeof(out->key));
	random_bytes(out->salt, sizeof(out->salt));
}

static void channel_free(struct channel *c)
{
	sodium_memzero(c, sizeof(*c));
	c->from = XINIM_ENDPOINT_NONE;
}

// The channel from -> to, made if new; NULL when the table is full. Under channel_lock.
static struct channel *channel_find(xinim_endpoint_t from, xinim_endpoint_t to)
{
	struct channel *free_slot = NULL;
	for (unsigned i = 0; i < CHANNELS; i++) {
		struct channel *c = &channels[i];
		if (c->from == from && c->to == to)
			return c;
		if (c->from == XINIM_ENDPOINT_NONE && !free_slot)
			free_slot = c;
	}
	if (free_slot) {
		*free_slot = (struct channel){ .from = from, .to = to };
		channel_new_key(&free_slot->key);
	}
	return free_slot;
}

int channel_take(xinim_endpoint_t me, xinim_endpoint_t peer, enum xinim_direction direction,
		 struct xinim_channel *out)
{
	bool sender = direction == XINIM_TO_PEER;
	int err = 0;
	spin_lock(&channel_lock);
	struct channel *c = sender ? channel_find(me, peer) : channel_find(peer, me);
	bool *taken = !c ? NULL : sender ? &c->taken_by_from : &c->taken_by_to;
	if (!c)
		err = -ENOSPC;
	else if (*taken)
		err = -EALREADY;
	else {
		*out = c->key;
		*taken = true;
		if (c->taken_by_from && c->taken_by_to)
			channel_free(c);
	}
	spin_unlock(&channel_lock);
	return err;
}

void channel_forget(xinim_endpoint_t endpoint)
{
	spin_lock(&channel_lock);
	for (unsigned i = 0; i < CHANNELS; i++)
		if (channels[i].from == endpoint || channels[i].to == endpoint)
			channel_free(&channels[i]);
	spin_unlock(&channel_lock);
}
