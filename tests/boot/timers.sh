#!/usr/bin/env bash
# Timers (docs/processes.md, Timers): init=/bin/timers checks alarm, setitimer's
# intervals and getitimer, the CPU-time itimers, timer_create's SIGEV_SIGNAL with its
# siginfo, relative and absolute timer_settime, timer_gettime, overruns while blocked,
# musl's SIGEV_THREAD, the errors, and what fork and execve do to timers; every frame
# comes back once init has ended. Then again with PM killed at a request while timers
# are armed (inject=): the new PM takes them over and the program sees no difference.
source "$(dirname "$0")/lib.sh"

checks=$(cat <<'CHECKS'
alarm: a second alarm returns the first's seconds left
alarm\(1\): SIGALRM after a second, sigsuspend waiting
getitimer: the time left
setitimer: an interval of 10 ms fires again and again
setitimer: a zero value disarms
setitimer: a tv_usec of a second: EINVAL
getitimer: no such timer: EINVAL
setitimer: a bad pointer: EFAULT
ITIMER_PROF: SIGPROF after 50 ms of CPU time
ITIMER_VIRTUAL: SIGVTALRM after 50 ms of user time
timer_create: SIGEV_SIGNAL with si_code SI_TIMER, si_value and si_timerid
timer_settime with TIMER_ABSTIME: the signal at that time
timer_gettime: the time left and the interval
timer_settime: the old value
timer_settime without a value: EINVAL
timer_delete
a deleted timer: EINVAL
timer_create: no such clock: EINVAL
blocked for 10 intervals: si_overrun and timer_getoverrun count the expiries
SIGEV_THREAD: timer_create
SIGEV_THREAD: the function runs in a thread of its own at each expiry
fork: the child inherits no timer
alarm without a handler ends the process with SIGALRM
execve: ITIMER_REAL is kept
execve: timer_create's timers are deleted
CHECKS
)

# run [INJECT]: init=/bin/timers (PM killed as INJECT says), every check passed.
run() {
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/timers $*"
	if [ $# -gt 0 ]; then
		expect '^rs: pm \(pid 3\) died: .*; restarted as generation 2 in [0-9]+ us$' \
			"$*: PM died and RS restarted it"
		expect '^pm: took over ' "$*: the new PM took the kept state over"
	fi
	while read -r line; do
		expect "^timers: ${line}: ok\$" "$* $line"
	done <<<"$checks"
	expect '^timers: 0 failures$' "$* every check passed"
	expect '^init exited with status 0; powering off$' "$* init ended"
	expect_none 'panic|FAILED' "$* no panic, no failed check"
	expect_memory_back
}

# The requests at which PM dies fall (under -icount, the same in every run) while
# ITIMER_PROF is armed, after timer_create's first signal, while the overrun timer runs
# with its signal pending, and while SIGEV_THREAD's timer runs.
run
run inject=pm:crash:70
run inject=pm:midway:195
run inject=pm:crash:205
run inject=pm:crash:230
finish
