#pragma once
// The boot archive: cpio "newc" (SVR4 without CRC), as the kernel receives it in the
// initrd, possibly several archives one after another (each ends with its TRAILER!!!
// member, zeros may pad between them), later members replacing earlier ones as in
// Linux's initramfs. Used by the kernel's boot loader (kernel/proc.c) and VFS's ramfs
// (servers/vfs/ramfs.c), which reads the archive a piece at a time.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Reads n bytes at offset into to; returns n, or fewer at the end or on error.
typedef long cpio_read_fn(void *context, uint64_t offset, void *to, size_t n);

struct cpio_reader {
	cpio_read_fn *read;
	void *context;
	uint64_t size;		// of the whole archive
	uint64_t at;		// the next member's header; starts at 0
	char *name;		// where a member's name goes, NUL-terminated
	size_t name_room;	// bytes at name
};

struct cpio_member {
	const char *name;	// in the reader's buffer, without leading "/" and "./";
				// "" for the root itself
	uint32_t mode, uid, gid, mtime, rdev_major, rdev_minor;
	uint64_t size;
	uint64_t data;		// offset of the member's bytes in the archive
};

// The next member: 1, 0 at the end of the last archive, -ENAMETOOLONG for a member whose
// name does not fit name_room (the reader moves past it, so the caller may go on), or
// -EINVAL when the archive is malformed (bad magic or digits, a member that runs past
// the end, a missing trailer).
int cpio_next(struct cpio_reader *reader, struct cpio_member *out);

// A regular file in an archive held in memory, named "/bin/x" or "bin/x"; when several
// members have that name, the last one. Returns false when it is not there, or when the
// archive is malformed anywhere.
bool cpio_find(const void *archive, size_t size, const char *path, const uint8_t **data,
	       size_t *file_size);
