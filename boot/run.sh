#!/usr/bin/env bash
# Boots the XINIM image in QEMU virt.
#   boot/run.sh [--build DIR] [--smp N] [--mem SIZE] [--gic 2|3] [--append CMDLINE]
#               [--extra-rootfs DIR] [--el2] [--icount] [--fixed-rtc] [--gdb] [--trace-ram]
#               [--kernel IMAGE] [--initrd CPIO] [--hostfwd [udp:]HOSTPORT:GUESTPORT]...
#               [--guestfwd GUESTPORT:COMMAND]... [-- extra qemu arguments]
# --kernel and --initrd boot another Image and archive (Linux's, for make bench's Linux
# reference, tools/bench_linux.sh) on the same machine with the same flags.
# --extra-rootfs adds DIR's tree at the archive's root (over what is there): a second
# cpio archive after the first, which VFS reads as one, like Linux's initramfs.
# --fixed-rtc starts the PL031 RTC at 2026-01-01 00:00:00 UTC and runs it on guest time
# (make bench): a boot's instruction counts then do not depend on the hour it runs at,
# which the time of day printed and computed at boot otherwise moves by a few hundred.
# The machine always has one NIC, a virtio-net-device on virtio-mmio behind QEMU's user
# network with restrict=on: no packet leaves the host, and the only ways in and out are the
# forwards named here. Modern virtio-mmio (virtio 1.x, force-legacy=false): the driver
# (DEV, docs/net.md) speaks only the standard's version 2 transport, whose queues are
# given by 64-bit addresses, not the legacy page-frame numbers.
# --hostfwd [tcp:|udp:]HOSTPORT:GUESTPORT: TCP (or UDP) to 127.0.0.1:HOSTPORT on the host
# reaches the guest's GUESTPORT (bound to 127.0.0.1 only, never another host address).
# --guestfwd GUESTPORT:COMMAND: a TCP connection from the guest to 10.0.2.100:GUESTPORT
# runs COMMAND on the host with the connection on its standard input and output (a
# command that talks to a 127.0.0.1 service, e.g. `nc 127.0.0.1 8080`).
# --el2 starts the CPUs at EL2 (virtualization=on), as boot loaders on hardware do.
# With --gdb, QEMU waits for gdb-multiarch on localhost:1234 (see build/gdbinit).
# --trace-ram backs guest RAM with a shared file that the host console (tools/console,
# docs/console.md) maps to read the kernel's trace rings: the file, /dev/shm/xinim-ram.PID,
# is removed as soon as it is open, and QEMU gets it as /proc/self/fd/4, so it is gone
# whenever QEMU ends; the console finds it as /proc/QEMU_PID/fd/4.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build smp=4 mem=512M gic=2 append="" gdb="" icount="" machine=virt extra="" ram=""
fixed_rtc=""
kernel="" initrd=""
netdev=user,id=n0,restrict=on
port() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--gic) gic=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--extra-rootfs) extra=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--fixed-rtc) fixed_rtc=1; shift ;;
	--el2) machine=virt,virtualization=on; shift ;;
	--gdb) gdb=1; shift ;;
	--trace-ram) ram=1; shift ;;
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--hostfwd)
		protocol=tcp ports=$2
		case $ports in tcp:* | udp:*) protocol=${ports%%:*} ports=${ports#*:} ;; esac
		port "${ports%%:*}" && port "${ports#*:}" ||
			{ echo "run.sh: --hostfwd wants [tcp:|udp:]HOSTPORT:GUESTPORT, not $2" >&2; exit 2; }
		netdev+=",hostfwd=$protocol:127.0.0.1:${ports%%:*}-:${ports#*:}"; shift 2 ;;
	--guestfwd)
		port "${2%%:*}" && [ "${2#*:}" != "$2" ] && [ -n "${2#*:}" ] ||
			{ echo "run.sh: --guestfwd wants GUESTPORT:COMMAND, not $2" >&2; exit 2; }
		command=${2#*:}
		netdev+=",guestfwd=tcp:10.0.2.100:${2%%:*}-cmd:${command//,/,,}"; shift 2 ;;	# a comma is doubled in QEMU's options
	--) shift; break ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

# open_unlinked PATH FD: a file without a name. PATH is created, opened read-write on
# descriptor FD and removed at once, so that however run.sh or QEMU ends (even by
# SIGKILL) nothing is left behind; the trap covers the moment the file has its name.
# QEMU reaches it as /proc/self/fd/FD.
open_unlinked() {
	unlinked=$1
	trap 'rm -f "$unlinked"' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	: >"$1"
	eval "exec $2<>\"\$1\""
	rm -f "$1"
	trap - EXIT HUP INT TERM
}

kernel=${kernel:-$build/kernel/Image}
initrd=${initrd:-$build/boot/initrd.cpio}
if [ -n "$extra" ]; then
	[ -d "$extra" ] || { echo "run.sh: EXTRA_ROOTFS $extra is not a directory" >&2; exit 2; }
	# The combined archive, written through descriptor 3: QEMU reads the whole initrd at
	# start.
	open_unlinked "$build/boot/initrd-extra.$$" 3
	cat "$initrd" >&3
	# Through a pipe: mkarchive.sh opening /dev/stdout on the file would truncate it.
	"$top/boot/mkarchive.sh" /dev/stdout "$(cd "$extra" && pwd)" | cat >&3
	initrd=/proc/self/fd/3
fi

# Guest RAM in a file without a name too (--trace-ram). A tmpfs smaller than the guest's RAM (a container's 64 MiB /dev/shm) would end QEMU
# with SIGBUS once the guest touches past it: then RAM stays private.
if [ -n "$ram" ]; then
	need=$(numfmt --from=iec "${mem%B}")
	free=$(df --output=avail -B1 /dev/shm 2>/dev/null | tail -n 1 || echo 0)
	if [ "${free:-0}" -lt "$need" ]; then
		echo "run.sh: /dev/shm has $((free / 1048576)) MiB free, less than the guest's $mem:" \
			"no --trace-ram, the host console cannot attach" >&2
		ram=""
	fi
fi
if [ -n "$ram" ]; then
	open_unlinked "/dev/shm/xinim-ram.$$" 4
	machine=$machine,memory-backend=ram
	set -- -object "memory-backend-file,id=ram,size=$mem,mem-path=/proc/self/fd/4,share=on" "$@"
fi

args=(-M "$machine,gic-version=$gic" -cpu cortex-a72 -smp "$smp" -m "$mem" -nographic
      -netdev "$netdev" -device virtio-net-device,netdev=n0 -global virtio-mmio.force-legacy=false
      -kernel "$kernel" -initrd "$initrd" -append "$append")
[ -n "$icount" ] && args+=(-icount shift=0,sleep=off)
[ -n "$fixed_rtc" ] && args+=(-rtc base=2026-01-01T00:00:00,clock=vm)
if [ -n "$gdb" ]; then
	cat >"$build/gdbinit" <<GDB
set architecture aarch64
file $build/kernel/xinim.elf
target remote localhost:1234
GDB
	echo "QEMU waits for gdb: in another terminal run  gdb-multiarch -x $build/gdbinit" >&2
	args+=(-s -S)
fi
# exec: QEMU gets run.sh's signals itself, and its exit status is run.sh's.
exec qemu-system-aarch64 "${args[@]}" "$@"
