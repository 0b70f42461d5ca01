#pragma once
// Guest RAM as the host sees it: the file QEMU backs it with (boot/run.sh --trace-ram),
// mapped read-only, and the trace directory found in it (include/xinim/ipc/trace.h;
// docs/console.md, "How the console finds the rings").
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/trace.h>

#define RAM_PAGE 4096	// the directory starts a page

struct guest_ram {
	int fd;
	const uint8_t *bytes;	// the whole file, shared with the guest: read with care
	size_t size;
	bool found;			// the fields below hold a checked directory
	size_t directory_offset;
	uint64_t base_pa;		// the physical address of the file's first byte
	struct xinim_trace_directory directory;	// a copy, taken when found
};

// Maps the file at path (a RAM file, or /proc/PID/fd/4): 0 or -errno.
int ram_open(struct guest_ram *ram, const char *path);
void ram_close(struct guest_ram *ram);

// Calls accept(ram, offset, context) for each page (the guest wrote) that starts with the
// length bytes of magic, in order, until it returns true; returns whether one did.
bool ram_find_page(const struct guest_ram *ram, const char *magic, size_t length,
		   bool (*accept)(struct guest_ram *ram, size_t offset, void *context),
		   void *context);

// Looks for a valid directory at each page of the file; true if one is found.
bool ram_find_directory(struct guest_ram *ram);

// False once the directory found is gone or names another boot: the guest rebooted.
bool ram_directory_unchanged(const struct guest_ram *ram);

// Where length bytes at physical address pa are in the mapping; NULL if not in RAM.
const void *ram_at(const struct guest_ram *ram, uint64_t pa, size_t length);
