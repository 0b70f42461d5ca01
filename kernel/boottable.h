#pragma once
// The boot table (boot/boot_table.c): the programs the kernel can start from the boot
// archive, each with its priority and capabilities, like MINIX's service table.
#include <kernel/sched.h>

enum kcap {
	KCAP_DEBUG = 1 << 0,	// the debug kernel calls
};

struct boot_program {
	const char *name;	// as named on the command line: run=NAME,NAME,...
	const char *path;	// in the boot archive
	enum priority priority;
	unsigned caps;
};

extern const struct boot_program boot_programs[];
extern const unsigned boot_program_count;
