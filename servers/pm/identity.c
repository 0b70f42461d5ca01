// Identity: process and thread IDs, credentials, the system's name.
#define _GNU_SOURCE	// struct utsname's domainname
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <xinim/ipc/pm.h>
#include <xinim/runtime.h>
#include "pm.h"

// A process has one thread for now, whose ID is the process's; both are its PID.
static unsigned caller_pid(const struct ipc_request *request)
{
	return xinim_endpoint_pid(ipc_syscall_of(request).caller);
}

long pm_getpid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return caller_pid(request);
}

long pm_gettid(const struct ipc_request *request, struct xinim_msg *reply)
{
	return pm_getpid(request, reply);
}

// init, and the programs the kernel starts from the boot table, have no parent.
long pm_getppid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	const struct process *p = process_of(ipc_syscall_of(request).caller);
	return p && p->parent != XINIM_ENDPOINT_NONE ? xinim_endpoint_pid(p->parent) : 0;
}

long pm_set_tid_address(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *p = process_record(call.caller);
	if (p)
		p->clear_child_tid = call.args[0];	// cleared and woken at the thread's exit
	return caller_pid(request);
}

// The release names the Linux ABI programs may rely on (glibc refuses kernels older
// than it was built for).
static const struct utsname system_name = {
	.sysname = "XINIM", .nodename = "xinim", .release = "6.1.0-xinim",
	.version = "#1 SMP", .machine = "aarch64", .domainname = "(none)",
};

long pm_uname(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return ipc_copy_to(call.caller, call.args[0], &system_name, sizeof(system_name));
}
