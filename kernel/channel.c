// The kernel's channel keys (kernel/channel.h): the shared table (<xinim/channels.h>)
// under one spinlock, keyed from the kernel's CSPRNG.
#include <kernel/channel.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <xinim/channels.h>

static struct channel_table channels;
static struct spinlock channel_lock;

void channel_init(bool sealing) { channels_init(&channels, random_bytes, sealing); }

void channel_new_key(struct xinim_channel *out) { channels_new_key(&channels, out); }

int channel_take(xinim_endpoint_t me, xinim_endpoint_t peer, enum xinim_direction direction,
		 struct xinim_channel *out)
{
	spin_lock(&channel_lock);
	int err = channels_take(&channels, me, peer, direction, out);
	spin_unlock(&channel_lock);
	return err;
}

void channel_forget(xinim_endpoint_t endpoint)
{
	spin_lock(&channel_lock);
	channels_forget(&channels, endpoint);
	spin_unlock(&channel_lock);
}
