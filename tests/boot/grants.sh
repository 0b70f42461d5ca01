#!/usr/bin/env bash
# Grants (docs/net.md, Grants): a server grants a parked caller's buffer to a second
# process, which reads and writes it through the grants; every refusal (not the grantee,
# an access the grant has not, past its range, a handle that is not one, more grants on
# a call than allowed) gets its error, and a grant ends by GRANT_END and by the answer to
# the call it names.
source "$(dirname "$0")/lib.sh"
exits='proc [0-9]+ \(grant_(caller|grantee)\): (exit status -?[0-9]+|.*killed)$'

boot_n "$hard_stop" 2 "$exits" --append run=grant_server,grant_caller,grant_grantee
expect '^grant_server: granted 8192 bytes of [0-9a-f]+.s call to [0-9a-f]+: 0 wrong$' \
	"the server made the grants and GRANT_MAKE refused what it must"
expect '^grant_grantee: [0-9]+ checks, 0 wrong$' \
	"the grantee copied both ways, was refused what it must, and saw both grants end"
expect '^grant_caller: answered 0; the buffer holds "WRITTEN grant_caller": right$' \
	"the caller's buffer holds what the grantee wrote, the rest as it was"
expect_count 'proc [0-9]+ \(grant_(caller|grantee)\): exit status 0$' 2 "both exited with status 0"
expect_none 'WRONG|panic|killed' "nothing went wrong, panicked or was killed"
finish
