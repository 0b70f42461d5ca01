// ppoll with no descriptors, the wait musl's pause() makes (AArch64 has no pause call):
// parked (wait.c) until a signal's handler is to run in the caller's thread (PM's
// XINIM_VFS_INTERRUPT: -EINTR, Linux's ERESTARTNOHAND) or its timeout passes (0).
// Waits for descriptors, and a signal mask given to ppoll, come with the next issue's
// fd layer (-ENOSYS; docs/syscalls.md).
#include <errno.h>
#include <time.h>
#include <xinim/ipc/vfs.h>
#include <xinim/runtime.h>
#include "vfs.h"

long vfs_ppoll(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timespec t;
	if (call.args[1] || call.args[3])
		return -ENOSYS;	// descriptors, a signal mask: the fd layer's
	if (call.args[2]) {
		long err = ipc_copy_from(call.caller, &t, call.args[2], sizeof(t));
		if (err)
			return err;
		if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
			return -EINVAL;
		uint64_t hz = counter_hz();
		uint64_t deadline = wait_since() + (uint64_t)t.tv_sec * hz +
				    (uint64_t)t.tv_nsec * hz / 1000000000;
		if (counter_ticks() >= deadline)
			return 0;	// the time has passed (or was 0)
		wait_until(deadline);
	}
	return wait_park(request, vfs_ppoll, NULL, -XINIM_ERESTARTNOHAND);
}

long vfs_interrupt(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_interrupt which;
	if (!pm_sent(request, &which, sizeof(which)))
		return -EPERM;
	wait_interrupt(which.who, which.tid);
	return 0;
}
