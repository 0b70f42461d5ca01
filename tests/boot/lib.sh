# Shared by the QEMU tests: boot, wait for a line, check the log.
#   source lib.sh; boot LIMIT UNTIL run.sh-arguments...; expect REGEX what; ...; finish
# BUILD (the build tree) comes from ctest's environment.
# Every boot runs under qemu -icount (run.sh --icount): guest time counts instructions, so
# what the guest does (ticks, time slices, who wins a race between CPUs) does not depend
# on how fast or loaded the host is. LIMIT, in wall-clock seconds, is only a hard stop
# against a hung guest, far above what a boot needs on a loaded host: use $hard_stop.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$top/build}
hard_stop=300	# a boot takes 1-10 s of wall time, under ctest -j8 on 2 busy cores too
log=$(mktemp --suffix=.log)
passed=0 failed=0
qemu_pid=""

# The console shows the kernel log's lines (the kernel's and the servers') after a
# timestamp, "[    1.234567] " (docs/boot.md). unstamped: the console without them, for a
# test's own sed; view REGEX: the console as REGEX reads it, without them unless REGEX
# has a "\]" (then it is about the timestamp: "^\[ *[0-9.]+\] proc ...").
unstamped() { sed -E 's/^\[ *[0-9]+\.[0-9]{6}\] //' "$log"; }
view() { if [[ $1 == *'\]'* ]]; then cat "$log"; else unstamped; fi; }

stop_qemu() {
	[ -n "$qemu_pid" ] && kill -- "-$qemu_pid" 2>/dev/null
	[ -n "$qemu_pid" ] && wait "$qemu_pid" 2>/dev/null
	qemu_pid=""
}
trap 'stop_qemu; rm -f "$log"' EXIT

# Boots with run.sh's arguments and returns once a line matches UNTIL, QEMU has exited,
# or LIMIT seconds have passed; QEMU is killed in any case (timeout is the hard stop).
# The checks then read the console up to the awaited line: what came after it depends on
# how soon the host stopped QEMU. qemu_running says whether QEMU was still on then.
boot() {
	local limit=$1
	shift
	boot_n "$limit" 1 "$@"
}

# boot_n LIMIT N UNTIL run.sh-arguments...: as boot, waiting for N lines to match.
boot_n() {
	local limit=$1 count=$2 until=$3
	shift 3
	: >"$log"	# never read the previous boot's console
	local start=$SECONDS
	setsid timeout -k 5 "$limit" "$top/boot/run.sh" --build "$build" --icount "$@" \
		</dev/null >"$log" 2>&1 &
	qemu_pid=$!
	local deadline=$((SECONDS + limit))
	while kill -0 "$qemu_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
		[ "$(view "$until" | tr -d '\r' | grep -cE "$until")" -ge "$count" ] && break
		sleep 0.2
	done
	qemu_running=0	# whether QEMU was still on when the boot ended, for tests of power-off
	kill -0 "$qemu_pid" 2>/dev/null && qemu_running=1
	stop_qemu
	sed -i 's/\r$//' "$log"
	local last
	last=$(view "$until" | grep -nE "$until" | sed -n "${count}p" | cut -d: -f1)
	echo "---- console ($*)"
	if [ -n "$last" ]; then
		head -n "$last" "$log"
		if [ "$(wc -l <"$log")" -gt "$last" ]; then
			echo "---- after the awaited line (not checked):"
			tail -n "+$((last + 1))" "$log"
			sed -i "$((last + 1)),\$d" "$log"
		fi
	else
		cat "$log"
	fi
	echo "----"
	what="the boot reached $count lines matching '$until' ($((SECONDS - start)) s; hard stop ${limit} s)"
	check test -n "$last"
}

# boot_for LIMIT run.sh-arguments...: as boot, but waits for QEMU to end by itself
# (boot stops it once a line matches, and keeps no exit status), at most LIMIT seconds;
# qemu_status gets its status: 0 for PSCI SYSTEM_OFF, 124 when LIMIT came first.
boot_for() {
	local limit=$1
	shift
	: >"$log"
	setsid timeout -k 5 "$limit" "$top/boot/run.sh" --build "$build" --icount "$@" \
		</dev/null >"$log" 2>&1 &
	qemu_pid=$!
	wait "$qemu_pid"
	qemu_status=$?
	qemu_pid=""
	sed -i 's/\r$//' "$log"
	echo "---- console ($*)"
	cat "$log"
	echo "---- QEMU ended with status $qemu_status"
}

# boot_until_off run.sh-arguments...: boot_for the hard stop, and a check that QEMU
# ended by itself with status 0.
boot_until_off() {
	boot_for "$hard_stop" "$@"
	what="QEMU ended by itself with status 0 (status $qemu_status; hard stop ${hard_stop} s)"
	check test "$qemu_status" -eq 0
}

check() {
	if "$@"; then
		passed=$((passed + 1))
		echo "ok: $what"
	else
		failed=$((failed + 1))
		echo "FAIL: $what"
	fi
}

# expect REGEX WHAT: some console line matches.
expect() { what=$2; check grep -qE "$1" <(view "$1"); }

# boot_program PROGRAM [INJECT]: boots init=/bin/PROGRAM until power-off, with
# inject=INJECT (SERVER:KIND:N, docs/resurrection.md) when given, and then expects that
# server's death and its restart as generation 2.
boot_program() {
	local program=$1 inject=${2:-} server pid
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/$program${inject:+ inject=$inject}"
	[ -n "$inject" ] || return 0
	server=${inject%%:*}
	case $server in vfs) pid=2 ;; pm) pid=3 ;; mm) pid=4 ;; *) pid='[0-9]+' ;; esac
	expect "^rs: $server \\(pid $pid\\) died: .*; restarted as generation 2 " \
		"${server^^} died ($inject) and came back"
}

# expect_checks PROGRAM: each line of standard input (a regex) as PROGRAM's "LINE: ok".
expect_checks() {
	local line
	while read -r line; do
		expect "^$1: ${line}: ok\$" "$line"
	done
}

# expect_count REGEX N WHAT: exactly N console lines match.
expect_count() { what=$3; check test "$(view "$1" | grep -cE "$1")" -eq "$2"; }

# expect_none REGEX WHAT: no console line matches.
expect_none() { what=$2; check bash -c '! grep -qE "$1"' _ "$1" < <(view "$1"); }

# expect_memory_back: PM's line at the end of init says free memory is what it was
# before init started (servers/pm/init.c): all that init took came back.
expect_memory_back() {
	local line
	line=$(unstamped | grep -E '^pm: free memory [0-9]+ KiB, [0-9]+ KiB before init$' | tail -n 1)
	read -r now before < <(sed -E 's/^pm: free memory ([0-9]+) KiB, ([0-9]+) KiB before init$/\1 \2/' <<<"$line")
	what="free memory after init's end equals free memory before it (${now:-?} KiB, ${before:-?} KiB)"
	check test -n "$line" -a "$now" = "$before"
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
