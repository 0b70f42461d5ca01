#include <kernel/arch/aarch64/esr.h>
#include <kernel/console.h>
#include <kernel/fault.h>
#include <kernel/proc.h>

enum { EC_UNKNOWN = 0x00 };

void fault_user(const struct trapframe *frame)
{
	struct proc *proc = proc_current();
	int level;
	const char *fault = esr_fault_name(frame->esr, &level);
	const char *access = esr_access(frame->esr);
	const char *what = ESR_EC(frame->esr) == EC_UNKNOWN ? "undefined instruction"
							    : esr_class_name(frame->esr);
	if (fault && level >= 0)
		klog("proc %u (%s): %s %s (level %d) at %lx addr %lx, killed", proc->pid, proc->name,
		     access ? access : "fetch", fault, level, frame->elr, frame->far);
	else if (fault)
		klog("proc %u (%s): %s %s at %lx addr %lx, killed", proc->pid, proc->name,
		     access ? access : "fetch", fault, frame->elr, frame->far);
	else
		klog("proc %u (%s): %s at %lx addr %lx, killed", proc->pid, proc->name, what,
		     frame->elr, frame->far);
	proc_end();
}
