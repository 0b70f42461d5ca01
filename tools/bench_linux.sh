#!/usr/bin/env bash
# The Linux reference of make bench (docs/performance.md): the benchmark programs XINIM
# runs, the same static binaries, on Debian 12's arm64 kernel (linux-image-*-arm64-unsigned,
# fetched by tools/deps.sh --linux-image) in the same QEMU with the same flags
# (boot/run.sh --icount --fixed-rtc, 4 CPUs, 512 MiB, the DTB's rng-seed kept), from the same trees
# tools/bench.sh adds to XINIM's boot archive:
#   PROGRAMS  bin/bench_run, this initramfs's /init, which runs each PROGRAM in turn and
#             powers off, and the programs where XINIM has them (/bin/bench_fork
#             executes /bin/bench_fork; bench_pread reads /service/pm, here a copy of PM
#             on tmpfs);
#   PROMPT    boot_to_shell_prompt's /etc/profile, which runs /bin/bench_now.
# tcp_host_to_guest_instr_per_mib: PROGRAMS's bin/bench_net_host in a boot of its own,
# the host sending through a forward (tools/bench_send.py), as tools/bench.sh does.
# Prints their "name value unit" lines, each the median of LINUX_RUNS boots (default 9),
# as tools/bench.sh does for XINIM.
#   tools/bench_linux.sh BUILD PROGRAMS PROMPT PROGRAM...   (PROGRAM: /bin/NAME)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/tools/bench_host.sh"
build=$(realpath "$1") programs_tree=$2 prompt_tree=$3
shift 3
bin=$build/userland/bin

"$top/tools/deps.sh" --linux-image "$build/sysroot"
image=$(compgen -G "$build/sysroot/boot/vmlinuz-*-arm64" | sort -V | tail -n 1)

work=$(mktemp -d) qemu=""
trap '[ -z "$qemu" ] || kill -- "-$qemu" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The programs tools/bench.sh names, and bench_getpid: bench_getpid_linux, the same with
# print() on standard output (XINIM's writes to the kernel's debug console).
programs=("$@" /bin/bench_getpid)
"$top/boot/mkarchive.sh" "$work/initramfs.cpio" "$programs_tree" \
	init="$programs_tree/bin/bench_run" bin/bench_getpid="$bin/bench_getpid_linux" \
	service/pm="$bin/pm"

# boot_linux CPIO "PROGRAM..." [RUN-ARGS...]: one boot of CPIO running every PROGRAM;
# their bench lines. Linux's arguments are those PLATFORM.md's reference was measured
# with; after "--", /init's.
boot_linux() {
	local archive=$1 list=$2
	shift 2
	setsid timeout -k 5 300 "$top/boot/run.sh" --build "$build" --icount --fixed-rtc \
		--kernel "$image" --initrd "$archive" "$@" \
		--append "console=ttyAMA0 quiet nokaslr -- $list" </dev/null >"$work/log" 2>&1 &
	qemu=$!
	wait "$qemu" || true	# /init powers off, or the timeout ends QEMU
	qemu=""
	tr -d '\r' <"$work/log" >"$work/console"
	for program in $list; do
		if ! grep -qx "init: $program exit status 0" "$work/console"; then
			echo "bench_linux: $program failed on $(basename "$image"):" >&2
			cat "$work/console" >&2
			exit 1
		fi
	done
	sed -nE 's/^bench ([a-zA-Z0-9_]+) ([0-9]+) ([a-z]+).*/\1 \2 \3/p' "$work/console"
}

# The network's boot: Debian builds the virtio-mmio NIC's drivers as modules
# (tools/deps.sh keeps them), which /init loads before it becomes bench_run.
modules=$build/sysroot/lib/modules/${image##*/vmlinuz-}/kernel
mkdir -p "$work/net"
printf '#!/bin/busybox sh\nfor module in %s; do /bin/busybox insmod "/lib/modules/$module"; done\nexec /bin/bench_run "$@"\n' \
	"failover.ko net_failover.ko virtio_mmio.ko virtio_net.ko" >"$work/net/init"
chmod 755 "$work/net/init"
"$top/boot/mkarchive.sh" "$work/net.cpio" "$programs_tree" "$work/net" \
	bin/busybox="$build/sysroot/bin/busybox" \
	lib/modules/failover.ko="$modules/net/core/failover.ko" \
	lib/modules/net_failover.ko="$modules/drivers/net/net_failover.ko" \
	lib/modules/virtio_mmio.ko="$modules/drivers/virtio/virtio_mmio.ko" \
	lib/modules/virtio_net.ko="$modules/drivers/net/virtio_net.ko"

# boot_net_linux: tcp_host_to_guest_instr_per_mib, the host sending meanwhile.
boot_net_linux() {
	sending_to_guest "$work/log" boot_linux "$work/net.cpio" /bin/bench_net_host --hostfwd HOSTPORT:7778
}

# boot_to_shell_prompt: the plain boot as XINIM's (tools/bench.sh boot_to_prompt): the
# same busybox-static, applet links, /etc, PROMPT and bench_now; an /init script mounts
# devtmpfs (an initramfs has no /dev/console) and becomes BusyBox's init.
mkdir -p "$work/prompt"
printf '#!/bin/sh\nmount -t devtmpfs devtmpfs /dev\nexec /sbin/init\n' >"$work/prompt/init"
chmod 755 "$work/prompt/init"
"$top/boot/mkarchive.sh" "$work/prompt.cpio" "$top/boot/rootfs" "$work/prompt" "$prompt_tree" \
	bin/busybox="$build/sysroot/bin/busybox" "@$top/boot/busybox-applets.txt->/bin/busybox" \
	bin/bench_now="$bin/bench_now" dev/ proc/ tmp/ root/

boot_prompt_linux() {
	setsid timeout -k 5 300 "$top/boot/run.sh" --build "$build" --icount --fixed-rtc \
		--kernel "$image" --initrd "$work/prompt.cpio" \
		--append "console=ttyAMA0 quiet nokaslr" </dev/null >"$work/log" 2>&1 &
	qemu=$!
	wait "$qemu" || true	# the profile powers off, or the timeout ends QEMU
	qemu=""
	tr -d '\r' <"$work/log" | sed -nE 's/^bench (boot_to_shell_prompt) ([0-9]+) ([a-z]+).*/\1 \2 \3/p'
}

# Linux's figures move from boot to boot (the rng-seed, fresh each time, places stacks
# and more): most by 1-3 %, fork_64mib, one fork, by up to 20 %. Each is the median of
# LINUX_RUNS boots.
for _ in $(seq "${LINUX_RUNS:-9}"); do
	boot_linux "$work/initramfs.cpio" "${programs[*]}"
	boot_net_linux
	boot_prompt_linux
done >"$work/figures"
awk '!seen[$1]++ { print $1 }' "$work/figures" | while read -r name; do
	grep "^$name " "$work/figures" | sort -k2,2n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
done
