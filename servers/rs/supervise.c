// RS's work: the deaths the kernel tells of (KCALL_PROC_DEATH, after its XINIM_NOTE_GONE),
// the restarts they call for after their back-off (KCALL_PROC_RESTART), and the pings
// that find a hung server, which RS ends (KCALL_PROC_END) and restarts like a dead one.
// Each round of work changes the kept records as a request would, and commits.
#include <errno.h>
#include <xinim/format.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "rs.h"

uint64_t rs_ticks_to_us(uint64_t ticks)
{
	return ticks / (counter_hz() / 1000000);
}

uint64_t rs_now_us(void) { return rs_ticks_to_us(counter_ticks()); }

// Whether s answers a ping within RS_PING_TIMEOUT_US: 0, or the call's error.
static long ping(const struct supervised *s)
{
	struct xinim_msg msg = { .header.type = XINIM_RS_PING };
	return ipc_call_once(s->endpoint, &msg, RS_PING_TIMEOUT_US);
}

void rs_deaths_read(void)
{
	for (unsigned i = 0; i < RS_SUPERVISED; i++) {
		struct supervised *s = &rs_records[i];
		struct xinim_death death;
		if (xinim_kcall(KCALL_PROC_DEATH, rs_names[i].pid, (long)&death) != 0)
			continue;
		rs_change(s);
		s->death = death;
		s->endpoint = XINIM_ENDPOINT_NONE;
		if (death.cause != XINIM_DEATH_ENDED ||
		    xinim_endpoint_pid(death.ender) != XINIM_PID_RS)
			s->ended_by = RS_ENDS_NONE;	// not RS's doing: a crash, an exit
		uint64_t now = rs_now_us();
		uint64_t wait = s->ended_by == RS_ENDS_RESTART ? 0 : rs_backoff(s, now);
		s->restart_at_us = now + wait;	// now is never 0: a boot takes time
	}
}

// Whether every server of this boot serves (none is dead, waiting for its restart).
static bool all_up(void)
{
	for (unsigned i = 0; i < RS_SUPERVISED; i++)
		if (rs_records[i].restart_at_us)
			return false;
	return true;
}

long rs_end(struct supervised *s, enum rs_ending why)
{
	if (rs_index(s) >= RS_SUPERVISED || s->endpoint == XINIM_ENDPOINT_NONE)
		return -ESRCH;
	long err = xinim_kcall(KCALL_PROC_END, s->endpoint, 0);
	if (!err) {
		rs_change(s);
		s->ended_by = (uint8_t)why;
	}
	return err;
}

// A ping to each live server that is due: one that does not answer in time hangs, and
// is ended; its death comes as any other (XINIM_NOTE_GONE).
static void pings_due(void)
{
	uint64_t now = rs_now_us();
	for (unsigned i = 0; i < RS_SUPERVISED && all_up(); i++) {
		struct supervised *s = &rs_records[i];
		if (!rs_present(s) || s->ping_at_us > now)
			continue;
		long err = ping(s);
		now = rs_now_us();
		rs_change(s);
		s->ping_at_us = now + RS_PING_PERIOD_US;
		rs_deaths_read();	// one that died meanwhile is restarted before anyone is pinged
		s->pings_missed = err == -ETIMEDOUT ? s->pings_missed + 1 : 0;
		if (s->pings_missed < RS_PINGS_MISSED_MAX || s->endpoint == XINIM_ENDPOINT_NONE)
			continue;
		klog(LOGLEVEL_ERR, "rs: %s (pid %u) hung: no answer to a ping in %u ms; ending it\n",
		      rs_names[i].name, rs_names[i].pid, RS_PINGS_MISSED_MAX * RS_PING_PERIOD_US / 1000);
		s->pings_missed = 0;
		rs_end(s, RS_ENDS_HUNG);
	}
}

static void restart(struct supervised *s)
{
	const struct rs_name *n = &rs_names[rs_index(s)];
	char reason[96];
	rs_death_said(s, reason, sizeof(reason));
	rs_change(s);
	long self = xinim_kcall(KCALL_PROC_RESTART, n->pid, 0);
	uint64_t now = rs_now_us();
	if (self == -ENOENT) {	// not in the boot archive: never this boot's (a record
		s->restart_at_us = 0;	// refused at take-over, or a binary removed)
		klog(LOGLEVEL_ERR, "rs: %s (pid %u) is not in the boot archive: not supervised\n",
		      n->name, n->pid);
		return;
	}
	if (self < 0) {
		klog(LOGLEVEL_ERR, "rs: %s (pid %u) died: %s; restart failed (error %ld), trying again\n",
		      n->name, n->pid, reason, self);
		s->restart_at_us = now + RS_BACKOFF_MIN_US;
		return;
	}
	s->endpoint = (xinim_endpoint_t)self;
	s->restart_at_us = 0;
	s->ping_at_us = now + RS_PING_PERIOD_US;
	s->restarts++;
	s->started_us = now;
	keep_commit();	// the restart is told once, even if RS dies now
	klog(LOGLEVEL_ERR, "rs: %s (pid %u) died: %s; restarted as generation %u in %lu us\n", n->name, n->pid,
	      reason, xinim_endpoint_generation(s->endpoint),
	      (unsigned long)(now - rs_ticks_to_us(s->death.time)));
	// When it serves again (its first answer): the recovery, in counter nanoseconds,
	// which under qemu -icount shift=0 are instructions (make bench's recovery_*).
	if (ping(s) == 0)
		klog(LOGLEVEL_INFO, "rs: %s serves again %lu ns after its death\n", n->name,
		      (unsigned long)((counter_ticks() - s->death.time) * (1000000000 / counter_hz())));
}

uint64_t rs_work_due(void)
{
	uint64_t now = rs_now_us();
	for (unsigned i = 0; i < RS_SUPERVISED; i++)
		if (rs_records[i].restart_at_us && rs_records[i].restart_at_us <= now)
			restart(&rs_records[i]);
	pings_due();
	keep_commit();
	uint64_t next = XINIM_WAIT_FOREVER;
	now = rs_now_us();
	for (unsigned i = 0; i < RS_SUPERVISED; i++) {
		const struct supervised *s = &rs_records[i];
		uint64_t at = s->restart_at_us ? s->restart_at_us
			    : s->endpoint != XINIM_ENDPOINT_NONE ? s->ping_at_us : 0;
		if (at && (at > now ? at - now : 0) < next)
			next = at > now ? at - now : 0;
	}
	return next;
}
