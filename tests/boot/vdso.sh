#!/usr/bin/env bash
# The vDSO (docs/vdso.md): init=/bin/vdso checks AT_SYSINFO_EHDR and its symbols, each
# clock the vDSO serves against the system call, the real time after settimeofday and
# clock_settime, clock_getres, other clock ids, a bad pointer's SIGSEGV, the clock page's
# protection and names, a forked and an exec'ed program, and all again after PM's and
# MM's restarts. Then Debian's BusyBox (glibc, static: it calls the vDSO) tells the date.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/vdso"
expect_checks vdso <<'CHECKS'
AT_SYSINFO_EHDR: an ELF with __kernel_clock_gettime, _gettimeofday, _getres, _rt_sigreturn \(LINUX_2.6.39\), the last PM's default restorer
the clock page is ready: the vDSO reads the real time itself
CLOCK_REALTIME: the vDSO's time between two system calls', never back
CLOCK_MONOTONIC: the vDSO's time between two system calls', never back
CLOCK_MONOTONIC_RAW: the vDSO's time between two system calls', never back
CLOCK_REALTIME_COARSE: the vDSO's time between two system calls', never back
CLOCK_MONOTONIC_COARSE: the vDSO's time between two system calls', never back
CLOCK_BOOTTIME: the vDSO's time between two system calls', never back
CLOCK_TAI: the vDSO's time between two system calls', never back
clock_gettime, gettimeofday and time agree with the system call
__kernel_gettimeofday: the real time in us, the zone zero
settimeofday an hour ahead: the vDSO's CLOCK_REALTIME follows
clock_settime an hour ahead: the vDSO's CLOCK_REALTIME follows
__kernel_clock_getres: 1 ns, 10 ms for the coarse clocks, as the system call; NULL allowed
other clock ids: the system call's answer, the same errno
clock id 100: EINVAL from the vDSO and from clock_gettime
the CPU-time clocks through the system call
a bad pointer to the vDSO: SIGSEGV in the caller, as Linux
a bad pointer to the system call: EFAULT
the clock page: mprotect PROT_WRITE or PROT_EXEC EACCES, PROT_READ 0
/proc/self/maps: \[vdso\] at AT_SYSINFO_EHDR, r-x; \[vvar\] under it, read-only
a forked child: the vDSO works
an exec'ed program: its own vDSO works
CHECKS
for server in PM MM; do
	expect_checks vdso <<CHECKS
$server restarted
after $server's restart: the clock page is ready: the vDSO reads the real time itself
after $server's restart: CLOCK_REALTIME: the vDSO's time between two system calls', never back
after $server's restart: CLOCK_MONOTONIC: the vDSO's time between two system calls', never back
after $server's restart: clock_gettime, gettimeofday and time agree with the system call
after $server's restart: (settimeofday|clock_settime) an hour ahead: the vDSO's CLOCK_REALTIME follows
CHECKS
done
expect '^vdso: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/busybox date -u +DATE:%Y-%m-%dT%H:%M:%S"
expect '^DATE:20[2-9][0-9]-[01][0-9]-[0-3][0-9]T' "BusyBox's date (glibc, through the vDSO) tells the time"
expect '^init exited with status 0; powering off$' "date ended with status 0"
expect_none 'panic' "no panic"
finish
