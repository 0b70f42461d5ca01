// Resource limits (prlimit64): kept in each process's record, reported as set; the
// servers that own each resource do not enforce them yet.
#include <errno.h>
#include <sys/resource.h>
#include <sys/types.h>
#include "pm.h"

_Static_assert(LIMITS == RLIM_NLIMITS, "a process record holds every limit");
_Static_assert(sizeof(struct limit) == sizeof(struct rlimit), "struct limit is struct rlimit");

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
	struct process *p = process_record(call.caller);
	struct limit next;
	long err = set ? ipc_copy_from(call.caller, &next, set, sizeof(next)) : 0;
	if (!err && set && next.cur > next.max)
		err = -EINVAL;
	if (!err && old)
		err = ipc_copy_to(call.caller, old, &p->limits[resource], sizeof(next));
	if (!err && set)
		p->limits[resource] = next;
	return err;
}
