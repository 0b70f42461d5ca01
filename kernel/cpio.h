#pragma once
// The boot archive: cpio "newc" (SVR4 without CRC), as the kernel receives it in the
// initrd. Pure; built on the host for unit tests.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpio_file {
	const char *name;	// without a leading "./" or "/"; not NUL-terminated
	size_t name_length;
	const uint8_t *data;
	size_t size;
	uint32_t mode;
};

// Finds the regular file at path ("/bin/x" or "bin/x"). Returns false when it is not
// there or the archive is malformed before it.
bool cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *out);

// Visits entries in order: *cursor starts at 0. Returns false at the trailer or at
// the first malformed header.
bool cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_file *out);
