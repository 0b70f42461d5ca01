#pragma once
// A process's capabilities: send rights to endpoints (by PID, so that they outlive a
// restart of the server they name), each with the badge its receiver sees, and the
// classes of kernel calls it may make. Pure: built on the host for unit tests.
#include <stdbool.h>
#include <stdint.h>

#define CAP_SEND_SLOTS 16

enum kcap {
	KCAP_DEBUG = 1 << 0,	// the debug kernel calls
	KCAP_TRACE = 1 << 1,	// reading the IPC trace
	KCAP_COPY = 1 << 2,	// copying to and from blocked callers (servers)
	KCAP_CONSOLE = 1 << 3,	// writing and reading the console (VFS)
	KCAP_BOOT = 1 << 4,	// the boot archive, command line, RTC time and memory size (VFS, PM)
	KCAP_PROC = 1 << 5,	// making, starting and ending processes (PM)
	KCAP_SPACE = 1 << 6,	// mapping and protecting pages of processes PM made (MM)
	KCAP_POWER = 1 << 7,	// powering the machine off (PM)
	KCAP_RESTART = 1 << 8,	// reading servers' deaths and restarting them (RS)
	KCAP_KEEP = 1 << 9,	// kept memory (supervised servers)
	KCAP_RANDOM = 1 << 10,	// the kernel's CSPRNG (PM: AT_RANDOM, getrandom; VFS: /dev/random)
	KCAP_LOG = 1 << 11,	// the kernel log: writing it (servers), syslog(2) (PM)
	KCAP_DEVICE = 1 << 12,	// the boot table's device: registers, interrupt, DMA (drivers)
	KCAP_GRANT = 1 << 13,	// granting a parked caller's memory to another server (VFS)
};

struct cap_send {
	unsigned pid;		// 0: a free slot (nobody sends to the kernel by capability)
	uint64_t badge;
};

struct cap_table {
	struct cap_send send[CAP_SEND_SLOTS];
	unsigned kcalls;	// enum kcap bits
};

// A send right to pid; a second grant to the same pid replaces its badge.
// 0, -EINVAL (pid 0), -ENOSPC (table full).
int cap_grant_send(struct cap_table *caps, unsigned pid, uint64_t badge);

// Whether caps may send to pid; *badge gets the right's badge when it may.
bool cap_lookup_send(const struct cap_table *caps, unsigned pid, uint64_t *badge);

// Whether caps holds every class in kcalls.
static inline bool cap_allows_kcall(const struct cap_table *caps, unsigned kcalls)
{
	return (caps->kcalls & kcalls) == kcalls;
}

// The name of one kernel-call class (a single enum kcap bit), for the console: "debug",
// "trace", ...; "?" for anything else.
const char *cap_kcall_name(unsigned kcap);
