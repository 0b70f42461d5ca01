#!/usr/bin/env bash
# Shared memory (docs/processes.md): init=/bin/shared_memory checks a MAP_SHARED page
# across fork, System V segments across fork and after IPC_RMID, mremap, mincore, mlock
# and msync; and every frame comes back once init has ended.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/shared_memory"
expect '^shared_memory: a MAP_SHARED page written by a child is seen by the parent: ok$' \
	"MAP_SHARED anonymous memory is shared across fork"
expect '^shared_memory: a MAP_PRIVATE page written by a child is not: ok$' \
	"MAP_PRIVATE stays copy-on-write"
expect '^shared_memory: a forked child has the segment attached, attaches it again, and its write is the parent.s: ok$' \
	"a System V segment is inherited across fork and shared"
expect '^shared_memory: IPC_STAT: size, one attachment once the child is gone, mode, creator: ok$' \
	"IPC_STAT reports the segment"
expect '^shared_memory: a write to a SHM_RDONLY attachment is SIGSEGV: ok$' "SHM_RDONLY"
expect '^shared_memory: the last shmdt destroys a removed segment: ok$' "IPC_RMID, then shmdt"
expect '^shared_memory: a segment.s memory is taken at shmget and comes back at IPC_RMID: ok$' \
	"a segment's memory comes back"
expect '^shared_memory: mremap growth moves and keeps the contents, the new pages zero: ok$' \
	"mremap growth keeps the contents"
expect '^shared_memory: mincore: the touched pages and only them: ok$' "mincore"
expect '^shared_memory: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
expect_memory_back
finish
