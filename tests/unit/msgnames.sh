#!/usr/bin/env bash
# The servers' message types are listed three times: in the protocol headers (the enums
# include/xinim/ipc/{vfs,pm,mm,net,dev,rs}.h end with *_MSG_END), in the name table the trace and
# the host console use (lib/msgnames.c), and on docs/ipc.md. All three must agree.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
headers=$(for h in "$top"/include/xinim/ipc/{vfs,pm,mm,net,dev,rs}.h; do
	[ -f "$h" ] || continue
	sed -nE '/^enum xinim_[a-z]+_msg \{/,/^\};/s/^\tXINIM_([A-Z_]+)( = [A-Z_]+)?,.*/\1/p' "$h"
done | grep -v '_MSG_END$' | sort)
table=$(sed -nE 's/^\tNAMED\(([A-Z_]+)\),$/\1/p' "$top/lib/msgnames.c" | sort)
documented=$(sed -nE 's/^\| ([A-Z][A-Z_]+) \| [0-9]+ \| .*/\1/p' "$top/docs/ipc.md" | sort)
status=0
compare() {
	local what=$1 a=$2 b=$3
	local missing
	missing=$(comm -23 <(echo "$a") <(echo "$b"))
	if [ -n "$missing" ]; then
		echo "$what:"; echo "$missing"; status=1
	fi
}
echo "$(wc -w <<<"$headers") messages in the headers, $(wc -w <<<"$table") in lib/msgnames.c, $(wc -w <<<"$documented") on docs/ipc.md"
compare "in the headers, not in lib/msgnames.c" "$headers" "$table"
compare "in lib/msgnames.c, not in the headers" "$table" "$headers"
compare "in the headers, not on docs/ipc.md" "$headers" "$documented"
compare "on docs/ipc.md, not in the headers" "$documented" "$headers"
[ -n "$headers" ] || { echo "no messages found in the headers"; status=1; }
exit $status
