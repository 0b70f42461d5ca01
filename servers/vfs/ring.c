// A ring of RING_BYTES in the blocks of a node (a pipe's bytes, a socket's queue): the
// blocks are the node's like a file's, in the kept pool, so a restarted VFS finds the
// ring as it was. The ring is whole blocks, so no piece of a copy crosses its end or a
// block's edge.
#include <errno.h>
#include <string.h>
#include "vfs.h"

long ring_move(struct node *node, const struct ring_side *side, uint64_t n, uint64_t at,
	       bool in)
{
	uint64_t done = 0;
	int err = 0;
	while (done < n && !err) {
		uint64_t place = (at + done) % RING_BYTES;
		uint64_t chunk = block_piece(place, n - done);
		uint8_t *block = node_block(node, place / BLOCK_BYTES, in, &err);
		uint8_t *here = block ? block + place % BLOCK_BYTES : NULL;
		if (!block && !err)
			err = -EIO;	// bytes in the ring always have their block
		else if (block && !side->caller)
			memcpy(in ? here : (uint8_t *)side->local + done,
			       in ? (const uint8_t *)side->local + done : here, chunk);
		else if (block)
			err = (int)(in ? ipc_copy_from(side->caller, here, side->buffer + done, chunk)
				       : ipc_copy_to(side->caller, side->buffer + done, here, chunk));
		if (!err)
			done += chunk;
	}
	return done ? (long)done : err;
}
