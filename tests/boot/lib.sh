# Shared by the QEMU tests: boot, wait for a line, check the log.
#   source lib.sh; boot LIMIT UNTIL run.sh-arguments...; expect REGEX what; ...; finish
# BUILD (the build tree) comes from ctest's environment.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$top/build}
log=$(mktemp --suffix=.log)
passed=0 failed=0
qemu_pid=""

stop_qemu() {
	[ -n "$qemu_pid" ] && kill -- "-$qemu_pid" 2>/dev/null
	[ -n "$qemu_pid" ] && wait "$qemu_pid" 2>/dev/null
	qemu_pid=""
}
trap 'stop_qemu; rm -f "$log"' EXIT

# Boots with run.sh's arguments and returns once a line matches UNTIL, QEMU has exited,
# or LIMIT seconds have passed; QEMU is killed in any case (timeout is the hard stop).
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
	setsid timeout -k 5 "$limit" "$top/boot/run.sh" --build "$build" "$@" </dev/null >"$log" 2>&1 &
	qemu_pid=$!
	local deadline=$((SECONDS + limit))
	while kill -0 "$qemu_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
		[ "$(tr -d '\r' <"$log" | grep -cE "$until")" -ge "$count" ] && break
		sleep 0.2
	done
	stop_qemu
	sed -i 's/\r$//' "$log"
	echo "---- console ($*)"
	cat "$log"
	echo "----"
	what="the boot reached $count lines matching '$until' within ${limit}s"
	check test "$(grep -cE "$until" "$log")" -ge "$count"
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
expect() { what=$2; check grep -qE "$1" "$log"; }

# expect_count REGEX N WHAT: exactly N console lines match.
expect_count() { what=$3; check test "$(grep -cE "$1" "$log")" -eq "$2"; }

# expect_none REGEX WHAT: no console line matches.
expect_none() { what=$2; check bash -c '! grep -qE "$1" "$2"' _ "$1" "$log"; }

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
