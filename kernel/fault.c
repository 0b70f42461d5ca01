#include <errno.h>
#include <stdbool.h>
#include <xinim/ipc/mm.h>
#include <kernel/arch/aarch64/esr.h>
#include <kernel/console.h>
#include <kernel/fault.h>
#include <kernel/ipc.h>
#include <xinim/format.h>
#include <kernel/proc.h>

static const char *access_name(uint64_t esr)
{
	const char *access = esr_access(esr);
	return access ? access : "fetch";
}


enum { EC_UNKNOWN = 0x00, EC_PC_ALIGNMENT = 0x22, EC_SP_ALIGNMENT = 0x26 };

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

int fault_resolve(const struct proc *proc, uint64_t address, unsigned access)
{
	if (!proc->managed)
		return -EFAULT;		// the kernel built it whole: nothing is missing
	struct xinim_mm_fault fault = { .who = proc->endpoint, .access = access, .address = address };
	struct xinim_msg reply;
	long err = ipc_kernel_call(XINIM_PID_MM, XINIM_MM_FAULT, &fault, sizeof(fault), &reply);
	return err || reply.header.type != 0 ? -EFAULT : 0;
}

void fault_user(const struct trapframe *frame)
{
	struct proc *proc = proc_current();
	unsigned paging = esr_page_fault(frame->esr);
	if (paging && fault_resolve(proc, frame->far, paging) == 0)
		return;		// mapped now: the instruction runs again
	int level;
	const char *fault = esr_fault_name(frame->esr, &level);
	const char *access = access_name(frame->esr);
	char reason[96], address[24] = "-";
	uint64_t at;
	if (fault && level >= 0)
		ksnprintf(reason, sizeof(reason), "%s %s (level %d)", access, fault, level);
	else if (fault)
		ksnprintf(reason, sizeof(reason), "%s %s", access, fault);
	else
		ksnprintf(reason, sizeof(reason), "%s", ESR_EC(frame->esr) == EC_UNKNOWN
						      ? "undefined instruction"
						      : esr_class_name(frame->esr));
	if (fault_address(frame, &at))
		ksnprintf(address, sizeof(address), "%lx", at);
	klog("proc %u (%s): %s at %lx addr %s, killed", proc->pid, proc->name, reason,
	     frame->elr, address);
	proc_end();
}
