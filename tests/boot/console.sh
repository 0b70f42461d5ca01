#!/usr/bin/env bash
# The host console (tools/console, docs/console.md) on a real guest.
#   console.sh trace   boots hello-musl under `xinim-console run`: every system call of the
#                      program goes to its server, named, with its reply matched, in the
#                      numbers the in-guest reader (trace_syscalls) counts; the stats give
#                      the same counts; a replay of the recording prints the same bytes; the
#                      export is trace-event JSON that names the program's track.
#   console.sh attach  a guest that floods the rings (ipc_bench), a console held still
#                      during the flood and two that attach after it: overruns are
#                      counted, every line is well formed, the names come from the guest's
#                      names table.
source "$(dirname "$0")/lib.sh"
console=$build/tools/console/xinim-console
work=$(mktemp -d)
trap 'stop_qemu; rm -rf "$log" "$work"' EXIT
# A trace line (docs/console.md, "Trace lines"): nothing torn, nothing else.
line='^ +[0-9]+\.[0-9]{3} cpu[0-9] (call|send|receive|reply|notify|reject) +[^ ]+ +-> [^ ]+ +[^ ]+( bits=0x[0-9a-f]+)? len=[0-9]+ [a-z-]+( [0-9]+\.[0-9]{3} us)?$|^ +[0-9]+\.[0-9]{3} cpu[0-9] name +[^ ]+$|^ +[0-9]+\.[0-9]{3} cpu[0-9] restart [^ ]+ as generation [0-9]+$|^ +- cpu[0-9] lost +[0-9]+$'

# every_line_well_formed FILE WHAT
every_line_well_formed() {
	what="every line of $2 is a whole trace line ($(wc -l <"$1") lines)"
	check bash -c '! grep -vqE "$1" "$2"' _ "$line" "$1"
}

console_trace() {
	echo "== xinim-console run: hello-musl, with trace_syscalls counting in the guest"
	timeout -k 5 "$hard_stop" "$console" run --until '^trace: records lost' \
		--trace-to "$work/trace.txt" --record "$work/boot.rec" -- --build "$build" --icount \
		--append "run=pm,vfs,mm,trace_syscalls init=/bin/hello-musl init.exit=halt" \
		>"$log" 2>&1
	sed -E 's/^\[[0-9:.]+\] //' "$log" | grep -E '^(trace|/bin/hello-musl|console):'
	expect '^\[[0-9:.]+\] /bin/hello-musl: 0 failures$' "the program ran, its UART line time-stamped"
	expect '^console: QEMU (exited|killed)' "the console saw QEMU end"
	every_line_well_formed "$work/trace.txt" "the trace"
	local tallies=0 name number server calls replies type shown
	while read -r name number server calls replies; do
		tallies=$((tallies + 1))
		type=$name
		[ "$name" = unknown ] && type=$((1000 + number))	# no name: the message type
		[ "$name" = page ] && { type=MM_FAULT; server=mm; }
		shown=$(grep -cE "^ +[0-9.]+ cpu[0-9] call +hello-musl\[1\] +-> $server +$type len=" "$work/trace.txt")
		what="$type: $calls calls from hello-musl[1] to $server, as in the guest (console: $shown)"
		check test "$shown" -eq "$calls"
		shown=$(grep -cE "^ +[0-9.]+ cpu[0-9] reply +$server +-> hello-musl\[1\] +$type=-?[0-9]+ len=[0-9]+ ok [0-9.]+ us$" "$work/trace.txt")
		what="$type: $replies replies matched to their calls, with latency (console: $shown)"
		check test "$shown" -eq "$replies"
		shown=$("$console" replay "$work/boot.rec" stats --process hello-musl |
			awk -v s="$server" -v t="$type" '$1 == "hello-musl[1]" && $2 == s && $3 == t { print $4 }')
		what="$type: the stats count $calls calls (stats: ${shown:-none})"
		check test "${shown:-0}" -eq "$calls"
	done < <(sed -E 's/\r$//' "$log" | sed -nE \
		-e 's/^(\[[0-9:.]+\] )?trace: ([a-z0-9_]+) \(([0-9]+)\) -> ([a-z]+): ([0-9]+) calls, ([0-9]+) replies$/\2 \3 \4 \5 \6/p' \
		-e 's/^(\[[0-9:.]+\] )?trace: page faults -> mm: ([0-9]+) calls, ([0-9]+) replies$/page 0 mm \2 \3/p')
	what="the guest's reader counted some system calls ($tallies kinds)"
	check test "$tallies" -ge 10
	expect '^(\[[0-9:.]+\] )?trace: records lost 0, calls not counted 0' "the guest's reader lost nothing"
	"$console" replay "$work/boot.rec" >"$work/replay.txt"
	what="replay of the recording prints the trace byte for byte ($(wc -l <"$work/replay.txt") lines)"
	check cmp -s "$work/trace.txt" "$work/replay.txt"
	"$console" replay "$work/boot.rec" export "$work/boot.json"
	what="the export is trace-event JSON with hello-musl[1]'s openat slices and flows"
	check python3 "$top/tests/unit/console/check_export.py" "$work/boot.json" '--has=hello-musl[1]:openat'
}

console_attach() {
	echo "== ipc_bench floods the rings; the console attaches after it, twice; dmesg"
	# QEMU stays on after the flood (lib.sh's boot would stop it): started here.
	setsid timeout -k 5 "$hard_stop" "$top/boot/run.sh" --build "$build" --icount --trace-ram \
		--append "run=ipc_echo,ipc_bench init.exit=halt" </dev/null >"$log" 2>&1 &
	qemu_pid=$!
	local deadline=$((SECONDS + hard_stop)) qemu="" reader
	until qemu=$(pgrep -P "$qemu_pid" qemu-system) || [ $SECONDS -ge $deadline ]; do
		sleep 0.1
	done
	# A console that reads during the flood, but is held still meanwhile (SIGSTOP), as a
	# loaded host would: it must count what the rings lost, never show torn records.
	"$console" trace --pid "$qemu" >"$work/during.txt" 2>&1 &
	reader=$!
	kill -STOP "$reader"
	until grep -qE '\(ipc_bench\): exit status' "$log" || [ $SECONDS -ge $deadline ] ||
		! kill -0 "$qemu_pid" 2>/dev/null; do
		sleep 0.2
	done
	kill -CONT "$reader"
	grep -E '^bench |ipc_bench' "$log" | tr -d '\r'
	what="the flood ended with QEMU still on (pid ${qemu:-none}), for the console to attach to"
	check kill -0 "${qemu:-none}"
	for attach in 1 2; do
		"$console" trace --once --pid "$qemu" >"$work/attach$attach.txt" 2>&1
		every_line_well_formed "$work/attach$attach.txt" "attach $attach"
		what="attach $attach: the records overwritten before it are counted lost"
		check grep -qE '^ +- cpu[0-9] lost +[1-9][0-9]*$' "$work/attach$attach.txt"
		what="attach $attach: names from the guest's table (ipc_bench, ipc_echo)"
		check grep -qE '(ipc_bench|ipc_echo)\[[0-9]+\]' "$work/attach$attach.txt"
	done
	"$console" stats --once --pid "$qemu" >"$work/stats.txt" 2>&1
	what="stats count the lost records per CPU"
	check grep -qE '^lost: .*cpu[0-9]=[1-9]' "$work/stats.txt"
	"$console" dmesg --pid "$qemu" >"$work/dmesg.txt" 2>&1
	local online
	online=$(tr -d '\r' <"$log" | grep -E '^\[ *[0-9.]+\] xinim: [0-9]+ cpus online' | head -n 1)
	what="dmesg: the kernel log from RAM holds the UART's line '${online:-none}', timestamp and all"
	check grep -qxF "${online:-none}" "$work/dmesg.txt"
	what="dmesg: the boot's first line, and the kernel's lines of the programs it ran"
	check bash -c 'grep -q "^\[ *[0-9.]*\] xinim: booting on cpu 0" "$1" &&
		grep -q "\] run: ipc_bench started as proc" "$1" && ! grep -q "^<" "$1"' _ "$work/dmesg.txt"
	stop_qemu
	wait "$reader"
	what="the console held during the flood ended with QEMU (status $?)"
	check test -s "$work/during.txt"
	every_line_well_formed "$work/during.txt" "the console held during the flood"
	what="it counted the records the flood overwrote while it was held"
	check grep -qE '^ +- cpu[0-9] lost +[1-9][0-9]*$' "$work/during.txt"
}

[ -x "$console" ] || { echo "no $console: build it (make build)"; exit 1; }
case ${1:-} in
trace) console_trace ;;
attach) console_attach ;;
*) echo "usage: console.sh trace|attach" >&2; exit 2 ;;
esac
finish
