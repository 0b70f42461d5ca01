// CPU affinity (sched_setaffinity(2)), with Linux 6.1's checks and answers for a machine
// of CPUS CPUs whose cpumask is one unsigned long (8 bytes). The mask is kept in the
// process's record and inherited at fork; the kernel does not pin the thread to it yet.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define MASK_BYTES sizeof(uint64_t)	// Linux's cpumask_size() here

// sched_setaffinity(pid, len, mask): a shorter mask is read as far as it goes, a longer
// one cut; -EINVAL when it names none of the CPUs, -EPERM for another user's process.
long pm_sched_setaffinity(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t mask = 0, length = (uint32_t)call.args[1];
	long err = ipc_copy_from(call.caller, &mask, call.args[2],
				 length < MASK_BYTES ? length : MASK_BYTES);
	if (err)
		return err;
	struct process *p = process_named(call.caller, (int32_t)call.args[0]);
	const struct process *caller = process_of(call.caller);
	if (!p || p->zombie || !caller)
		return -ESRCH;
	uint32_t euid = caller->creds.user.effective;
	if (euid != p->creds.user.effective && euid != p->creds.user.real &&
	    !credentials_privileged(caller))
		return -EPERM;	// check_same_owner, or CAP_SYS_NICE
	if (!(mask & CPUS_ALL))
		return -EINVAL;
	process_change(p);
	p->affinity = (mask & CPUS_ALL) == CPUS_ALL ? 0 : mask & CPUS_ALL;
	return 0;
}

// sched_getaffinity(pid, len, mask): the bytes written (MASK_BYTES); -EINVAL for a length
// that holds fewer bits than CPUs or is not a whole number of unsigned longs.
long pm_sched_getaffinity(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint32_t length = (uint32_t)call.args[1];
	if (length * 8 < CPUS || length % MASK_BYTES)
		return -EINVAL;
	const struct process *p = process_named(call.caller, (int32_t)call.args[0]);
	if (!p || p->zombie)
		return -ESRCH;
	uint64_t mask = p->affinity ? p->affinity : CPUS_ALL;
	long err = ipc_copy_to(call.caller, call.args[2], &mask, MASK_BYTES);
	return err ? err : (long)MASK_BYTES;
}

// getcpu(cpu, node, cache): the CPU the calling thread runs on (the kernel's word; it may
// move at any time after, as on Linux), node 0; either pointer may be NULL.
long pm_getcpu(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	long cpu = xinim_kcall(KCALL_THREAD_CPU, call.caller,
			       call.tid ? call.tid : xinim_endpoint_pid(call.caller));
	uint32_t values[2] = { cpu < 0 ? 0 : (uint32_t)cpu, 0 };
	for (unsigned i = 0; i < 2; i++)
		if (call.args[i] && ipc_copy_to(call.caller, call.args[i], &values[i], sizeof(values[i])))
			return -EFAULT;
	return 0;
}
