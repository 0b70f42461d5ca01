#!/usr/bin/env bash
# Brings every Debian package XINIM needs. Idempotent and quiet when all is present.
#   host packages: installed with apt-get (needs root when something is missing)
#   arm64 packages: fetched with a private apt state and unpacked with dpkg -x into
#                   $SYSROOT, never installed system-wide (busybox-static:arm64 would
#                   replace the host's /bin/busybox).
# With --linux-image (make bench only, tools/bench_linux.sh), also Debian 12's arm64 kernel
# for the Linux reference: the linux-image-VERSION-arm64-unsigned that linux-image-arm64
# depends on; only its Image is unpacked, as $SYSROOT/boot/vmlinuz-VERSION-arm64, and the
# modules of the virtio-mmio NIC (virtio_mmio, virtio_net and what it needs), under
# $SYSROOT/lib/modules/VERSION-arm64.
# lwIP, which Debian ships only as a glibc shared library, comes as Debian's source package
# (apt-get source with a private deb-src state: apt checks the .dsc against the archive's
# signed index, dpkg-source the tarballs against the .dsc's sums as it unpacks them), unpacked unmodified into $SYSROOT/src/lwip-VERSION for
# NET (servers/net/lwip/CMakeLists.txt).
# Usage: tools/deps.sh [--linux-image] [SYSROOT]   (default: build/sysroot)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
linux_image=""
[ "${1:-}" = --linux-image ] && { linux_image=1; shift; }
sysroot=$(realpath -m "${1:-$top/build/sysroot}")

host_packages=(
	qemu-system-arm qemu-utils clang lld llvm cmake make cpio device-tree-compiler
	gdb-multiarch libsodium-dev libcmocka-dev libfdt-dev pkg-config
	libclang-rt-14-dev	# -fsanitize=fuzzer for make fuzz (tests/fuzz)
	gnuplot-nox	# make bench's picture (tools/bench_plot.sh)
)
arm64_packages=(
	musl-dev musl libsodium-dev libsodium23 libfdt-dev libfdt1 dietlibc-dev
	busybox-static libgcc-12-dev linux-libc-dev
)

log() { printf 'deps: %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
apt_update_once() {
	[ -n "$apt_updated" ] && return
	as_root apt-get update -qq >/dev/null
	apt_updated=1
}

install_host_packages() {
	local missing=()
	for p in "${host_packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	log "installing host packages: ${missing[*]}"
	apt_update_once
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# A private apt configuration that sees arm64 only and keeps its lists under $sysroot.
# arm64_apt [apt-cache] ARGS...: apt-get, or apt-cache, with it.
arm64_apt() {
	local state="$sysroot/.apt" tool=apt-get
	[ "$1" = apt-cache ] && { tool=apt-cache; shift; }
	"$tool" -q \
		-o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
		-o Dir::State="$state/state" -o Dir::State::status="$state/state/status" \
		-o Dir::Cache="$state/cache" -o Dir::Etc::SourceParts="$state/sources.list.d" \
		-o Dir::Etc::SourceList=/dev/null -o Debug::NoLocking=1 \
		-o APT::Sandbox::User=root "$@"
}

prepare_arm64_apt() {
	local state="$sysroot/.apt"
	mkdir -p "$state/state/lists/partial" "$state/cache/archives/partial" \
		"$state/sources.list.d" "$state/debs"
	touch "$state/state/status"
	# The host's sources, restricted to arm64.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		sed -e '/^Architectures:/d' -e 's/^Types: deb$/Types: deb\nArchitectures: arm64/' \
			"$f" >"$state/sources.list.d/$(basename "$f")"
	done
	if [ -s /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb [arch=arm64] /' \
			>"$state/sources.list.d/host.list" || true
	fi
	arm64_apt update -qq >/dev/null
}

install_arm64_packages() {
	local stamp="$sysroot/.deps-stamp" want="${arm64_packages[*]}"
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return
	log "fetching arm64 packages into $sysroot: $want"
	prepare_arm64_apt
	local debs="$sysroot/.apt/debs"
	(cd "$debs" && arm64_apt download "${arm64_packages[@]}" >/dev/null)
	for deb in "$debs"/*.deb; do
		dpkg -x "$deb" "$sysroot"
	done
	echo "$want" >"$stamp"
}

# Debian's lwIP source, as Debian ships it (its patches applied by dpkg-source), never
# edited: $sysroot/src/lwip-2.1.3.
lwip_version=2.1.3
fetch_lwip_source() {
	local dest="$sysroot/src/lwip-$lwip_version" state="$sysroot/.apt-src"
	[ -f "$dest/src/core/tcp.c" ] && return
	log "fetching Debian's lwip source package into $dest"
	mkdir -p "$state/state/lists/partial" "$state/cache/archives/partial" \
		"$state/sources.list.d" "$state/source"
	touch "$state/state/status"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		sed 's/^Types: deb$/Types: deb-src/' "$f" >"$state/sources.list.d/$(basename "$f")"
	done
	if [ -s /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
			>"$state/sources.list.d/host.list" || true
	fi
	local apt=(apt-get -q -o Dir::State="$state/state"
		-o Dir::State::status="$state/state/status" -o Dir::Cache="$state/cache"
		-o Dir::Etc::SourceParts="$state/sources.list.d" -o Dir::Etc::SourceList=/dev/null
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	"${apt[@]}" update -qq >/dev/null
	rm -rf "$state/source"/*
	(cd "$state/source" && "${apt[@]}" source --download-only lwip >/dev/null)
	local dsc
	dsc=$(compgen -G "$state/source/lwip_$lwip_version*.dsc" | head -n 1)
	[ -n "$dsc" ] || { log "no lwip $lwip_version source package"; exit 1; }
	mkdir -p "$sysroot/src"
	rm -rf "$dest.tmp"
	# The .dsc's uploader key is not on this host (no debian-keyring): its trust comes from
	# apt, which checked it against the archive's signed Sources index; dpkg-source checks
	# the tarballs against the .dsc's sums and fails on a mismatch.
	dpkg-source -x "$dsc" "$dest.tmp" >"$state/unpack.log" 2>&1 ||
		{ cat "$state/unpack.log" >&2; exit 1; }
	mv "$dest.tmp" "$dest"
}

# The kernel's package is 60 MB, its modules most of it: only ./boot/vmlinuz-* is kept,
# and the NIC's modules, which Debian does not build in (tools/bench_linux.sh loads them).
linux_modules=(kernel/net/core/failover.ko kernel/drivers/net/net_failover.ko
	       kernel/drivers/virtio/virtio_mmio.ko kernel/drivers/net/virtio_net.ko)
fetch_linux_image() {
	compgen -G "$sysroot/boot/vmlinuz-*-arm64" >/dev/null &&
		compgen -G "$sysroot/lib/modules/*-arm64/${linux_modules[-1]}" >/dev/null && return
	prepare_arm64_apt
	local package dir="$sysroot/.apt/linux"
	package=$(arm64_apt apt-cache depends linux-image-arm64 |
		sed -nE 's/^ *Depends: (linux-image-[0-9.]+-[0-9]+-arm64)$/\1-unsigned/p' | head -n 1)
	[ -n "$package" ] || { log "no linux-image-*-arm64 in the arm64 lists"; exit 1; }
	log "fetching $package into $sysroot (its Image and the NIC's modules)"
	mkdir -p "$dir"
	rm -f "$dir"/*.deb
	(cd "$dir" && arm64_apt download "$package" >/dev/null)
	dpkg-deb --fsys-tarfile "$dir"/*.deb | tar -x -C "$sysroot" --wildcards './boot/vmlinuz-*' \
		"${linux_modules[@]/#/./lib/modules/*/}"
	rm -f "$dir"/*.deb
}

install_host_packages
install_arm64_packages
fetch_lwip_source
[ -z "$linux_image" ] || fetch_linux_image
