#!/usr/bin/env bash
# Resurrection (docs/resurrection.md): a server killed while a program runs is restarted
# by RS, and the program never notices.
#   resurrection.sh restart   PM crashes (injected) while handling hello-musl's 3rd call
#                             to it: RS restarts it, the call is delivered again to the
#                             new instance, and hello-musl ends with 0 failures.
#   resurrection.sh poison    a request that kills VFS at each delivery is answered -EIO at
#                             its third; the workload sees that one call fail and goes on.
#   resurrection.sh hang      VFS, PM and MM each hang once (inject=SERVER:hang:N) during
#                             the workload: RS's ping finds it, ends it and restarts it.
#   resurrection.sh init      PM dies while it starts init: at the notes that start it
#                             (lost: the new PM asks who serves again), and at each of
#                             the start's first changes, PID 1 made but not started among
#                             them (the new PM ends it and starts init again).
#   resurrection.sh control   init=/bin/rs_control kills and restarts VFS, PM, MM, NET and RS
#                             itself through the rs command's call; each comes back with
#                             its next generation (RS: restarted by the kernel); and
#                             init=/bin/rs status lists them.
#   resurrection.sh shell     VFS killed 4 times while BusyBox's shell runs a session
#                             (a pipeline over a 1 MiB file, files made and renamed, a job
#                             stopped and continued): its output is the undisturbed run's.
#   resurrection.sh vfs|pm|mm [KILLS [SEED]]
#                             the server is killed KILLS times (10; make soak: 100), at a
#                             request drawn by SEED, half of the time in the middle of the
#                             request's changes, while init=/bin/resurrection_workload
#                             runs: the new instance takes the kept state over (rolled
#                             back), and the workload's output is byte for byte the
#                             undisturbed run's.
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
# servers' lines, up to the workload's last line (rs status follows it).
program_output() {
	grep -vE '^\[|^(rs|mm|pm|vfs|init|keep): |powering off$' "$log" | sed "/$last_line/q"
}

workload="init=/bin/resurrection_workload 4" last_line='^resurrection_workload: [0-9]* failures$'
boot_extra=()	# more boot/run.sh arguments (an --extra-rootfs)

# The workload undisturbed: its output, in $undisturbed.
undisturbed_run() {
	boot "$hard_stop" '; powering off$|^panic' --append "$workload" "${boot_extra[@]}"
	undisturbed=$(program_output)
	what="the undisturbed run ($(wc -l <<<"$undisturbed") lines)"
	check grep -qE "$last_line" <<<"$undisturbed"
}

# killed_run SERVER KIND AT: the workload with inject=SERVER:KIND:AT; the new instance
# takes over, and the output is the undisturbed run's.
killed_run() {
	local server=$1 kind=$2 at=$3 tag="$2 at request $3" died
	boot "$hard_stop" '; powering off$|^panic' \
		--append "$workload /bin/rs status inject=$server:$kind:$at" "${boot_extra[@]}"
	died='SIGSEGV at pc [0-9a-f]+ addr 0 \(esr [0-9a-f]+\)'
	if [ "$kind" = hang ]; then
		expect "^rs: $server \\(pid [0-9]+\\) hung: no answer to a ping in [0-9]+ ms; ending it$" \
			"$tag: RS found $server hung and ended it"
		died='hung, ended by rs'
	fi
	expect "^rs: $server \\(pid [0-9]+\\) died: $died; restarted as generation 2 in [0-9]+ us$" \
		"$tag: $server died and RS restarted it"
	expect "^$server: took over " "$tag: the new $server took the kept state over"
	what="$tag: the workload's output is the undisturbed run's, no error seen"
	check test "$(program_output)" = "$undisturbed"
	# A midway crash falls on the first request from N on that changes the kept state,
	# which may come after rs status (its execve, its exit): then rs status ran before.
	local death status
	death=$(unstamped | grep -nE "^rs: $server \\(pid [0-9]+\\) died" | head -n 1 | cut -d: -f1)
	status=$(grep -nE '^NAME +PID' "$log" | head -n 1 | cut -d: -f1)
	if [ -n "$death" ] && [ -n "$status" ] && [ "$death" -gt "$status" ]; then
		echo "ok: $tag: $server died after rs status ran (line $death > $status): nothing to show"
	else
		expect "^$server +[0-9]+ +2 up +[0-9.]+ [mu]?s +1 .* $died$" \
			"$tag: rs status shows $server's restart, generation 2, and why it died"
	fi
	expect '^init exited with status 0; powering off$' "$tag: the system went on to its end"
	expect_none 'panic|did not check out' "$tag: no panic, no refused state"
}

# kill_server SERVER REQUESTS COUNT SEED: COUNT boots of the workload with SERVER killed
# at a request drawn from 1..REQUESTS (about as many as the workload makes of it) by
# SEED, half of them in the middle of the request's changes.
kill_server() {
	local server=$1 requests=$2 count=$3 seed=$4 kind at i
	undisturbed_run
	RANDOM=$seed
	for ((i = 1; i <= count; i++)); do
		kind=crash
		((i % 2)) || kind=midway
		at=$((RANDOM * 32768 + RANDOM))
		at=$((at % requests + 1))
		echo "== $server killed ($i of $count): inject=$server:$kind:$at"
		killed_run "$server" "$kind" "$at"
	done
}

# A shell session (BusyBox's sh running a script as init) while VFS is killed: a
# pipeline over a 1 MiB file (sort, uniq, md5sum), files made, renamed and moved into a
# directory, a job stopped and continued. The session makes 3,000 to 6,000 requests of VFS.
shell_killed() {
	local extra
	extra=$(mktemp -d)
	trap 'stop_qemu; rm -f "$log"; rm -rf "$extra"' EXIT
	mkdir -p "$extra/x"
	cat >"$extra/x/session.sh" <<'SCRIPT'
#!/bin/sh
set -e
mkdir -p /tmp/s && cd /tmp/s
seq 1 180000 > big
echo "big: $(wc -c < big) bytes, $(cat big | wc -l) lines"
cat big | sort -r | head -3
sort -n big | tail -2 | tr '\n' ' '; echo
cat big big | uniq | wc -l
md5sum big
for i in 1 2 3 4 5 6 7 8; do echo "file $i" > f$i; mv f$i g$i; done
mkdir d && mv g3 g4 d/ && mv d e
ls . e | tr '\n' ' '; echo
cat g1 e/g3 | tr '\n' ' '; echo
rm g2 && ls | wc -l
(sleep 1; echo "job done") > jobout &
job=$!
kill -STOP $job
kill -CONT $job
wait $job
cat jobout
echo "session: end"
[ $# -eq 0 ] || "$@"
SCRIPT
	chmod 755 "$extra/x/session.sh"
	workload="init=/x/session.sh" last_line='^session: end$'
	boot_extra=(--extra-rootfs "$extra")
	kill_server vfs 3000 4 "${1:-17}"
	local line
	for line in '^big: 1148895 bytes, 180000 lines$' '^58ecc6be87789e8f5cb274573f54225e  big$' \
		'^file 1 file 3 $' '^7$' '^job done$'; do
		what="the undisturbed session says $line"
		check grep -qE "$line" <<<"$undisturbed"
	done
}

# A request that kills VFS each time it is delivered: the third delivery is answered
# -EIO unrun; the workload sees that one call fail, and the system goes on. (Request 31:
# a pread of the workload's; NET's XINIM_NOTE_SERVING is one of VFS's requests before it.)
poisoned() {
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/resurrection_workload 1 inject=vfs:poison:31"
	expect_count '^rs: vfs \(pid 2\) died: SIGSEGV at pc [0-9a-f]+ addr 0 \(esr [0-9a-f]+\); restarted as generation [23] in [0-9]+ us$' 2 \
		"the poisoned request killed VFS twice, and RS restarted it twice"
	expect_count 'FAILED$' 1 "the workload saw one call fail (-EIO, the third delivery)"
	expect '^resurrection_workload: 1 failures$' "and went on to its end"
	expect '^init exited with status 1; powering off$' "the system went on to its end"
	expect_none 'panic|generation 4' "no panic, no third death"
}

# Each server hangs once, in the middle of the workload: RS's ping finds it.
hangs() {
	undisturbed_run
	killed_run vfs hang 57
	killed_run pm hang 9
	killed_run mm hang 10000
}

# PM dies while it starts init: at the notes that start it, and at each of the first
# changes of the start (which of them falls after PID 1 is made depends on the order the
# servers' notes come in); init starts once, runs whole, and all it took comes back, and
# at least once the new PM finds PID 1 left half started and ends it.
init_start_killed() {
	local inject half=0
	for inject in pm:crash:1 pm:crash:2 pm:midway:1:3 pm:midway:1:4 pm:midway:1:5 \
		pm:midway:1:6 pm:midway:1:7; do
		boot "$hard_stop" '; powering off$|^panic' \
			--append "init=/bin/resurrection_workload 1 inject=$inject"
		expect '^rs: pm \(pid 3\) died: SIGSEGV at pc [0-9a-f]+ addr 0 \(esr [0-9a-f]+\); restarted as generation 2 in [0-9]+ us$' \
			"$inject: PM died and RS restarted it"
		unstamped | grep -q '^pm: process 1 was left half started; ending it$' && half=$((half + 1))
		expect_count '^pm: init /bin/resurrection_workload started as process 1$' 1 \
			"$inject: init started once"
		expect '^resurrection_workload: 0 failures$' "$inject: init ran whole"
		expect '^init exited with status 0; powering off$' "$inject: the system went on to its end"
		expect_memory_back
	done
	what="a new PM found PID 1 left half started and ended it ($half of the boots)"
	check test "$half" -gt 0
}

# The rs command's call: kill and restart of each server and of RS, then rs status.
control() {
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/rs_control"
	expect '^rs_control: vfs back as generation 2, 1 restarts, last death "killed by rs kill": ok$' \
		"rs kill vfs: VFS back as generation 2"
	expect '^rs: pm \(pid 3\) died: ended by rs restart; restarted as generation 2 in [0-9]+ us$' \
		"rs restart pm: RS says so"
	expect '^rs: rs \(pid 7\) died: killed by rs kill; restarted by the kernel as generation 2 in [0-9]+ us$' \
		"rs kill rs: the kernel restarted RS, which says why the last one died"
	expect '^rs_control: rs back as generation 3, 2 restarts, last death "ended by rs restart": ok$' \
		"rs restart rs: RS back as generation 3 with its records"
	expect '^rs_control: net back as generation 2, 1 restarts, last death "killed by rs kill": ok$' \
		"rs kill net: NET back as generation 2"
	expect '^rs_control: dev back as generation 2, 1 restarts, last death "ended by rs restart": ok$' \
		"rs restart dev: the network driver back as generation 2"
	expect '^rs_control: 0 failures$' "every step went right, bad calls refused"
	expect '^init exited with status 0; powering off$' "the system went on to its end"
	expect_none 'panic|FAILED|did not check out' "no panic, no failed step, no refused state"
	expect_memory_back
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/rs status"
	expect '^NAME +PID +GEN +STATE +UPTIME +RESTARTS +BACKOFF +LAST DEATH$' "rs status: its header"
	expect_count '^(vfs|pm|mm|net|dev|rs) +[0-9]+ +1 up +[0-9.]+ [mu]?s +0 +- +-$' 6 \
		"rs status: six servers up as generation 1, never restarted"
	expect '^init exited with status 0; powering off$' "rs status exited 0"
}

case ${1:-} in
restart) restart ;;
control) control ;;
init) init_start_killed ;;
hang) hangs ;;
poison) poisoned ;;
# Requests the workload makes of each (its forks included): VFS ~130, PM ~140, MM
# ~14,000 (mostly faults). The last few are left out: PM, restarted at init's
# exit_group, goes on with init's end and powers the machine off, often before RS has
# printed its line about the restart.
vfs) kill_server vfs 170 "${2:-10}" "${3:-15}" ;;
shell) shell_killed "${2:-17}" ;;
pm) kill_server pm 550 "${2:-10}" "${3:-15}" ;;
mm) kill_server mm 13500 "${2:-10}" "${3:-15}" ;;
*) echo "usage: resurrection.sh restart | control | init | hang | poison | shell [SEED] | vfs|pm|mm [KILLS [SEED]]" >&2; exit 2 ;;
esac
finish
