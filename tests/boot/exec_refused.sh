#!/usr/bin/env bash
# execve refuses malformed programs and the caller goes on: EXTRA_ROOTFS puts in /elf a
# copy of hello-musl broken in each way (truncated, wrong class or machine, overlapping
# segments, huge sizes), plus files that are no program at all; /bin/exec_refused runs as
# init, tries each, then execs hello-musl, which must take over PID 1 and exit 0.
source "$(dirname "$0")/lib.sh"
good=$build/userland/bin/hello-musl
elf=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$elf"' EXIT
mkdir "$elf/elf"

# put FILE OFFSET BYTES VALUE: VALUE written little-endian over BYTES bytes at OFFSET.
put() {
	local escaped="" i
	for ((i = 0; i < $3; i++)); do
		escaped+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 0xff)))
	done
	printf "$escaped" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# get FILE OFFSET BYTES: the little-endian number there.
get() { od -An -j "$2" -N "$3" -t "u$3" "$1" | tr -d ' '; }

# broken NAME: a fresh copy of the good program to break.
broken() { cp "$good" "$elf/elf/$1"; echo "$elf/elf/$1"; }

phoff=$(get "$good" 32 8)
phnum=$(get "$good" 56 2)
loads=()
for ((i = 0; i < phnum; i++)); do
	[ "$(get "$good" $((phoff + 56 * i)) 4)" = 1 ] && loads+=($((phoff + 56 * i)))
done
what="hello-musl has two loadable segments to break"
check test "${#loads[@]}" -ge 2
first=${loads[0]} second=${loads[1]}

: >"$elf/elf/empty"
echo "this is not a program" >"$elf/elf/not-elf"
head -c 40 "$good" >"$elf/elf/truncated-header"
head -c 8192 "$good" >"$elf/elf/truncated-segments"
chmod 755 "$elf"/elf/*	# executable, so that only their contents are wrong
put "$(broken 32-bit)" 4 1 1
put "$(broken wrong-machine)" 18 2 62				# EM_X86_64
put "$(broken huge-phnum)" 56 2 65535
put "$(broken huge-file-size)" $((first + 32)) 8 0x7fffffffffff0000	# p_filesz
put "$(broken huge-segment)" $((first + 40)) 8 0x7fffffffffff0000	# p_memsz
put "$(broken overlapping-segments)" $((second + 16)) 8 "$(get "$good" $((first + 16)) 8)"	# p_vaddr
chmod 644 "$(broken not-executable)"
high=$(broken above-4-gib)	# every segment and the entry 4 GiB higher: linked there
put "$high" 24 8 $(($(get "$good" 24 8) + (1 << 32)))
for at in "${loads[@]}"; do
	put "$high" $((at + 16)) 8 $(($(get "$good" $((at + 16)) 8) + (1 << 32)))
done

boot "$hard_stop" '^pm: process 1 \([a-z_-]+\) exited with status [0-9]+$' \
	--append "init=/bin/exec_refused" --extra-rootfs "$elf"
for name in empty not-elf truncated-header truncated-segments 32-bit wrong-machine huge-phnum \
	huge-file-size; do
	expect "^execve /elf/$name: Exec format error \\(want Exec format error\\): ok$" "$name: -ENOEXEC"
done
for name in huge-segment overlapping-segments; do
	expect "^execve /elf/$name: Invalid argument \\(want Invalid argument\\): ok$" "$name: -EINVAL"
done
expect '^execve /elf/above-4-gib: Out of memory .*: ok$' \
	"a program linked at 4 GiB: -ENOMEM before the point of no return"
expect '^execve /elf/not-executable: Permission denied .*: ok$' "a file without x permission: -EACCES"
expect '^execve /elf: Permission denied .*: ok$' "a directory: -EACCES"
expect '^execve /elf/missing: No such file or directory .*: ok$' "a missing file: -ENOENT"
expect '^execve a bad path pointer: Bad address .*: ok$' "a bad path pointer: -EFAULT"
expect '^execve a bad argv pointer: Bad address .*: ok$' "a bad argv pointer: -EFAULT"
expect '^execve an argument of 128 KiB and its NUL: Argument list too long .*: ok$' \
	"a string longer than Linux's MAX_ARG_STRLEN: -E2BIG"
expect '^execve 17 arguments of 128 KiB: Argument list too long .*: ok$' \
	"more than 2 MiB of arguments: -E2BIG"
expect '^still running as pid 1: ok$' "after every refusal the caller runs on, unchanged"
expect '^0 failures; now execve /bin/hello-musl$' "every refusal was the right one"
expect '^hello from /bin/hello-musl \(5003 arguments\): pid 1$' \
	"a good execve replaces the program, same PID, new arguments (5003, one of 128 KiB)"
expect '^/bin/hello-musl: 0 failures$' "the new program works"
expect '^pm: process 1 \(hello-musl\) exited with status 0$' "PM logs the new program's exit"
expect_none 'panic|killed|FAILED' "nothing panicked, was killed or failed"
finish
