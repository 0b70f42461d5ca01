#!/usr/bin/env bash
# Resurrection (docs/resurrection.md): a server killed while a program runs is restarted
# by RS, and the program never notices.
#   resurrection.sh restart   PM crashes (injected) while handling hello-musl's 3rd call
#                             to it: RS restarts it, the call is delivered again to the
#                             new instance, and hello-musl ends with 0 failures.
#   resurrection.sh mm        MM crashes at 10 points of hello-musl's run (faults, mmap,
#                             brk, exec and exit), half of them in the middle of a
#                             request's changes: the new MM takes its state over (rolled
#                             back) and the program's output is the undisturbed run's.
#   resurrection.sh pm        the same with PM (its calls, init's start and exit).
#   resurrection.sh vfs       the same with VFS (console writes, files opened, read, closed).
source "$(dirname "$0")/lib.sh"

restart() {
	echo "== inject=pm:crash:3 while init=/bin/hello-musl runs"
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/hello-musl inject=pm:crash:3"
	expect '^rs: inject crash into pm at its request 3: armed$' "RS armed the crash"
	expect '^\[ *[0-9.]+\] proc 3 \(pm\): write translation fault \(level [0-9]\) at [0-9a-f]+ addr 0, killed$' \
		"PM crashed on the injected null-pointer write"
	expect '^rs: pm \(pid 3\) died: SIGSEGV at pc [0-9a-f]+ addr 0 \(esr [0-9a-f]+\); restarted as generation 2 in [0-9]+ us$' \
		"RS says why PM died and that it restarted it, with its new generation"
	expect '^pm: serving as 131075$' "the new PM serves (PID 3, generation 2)"
	expect '^/bin/hello-musl: 0 failures$' "the program saw no error: its call was answered by the new PM"
	expect '^init exited with status 0; powering off$' "the system went on to its end"
	expect_none 'panic' "no panic"
}

# The program's own lines of the last boot: the console less the kernel's and the
# servers' lines.
program_output() {
	grep -vE '^\[|^(rs|mm|pm|vfs|init|keep): |powering off$|^ok: |^FAIL: |^----' "$log"
}

# kill_server SERVER KIND N...: a boot of hello-musl for each N with inject=SERVER:KIND:N.
kill_server() {
	local server=$1
	shift
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/hello-musl"
	local undisturbed
	undisturbed=$(program_output)
	what="the undisturbed run's output ($(wc -l <<<"$undisturbed") lines)"
	check grep -q '^/bin/hello-musl: 0 failures$' <<<"$undisturbed"
	local kind at
	for at in "$@"; do
		kind=${at%:*} at=${at#*:}
		echo "== $server killed: inject=$server:$kind:$at"
		boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/hello-musl inject=$server:$kind:$at"
		expect "^rs: $server \\(pid [0-9]+\\) died: SIGSEGV at pc [0-9a-f]+ addr 0 \\(esr [0-9a-f]+\\); restarted as generation 2 in [0-9]+ us$" \
			"$kind at request $at: $server died and RS restarted it"
		expect "^$server: took over " "$kind at request $at: the new $server took the kept state over"
		what="$kind at request $at: the program's output is the undisturbed run's"
		check test "$(program_output)" = "$undisturbed"
		expect '^init exited with status 0; powering off$' "$kind at request $at: the system went on to its end"
		expect_none 'panic|did not check out' "$kind at request $at: no panic, no refused state"
	done
}

case ${1:-} in
restart) restart ;;
mm) kill_server mm crash:1 midway:3 crash:6 midway:10 crash:15 midway:22 crash:31 midway:45 \
	crash:70 midway:100 ;;
# PM answers hello-musl's identity calls, exit_group and the exec that starts it.
pm) kill_server pm crash:1 midway:1 crash:2 midway:2 crash:3 midway:3 crash:4 midway:4 \
	crash:5 midway:5 ;;
# VFS serves hello-musl's console writes, its opens, reads, stat and closes.
vfs) kill_server vfs crash:1 midway:2 crash:3 midway:5 crash:8 midway:11 crash:17 midway:19 \
	crash:27 midway:31 ;;
*) echo "usage: resurrection.sh restart|mm|pm|vfs" >&2; exit 2 ;;
esac
finish
