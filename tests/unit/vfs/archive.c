// Archives for the tests (archive.h): each member is a 110-byte header of hex fields,
// its NUL-terminated name and its data, each padded to 4 bytes.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "harness.h"

static size_t padded(size_t n) { return (n + 3) & ~(size_t)3; }

// Appends one member at *at; false when it does not fit.
static bool member_put(uint8_t *out, size_t size, size_t *at, const struct archive_member *m)
{
	size_t name_size = strlen(m->path) + 1, data_size = m->data ? strlen(m->data) : 0;
	size_t header_and_name = padded(110 + name_size);
	if (size - *at < header_and_name + padded(data_size) + 1)
		return false;
	char *header = (char *)out + *at;
	// magic, ino, mode, uid, gid, nlink, mtime, size, dev and rdev (major, minor), namesize, check
	snprintf(header, 111, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		 (unsigned)(*at + 1), m->mode, m->uid, m->gid, 1u, 0x5f5e1000u, data_size, 0u, 0u,
		 0u, 0u, name_size, 0u);
	memset(out + *at + 110, 0, header_and_name - 110 + padded(data_size));
	memcpy(out + *at + 110, m->path, name_size);
	if (data_size)
		memcpy(out + *at + header_and_name, m->data, data_size);
	*at += header_and_name + padded(data_size);
	return true;
}

size_t archive_build(uint8_t *out, size_t size, const struct archive_member *members,
		     size_t count)
{
	static const struct archive_member trailer = { .path = "TRAILER!!!" };
	size_t at = 0;
	for (size_t i = 0; i < count; i++)
		if (!member_put(out, size, &at, &members[i]))
			return 0;
	return member_put(out, size, &at, &trailer) ? at : 0;
}

static uint8_t loaded[ARCHIVE_BYTES];
static size_t loaded_size;

static long loaded_read(uint64_t offset, void *to, size_t n)
{
	if (offset > loaded_size)
		return -EINVAL;
	size_t got = n < loaded_size - offset ? n : loaded_size - offset;
	memcpy(to, loaded + offset, got);
	return (long)got;
}

int archive_vfs_load(const struct archive_member *members, size_t count)
{
	loaded_size = archive_build(loaded, sizeof(loaded), members, count);
	if (!loaded_size)
		return -ENOSPC;
	archive_attach(loaded_read, loaded_size);
	vfs_state_build();
	return ramfs_child(ramfs_root(), "dev", 3) ? 0 : -EIO;	// built whole
}

int archive_vfs_serve(void **state, struct proc *vfs, const struct archive_member *members,
		      size_t count)
{
	*state = vfs;
	host_kcalls_reset();
	if (archive_vfs_load(members, count) || server_setup(vfs, XINIM_PID_VFS, &vfs_table))
		return -1;
	host_ipc_register(XINIM_PID_PM);
	return 0;
}
