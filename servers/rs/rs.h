#pragma once
// The resurrection server, PID 7 (docs/resurrection.md): restarts the servers it
// supervises when they die, with exponential back-off for a server that keeps dying.
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/rs.h>

#define RS_BACKOFF_MIN_US 1000		// a second death soon after a restart waits this
#define RS_BACKOFF_MAX_US 1000000	// and twice as long each time, up to this
#define RS_STABLE_US 1000000		// alive this long after a restart: back-off is reset
#define RS_PING_PERIOD_US 100000	// each server is pinged this often
#define RS_PING_TIMEOUT_US 10000	// and waited for this long, so RS is never long away
// Pings missed in a row that make a hang (1.5 s): longer than a server waits for another
// server's restart. No server is pinged while one is down: they wait for each other.
#define RS_PINGS_MISSED_MAX 15

struct supervised {
	unsigned pid;
	const char *name;
	xinim_endpoint_t endpoint;	// the live instance; XINIM_ENDPOINT_NONE while dead
	unsigned restarts;
	uint64_t started_us;		// when the live instance was started (RS's clock)
	uint64_t backoff_us;		// what the next quick death waits
	uint64_t restart_at_us;		// when the dead one is to be restarted; 0: not dead
	uint64_t ping_at_us;		// when it is next pinged
	unsigned pings_missed;		// in a row
	bool hung;			// ended by RS for not answering
	struct xinim_death death;	// the last death
};

// backoff.c: the wait before restarting s, dead at now_us, and s's back-off after it.
uint64_t rs_backoff(struct supervised *s, uint64_t now_us);
// The last death of s in words ("SIGSEGV at pc 4011a0 addr 0", "exit status 3").
void rs_death_reason(const struct xinim_death *death, char *out, unsigned size);

// main.c: the server RS supervises by that name, or NULL.
const struct supervised *rs_server_named(const char *name);
// inject.c: the faults the boot option inject= asks for, sent to the servers.
void rs_inject_from_boot_args(void);
