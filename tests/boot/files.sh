#!/usr/bin/env bash
# The writable tree (docs/vfs.md): init=/bin/files makes, writes, renames, links and
# removes files with Linux's errors, sets attributes, checks a user's permissions, and
# feeds VFS the bad input of issue 17: 255-byte names, ENAMETOOLONG, a tree 500 deep,
# 10,000 files in a directory, and a file that fills the memory (ENOSPC).
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/files"
while read -r line; do
	expect "^files: ${line}: ok\$" "$line"
done <<'CHECKS'
mkdir and chdir
a new file, written and appended to
O_EXCL refuses, O_TRUNC empties
a write past the end leaves a hole of zeros
ftruncate down and up again: zeros, not old bytes
a new file's mode less the umask, owned by its maker
times from the real clock
open's errors: EISDIR, ENOTDIR, ENOENT
rename moves the name
rename over a file replaces it
renameat2: NOREPLACE, EXCHANGE
rename's errors: EINVAL, EISDIR, ENOTDIR, ENOTEMPTY
a directory's links follow its subdirectories
rmdir's and unlink's errors
hard links
symbolic links, and O_CREAT through a dangling one
a removed file stays while open
O_TMPFILE, named by linkat
mknod: a FIFO; EPERM for a directory
chmod; chown clears set-user-ID
utimensat sets both times to the ns
UTIME_OMIT keeps one, UTIME_NOW sets the other
truncate; its errors
a user's permissions: EACCES, a sticky directory's EPERM, an owner's chmod
record locks: EAGAIN, then F_SETLKW waits for the holder's end; flock LOCK_NB
record locks: a wait that closes a cycle is EDEADLK; the other waiter goes on
a 255-byte name
256 bytes: ENAMETOOLONG
a path of 4096 bytes: ENAMETOOLONG
a tree 500 directories deep, and getcwd in it
10,000 files in a directory
all 10,000 removed while listed, then the directory
a file that fills the memory: ENOSPC
the tree still answers when full
its blocks come back when it is removed
CHECKS
expect '^files: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
finish
