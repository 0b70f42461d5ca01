#!/usr/bin/env bash
# Benchmarks (not tests, docs/performance.md): boots the benchmark programs under
# `qemu -icount shift=0,sleep=off`, where instructions are the one stable figure, on XINIM
# and, meanwhile, on Linux in the same QEMU (tools/bench_linux.sh). Prints one line per
# figure of XINIM's, "name value unit", then one per figure the two systems share,
# "NAME XINIM LINUX RATIO" (instructions; RATIO = XINIM / LINUX), sealed and then with
# ipc.seal=off (NAME_unsealed, beside the same Linux figure). The lines are also kept in
# BUILD/bench/figures.txt, and drawn in BUILD/bench/report.svg (tools/bench_plot.sh).
#   tools/bench.sh [BUILD]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/tools/bench_host.sh"
build=$(realpath "${1:-$top/build}")
out=$build/bench
work=$(mktemp -d) linux=""
log=$work/log linux_out=$work/linux
trap '[ -z "$linux" ] || kill "$linux" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The figures both systems make, in the order they are printed and drawn.
compared=(
	syscall_getpid pread_4k lseek_read_4k write_devnull_4k open_close stat
	pipe_rtt_same_cpu pipe_rtt_cross_cpu fork_exit_wait fork_exec_wait
	mmap_touch_1page mmap_touch_1mib futex_pingpong pthread_create_join clock_gettime
	tcp_loopback_rtt tcp_loopback_instr_per_mib tcp_host_to_guest_instr_per_mib
	boot_to_shell_prompt
)
# The programs bench_run runs in one boot, on both systems (syscall_getpid and
# boot_to_shell_prompt have boots of their own). bench_threads first: after the others,
# Linux's pthread_create_join took 5 % more in some boots, not in others.
programs=(/bin/bench_threads /bin/bench_clock /bin/bench_pread /bin/bench_files
	  /bin/bench_fork /bin/bench_memory /bin/bench_net)

# The benchmark programs are not in the boot archive (cmake/user.cmake, BENCH): they come
# in one of their own (boot/run.sh --extra-rootfs), bench_run and the programs in
# $work/programs; boot_to_shell_prompt's profile in $work/prompt (bench_now, which it
# runs, is in the boot archive).
mkdir -p "$work/programs/bin" "$work/prompt/etc"
for program in /bin/bench_run "${programs[@]}" /bin/bench_net_host; do
	cp "$build/userland/bin/${program##*/}" "$work/programs$program"
done
{ echo '/bin/bench_now boot_to_shell_prompt'; cat "$top/boot/rootfs/etc/profile";
  echo 'poweroff -f'; } >"$work/prompt/etc/profile"

# Linux meanwhile: a QEMU of its own, on the other host CPU.
"$top/tools/bench_linux.sh" "$build" "$work/programs" "$work/prompt" "${programs[@]}" \
	>"$linux_out" &
linux=$!

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
	setsid timeout -k 5 300 "$top/boot/run.sh" --build "$build" --icount --fixed-rtc --smp "$cpus" \
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
	setsid timeout -k 5 300 "$top/boot/run.sh" --build "$build" --icount --fixed-rtc "$@" \
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

# run_init "PROGRAM..." [RUN-ARGS...] -- [CMDLINE...]: bench_run as init, running each
# PROGRAM on the servers; their bench lines.
run_init() {
	local list=$1 run=()
	shift
	while [ "$1" != -- ]; do run+=("$1"); shift; done
	shift
	boot_until '^init: done' --extra-rootfs "$work/programs" "${run[@]}" \
		--append "init=/bin/bench_run $list quiet $*"
	local program
	for program in $list; do
		if ! grep -qx "init: $program exit status 0" <(tr -d '\r' <"$log"); then
			echo "bench: $program failed:" >&2
			tr -d '\r' <"$log" >&2
			exit 1
		fi
	done
	tr -d '\r' <"$log" | sed -nE 's/^bench ([a-zA-Z0-9_]+) ([0-9]+) ([a-z]+).*/\1 \2 \3/p'
}

# run_programs [CMDLINE...]: every one of programs in one boot.
run_programs() {
	run_init "${programs[*]}" -- "$@"
}

# host_to_guest [CMDLINE...]: tcp_host_to_guest_instr_per_mib, bench_net_host receiving
# what the host sends (tools/bench_send.py) through a forward to its port, 7778;
# pmu.user=on lets it count instructions.
host_to_guest() {
	sending_to_guest "$log" run_init /bin/bench_net_host --hostfwd HOSTPORT:7778 -- pmu.user=on "$@"
}

# boot_to_prompt [CMDLINE...]: boot_to_shell_prompt, the plain boot (BusyBox init, rcS,
# a login shell) with an /etc/profile that tells the counter as the shell is about to
# show its first prompt, then powers off.
boot_to_prompt() {
	boot_until '^bench boot_to_shell_prompt' --extra-rootfs "$work/prompt" --append "quiet $*"
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

# The IPC figures against Linux's nearest (measured beside them, tools/bench_linux.sh):
# "NAME_vs_linux_WHAT ratio" for NAME: "WHAT LINUX-FIGURE".
declare -A nearest=(
	[kcall_roundtrip]="getpid syscall_getpid"
	[syscall_getpid]="getpid syscall_getpid"
	[syscall_getpid_unsealed]="getpid syscall_getpid"
	[ipc_rtt_same_cpu_unsealed]="pipe pipe_rtt_same_cpu"
	[ipc_rtt_same_cpu_sealed_0B]="pipe pipe_rtt_same_cpu"
	[ipc_rtt_same_cpu_sealed_64B]="pipe pipe_rtt_same_cpu"
	[ipc_rtt_cross_cpu_sealed_64B]="pipe pipe_rtt_cross_cpu"
	[pread_4k]="pread pread_4k"
)

unsealed() { sed -E 's/^([a-zA-Z0-9_]+) /\1_unsealed /'; }

figures=$(
	run_bench bench_kcall 4 run=bench_kcall
	run_bench bench_switch 1 run=bench_switch,bench_switch
	run_bench bench_getpid 4 run=pm,bench_getpid
	run_bench bench_getpid 4 run=pm,bench_getpid ipc.seal=off | unsealed
	run_bench ipc_bench 4 run=ipc_echo,ipc_bench
	# Files, pipes, processes, memory, threads, time (bench_*.c, docs/performance.md).
	run_programs
	run_programs ipc.seal=off | unsealed
	host_to_guest
	host_to_guest ipc.seal=off | unsealed
	boot_to_prompt
	boot_to_prompt ipc.seal=off | unsealed
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
status=0
wait "$linux" || status=$?
linux=""
[ "$status" -eq 0 ] || echo "bench: no Linux reference (tools/bench_linux.sh failed)" >&2

mkdir -p "$out"
{
	echo "$figures"
	# The cost of tracing: each figure with trace=off and with the console attached, as
	# a ratio to the figure as it runs by default (tracing on, nobody reading outside).
	for base in syscall_getpid ipc_rtt_same_cpu_unsealed; do
		for variant in trace_off console; do
			awk -v b="$base" -v v="$variant" '
				$1 == b { on = $2 } $1 == b "_" v { other = $2 }
				END { if (on && other) printf "%s_%s_vs_on %.3f ratio\n", b, v, other / on }' \
				<<<"$figures"
		done
	done
	while read -r name value _; do
		reference=${nearest[$name]:-}
		[ -n "$reference" ] || continue
		awk -v n="$name" -v v="$value" -v what="${reference% *}" -v figure="${reference#* }" \
			'$1 == figure && $2 > 0 { printf "%s_vs_linux_%s %.2f ratio\n", n, what, v / $2 }' \
			"$linux_out"
	done <<<"$figures"
	# NAME XINIM LINUX RATIO: the sealed figures, then the unsealed ones.
	for suffix in "" _unsealed; do
		for name in "${compared[@]}"; do
			awk -v n="$name" -v s="$suffix" '
				NR == FNR { if ($1 == n) linux = $2; next }
				$1 == n s && linux > 0 { printf "%s %s %s %.2f\n", $1, $2, linux, $2 / linux }' \
				"$linux_out" <(echo "$figures")
		done
	done
} | tee "$out/figures.txt"
[ "$status" -eq 0 ] || exit "$status"
"$top/tools/bench_plot.sh" "$out/figures.txt" "$out/report.svg"
