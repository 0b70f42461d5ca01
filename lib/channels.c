#include <errno.h>
#include <string.h>
#include <sodium/utils.h>
#include <xinim/channels.h>

void channels_init(struct channel_table *t, channels_random_fn *random, bool sealing)
{
	t->random = random;
	t->sealing = sealing;
	for (unsigned i = 0; i < CHANNELS_MAX; i++) {
		sodium_memzero(&t->slots[i], sizeof(t->slots[i]));
		t->slots[i].from = XINIM_ENDPOINT_NONE;
	}
}

void channels_new_key(const struct channel_table *t, struct xinim_channel *out)
{
	*out = (struct xinim_channel){ .flags = t->sealing ? 0 : XINIM_CHANNEL_CLEAR };
	t->random(out->key, sizeof(out->key));
	t->random(out->salt, sizeof(out->salt));
}

static void slot_free(struct channel_slot *c)
{
	sodium_memzero(c, sizeof(*c));
	c->from = XINIM_ENDPOINT_NONE;
}

// The channel from -> to, made if new; NULL when the table is full.
static struct channel_slot *slot_find(struct channel_table *t, xinim_endpoint_t from,
				      xinim_endpoint_t to)
{
	struct channel_slot *free_slot = NULL;
	for (unsigned i = 0; i < CHANNELS_MAX; i++) {
		struct channel_slot *c = &t->slots[i];
		if (c->from == from && c->to == to)
			return c;
		if (c->from == XINIM_ENDPOINT_NONE && !free_slot)
			free_slot = c;
	}
	if (free_slot) {
		*free_slot = (struct channel_slot){ .from = from, .to = to };
		channels_new_key(t, &free_slot->key);
	}
	return free_slot;
}

int channels_take(struct channel_table *t, xinim_endpoint_t me, xinim_endpoint_t peer,
		  enum xinim_direction direction, struct xinim_channel *out)
{
	bool sender = direction == XINIM_TO_PEER;
	struct channel_slot *c = sender ? slot_find(t, me, peer) : slot_find(t, peer, me);
	if (!c)
		return -ENOSPC;
	bool *taken = sender ? &c->taken_by_from : &c->taken_by_to;
	if (*taken)
		return -EALREADY;
	*out = c->key;
	*taken = true;
	if (c->taken_by_from && c->taken_by_to)
		slot_free(c);
	return 0;
}

void channels_forget(struct channel_table *t, xinim_endpoint_t endpoint)
{
	for (unsigned i = 0; i < CHANNELS_MAX; i++)
		if (t->slots[i].from == endpoint || t->slots[i].to == endpoint)
			slot_free(&t->slots[i]);
}
