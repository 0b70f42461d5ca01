#pragma once
// The resurrection server, PID 7 (docs/resurrection.md): restarts the servers it
// supervises when they die, with exponential back-off for a server that keeps dying; the
// kernel restarts RS itself. Its bookkeeping is kept state (libipc/keep.h), one record
// per server, so that a restarted RS goes on where the last one stopped.
#include <stdbool.h>
#include <stdint.h>
#include <libipc/keep.h>
#include <libipc/server.h>
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

#define RS_STATE_VERSION 2	// 2: the records of NET and DEV
#define RS_UNDO_BYTES 4096

// The records, by index: the servers RS restarts, then RS itself (the kernel restarts
// it; its record counts that and keeps why the last RS died). The boot table says which
// servers a boot has (a boot without NET and its driver): RS supervises those it finds
// alive as it first starts, or dead since (rs_present).
enum rs_record { RS_VFS, RS_PM, RS_MM, RS_NET, RS_DEV, RS_SELF, RS_RECORDS };
#define RS_SUPERVISED RS_SELF	// the records of the servers RS restarts come first

struct rs_name {
	unsigned pid;
	const char *name;
};
extern const struct rs_name rs_names[RS_RECORDS];

// Why RS ends a server: said as its death, instead of the kernel's "ended by pid 7".
enum rs_ending {
	RS_ENDS_NONE,
	RS_ENDS_HUNG,		// it did not answer RS's pings
	RS_ENDS_RESTART,	// `rs restart`: back at once, without back-off
	RS_ENDS_KILL,		// `rs kill`: back as after any death
	RS_ENDINGS
};

// One server's bookkeeping, in kept memory (pointer-free; times on RS's clock, us).
struct supervised {
	xinim_endpoint_t endpoint;	// the live instance; XINIM_ENDPOINT_NONE while dead
	uint32_t restarts;
	uint64_t started_us;		// when the live instance was started
	uint64_t backoff_us;		// what the next quick death waits
	uint64_t restart_at_us;		// when the dead one is to be restarted; 0: not dead
	uint64_t ping_at_us;		// when it is next pinged
	uint32_t pings_missed;		// in a row
	uint8_t ended_by;		// enum rs_ending: the last death's, if RS caused it
	uint8_t reserved[3];
	struct xinim_death death;	// the last death; who 0: none yet
};

// Whether s's server is one of this boot's: alive, or dead and to be restarted. A
// server the boot never started is not waited for, pinged, listed or restarted.
static inline bool rs_present(const struct supervised *s)
{
	return s->endpoint != XINIM_ENDPOINT_NONE || s->restart_at_us;
}

// state.c: the records, in kept memory (hosted: a state of their own).
extern struct supervised *rs_records;
size_t rs_state_size(void);
// The take-over: each record checked (one that does not check out starts afresh), then
// set right against what the kernel says runs now, since the last RS may have died
// between a restart and its commit; and RS's own death, if it is a restarted RS.
void rs_state_take(void *state, enum keep_start start);
// Before the first change of a record in a request or a round of work (keep_change).
void rs_change(struct supervised *s);
// The record of the server with that name or PID, or NULL.
struct supervised *rs_record_named(const char *name);
struct supervised *rs_record_of_pid(unsigned pid);
static inline enum rs_record rs_index(const struct supervised *s) { return (enum rs_record)(s - rs_records); }

// supervise.c: RS's clock, the counter in microseconds.
uint64_t rs_now_us(void);
uint64_t rs_ticks_to_us(uint64_t ticks);

// backoff.c: the wait before restarting s, dead at now_us, and s's back-off after it.
uint64_t rs_backoff(struct supervised *s, uint64_t now_us);
// The last death of s in words ("SIGSEGV at pc 4011a0 addr 0", "exit status 3").
void rs_death_reason(const struct xinim_death *death, char *out, unsigned size);
// Why s's last instance died, in words: its death, or RS's own doing (a hang, `rs restart`).
void rs_death_said(const struct supervised *s, char *out, unsigned size);

// supervise.c: each server that has died since, its death noted and its restart planned.
void rs_deaths_read(void);
// Restarts and pings what is due; the wait until the next thing to do (us).
uint64_t rs_work_due(void);
// Ends the live instance of s, a server RS restarts, for why: 0 or the error.
long rs_end(struct supervised *s, enum rs_ending why);

// control.c: the rs command's call (XINIM_RS_CONTROL); what RS is to do after its reply.
ipc_handler rs_control;
bool rs_control_ends_self(void);
// The status of record s, as the rs command shows it.
void rs_status_of(const struct supervised *s, uint64_t now_us, struct xinim_rs_status *out);

// table.c
extern const struct ipc_table rs_table;

// inject.c: the faults the boot option inject= asks for, sent to the servers.
void rs_inject_from_boot_args(void);
