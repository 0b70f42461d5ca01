#!/usr/bin/env bash
# "#!" scripts (servers/pm/script.c), run as init from a tree laid over the root
# (EXTRA_ROOTFS), by Debian's BusyBox at /bin/sh: the interpreter gets the script's path
# and the caller's arguments, one optional argument from the "#!" line (inner blanks
# kept), an interpreter that is itself a script, 4 deep; a fifth level is ELOOP.
source "$(dirname "$0")/lib.sh"
extra=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$extra"' EXIT
mkdir -p "$extra/x"
script() {	# script NAME FIRST-LINE [BODY]
	printf '%s\n%s\n' "$2" "${3:-}" >"$extra/x/$1"
	chmod 755 "$extra/x/$1"
}
script hello.sh '#!/bin/sh' 'echo "script $0, $# arguments: $*"'
script nested '#!/x/hello.sh  one arg  '
for i in 1 2 3 4 5; do script "c$i" "#!/x/c$((i + 1))"; done
script c6 '#!/bin/sh' 'echo "deep: $#"'
script jobs.sh '#!/bin/sh' '/bin/fork_wait --exit 7 &
echo "started $!"
wait $!
echo "waited $?"
trap "echo caught USR1" USR1
kill -USR1 $$
(exit 3)
echo "subshell $?"
set -e
false || echo "or ran"
cd /bin && pwd
for i in 1 2 3; do echo "loop $i"; done'
ended='; powering off$|^panic'

boot "$hard_stop" "$ended" --append "init=/x/hello.sh a b" --extra-rootfs "$extra"
expect '^script /x/hello.sh, 2 arguments: a b$' "a script runs by its interpreter, with its path and arguments"
expect '^init exited with status 0; powering off$' "and its status is init's"

boot "$hard_stop" "$ended" --append "init=/x/nested a" --extra-rootfs "$extra"
expect '^script /x/hello.sh, 3 arguments: one arg /x/nested a$' \
	"an interpreter that is a script, with the #! line's one argument, inner blanks kept"

boot "$hard_stop" "$ended" --append "init=/x/c3" --extra-rootfs "$extra"
expect '^deep: 3$' "4 scripts deep: each path given to the next (c3 c4 c5 c6, then sh)"

boot "$hard_stop" "$ended" --append "init=/x/jobs.sh" --extra-rootfs "$extra"
expect '^started [0-9]+$' "BusyBox sh forks (glibc's clone with the TID words) a background job"
expect '^waited 7$' "wait gives its status"
expect '^caught USR1$' "trap: a handler of the shell's own signal (glibc's, with its restorer)"
expect '^subshell 3$' "a subshell's exit status"
expect '^or ran$' "set -e and ||"
expect '^/bin$' "cd and pwd"
expect '^loop 3$' "a loop"
expect '^init exited with status 0; powering off$' "the script ran to its end"

boot "$hard_stop" "$ended" --append "init=/x/c2" --extra-rootfs "$extra"
expect '^pm: init /x/c2 could not start: error -40$' "5 scripts deep: ELOOP (-40)"
expect_none 'panic' "no panic"
finish
