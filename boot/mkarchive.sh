#!/bin/sh
# Builds the boot archive: mkarchive.sh OUT.cpio DIR... (later trees overlay earlier ones).
# Reproducible: sorted names, owner root, fixed times.
set -eu
out=$1
shift
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
for dir in "$@"; do
	cp -a "$dir"/. "$stage"/
done
(cd "$stage" && find . -mindepth 1 -exec touch -h -d @0 {} + &&
	find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) >"$out"
