#!/bin/sh
# Builds the boot archive (cpio newc):
#   mkarchive.sh OUT.cpio [DIR | DEST=FILE | DEST->TARGET | @LIST->TARGET | DEST/]...
# A DIR's tree goes at the archive's root (later ones overlay earlier ones); DEST=FILE
# puts FILE at path DEST; DEST->TARGET makes DEST a symbolic link to TARGET, and
# @LIST->TARGET each path listed in the file LIST (a line each; # starts a comment line);
# DEST/ is an empty directory (mode 0755; tmp/ 1777, as Linux's /tmp).
# Reproducible: sorted names, owner root, fixed times.
set -eu
out=$1
shift
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# dash runs the EXIT trap on a signal only when the signal is trapped.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
link() {
	mkdir -p "$stage/$(dirname "$1")"
	ln -sfn "$2" "$stage/$1"
}
for item in "$@"; do
	case $item in
	@*'->'*)
		list=${item%%->*}
		grep -v '^#' "${list#@}" | while IFS= read -r dest; do
			link "$dest" "${item#*->}"
		done
		;;
	*'->'*) link "${item%%->*}" "${item#*->}" ;;
	*/)
		mkdir -p "$stage/$item"
		[ "$item" = tmp/ ] && chmod 1777 "$stage/$item"
		;;
	*=*)
		dest=${item%%=*}
		mkdir -p "$stage/$(dirname "$dest")"
		cp "${item#*=}" "$stage/$dest"
		;;
	*) cp -a "$item"/. "$stage"/ ;;
	esac
done
(cd "$stage" && find . -mindepth 1 -exec touch -h -d @0 {} + &&
	find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) >"$out"
