#!/usr/bin/env bash
# boot/run.sh --extra-rootfs leaves no initrd-extra.* behind however the boot ends: QEMU
# powering off, QEMU failing to start, the process group killed (as lib.sh stops a boot)
# while QEMU runs or while run.sh still builds the archive, ctrl-C, timeout. QEMU's exit
# status is run.sh's, and the guest gets the combined archive. run.sh runs here on build
# folders of links to the real image, so that other tests' boots do not show in them.
source "$(dirname "$0")/lib.sh"
scratch=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$scratch"' EXIT
export TMPDIR=$scratch	# for mkarchive.sh's stage folder
mkdir -p "$scratch/build/boot" "$scratch/build/kernel" "$scratch/extra/etc"
ln -s "$build/boot/initrd.cpio" "$scratch/build/boot/initrd.cpio"
ln -s "$build/kernel/Image" "$scratch/build/kernel/Image"
printf 'XINIM\nfrom --extra-rootfs\n' >"$scratch/extra/etc/issue"

run_sh=("$top/boot/run.sh" --icount --smp 1 --extra-rootfs "$scratch/extra")

# no_leftovers WHEN [FOLDER]: nothing of run.sh's is left in the build folder.
no_leftovers() {
	local left
	left=$(cd "${2:-$scratch/build}/boot" && ls -d initrd-extra.* 2>/dev/null | tr '\n' ' ')
	what="$1: no initrd-extra.* left${left:+ (found $left)}"
	check test -z "$left"
}

# group_gone PGID WHEN: no process of the group (QEMU, run.sh, timeout) is left running
# (a zombie waits for whoever reaps orphans here: it holds nothing).
group_gone() {
	local alive
	alive=$(ps -e -o pgid=,stat=,comm= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { print $3 }' |
		tr '\n' ' ')
	what="$2: QEMU and run.sh are gone${alive:+ (still running: $alive)}"
	check test -z "$alive"
}

# start FOLDER RUN-ARGUMENTS...: run.sh in a process group of its own, as lib.sh starts it.
start() {
	: >"$log"
	setsid timeout -k 5 "$hard_stop" "${run_sh[@]}" --build "$@" </dev/null >"$log" 2>&1 &
	qemu_pid=$!
}

# started: QEMU prints its kernel's first line (or run.sh ends, or the hard stop).
started() {
	local deadline=$((SECONDS + hard_stop))
	while kill -0 "$qemu_pid" 2>/dev/null && [ $SECONDS -lt $deadline ] &&
		! tr -d '\r' <"$log" | grep -q 'xinim: booting'; do
		sleep 0.1
	done
	what="QEMU started"
	check grep -q 'xinim: booting' "$log"
}

# kill_group SIGNAL WHEN [FOLDER]: SIGNAL to the whole group, then wait for it.
kill_group() {
	local pid=$qemu_pid
	kill "-$1" -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	qemu_pid=""
	group_gone "$pid" "$2"
	no_leftovers "$2" "${3:-}"
}

echo "== QEMU powers off (selftest ticks)"
timeout -k 5 "$hard_stop" "${run_sh[@]}" --build "$scratch/build" --append test=ticks </dev/null >"$log" 2>&1
status=$?
sed -i 's/\r$//' "$log"
cat "$log"
what="run.sh exits with QEMU's status 0 ($status)"
check test "$status" -eq 0
expect 'selftest ticks: pass' "the boot ran to its end"
plain=$(stat -L -c %s "$build/boot/initrd.cpio")
size=$(sed -nE 's/.*initrd: [0-9a-f]+, ([0-9]+) bytes$/\1/p' "$log")
what="the guest got the combined archive ($size bytes, the plain one has $plain)"
check test "${size:-0}" -gt "$plain"
no_leftovers "after QEMU powered off"

echo "== QEMU refuses its arguments"
timeout -k 5 "$hard_stop" "${run_sh[@]}" --build "$scratch/build" -- -no-such-option </dev/null >"$log" 2>&1
status=$?
cat "$log"
what="run.sh exits with QEMU's status 1 ($status)"
check test "$status" -eq 1
no_leftovers "after QEMU failed to start"

echo "== process group killed while QEMU runs (how lib.sh stops a boot)"
start "$scratch/build" --append test=panic
started
kill_group TERM "SIGTERM to the group while QEMU runs"

echo "== ctrl-C: SIGINT to the group while QEMU runs"
start "$scratch/build" --append test=panic
started
kill_group INT "SIGINT to the group while QEMU runs"

echo "== process group killed while run.sh builds the archive"
# Here run.sh reads the initrd from a FIFO: opening its other end returns once run.sh is
# copying it into the combined archive, where run.sh stays until it is killed.
mkdir -p "$scratch/fifo/boot"
ln -s "$scratch/build/kernel" "$scratch/fifo/kernel"
mkfifo "$scratch/fifo/boot/initrd.cpio"
start "$scratch/fifo" --append test=panic
what="run.sh was building the archive when the group was killed"
check timeout "$hard_stop" bash -c 'exec 5>"$1" && kill -- "-$2"' _ \
	"$scratch/fifo/boot/initrd.cpio" "$qemu_pid"
kill_group TERM "SIGTERM to the group while the archive is built" "$scratch/fifo"

echo "== timeout stops a boot that never ends"
timeout -k 5 2 "${run_sh[@]}" --build "$scratch/build" --append test=panic </dev/null >"$log" 2>&1 &
pid=$!
wait "$pid"
status=$?
what="timeout stopped it ($status)"
check test "$status" -eq 124
group_gone "$pid" "after timeout"
no_leftovers "after timeout"
finish
