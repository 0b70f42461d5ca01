#!/usr/bin/env bash
# docs/syscalls.md names every system call of the routing table with the server it goes
# to, and nothing else: the table (include/xinim/ipc/syscalls.h) and the page cannot drift.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
table=$(sed -nE 's/^\tX\(([a-z0-9_]+), ([0-9]+), ([A-Z]+)\).*/| \1 | \2 | \3 |/p' \
	"$top/include/xinim/ipc/syscalls.h")
documented=$(sed -nE 's/^(\| [a-z0-9_]+ \| [0-9]+ \| [A-Z]+ \|) .*/\1/p' "$top/docs/syscalls.md")
missing=$(comm -23 <(sort <<<"$table") <(sort <<<"$documented"))
extra=$(comm -13 <(sort <<<"$table") <(sort <<<"$documented"))
echo "$(wc -l <<<"$table") calls in the table, $(wc -l <<<"$documented") on the page"
[ -z "$missing" ] || { echo "not on docs/syscalls.md (or with another server):"; echo "$missing"; }
[ -z "$extra" ] || { echo "on docs/syscalls.md but not in the table:"; echo "$extra"; }
[ -z "$missing$extra" ]
