// System calls no server serves yet: each answers -ENOSYS, is counted, and is named in
// the log the first time, so that a program's missing pieces are plain to see.
#include <errno.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/runtime.h>
#include "pm.h"

static uint64_t counts[XINIM_SYSCALL_NUMBERS + 1];	// the last: numbers past the table

long pm_unserved(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t slot = call.number < XINIM_SYSCALL_NUMBERS ? call.number : XINIM_SYSCALL_NUMBERS;
	const char *name = xinim_syscall_name(call.number);
	if (counts[slot]++ == 0)
		klog(LOGLEVEL_WARNING, "pm: system call %lu (%s) from process %u: not implemented, -ENOSYS\n",
		      (unsigned long)call.number, name ? name : "unknown", xinim_endpoint_pid(call.caller));
	return -ENOSYS;
}
