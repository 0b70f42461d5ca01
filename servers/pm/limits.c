// Resource limits (prlimit64): kept per process, reported as set; the servers that own
// each resource do not enforce them yet.
#include <errno.h>
#include <sys/resource.h>
#include <sys/types.h>
#include "pm.h"

struct limits {
	xinim_endpoint_t owner;
	struct rlimit limit[RLIM_NLIMITS];
};

static struct limits table[XINIM_PROCS_MAX];

// What a process starts with, as Linux gives init.
static void defaults(struct limits *l)
{
	for (unsigned r = 0; r < RLIM_NLIMITS; r++)
		l->limit[r] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	l->limit[RLIMIT_STACK].rlim_cur = 8 << 20;
	l->limit[RLIMIT_NOFILE] = (struct rlimit){ 128, 128 };	// VFS's fd table
	l->limit[RLIMIT_CORE].rlim_cur = 0;
	l->limit[RLIMIT_MEMLOCK] = (struct rlimit){ 8 << 20, 8 << 20 };
}

long pm_prlimit64(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	// pid_t and unsigned int, as Linux takes them: the registers' upper bits are ignored.
	pid_t pid = (pid_t)call.args[0];
	unsigned resource = (unsigned)call.args[1];
	uint64_t set = call.args[2], old = call.args[3];
	unsigned self = xinim_endpoint_pid(call.caller);
	if (pid && (pid < 0 || (unsigned)pid != self))
		return -ESRCH;	// other processes' limits come with the process tree
	if (resource >= RLIM_NLIMITS || self >= XINIM_PROCS_MAX)
		return -EINVAL;
	struct limits *l = &table[self];
	if (l->owner != call.caller) {
		l->owner = call.caller;
		defaults(l);
	}
	struct rlimit next;
	long err = set ? ipc_copy_from(call.caller, &next, set, sizeof(next)) : 0;
	if (!err && set && next.rlim_cur > next.rlim_max)
		err = -EINVAL;
	if (!err && old)
		err = ipc_copy_to(call.caller, old, &l->limit[resource], sizeof(next));
	if (!err && set)
		l->limit[resource] = next;
	return err;
}
