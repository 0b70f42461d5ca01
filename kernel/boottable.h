#pragma once
// The boot table (boot/boot_table.c): the programs the kernel can start from the boot
// archive, each with its priority and capabilities, like MINIX's service table.
#include <stdbool.h>
#include <stdint.h>
#include <kernel/cap.h>
#include <kernel/sched.h>

#define BOOT_SENDS_MAX 6

struct boot_program {
	const char *name;	// as named on the command line: run=NAME,NAME,...
	const char *path;	// in the boot archive
	unsigned pid;		// a fixed PID below XINIM_PID_FIRST_DYNAMIC, or 0 for any
	bool boot;		// a boot server: started when the command line has no run=
	bool supervised;	// RS restarts it when it dies (docs/resurrection.md)
	bool kernel_restarts;	// supervised, but the kernel restarts it once it is gone: RS
	enum priority priority;
	unsigned kcalls;	// enum kcap: the kernel-call classes it may use
	struct cap_send sends[BOOT_SENDS_MAX];	// the endpoints it may send to
	const char *device;	// a driver's (KCAP_DEVICE): the DTB compatible of its devices
};

extern const struct boot_program boot_programs[];
extern const unsigned boot_program_count;
