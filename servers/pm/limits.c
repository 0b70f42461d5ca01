// Resource limits (prlimit64, getrlimit, setrlimit), kept in each process's record and
// inherited at fork, with Linux 6.1's rules (kernel/sys.c, do_prlimit). Each is enforced
// where its resource lives: RLIMIT_NOFILE by VFS (told with the credentials),
// RLIMIT_AS and RLIMIT_DATA by MM (XINIM_MM_LIMITS), RLIMIT_STACK by execve (the stack
// region's size), RLIMIT_NPROC by fork (limits_fork). The others are recorded only.
#include <errno.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <xinim/ipc/mm.h>
#include "pm.h"

_Static_assert(LIMITS == RLIM_NLIMITS, "a process record holds every limit");
_Static_assert(sizeof(struct limit) == sizeof(struct rlimit), "struct limit is struct rlimit");

#define NR_OPEN (1024 * 1024)	// Linux's fs.nr_open: RLIMIT_NOFILE's highest hard limit
#define STACK_MIN (UINT64_C(128) << 10)
#define STACK_MAX (UINT64_C(1) << 30)	// RLIM_INFINITY's stack

// Whether caller may see and change target's limits (check_prlimit_permission): its
// real ids all of the caller's, or the caller privileged (CAP_SYS_RESOURCE).
static bool may_limit(const struct process *caller, const struct process *target)
{
	const struct ids *u = &target->creds.user, *g = &target->creds.group;
	uint32_t uid = caller->creds.user.real, gid = caller->creds.group.real;
	return caller == target || credentials_privileged(caller) ||
	       (u->real == uid && u->effective == uid && u->saved == uid && g->real == gid &&
		g->effective == gid && g->saved == gid);
}

// Whether caller may give target's resource the limit next (do_prlimit): 0, -EINVAL, -EPERM.
static long limit_check(const struct process *caller, const struct process *target,
			unsigned resource, const struct limit *next)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (!next)
		return 0;
	if (next->cur > next->max)
		return -EINVAL;
	if (resource == RLIMIT_NOFILE && next->max > NR_OPEN)
		return -EPERM;
	if (next->max > target->limits[resource].max && !credentials_privileged(caller))
		return -EPERM;	// raising a hard limit takes CAP_SYS_RESOURCE
	return 0;
}

long limits_tell_mm(const struct process *p)
{
	struct xinim_mm_limits told = { .who = p->self, .as = p->limits[RLIMIT_AS].cur,
					.data = p->limits[RLIMIT_DATA].cur };
	return server_call(XINIM_PID_MM, XINIM_MM_LIMITS, &told, sizeof(told));
}

// Sets target's resource to next (checked), and tells the server that enforces it.
static void limit_set(struct process *target, unsigned resource, const struct limit *next)
{
	process_change(target);
	target->limits[resource] = *next;
	if (!target->managed)
		return;	// a boot program: only recorded
	if (resource == RLIMIT_NOFILE)
		credentials_tell(target);
	if (resource == RLIMIT_AS || resource == RLIMIT_DATA)
		limits_tell_mm(target);
}

// One limit call of caller about target (NULL: no such process): the new limit from
// set_at (0: none), the old one to old_at (0: none).
static long limit_call(xinim_endpoint_t caller, struct process *target, unsigned resource,
		       uint64_t set_at, uint64_t old_at)
{
	struct limit next;
	long err = set_at ? ipc_copy_from(caller, &next, set_at, sizeof(next)) : 0;
	struct process *self = process_record(caller);
	if (!err && (!target || !self))
		err = -ESRCH;
	if (!err && !may_limit(self, target))
		err = -EPERM;
	if (!err)
		err = limit_check(self, target, resource, set_at ? &next : NULL);
	if (!err && old_at)
		err = ipc_copy_to(caller, old_at, &target->limits[resource], sizeof(next));
	if (!err && set_at)
		limit_set(target, resource, &next);
	return err;
}

long pm_prlimit64(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	// pid_t and unsigned int, as Linux takes them: the registers' upper bits are ignored.
	pid_t pid = (pid_t)call.args[0];
	struct process *target = !pid || (unsigned)pid == xinim_endpoint_pid(call.caller)
					 ? process_record(call.caller) : process_named(call.caller, pid);
	if (target && target->zombie)
		target = NULL;
	return limit_call(call.caller, target, (unsigned)call.args[1], call.args[2], call.args[3]);
}

long pm_getrlimit(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return limit_call(call.caller, process_record(call.caller), (unsigned)call.args[0], 0,
			  call.args[1]);
}

long pm_setrlimit(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return limit_call(call.caller, process_record(call.caller), (unsigned)call.args[0],
			  call.args[1], 0);
}

uint64_t limits_stack(const struct process *p)
{
	uint64_t size = p ? p->limits[RLIMIT_STACK].cur : STACK_SIZE;
	size = size < STACK_MIN ? STACK_MIN : size > STACK_MAX ? STACK_MAX : size;
	return size & ~(uint64_t)4095;
}

long limits_fork(const struct process *parent)
{
	uint32_t uid = parent->creds.user.real;
	if (uid == 0 || credentials_privileged(parent))
		return 0;	// root's user, CAP_SYS_RESOURCE, CAP_SYS_ADMIN
	uint64_t n = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		const struct process *p = process_at(pid);
		n += p->self && p->managed && p->creds.user.real == uid;
	}
	return n >= parent->limits[RLIMIT_NPROC].cur ? -EAGAIN : 0;
}
