// Identity: process and thread IDs, credentials, the system's name.
#define _GNU_SOURCE	// struct utsname's domainname
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <xinim/ipc/pm.h>
#include <xinim/runtime.h>
#include "pm.h"

static unsigned caller_pid(const struct ipc_request *request)
{
	return xinim_endpoint_pid(ipc_syscall_of(request).caller);
}

long pm_getpid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return caller_pid(request);
}

// The calling thread's ID (the kernel names it; its first thread's is its PID).
static unsigned caller_tid(const struct ipc_request *request)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	return call.tid ? call.tid : xinim_endpoint_pid(call.caller);
}

long pm_gettid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return caller_tid(request);
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
	struct thread *t = thread_of(&call);
	if (t) {
		thread_change(t);
		t->clear_child_tid = call.args[0];	// cleared and woken at the thread's exit
	}
	return caller_tid(request);
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
