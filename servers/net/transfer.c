// A send's or a receive's bytes: the segments VFS granted of its parked caller's buffers
// (struct xinim_net_io), read from VFS's memory while it waits in its call, then copied
// through the grants (KCALL_GRANT_COPY) without passing through VFS.
#include <errno.h>
#include <libipc/ipc.h>
#include "net.h"

// -EINVAL for more segments than a call may have grants, or a length that overflows
// (the caller's iovec checks are VFS's); -EFAULT if VFS's list cannot be read.
long net_transfer_open(const struct ipc_request *request, const struct xinim_net_io *io,
		       struct net_transfer *t)
{
	if (io->count > XINIM_GRANTS_PER_CALL)
		return -EINVAL;
	*t = (struct net_transfer){ .count = io->count, .done = io->done };
	long err = io->count ? ipc_copy_from(request->msg.header.source, t->segments,
					     io->segments, io->count * sizeof(t->segments[0]))
			     : 0;
	if (err)
		return err;
	for (unsigned i = 0; i < t->count; i++) {
		if (t->segments[i].length > UINT64_MAX / 2 - t->total)
			return -EINVAL;
		t->total += t->segments[i].length;
	}
	return t->done > t->total ? -EINVAL : 0;
}

// Copies n bytes at position `at` of the transfer, segment by segment.
static long transfer_copy(const struct net_transfer *t, uint64_t at, void *here, size_t n,
			  unsigned access)
{
	char *bytes = here;
	for (unsigned i = 0; i < t->count && n;) {
		const struct xinim_net_segment *seg = &t->segments[i];
		if (at >= seg->length) {
			at -= seg->length;
			i++;
			continue;
		}
		uint64_t left = seg->length - at;
		size_t chunk = n < left ? n : (size_t)left;
		chunk = chunk < XINIM_COPY_MAX ? chunk : XINIM_COPY_MAX;
		long err = ipc_grant_copy(seg->grant, at, bytes, chunk, access);
		if (err)	// a grant that is not the caller's buffer: VFS's bug, or gone
			return err == -ESRCH || err == -EPERM || err == -EINVAL ? -EFAULT : err;
		bytes += chunk;
		n -= chunk;
		at += chunk;
	}
	return n ? -EFAULT : 0;
}

long net_transfer_read(const struct net_transfer *t, uint64_t at, void *here, size_t n)
{
	return transfer_copy(t, at, here, n, XINIM_GRANT_READ);
}

long net_transfer_write(const struct net_transfer *t, uint64_t at, const void *here, size_t n)
{
	return transfer_copy(t, at, (void *)here, n, XINIM_GRANT_WRITE);
}
