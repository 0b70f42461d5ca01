// CPU affinity (sched_setaffinity(2)), with Linux 6.1's checks and answers for a machine
// of CPUS CPUs whose cpumask is one unsigned long (8 bytes). The kernel keeps each
// thread's CPUs and runs it only there (KCALL_THREAD_AFFINITY); fork and clone hand them
// to the new thread, as Linux does. Nothing of it is PM's to keep.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define MASK_BYTES sizeof(uint64_t)	// Linux's cpumask_size() here

// The thread pid names (a TID, of any process; 0: the caller) and its process, or NULL.
static struct thread *named_thread(const struct xinim_syscall *call, int32_t pid,
				   const struct process **owner)
{
	struct thread *t = pid ? thread_at((unsigned)pid) : thread_of(call);
	const struct process *p = pid >= 0 && t && t->process ? process_of(t->process) : NULL;
	*owner = p;
	return p && !p->zombie ? t : NULL;
}

static long kernel_affinity(const struct thread *t, uint64_t cpus)
{
	return xinim_kcall3(KCALL_THREAD_AFFINITY, t->process, t->tid, (long)cpus);
}

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
	const struct process *p, *caller = process_of(call.caller);
	const struct thread *t = named_thread(&call, (int32_t)call.args[0], &p);
	if (!t || !caller)
		return -ESRCH;
	uint32_t euid = caller->creds.user.effective;
	if (euid != p->creds.user.effective && euid != p->creds.user.real &&
	    !credentials_privileged(caller))
		return -EPERM;	// check_same_owner, or CAP_SYS_NICE
	if (!(mask & CPUS_ALL))
		return -EINVAL;
	err = kernel_affinity(t, mask & CPUS_ALL);
	return err < 0 ? err : 0;
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
	const struct process *p;
	const struct thread *t = named_thread(&call, (int32_t)call.args[0], &p);
	long cpus = t ? kernel_affinity(t, 0) : -ESRCH;
	if (cpus < 0)
		return cpus;
	uint64_t mask = (uint64_t)cpus & CPUS_ALL;
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
