#!/usr/bin/env bash
# make fuzz: the in-guest system-call fuzzer for FUZZ_CALLS calls (tests/boot/fuzz.sh with
# FUZZ_SEED), then each server's libFuzzer target for FUZZ_TIME seconds (tests/fuzz, built
# in FUZZ_BUILD). Prints each one's figures; exits non-zero on any crash, sanitizer
# report, hang or failed health check (docs/fuzzing.md).
#   tools/fuzz.sh BUILD FUZZ_BUILD
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
fuzz_build=$2
calls=${FUZZ_CALLS:-1000000}
seconds=${FUZZ_TIME:-600}
seed=${FUZZ_SEED:-$(date +%s)}
failed=()

echo "== in-guest: fuzz_syscalls $seed $calls (make fuzz FUZZ_SEED=$seed FUZZ_CALLS=$calls repeats it)"
guest_log=$fuzz_build/guest.log
start=$SECONDS
BUILD=$build "$top/tests/boot/fuzz.sh" "$seed" "$calls" >"$guest_log" 2>&1
status=$?
grep -E '^fuzz: (seed|by server|results|errors|health checks|[0-9]+ calls, [0-9]+ failures)|pm: free memory|FAILED|killed|panic|^FAIL' \
	"$guest_log" | grep -v '^fuzz: [0-9]* calls, health check [0-9]*: ok$'
echo "in-guest: $((SECONDS - start)) s of wall time; the whole console is in $guest_log"
[ "$status" -eq 0 ] || failed+=("in-guest (seed $seed)")

for server in vfs pm mm net; do
	echo "== libFuzzer: fuzz_$server for $seconds s"
	corpus=$fuzz_build/corpus/$server crashes=$fuzz_build/crashes
	mkdir -p "$corpus" "$crashes"
	log=$fuzz_build/fuzz_$server.log
	# The seeds are read, new inputs go to the working corpus in the build tree.
	"$fuzz_build/tests/fuzz/fuzz_$server" -max_total_time="$seconds" -timeout=30 \
		-print_final_stats=1 -artifact_prefix="$crashes/$server-" \
		"$corpus" "$top/tests/fuzz/corpus/$server" >"$log" 2>&1
	status=$?
	grep -E '^#[0-9]+[[:space:]]+DONE|^stat::|FINDING|ERROR|runtime error|^artifact_prefix|Test unit written' "$log"
	[ "$status" -eq 0 ] || failed+=("fuzz_$server (log $log)")
done

if [ "${#failed[@]}" -gt 0 ]; then
	printf 'fuzz: FAILED: %s\n' "${failed[@]}"
	exit 1
fi
echo "fuzz: no crash, sanitizer report, hang or failed health check"
