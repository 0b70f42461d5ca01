// Job control's side in PM (docs/processes.md, Stops): a stop signal stops every thread
// of a process (KCALL_PROC_STOP: they wait on their way back to EL0), SIGCONT lets them
// go on; the parent hears of each (SIGCHLD with CLD_STOPPED / CLD_CONTINUED unless its
// action has SA_NOCLDSTOP, and a report its wait takes with WUNTRACED / WCONTINUED).
// When an end leaves a process group orphaned with stopped members, each gets SIGHUP
// then SIGCONT (POSIX _exit), since no job-control shell is left to continue them.
#include <signal.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

// How many live processes are stopped (pm_state.stopped), kept as p->stopped changes.
static void stopped_count(struct process *p, bool stopped)
{
	if (p->stopped == stopped)
		return;
	keep_change(&pm_kept->stopped, sizeof(pm_kept->stopped));
	pm_kept->stopped += stopped ? 1 : (uint32_t)-1;
	keep_change(&p->stopped, sizeof(p->stopped));
	p->stopped = stopped;
}

static void stopped_change(struct process *p, bool stopped, int signal, int report)
{
	keep_change(&p->stopped, 4);	// stopped, report, stop_signal (pm.h)
	stopped_count(p, stopped);
	p->report = (uint8_t)report;
	if (stopped)
		p->stop_signal = (uint8_t)signal;
	xinim_kcall(KCALL_PROC_STOP, p->self, stopped);
	tree_child_news(p, report, stopped ? signal : SIGCONT);
}

void process_stop(struct process *p, int signal)
{
	if (!p->stopped)
		stopped_change(p, true, signal, CLD_STOPPED);
}

void process_continue(struct process *p)
{
	stopped_change(p, false, 0, CLD_CONTINUED);
}

// Linux's will_become_orphaned_pgrp: no member (but ignored) has a parent outside the
// group in its session; a parent that is init does not count.
static bool orphaned_without(uint32_t pgid, xinim_endpoint_t ignored)
{
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		const struct process *p = process_at(pid);
		if (!p->self || !p->managed || p->zombie || p->pgid != pgid || p->self == ignored)
			continue;
		const struct process *parent = process_of(p->parent);
		if (parent && !parent->zombie && parent->self != ignored &&
		    xinim_endpoint_pid(parent->self) != XINIM_PID_INIT &&
		    parent->pgid != pgid && parent->sid == p->sid)
			return false;
	}
	return true;
}

bool group_orphaned(uint32_t pgid) { return orphaned_without(pgid, 0); }

void stop_forget(struct process *p)
{
	stopped_count(p, false);
}

void stop_recount(void)
{
	pm_kept->stopped = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		pm_kept->stopped += process_at(pid)->stopped;
}

void stop_orphans_check(uint32_t pgid, xinim_endpoint_t ending)
{
	if (!pm_kept->stopped)
		return;	// the common case: nobody is stopped
	bool stopped = false;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX && !stopped; pid++) {
		const struct process *p = process_at(pid);
		stopped = p->self && p->self != ending && !p->zombie && p->pgid == pgid && p->stopped;
	}
	if (!stopped || !orphaned_without(pgid, ending))
		return;
	const struct signal_info info = { .code = SI_KERNEL };
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *p = process_at(pid);
		if (p->self && p->managed && p->self != ending && !p->zombie && p->pgid == pgid) {
			signal_raise(p, SIGHUP, &info);
			signal_raise(p, SIGCONT, &info);
		}
	}
}
