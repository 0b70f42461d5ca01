#!/usr/bin/env bash
# Boots the XINIM image in QEMU virt.
#   boot/run.sh [--build DIR] [--smp N] [--mem SIZE] [--gic 2|3] [--append CMDLINE]
#               [--extra-rootfs DIR] [--el2] [--icount] [--gdb] [-- extra qemu arguments]
# --extra-rootfs adds DIR's tree at the archive's root (over what is there): a second
# cpio archive after the first, which VFS reads as one, like Linux's initramfs.
# --el2 starts the CPUs at EL2 (virtualization=on), as boot loaders on hardware do.
# With --gdb, QEMU waits for gdb-multiarch on localhost:1234 (see build/gdbinit).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build smp=4 mem=512M gic=2 append="" gdb="" icount="" machine=virt extra=""
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--gic) gic=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--extra-rootfs) extra=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--el2) machine=virt,virtualization=on; shift ;;
	--gdb) gdb=1; shift ;;
	--) shift; break ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

initrd=$build/boot/initrd.cpio
if [ -n "$extra" ]; then
	[ -d "$extra" ] || { echo "run.sh: EXTRA_ROOTFS $extra is not a directory" >&2; exit 2; }
	combined=$(mktemp "$build/boot/initrd-extra.XXXXXX")
	"$top/boot/mkarchive.sh" "$combined.tree" "$(cd "$extra" && pwd)"
	cat "$initrd" "$combined.tree" >"$combined"
	rm -f "$combined.tree"
	initrd=$combined
	# QEMU reads the whole initrd at start; the file can go once it runs.
	(sleep 5; rm -f "$combined") &
fi

args=(-M "$machine,gic-version=$gic" -cpu cortex-a72 -smp "$smp" -m "$mem" -nographic -nic none
      -kernel "$build/kernel/Image" -initrd "$initrd" -append "$append")
[ -n "$icount" ] && args+=(-icount shift=0,sleep=off)
if [ -n "$gdb" ]; then
	cat >"$build/gdbinit" <<GDB
set architecture aarch64
file $build/kernel/xinim.elf
target remote localhost:1234
GDB
	echo "QEMU waits for gdb: in another terminal run  gdb-multiarch -x $build/gdbinit" >&2
	args+=(-s -S)
fi
exec qemu-system-aarch64 "${args[@]}" "$@"
