// When RS restarts a dead server, and how it says why it died.
#include <xinim/format.h>
#include "rs.h"

uint64_t rs_backoff(struct supervised *s, uint64_t now_us)
{
	bool stable = !s->restarts || now_us - s->started_us >= RS_STABLE_US;
	if (stable) {
		s->backoff_us = RS_BACKOFF_MIN_US;
		return 0;	// a first death, or one long after the last: at once
	}
	uint64_t wait = s->backoff_us;
	s->backoff_us = wait * 2 < RS_BACKOFF_MAX_US ? wait * 2 : RS_BACKOFF_MAX_US;
	return wait;
}

static const char *signal_name(unsigned signal)
{
	static const char *const names[] = {
		[XINIM_SIGILL] = "SIGILL", [XINIM_SIGTRAP] = "SIGTRAP", [XINIM_SIGBUS] = "SIGBUS",
		[XINIM_SIGKILL] = "SIGKILL", [XINIM_SIGSEGV] = "SIGSEGV",
	};
	return signal < sizeof(names) / sizeof(names[0]) && names[signal] ? names[signal] : "signal";
}

void rs_death_reason(const struct xinim_death *death, char *out, unsigned size)
{
	switch (death->cause) {
	case XINIM_DEATH_FAULT:
	case XINIM_DEATH_NO_MEMORY:
		ksnprintf(out, size, "%s at pc %lx addr %lx (esr %lx)", signal_name(death->signal),
			  death->pc, death->address, death->esr);
		return;
	case XINIM_DEATH_ENDED:
		if (death->ender == death->who)
			ksnprintf(out, size, "exit status %d", death->status);
		else
			ksnprintf(out, size, "ended by pid %u", xinim_endpoint_pid(death->ender));
		return;
	default:
		ksnprintf(out, size, "cause %u", death->cause);
	}
}

void rs_death_said(const struct supervised *s, char *out, unsigned size)
{
	static const char *const endings[RS_ENDINGS] = {
		[RS_ENDS_HUNG] = "hung, ended by rs",
		[RS_ENDS_RESTART] = "ended by rs restart",
		[RS_ENDS_KILL] = "killed by rs kill",
	};
	if (s->ended_by && s->ended_by < RS_ENDINGS)
		ksnprintf(out, size, "%s", endings[s->ended_by]);
	else if (s->death.who)
		rs_death_reason(&s->death, out, size);
	else
		ksnprintf(out, size, "%s", "");
}
