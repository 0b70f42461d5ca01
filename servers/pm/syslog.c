// syslog(2) (glibc's and musl's klogctl; BusyBox dmesg): the kernel log's actions, made
// by the kernel (KCALL_SYSLOG) once PM has checked that the caller may, as Linux's
// check_syslog_permissions with dmesg_restrict 0: READ_ALL and SIZE_BUFFER are everyone's,
// the rest needs CAP_SYSLOG (an effective uid 0), -EPERM before any argument is looked
// at. The text comes to PM's buffer, then to the caller's. READ does not wait for a line
// when nothing is unread (Linux does): it returns 0. READ and READ_CLEAR take what they
// read: done again after a restart of PM, the second gives what came since.
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <xinim/klog.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "pm.h"

static char text[XINIM_LOG_SIZE];

static bool open_to_all(int action)
{
	return action == XINIM_SYSLOG_READ_ALL || action == XINIM_SYSLOG_SIZE_BUFFER;
}

static bool reads(int action)
{
	return action == XINIM_SYSLOG_READ || action == XINIM_SYSLOG_READ_ALL ||
	       action == XINIM_SYSLOG_READ_CLEAR;
}

long pm_syslog(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int action = (int)call.args[0], len = (int)call.args[2];	// ints, as Linux takes them
	uint64_t buffer = call.args[1];
	const struct process *p = process_of(call.caller);
	if (!open_to_all(action) && (!p || !credentials_privileged(p)))
		return -EPERM;
	if (action < 0 || action >= XINIM_SYSLOG_ACTIONS)
		return -EINVAL;
	if (!reads(action))
		return xinim_kcall3(KCALL_SYSLOG, action, 0, len);
	if (!buffer || len < 0)
		return -EINVAL;
	if (!len)
		return 0;
	size_t n = (size_t)len < sizeof(text) ? (size_t)len : sizeof(text);
	if (!xinim_access_ok(buffer, n))
		return -EFAULT;
	long got = xinim_kcall3(KCALL_SYSLOG, action, (long)text, (long)n);
	if (got <= 0)
		return got;
	long err = ipc_copy_to(call.caller, buffer, text, (size_t)got);
	return err ? err : got;
}
