#!/usr/bin/env bash
# Benchmarks (not tests): boots the benchmark programs under `qemu -icount shift=0,sleep=off`,
# where instructions are the one stable figure, and prints one line per figure,
# "name value unit", then each figure's ratio to the Linux reference measured in the same
# QEMU (the table below), and the figures Linux makes with the same programs now
# (tools/bench_linux.sh): "name xinim linux ratio".
#   tools/bench.sh [BUILD]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

console=$build/tools/console/xinim-console

# The host console reading the trace of the QEMU that timeout process $1 runs, until
# that QEMU ends: its pid once QEMU is up.
attach_console() {
	local qemu="" tries=0
	while [ -z "$qemu" ] && [ "$tries" -lt 100 ]; do
		qemu=$(pgrep -P "$1" qemu-system || true)
		[ -n "$qemu" ] || { sleep 0.1; tries=$((tries + 1)); }
	done
	[ -n "$qemu" ] || { echo "bench: no QEMU to attach the console to" >&2; exit 1; }
	"$console" trace --pid "$qemu" --until-exit >/dev/null 2>&1 &
	echo $!
}

# run_bench PROGRAM CPUS CMDLINE...: boots, waits until every instance of PROGRAM has
# exited, prints the bench lines. ATTACH=1: with guest RAM shared and the host console
# reading the trace meanwhile.
run_bench() {
	local program=$1 cpus=$2
	shift 2
	: >"$log"
	local ram=()
	[ "${ATTACH:-}" = 1 ] && ram=(--trace-ram)
	setsid timeout -k 5 300 "$top/boot/run.sh" --build "$build" --icount --smp "$cpus" \
		"${ram[@]}" --append "$*" </dev/null >"$log" 2>&1 &
	local qemu=$! instances reader=""
	[ "${ATTACH:-}" = 1 ] && reader=$(attach_console "$qemu")
	instances=$(grep -oE "(=|,)$program(,| |$)" <<<"$*" | wc -l)
	while kill -0 "$qemu" 2>/dev/null &&
		[ "$(grep -cE "\($program\): (exit status|.*killed)" "$log")" -lt "$instances" ]; do
		sleep 0.5
	done
	kill -- "-$qemu" 2>/dev/null || true
	wait "$qemu" 2>/dev/null || true
	if [ -n "$reader" ]; then	# not our child: it ends by itself once QEMU has
		for _ in $(seq 50); do kill -0 "$reader" 2>/dev/null || break; sleep 0.1; done
		kill "$reader" 2>/dev/null || true
	fi
	if [ "$(grep -cE "\($program\): exit status 0" "$log")" -lt "$instances" ]; then
		echo "bench: $program failed:" >&2
		tr -d '\r' <"$log" >&2
		exit 1
	fi
	tr -d '\r' <"$log" | sed -nE 's/^bench ([a-zA-Z0-9_]+) ([0-9]+) ([a-z]+).*/\1 \2 \3/p'
}

# boot_until PATTERN RUN-ARGS...: boots (boot/run.sh RUN-ARGS under -icount) until the
# console shows PATTERN or QEMU ends; the console in $log.
boot_until() {
	local until=$1
	shift
	: >"$log"
	setsid timeout -k 5 300 "$top/boot/run.sh" --build "$build" --icount "$@" \
		</dev/null >"$log" 2>&1 &
	local qemu=$!
	while kill -0 "$qemu" 2>/dev/null && ! grep -q "$until" "$log"; do
		sleep 0.5
	done
	kill -- "-$qemu" 2>/dev/null || true
	wait "$qemu" 2>/dev/null || true
}

# boot_init CMDLINE...: boots with PM, VFS, MM and RS and CMDLINE's init, until the
# machine powers off (init ended); the console in $log.
boot_init() {
	boot_until 'powering off' --append "$*"
}

# run_init_bench PROGRAM [CMDLINE...]: an unmodified musl program as PID 1 on the
# servers; its bench lines.
run_init_bench() {
	boot_init "init=/bin/$1" "${@:2}"
	if ! grep -qE '^(\[ *[0-9.]+\] )?init exited with status 0' <(tr -d '\r' <"$log"); then
		echo "bench: $1 failed:" >&2
		tr -d '\r' <"$log" >&2
		exit 1
	fi
	tr -d '\r' <"$log" | sed -nE 's/^bench ([a-zA-Z0-9_]+) ([0-9]+) ([a-z]+).*/\1 \2 \3/p'
}

# boot_to_shell_prompt: the plain boot (BusyBox init, rcS, a login shell) with an
# /etc/profile that tells the counter as the shell is about to show its first prompt,
# then powers off.
boot_to_prompt() {
	local extra
	extra=$(mktemp -d)
	mkdir -p "$extra/etc"
	{ echo '/bin/bench_now boot_to_shell_prompt'; cat "$top/boot/rootfs/etc/profile";
	  echo 'poweroff -f'; } >"$extra/etc/profile"
	boot_until '^bench boot_to_shell_prompt' --extra-rootfs "$extra" --append quiet
	rm -rf "$extra"
	tr -d '\r' <"$log" | sed -nE 's/^bench (boot_to_shell_prompt) ([0-9]+) ([a-z]+).*/\1 \2 \3/p'
}

# run_recovery SERVER: boots the resurrection workload with SERVER crashed at its 5th
# request; RS says when the new instance first answers (counter ns: instructions here).
run_recovery() {
	local server=$1
	boot_init "init=/bin/resurrection_workload 1 inject=$server:crash:5"
	local ns
	ns=$(tr -d '\r' <"$log" | sed -nE "s/^(\[ *[0-9.]+\] )?rs: $server serves again ([0-9]+) ns after its death$/\2/p")
	if [ -z "$ns" ] || ! grep -q '^resurrection_workload: 0 failures' <(tr -d '\r' <"$log"); then
		echo "bench: recovery of $server failed:" >&2
		tr -d '\r' <"$log" >&2
		exit 1
	fi
	echo "recovery_$server $ns instructions"
}

# Linux 6.1 (Debian's arm64 kernel) measured once in the same QEMU with the same flags, a
# static musl program's loop averages: getpid via svc, 1-byte pipe round trips, pread of
# 4 KiB from a tmpfs file.
# A figure's reference: "what instructions".
declare -A linux=(
	[kcall_roundtrip]="getpid 457"
	[syscall_getpid]="getpid 457"
	[syscall_getpid_unsealed]="getpid 457"
	[ipc_rtt_same_cpu_unsealed]="pipe 14100"
	[ipc_rtt_same_cpu_sealed_0B]="pipe 14100"
	[ipc_rtt_same_cpu_sealed_64B]="pipe 14100"
	[ipc_rtt_cross_cpu_sealed_64B]="pipe 19600"
	[pread_4k]="pread 2730"
)

figures=$(
	run_bench bench_kcall 4 run=bench_kcall
	run_bench bench_switch 1 run=bench_switch,bench_switch
	run_bench bench_getpid 4 run=pm,bench_getpid
	run_bench bench_getpid 4 run=pm,bench_getpid ipc.seal=off |
		sed -E 's/^syscall_getpid /syscall_getpid_unsealed /'
	run_bench ipc_bench 4 run=ipc_echo,ipc_bench
	run_init_bench bench_pread
	# Pipes' round trips, open and close, stat (docs/vfs.md).
	run_init_bench bench_files
	boot_to_prompt
	# fork + exit + wait, and the fork of 64 MiB touched (docs/processes.md).
	run_init_bench bench_fork
	run_init_bench bench_fork ipc.seal=off | sed -E 's/^(fork_[a-z0-9_]+) /\1_unsealed /'
	run_bench ipc_bench 4 run=ipc_echo,ipc_bench ipc.seal=off |
		sed -E 's/^ipc_rtt_same_cpu_unsealed_64B /ipc_rtt_same_cpu_unsealed /'
	# What tracing costs: the same with trace=off, and with the host console reading.
	run_bench bench_getpid 4 run=pm,bench_getpid trace=off |
		sed -E 's/^syscall_getpid /syscall_getpid_trace_off /'
	run_bench ipc_bench 4 run=ipc_echo,ipc_bench ipc.seal=off trace=off |
		sed -nE 's/^ipc_rtt_same_cpu_unsealed_64B /ipc_rtt_same_cpu_unsealed_trace_off /p'
	# Resurrection: from a server's death to its first answer (docs/resurrection.md).
	for server in vfs pm mm; do
		run_recovery "$server"
	done
	if [ -x "$console" ]; then
		ATTACH=1 run_bench bench_getpid 4 run=pm,bench_getpid |
			sed -E 's/^syscall_getpid /syscall_getpid_console /'
		ATTACH=1 run_bench ipc_bench 4 run=ipc_echo,ipc_bench ipc.seal=off |
			sed -nE 's/^ipc_rtt_same_cpu_unsealed_64B /ipc_rtt_same_cpu_unsealed_console /p'
	fi
)
echo "$figures"
# The cost of tracing: each figure with trace=off and with the console attached, as a
# ratio to the figure as it runs by default (tracing on, nobody reading outside).
for base in syscall_getpid ipc_rtt_same_cpu_unsealed; do
	for variant in trace_off console; do
		awk -v b="$base" -v v="$variant" '
			$1 == b { on = $2 } $1 == b "_" v { other = $2 }
			END { if (on && other) printf "%s_%s_vs_on %.3f ratio\n", b, v, other / on }' \
			<<<"$figures"
	done
done
while read -r name value unit; do
	reference=${linux[$name]:-}
	[ -n "$reference" ] || continue
	awk -v n="$name" -v v="$value" -v what="${reference% *}" -v r="${reference#* }" \
		'BEGIN { printf "%s_vs_linux_%s %.2f ratio\n", n, what, v / r }'
done <<<"$figures"
# Linux measured now with the same programs in the same QEMU (tools/bench_linux.sh):
# "name xinim linux ratio" for each figure Linux has, in instructions, ratio xinim/linux;
# a figure_unsealed is set beside Linux's figure.
if linux_figures=$("$top/tools/bench_linux.sh" "$build"); then
	awk 'NR == FNR { linux[$1] = $2; next }
	     { base = $1; sub(/_unsealed$/, "", base) }
	     linux[base] > 0 { printf "%s %s %s %.2f\n", $1, $2, linux[base], $2 / linux[base] }' \
		<(echo "$linux_figures") <(echo "$figures")
else
	echo "bench: no Linux reference (tools/bench_linux.sh failed)" >&2
fi
