#!/usr/bin/env bash
# Mounts (docs/vfs.md): init=/bin/mounts checks the boot's /proc and /tmp, mount and
# umount2's errors (ENODEV, ENOENT, ENOTDIR, EINVAL, EBUSY, a user's EPERM) and a tmpfs
# of 1 MiB that fills while the root has room; the same again with VFS killed at one of
# its requests in each boot (KILLS); then BusyBox's mount, df and umount print and change
# the table; then BusyBox init's rcS leaves the boot's mounts as they are.
source "$(dirname "$0")/lib.sh"
KILLS=${KILLS:-crash:32 midway:36 crash:44 midway:48 crash:56 midway:60 crash:64 midway:68 crash:76 midway:80 crash:84}
extra=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$extra"' EXIT

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/mounts"
expect_checks mounts <<'CHECKS'
/tmp and /proc: devices of their own
/proc/mounts lists /, /proc and /tmp
an unknown type: ENODEV
no target: ENOENT
a file as target: ENOTDIR
a bad option: EINVAL
umount of no mount point: EINVAL
umount2's unknown flag: EINVAL
umount of a working directory's mount: EBUSY
a user's mount and umount: EPERM
mount a tmpfs of 1 MiB
statfs: 256 blocks of 4 KiB
its own device
filled: ENOSPC
the root still has room
umount while a file is open: EBUSY
umount: the directory beneath again
CHECKS
expect '^mounts: 0 failures$' "every check passed"
expect_none 'panic|FAILED' "no panic, no failed check"

# The same with VFS killed at its Nth request, as it starts or half way through its
# changes (docs/resurrection.md): a mount, a write, an umount given again to the next
# VFS is answered as the first would have answered it; the program sees nothing.
for inject in $KILLS; do
	boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/mounts inject=vfs:$inject"
	expect '^rs: vfs \(pid [0-9]+\) died: .*; restarted as generation 2 ' \
		"vfs:$inject: VFS died and RS restarted it"
	expect '^mounts: 0 failures$' "vfs:$inject: every check passed"
	expect_none 'panic|FAILED|did not check out' "vfs:$inject: no panic, no refused state"
done

mkdir -p "$extra/x"
cat >"$extra/x/mounts.sh" <<'SCRIPT'
#!/bin/sh
mkdir -p /mnt
mount -t tmpfs -o size=1m,mode=755 scratch /mnt && echo mounted
mount
df /mnt | tail -1
umount /mnt && echo unmounted
mount | grep -c scratch
df | tail -n +2
SCRIPT
chmod 755 "$extra/x/mounts.sh"
boot "$hard_stop" '; powering off$|^panic' --append "init=/x/mounts.sh" --extra-rootfs "$extra"
expect '^mounted$' "mount -t tmpfs -o size=1m"
expect '^tmpfs on / type tmpfs \(rw,relatime\)$' "mount lists /"
expect '^proc on /proc type proc \(rw,nosuid,nodev,noexec,relatime\)$' "mount lists /proc"
expect '^tmpfs on /tmp type tmpfs \(rw,nosuid,nodev,relatime\)$' "mount lists /tmp"
expect '^scratch on /mnt type tmpfs \(rw,relatime,size=1024k,mode=755\)$' "mount lists /mnt with its options"
expect '^scratch +1024 +0 +1024 +0% /mnt$' "df of the 1 MiB tmpfs"
expect '^unmounted$' "umount"
expect '^0$' "gone from the table"
expect '^tmpfs +[1-9][0-9]+ +[0-9]+ +[1-9][0-9]+ +[0-9]+% /$' "df: the root"
expect '^tmpfs +[1-9][0-9]+ +[0-9]+ +[1-9][0-9]+ +[0-9]+% /tmp$' "df: /tmp"
expect '^init exited with status 0; powering off$' "the script ended"
expect_none 'panic|killed by SIGSEGV|hung' "no panic, no crash, no hang"

# BusyBox init's rcS mounts /proc and /tmp only if they are not mounted yet.
mkdir -p "$extra/etc"
printf '%s\n' '::sysinit:/etc/init.d/rcS' "::once:/bin/sh -c 'cat /proc/mounts; poweroff -f'" \
	>"$extra/etc/inittab"
boot_until_off --extra-rootfs "$extra"
expect_count '^proc /proc proc ' 1 "after rcS, /proc is mounted once"
expect_count '^tmpfs /tmp tmpfs ' 1 "after rcS, /tmp is mounted once"
finish
