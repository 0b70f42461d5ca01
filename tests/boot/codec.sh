#!/usr/bin/env bash
# The codec's own ChaCha20 (Advanced SIMD) and Poly1305 as the target runs them, against
# Debian's arm64 libsodium (userland/test/codec_check.c): keystreams of every block count
# to 64 KiB, tags of every whole-block length to 4 KiB, sealed messages of every length
# 0..64, every tampered byte and every replay refused.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/codec_check"
expect '^codec_check: 1025 of 1025 keystream lengths as libsodium.s$' "every keystream length"
expect '^codec_check: 771 of 771 tags as libsodium.s$' "every tag length"
while read -r line; do
	expect "^codec_check: ${line}: ok\$" "$line"
done <<'CHECKS'
ChaCha20 keystream of 0..1024 blocks \(0..64 KiB\) is libsodium's, nothing past it
Poly1305 of every whole-block length 0..4 KiB is libsodium's
a sealed message of every length 0..64 is libsodium's XChaCha20-Poly1305
each opens to its payload
every byte of header, payload or tag changed: refused, message and channel unchanged
each replayed: refused
CHECKS
expect '^codec_check: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
finish
