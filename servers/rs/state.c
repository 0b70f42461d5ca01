// RS's kept records (docs/resurrection.md): checked and set right when a restarted RS
// takes them over.
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "rs.h"

const struct rs_name rs_names[RS_RECORDS] = {
	[RS_VFS] = { XINIM_PID_VFS, "vfs" },
	[RS_PM] = { XINIM_PID_PM, "pm" },
	[RS_MM] = { XINIM_PID_MM, "mm" },
	[RS_NET] = { XINIM_PID_NET, "net" },
	[RS_DEV] = { XINIM_PID_DEV, "dev" },
	[RS_SELF] = { XINIM_PID_RS, "rs" },
};

struct rs_state {
	struct supervised records[RS_RECORDS];
};

#ifdef XINIM_HOSTED	// the hosted tests have no kept memory: a state of their own
static struct rs_state hosted_state;
struct supervised *rs_records = hosted_state.records;
#else
struct supervised *rs_records;
#endif

size_t rs_state_size(void) { return sizeof(struct rs_state); }

static uint64_t logged[RS_RECORDS];	// keep_change_once's marks

void rs_change(struct supervised *s)
{
	keep_change_once(&logged[rs_index(s)], s, sizeof(*s));
}

struct supervised *rs_record_named(const char *name)
{
	for (unsigned i = 0; i < RS_RECORDS; i++)
		if (strcmp(rs_names[i].name, name) == 0)
			return &rs_records[i];
	return NULL;
}

struct supervised *rs_record_of_pid(unsigned pid)
{
	for (unsigned i = 0; i < RS_RECORDS; i++)
		if (rs_names[i].pid == pid)
			return &rs_records[i];
	return NULL;
}

static bool endpoint_of(xinim_endpoint_t endpoint, unsigned pid)
{
	return endpoint == XINIM_ENDPOINT_NONE || xinim_endpoint_pid(endpoint) == pid;
}

// Whether record i holds what RS could have written: anything else was not RS's doing
// (a stray write into kept memory) and is not trusted.
static bool record_valid(unsigned i, const struct supervised *s)
{
	return endpoint_of(s->endpoint, rs_names[i].pid) &&
	       (!s->death.who || xinim_endpoint_pid(s->death.who) == rs_names[i].pid) &&
	       s->backoff_us <= RS_BACKOFF_MAX_US && s->pings_missed <= RS_PINGS_MISSED_MAX &&
	       s->ended_by < RS_ENDINGS && !s->reserved[0] && !s->reserved[1] && !s->reserved[2] &&
	       (s->endpoint == XINIM_ENDPOINT_NONE || !s->restart_at_us || i == RS_SELF);
}

// What the kernel says of a server whose record RS inherits: the last RS may have
// restarted it, or it may have died, after RS's last commit.
static void reconcile(struct supervised *s, unsigned pid, uint64_t now)
{
	long live = ipc_lookup(pid);
	xinim_endpoint_t endpoint = live < 0 ? XINIM_ENDPOINT_NONE : (xinim_endpoint_t)live;
	if (endpoint == s->endpoint)
		return;
	if (endpoint != XINIM_ENDPOINT_NONE) {	// restarted, the record not yet told
		if (s->endpoint == XINIM_ENDPOINT_NONE)
			s->restarts++;
		*s = (struct supervised){ .endpoint = endpoint, .restarts = s->restarts,
					  .started_us = now, .backoff_us = s->backoff_us,
					  .ping_at_us = now, .death = s->death };
		return;
	}
	s->endpoint = XINIM_ENDPOINT_NONE;	// dead, its death maybe read already
	if (!s->restart_at_us)
		s->restart_at_us = now;
}

// A restarted RS: why the last one died, as the kernel recorded it.
static void self_restarted(struct supervised *self, uint64_t now)
{
	struct xinim_death death;
	if (xinim_kcall(KCALL_PROC_DEATH, XINIM_PID_RS, (long)&death) != 0)
		return;
	self->death = death;
	if (death.cause != XINIM_DEATH_ENDED || death.ender != death.who)
		self->ended_by = RS_ENDS_NONE;	// not its own end at the rs command's word
	self->restarts++;
	self->started_us = now;
	char reason[96];
	rs_death_said(self, reason, sizeof(reason));
	klog(LOGLEVEL_ERR, "rs: rs (pid %u) died: %s; restarted by the kernel as generation %u in %lu us\n",
	      XINIM_PID_RS, reason, xinim_endpoint_generation(ipc_self()),
	      (unsigned long)(now - rs_ticks_to_us(death.time)));
}

void rs_state_take(void *state, enum keep_start start)
{
	rs_records = ((struct rs_state *)state)->records;
	uint64_t now = rs_now_us();
	unsigned refused = 0;
	if (start == KEEP_REFUSED)
		klog(LOGLEVEL_WARNING, "rs: the kept state did not check out: starting empty\n");
	for (unsigned i = 0; i < RS_RECORDS; i++) {
		struct supervised *s = &rs_records[i];
		if (start == KEEP_INHERITED && !record_valid(i, s)) {
			*s = (struct supervised){ 0 };
			refused++;
		}
		if (i == RS_SELF)
			s->endpoint = ipc_self();
		else if (start == KEEP_INHERITED)
			reconcile(s, rs_names[i].pid, now);
		else
			s->endpoint = XINIM_ENDPOINT_NONE;	// looked up below
	}
	if (start != KEEP_INHERITED) {
		for (unsigned i = 0; i < RS_SUPERVISED; i++) {
			long live = ipc_lookup(rs_names[i].pid);
			rs_records[i].endpoint = live < 0 ? XINIM_ENDPOINT_NONE : (xinim_endpoint_t)live;
		}
	}
	self_restarted(&rs_records[RS_SELF], now);
	if (start == KEEP_INHERITED)
		klog(LOGLEVEL_INFO, "rs: took over the records of %u servers (%u refused)\n", RS_SUPERVISED,
		      refused);
	keep_commit();
}
