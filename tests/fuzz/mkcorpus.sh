#!/usr/bin/env bash
# Writes the seed corpora of the libFuzzer targets, tests/fuzz/corpus/{vfs,pm,mm,net}: small
# valid requests in the input format of driver.h, a few records each. The files are
# checked in; run this again after changing the format or the seeds. It writes its own
# seeds over and removes nothing: the inputs runs kept (named by their SHA-1, as
# libFuzzer names them) and findings' reproducers (pm/no-caller-getrandom) stay; a seed
# renamed here leaves its old file to remove by hand.
set -eu
out=$(cd "$(dirname "$0")" && pwd)/corpus
mkdir -p "$out"/vfs "$out"/pm "$out"/mm "$out"/net

# u64 VALUE: 8 bytes, little-endian, as printf escapes.
u64() {
	local v=$1 i s=""
	for ((i = 0; i < 8; i++)); do
		s+=$(printf '\\x%02x' $(((v >> (8 * i)) & 0xff)))
	done
	printf '%s' "$s"
}

# call KIND SELECT POINTERS ARGS...: a system call of the fuzz process (driver.h): KIND 0
# a served call, SELECT its index in the target's list; KIND 2 a number, SELECT it.
# POINTERS: the arguments that are offsets in the caller's memory (bit i: argument i).
call() {
	local kind=$1 select=$2 pointers=$3 s a
	shift 3
	s=$(printf '\\x%02x\\x%02x\\x%02x\\x00\\x%02x\\x00\\x00\\x00' "$kind" $((select & 0xff)) \
		$((select >> 8)) "$pointers")
	for a in "$@" 0 0 0 0 0 0 0 0; do s+=$(u64 "$a"); done
	printf '%s' "${s:0:$((72 * 4))}"	# 72 bytes, 4 characters each
}

# message TYPE-OFFSET LENGTH WORDS...: one of the server's messages from PM, its first 4
# bytes the fuzz process (who, target); with WHO=0 the words' own bytes.
message() {
	local type=$1 length=$2 s a
	shift 2
	s=$(printf '\\x03\\x%02x\\x%02x\\x00\\x00\\x%02x\\x00\\x00' "$type" "$length" "${WHO:-1}")
	for a in "$@" 0 0 0 0 0 0 0 0; do s+=$(u64 "$a"); done
	printf '%s' "${s:0:$((72 * 4))}"
}

# seed SERVER NAME RECORDS...
seed() {
	local file=$out/$1/$2
	shift 2
	printf '%b' "$(printf '%s' "$@")" >"$file"
}

# Offsets of the caller's memory (driver.c): strings every 64 bytes, buffers from 4096.
motd=0 etc=64 root=128 motd_link=192 loop=256 notes=320 null=384 zero=448 console=512
empty=576 not_dir=640 tool=832 buffer=4096 buffer2=8192
cwd=-100	# AT_FDCWD
# VFS: openat 0, close 1, read 2, write 3, readv 4, writev 5, pread64 6, pwrite64 7,
# lseek 8, fstat 9, newfstatat 10, getdents64 11, ioctl 12.
seed vfs open-read-close "$(call 0 0 2 $cwd $motd 0)" "$(call 0 2 2 3 $buffer 64)" "$(call 0 1 0 3)"
seed vfs getdents "$(call 0 0 2 $cwd $etc 0x4000)" "$(call 0 11 2 3 $buffer 4096)"
seed vfs stat-link "$(call 0 10 6 $cwd $motd_link $buffer 0x100)" "$(call 0 10 6 $cwd $motd_link $buffer 0)"
seed vfs console "$(call 0 9 2 1 $buffer)" "$(call 0 12 4 1 0x5401 $buffer)" "$(call 0 12 4 1 0x5413 $buffer)"
seed vfs write "$(call 0 3 2 1 $motd 9)" "$(call 0 5 2 1 $buffer 1)" "$(call 0 7 2 1 $motd 4 0)"
seed vfs zero "$(call 0 0 2 $cwd $zero 2)" "$(call 0 6 2 3 $buffer 100 5)" "$(call 0 8 0 3 10 0)"
seed vfs loop "$(call 0 0 2 $cwd $loop 0)" "$(call 0 0 2 $cwd $not_dir 0)" "$(call 0 0 2 $cwd $empty 0)"
seed vfs notes "$(call 0 0 2 $cwd $notes 0)" "$(call 0 4 2 3 $buffer 2)" "$(call 0 1 0 3)"
seed vfs dev "$(call 0 0 2 $cwd $null 2)" "$(call 0 3 2 3 $motd 9)" "$(call 0 0 2 $cwd $console 2)"
seed vfs proc-messages "$(message 0 8)" "$(message 1 8)" "$(call 0 9 2 1 $buffer)"
seed vfs unserved "$(call 2 17 1 $buffer 64)" "$(call 2 500 0)"
# Arguments Linux takes as int or unsigned int, with bit 32 set: Linux ignores it.
high=$((1 << 32))
seed vfs high-bits "$(call 0 9 2 $((high | 1)) $buffer)" "$(call 0 3 2 $((high | 1)) $motd 3)" \
	"$(call 0 12 4 $((high | 1)) $((high | 0x5401)) $buffer)" "$(call 0 0 2 $cwd $motd $high)" \
	"$(call 0 8 0 3 0 $high)" "$(call 0 1 0 $((high | 3)))"
# Counts of 2^63 and up (Linux: -EINVAL), every open flag (Linux: -EINVAL for O_TMPFILE).
seed vfs huge-count "$(call 0 0 2 $cwd $motd 0)" "$(call 0 2 2 3 $buffer $((1 << 63)))" \
	"$(call 0 3 2 1 $motd $((1 << 63)))" "$(call 0 0 2 $cwd $motd -1)"
# PM: getpid 0, getppid 1, gettid 2, getuid 3, geteuid 4, getgid 5, getegid 6, uname 7,
# set_tid_address 8, execve 9, exit 10, exit_group 11, clock_gettime 12, getrandom 13,
# rt_sigaction 14, rt_sigprocmask 15, prlimit64 16.
seed pm identity "$(call 0 0 0)" "$(call 0 1 0)" "$(call 0 2 0)" "$(call 0 3 0)" "$(call 0 7 1 $buffer)"
seed pm time "$(call 0 12 2 1 $buffer)" "$(call 0 12 2 0 $buffer)" "$(call 0 12 2 99 $buffer)"
seed pm random "$(call 0 13 1 $buffer 64 0)" "$(call 0 13 1 $buffer 65536 1)"
seed pm signals "$(call 0 14 6 2 $buffer $buffer2 8)" "$(call 0 15 6 0 $buffer $buffer2 8)" \
	"$(call 0 14 2 9 $buffer 0 8)"
seed pm limits "$(call 0 16 8 0 7 0 $buffer)" "$(call 0 16 4 0 7 $buffer 0)"
seed pm tid "$(call 0 8 1 $buffer)" "$(call 0 0 0)"
seed pm execve "$(call 0 9 1 $tool 0 0)" "$(call 0 9 3 $motd $buffer 0)"
seed pm exit "$(call 0 10 0 3)" "$(call 0 0 0)"
seed pm unserved "$(call 2 500 0)" "$(call 2 101 1 $buffer)" "$(call 2 220 0 17)"
seed pm high-bits "$(call 0 12 2 $((high | 1)) $buffer)" "$(call 0 13 1 $buffer 16 $high)" \
	"$(call 0 14 6 $((high | 2)) $buffer $buffer2 8)" "$(call 0 15 6 $high $buffer $buffer2 8)" \
	"$(call 0 16 8 $high 7 0 $buffer)" "$(call 0 16 8 0 $((high | 7)) 0 $buffer)"
# MM: brk 0, mmap 1, munmap 2, mprotect 3, madvise 4, mremap 5, ... shmdt 16; MM's messages: FAULT 0,
# EXEC_BEGIN 1, EXEC_REGION 2, EXEC_WRITE 3, EXEC_BRK 4, RELEASE 5.
fixed=0x10000000
seed mm mmap "$(call 0 1 0 0 8192 3 0x22 -1 0)" "$(call 0 1 0 $fixed 16384 3 0x32 -1 0)"
seed mm protect "$(call 0 1 0 $fixed 16384 3 0x32 -1 0)" "$(call 0 3 0 $fixed 4096 1)" \
	"$(call 0 2 0 $((fixed + 4096)) 4096)" "$(call 0 4 0 $fixed 8192 4)"
seed mm brk "$(call 0 0 0 0)" "$(call 0 0 0 0x500000)" "$(call 0 0 0 0x400000)"
seed mm fault "$(call 0 1 0 $fixed 16384 3 0x32 -1 0)" "$(message 0 16 $((2 << 32)) $fixed)"
seed mm exec "$(message 1 32)" "$(message 2 32 $((5 << 32)) 0x200000 8192)" \
	"$(message 3 32 0 0x200000 64 $buffer)" "$(message 4 32 0 0x300000)"
seed mm release "$(message 5 32)" "$(call 0 1 0 0 4096 3 0x22 -1 0)"
seed mm high-bits "$(call 0 1 0 0 4096 3 $((high | 0x22)) $((high | 0xffffffff)) 0)" \
	"$(call 0 1 0 0 4096 $((high | 3)) 0x22 -1 0)" "$(call 0 1 0 $fixed 8192 3 0x32 -1 0)" \
	"$(call 0 4 0 $fixed 4096 $((high | 4)))" "$(call 0 3 0 $fixed 4096 $((high | 1)))"
# What Linux checks in mmap and madvise: an unaligned offset (-EINVAL), MAP_SHARED_VALIDATE
# (accepted), an unknown advice (-EINVAL).
seed mm linux-checks "$(call 0 1 0 0 4096 1 0x22 -1 100)" "$(call 0 1 0 0 4096 3 0x23 -1 0)" \
	"$(call 0 1 0 $fixed 8192 3 0x32 -1 0)" "$(call 0 4 0 $fixed 4096 999)"
# NET: messages from VFS (WHO=0: the payload as written), the eighth word the steering of
# fuzz_net.c (struct steer): the input's socket (byte 0), pointers (1), grants (2), ioctl
# request (3), the segments' seed (4-7). Types: SOCKET 0, CLOSE 1, BIND 2, LISTEN 3,
# ACCEPT 4, CONNECT 5, SEND 6, RECEIVE 7, SHUTDOWN 8, NAME 9, SETOPT 10, GETOPT 11,
# IOCTL 12, EVENTS 13, PROC 14.
# steer SOCKET GRANTS REQUEST SEED
steer() { echo $(($1 | $2 << 16 | $3 << 24 | $4 << 32)); }
# net TYPE LENGTH STEER WORDS...: at most 7 words before the steering.
net() {
	local type=$1 length=$2 steering=$3 words=()
	shift 3
	words=("$@" 0 0 0 0 0 0 0)
	WHO=0 message "$type" "$length" "${words[@]:0:7}" "$steering"
}
# sin PORT [HOST]: a sockaddr_in's first 8 bytes for 127.0.0.HOST:PORT (HOST 1 by default),
# as a word.
sin() { echo $((2 | ($1 >> 8) << 16 | ($1 & 0xff) << 24 | 0x7f << 32 | ${2:-1} << 56)); }
stream=$((2 | 1 << 32)) dgram=$((2 | 2 << 32)) addr16=$((16 << 32)) lo=1024
tcp_socket=$(net 0 12 0 $stream)
seed net tcp-loopback "$tcp_socket" "$(net 2 24 0 $addr16 "$(sin 5555)")" "$(net 3 8 0 $((4 << 32)))" \
	"$tcp_socket" "$(net 5 24 1 $addr16 "$(sin 5555)")" "$(net 4 8 0 0)" \
	"$(net 6 48 "$(steer 1 0 0 7)" 0 $buffer 1)" "$(net 7 48 "$(steer 2 0 0 9)" 0 $buffer 2)"
seed net udp "$(net 0 12 0 $dgram)" "$(net 2 24 0 $addr16 "$(sin 6000)")" "$(net 0 12 0 $dgram)" \
	"$(net 6 48 "$(steer 1 0 0 3)" 0 $buffer $((1 | 16 << 32)) 0 "$(sin 6000)")" \
	"$(net 7 48 "$(steer 0 0 0 5)" 0 $buffer $((1 | 16 << 32)))" "$(net 9 8 0 $((1 << 32)))" \
	"$(net 5 24 1 $addr16 "$(sin 6000)")" "$(net 8 8 1 $((2 << 32)))"
# option LEVEL NAME LENGTH: the words of a struct xinim_net_option before its value.
option() { echo $(($1 << 32)) $(($2 | $3 << 32)); }
seed net options "$tcp_socket" "$(net 10 48 0 $(option 1 2 4) 1)" "$(net 10 48 0 $(option 1 13 8) 1)" \
	"$(net 11 48 0 $(option 1 4 4))" "$(net 10 48 0 $(option 1 8 4) 1000)" \
	"$(net 11 48 0 $(option 6 1 4))" "$(net 11 48 0 $(option 1 13 8))" "$(net 10 48 0 $(option 6 1 4) 1)"
seed net ioctls "$tcp_socket" "$(net 12 24 "$(steer 0 0 1 0)" 0 $lo 40)" \
	"$(net 12 24 "$(steer 0 0 3 0)" 0 $lo 40)" "$(net 12 24 "$(steer 0 0 0 0)" 0 $buffer 56)" \
	"$(net 12 24 "$(steer 0 0 17 0)" 0 $buffer 4)" "$(net 12 24 "$(steer 0 0 4 0)" 0 $lo 40)" \
	"$(net 12 24 "$(steer 0 0 11 0)" 0 $buffer 40)" "$(net 12 24 "$(steer 0 0 15 0)" 0 $buffer 120)"
seed net events-proc "$tcp_socket" "$(net 13 24 0 $buffer 16)" "$(net 14 24 0 $buffer $((2048 | 1 << 32)))" \
	"$(net 14 24 0 $buffer $((2048 | 2 << 32)) 100)" "$(net 1 8 0 0)" "$(net 13 24 0 $buffer 1)"
seed net bad "$(net 0 12 0 $((10 | 1 << 32)))" "$(net 0 12 0 $((2 | 3 << 32)))" "$tcp_socket" \
	"$(net 3 8 128 $((99 | 4 << 32)))" "$(net 2 4 0 $addr16)" "$(net 6 48 "$(steer 0 63 0 1)" 0 $buffer 17)" \
	"$(net 99 8 0 0)" "$(net 8 8 0 $((7 << 32)))"
# Found by fuzz_net: a second bind of a bound TCP socket (-EINVAL), then another's bind.
seed net bind-twice "$tcp_socket" "$(net 2 24 0 $addr16 "$(sin 5555 2)")" "$(net 2 24 0 $addr16 "$(sin 5555)")" \
	"$tcp_socket" "$(net 2 24 1 $addr16 "$(sin 5556)")"
