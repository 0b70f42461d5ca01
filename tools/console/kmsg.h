#pragma once
// The kernel log in guest RAM (include/xinim/klog.h; docs/console.md, `dmesg`): the page
// that starts with its magic, copied out, and its lines as dmesg prints them.
#include <stdbool.h>
#include <stdio.h>
#include <xinim/klog.h>
#include "ram.h"

struct kmsg_copy {
	struct xinim_log_ring ring;
	uint64_t intact_from;	// what the guest overwrote while it was copied lies before
};

// Copies the guest's log into *copy; false when there is none.
bool kmsg_find(const struct guest_ram *ram, struct kmsg_copy *copy);

// Writes the whole lines copy holds, oldest first, without their "<level>" unless
// levels (as dmesg -r); returns how many lines.
unsigned kmsg_print(const struct kmsg_copy *copy, FILE *out, bool levels);
