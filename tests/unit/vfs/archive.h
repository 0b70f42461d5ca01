#pragma once
// A cpio (newc) archive made in memory, as boot/mkarchive.sh makes the boot archive, for
// VFS's ramfs to load in the tests.
#include <stddef.h>
#include <stdint.h>

struct archive_member {
	const char *path;	// as in the archive: relative, no leading slash
	unsigned mode;		// type and permission bits
	unsigned uid, gid;
	const char *data;	// a file's bytes or a link's target; NULL: none
};

// Writes the members, then the trailer, into out: the archive's size, or 0 when it does
// not fit in size bytes.
size_t archive_build(uint8_t *out, size_t size, const struct archive_member *members,
		     size_t count);

// Fills VFS's tree as VFS's first instance does at start (vfs_state_build): from an
// archive of the members, built in memory that lasts (files keep reading their bytes
// from it until written), then the devices. 0 or -errno (-ENOSPC when the archive does not fit
// ARCHIVE_BYTES).
#define ARCHIVE_BYTES 4096
int archive_vfs_load(const struct archive_member *members, size_t count);

// A cmocka group's setup for VFS's tests: the hosted kernel reset, VFS's tree loaded from
// the members (archive_vfs_load), VFS serving at its PID in vfs, and PM's PID registered
// so that the test's thread can call as PM. *state becomes vfs (server_group_teardown
// stops it). 0 or -1.
struct proc;
int archive_vfs_serve(void **state, struct proc *vfs, const struct archive_member *members,
		      size_t count);
