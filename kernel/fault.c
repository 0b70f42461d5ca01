#include <errno.h>
#include <stdbool.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/pm.h>
#include <kernel/arch/aarch64/esr.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/fault.h>
#include <kernel/ipc.h>
#include <xinim/format.h>
#include <kernel/proc.h>
#include <kernel/supervise.h>

static const char *access_name(uint64_t esr)
{
	const char *access = esr_access(esr);
	return access ? access : "fetch";
}


enum { EC_UNKNOWN = 0x00, EC_PC_ALIGNMENT = 0x22, EC_SP_ALIGNMENT = 0x26, SI_KERNEL = 0x80 };

// The address the fault is about, where the exception has one: FAR for aborts and a
// misaligned pc, sp for a misaligned stack.
static bool fault_address(const struct trapframe *frame, uint64_t *address)
{
	int level;
	unsigned ec = ESR_EC(frame->esr);
	*address = ec == EC_SP_ALIGNMENT ? frame->sp : frame->far;
	return esr_fault_name(frame->esr, &level) || ec == EC_PC_ALIGNMENT ||
	       ec == EC_SP_ALIGNMENT;
}

int fault_resolve(struct proc *proc, uint64_t address, unsigned access)
{
	if (!proc->managed)
		return -EFAULT;		// the kernel built it whole: nothing is missing
	int copied = access == XINIM_MM_WRITE ? aspace_copy_on_write(&proc->as, address) : -EAGAIN;
	if (copied != -EAGAIN)
		return copied;	// a copy-on-write page MM made writable already
	struct xinim_mm_fault fault = { .who = proc->endpoint, .access = access, .address = address };
	const struct xinim_msg *reply;
	long err = ipc_kernel_call(XINIM_PID_MM, XINIM_MM_FAULT, &fault, sizeof(fault), &reply);
	if (err)
		return err == -EINTR ? -EINTR : -EFAULT;
	return reply->header.type == -ENOMEM ? -ENOMEM : reply->header.type != 0 ? -EFAULT : 0;
}

// Tells PM, which made proc, of a signal the kernel raises for it: XINIM_DEATH_CAUGHT
// when its handler runs (PM made it pending), 0 when it ends, PM, VFS and MM forgetting it
// as after an exit. A call in the dying thread, as for its system calls.
static long death_notice(const struct proc *proc, enum xinim_pm_death_cause cause,
			 unsigned signal, int code, const struct trapframe *frame, uint64_t address)
{
	if (!proc->managed) {	// a boot program: PM does not know it; RS may
		supervise_ending(proc, &(struct xinim_death){
			.cause = (uint16_t)cause, .signal = (uint16_t)signal, .esr = frame->esr,
			.pc = frame->elr, .address = address });
		return 0;
	}
	struct xinim_pm_death death = { .who = proc->endpoint, .cause = (uint16_t)cause,
					 .signal = (uint16_t)signal, .esr = frame->esr,
					 .pc = frame->elr, .address = address, .code = code,
					 .tid = sched_current()->tid };
	const struct xinim_msg *reply;
	long err = ipc_kernel_call(XINIM_PID_PM, XINIM_PM_DEATH, &death, sizeof(death), &reply);
	return err ? 0 : reply->header.type;	// -EINTR: PM ended it already
}

// No frame for a page MM would have given: Linux's OOM killer sends SIGKILL.
static void out_of_memory(struct proc *proc, const struct trapframe *frame)
{
	klog(LOGLEVEL_ERR, "proc %u (%s): out of memory at %lx addr %lx, killed", proc->pid, proc->name,
	     frame->elr, frame->far);
	death_notice(proc, XINIM_DEATH_NO_MEMORY, XINIM_SIGKILL, 0, frame, frame->far);
	proc_end();
}

void fault_signal(const struct trapframe *frame, unsigned signal, int code, uint64_t address,
		  const char *reason)
{
	struct proc *proc = proc_current();
	if (death_notice(proc, XINIM_DEATH_FAULT, signal, code, frame, address) == XINIM_DEATH_CAUGHT)
		return;	// its handler runs on its way back to EL0
	char at[24] = "-";
	if (address || code != SI_KERNEL)
		ksnprintf(at, sizeof(at), "%lx", address);
	klog(LOGLEVEL_ERR, "proc %u (%s): %s at %lx addr %s, killed", proc->pid, proc->name, reason,
	     frame->elr, at);
	proc_end();
}

void fault_user(const struct trapframe *frame)
{
	struct proc *proc = proc_current();
	unsigned paging = esr_page_fault(frame->esr);
	int err = paging ? fault_resolve(proc, frame->far, paging) : -EFAULT;
	if (err == 0)
		return;		// mapped now: the instruction runs again
	if (err == -EINTR)
		proc_end();	// ended meanwhile (KCALL_PROC_END): no fault of its own
	if (err == -ENOMEM)
		out_of_memory(proc, frame);
	int level;
	const char *fault = esr_fault_name(frame->esr, &level);
	const char *access = access_name(frame->esr);
	char reason[96];
	uint64_t at;
	if (fault && level >= 0)
		ksnprintf(reason, sizeof(reason), "%s %s (level %d)", access, fault, level);
	else if (fault)
		ksnprintf(reason, sizeof(reason), "%s %s", access, fault);
	else
		ksnprintf(reason, sizeof(reason), "%s", ESR_EC(frame->esr) == EC_UNKNOWN
						      ? "undefined instruction"
						      : esr_class_name(frame->esr));
	bool has_address = fault_address(frame, &at);
	fault_signal(frame, esr_signal(frame->esr), has_address ? esr_signal_code(frame->esr) : SI_KERNEL,
		     has_address ? at : 0, reason);
}
