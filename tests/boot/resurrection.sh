#!/usr/bin/env bash
# Resurrection (docs/resurrection.md): a server killed while a program runs is restarted
# by RS, and the program never notices.
#   resurrection.sh restart   PM crashes (injected) while handling hello-musl's 3rd call
#                             to it: RS restarts it, the call is delivered again to the
#                             new instance, and hello-musl ends with 0 failures.
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

case ${1:-} in
restart) restart ;;
*) echo "usage: resurrection.sh restart" >&2; exit 2 ;;
esac
finish
