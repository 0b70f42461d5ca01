#!/usr/bin/env bash
# Writes boot/busybox-applets.txt: the applets of the sysroot's busybox (Debian's
# busybox-static, tools/deps.sh) at the paths `busybox --list-full` gives. The arm64
# binary cannot run on the host without qemu-user, so XINIM runs it, as PID 1:
#   tools/busybox_applets.sh [BUILD]     (after make build; run it when busybox changes)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
out=$top/boot/busybox-applets.txt
console=$(mktemp)
trap 'rm -f "$console"' EXIT
timeout -k 5 300 "$top/boot/run.sh" --build "$build" --icount \
	--append "quiet init=/bin/busybox --list-full" </dev/null >"$console" 2>&1 || true
applets=$(tr -d '\r' <"$console" | grep -E '^((usr/)?s?bin/[^ ]+|linuxrc)$' | grep -vx 'bin/busybox')
[ "$(wc -l <<<"$applets")" -gt 100 ] || { echo "busybox_applets: no list:" >&2; cat "$console" >&2; exit 1; }
{
	echo "# BusyBox's applets at the paths \`busybox --list-full\` gives (the sysroot's Debian"
	echo "# busybox-static), less bin/busybox itself: each is a link to /bin/busybox in the boot"
	echo "# archive (boot/CMakeLists.txt). Made by tools/busybox_applets.sh: run it again when"
	echo "# busybox changes."
	echo "$applets"
} >"$out"
echo "busybox_applets: $(wc -l <<<"$applets") applets in $out"
