#!/usr/bin/env bash
# Sealed IPC between programs on 4 CPUs: 10,000 checked calls across CPUs, replies
# deferred and given out of order, timeouts, a send without capability refused and
# traced, garbage ciphertext refused by the receiver, which goes on serving,
# notifications sealed by the kernel, user FP/SIMD state kept across the kernel's libsodium.
source "$(dirname "$0")/lib.sh"
exits='proc [0-9]+ \(ipc_[a-z]+\): (exit status -?[0-9]+|.*killed)$'
ok_exit() { expect_count "proc [0-9]+ \\($1\\): exit status 0$" "${2:-1}" "$1 exited with status 0"; }

echo "== 10,000 calls between CPUs"
boot "$hard_stop" "$exits" --append run=ipc_echo,ipc_client
expect '^ipc_echo: serving as 10008 on cpu 1$' "the server runs at PID 8, generation 1, on cpu 1"
expect '^ipc_client: 10000 calls from cpu 0 to the server on cpu 1: 0 failed, 0 mismatched; server saw 10000, 0 out of order \(stats 0\)$' \
	"10,000 calls from cpu 0, none lost, duplicated or out of order"
ok_exit ipc_client
expect_none 'panic|killed' "nothing panicked or was killed"

echo "== deferred replies, out of order, to three clients"
boot_n "$hard_stop" 3 "$exits" --append run=ipc_echo,ipc_defer,ipc_defer,ipc_defer
for token in 101 102 103; do
	expect "^ipc_defer $token: result 0, answer $((token * 3)): right$" "client $token got its own answer"
done
expect_count '^ipc_echo: deferred reply [123] to [0-9a-f]+, which came [123] of 3 \(token 10[123]\): 0$' 3 \
	"the server answered three deferred calls"
order=$(sed -nE 's/^ipc_echo: deferred reply [123] to [0-9a-f]+, which came ([123]) of 3.*/\1/p' "$log" | tr -d '\n')
what="the replies went out in another order than the calls came ($order)"
check test "$order" = 312
ok_exit ipc_defer 3

echo "== timeouts, refusals, garbage"
boot_n "$hard_stop" 6 "$exits" --append run=ipc_echo,ipc_timeout,ipc_denied,ipc_garbage,ipc_notify,ipc_badcalls,ipc_fpguard
expect '^ipc_timeout: call -110 after [0-9]+ us \(timeout 50000 us\); empty receive -110; next call 0$' \
	"a call the server never answers ends with -ETIMEDOUT, an empty receive too"
ok_exit ipc_timeout
expect '^ipc_denied: send -13, lookup -13, raw send -13; 1 denied sends from [0-9a-f]+ in the trace' \
	"sends without capability get -EACCES and the refusal is in the trace"
ok_exit ipc_denied
expect '^ipc_garbage: first call 0; garbage call 0 answered -74 from 10008; next call 0, server refused 1 bad tags$' \
	"garbage ciphertext is refused with -EBADMSG by the server, which goes on serving"
ok_exit ipc_garbage
expect '^ipc_notify: notify 0 0, empty notify -22; server got [12] notifications, bits 7 \(stats 0\)$' \
	"notifications reach the server sealed by the kernel, their bits ORed"
ok_exit ipc_notify
expect '^ipc_badcalls: 29 checks, 0 wrong$' \
	"bad pointers, headers, destinations and arguments to every IPC call get their errors"
ok_exit ipc_badcalls
expect '^ipc_fpguard: channel 0, key made, 32 of 32 vector registers kept$' \
	"the kernel's libsodium leaves a program's vector registers as they were"
ok_exit ipc_fpguard
expect_none 'panic|killed' "nothing panicked or was killed"

echo "== the same without sealing (ipc.seal=off, for measurement only)"
boot "$hard_stop" "$exits" --append 'run=ipc_echo,ipc_client ipc.seal=off'
expect '^\[ *[0-9.]+\] ipc: sealing is off' "the kernel says sealing is off"
expect '^ipc_client: 10000 calls .*: 0 failed, 0 mismatched; server saw 10000, 0 out of order' \
	"calls work unsealed"
finish
