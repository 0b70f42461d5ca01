// The process table, and starting and ending processes with the kernel, VFS and MM.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/vfs.h>
#include <xinim/runtime.h>
#include "pm.h"

static struct process processes[XINIM_PROCS_MAX];

struct process *process_of(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	return who && pid < XINIM_PROCS_MAX && processes[pid].self == who ? &processes[pid] : NULL;
}

long vfs_tell(int type, xinim_endpoint_t who, xinim_endpoint_t parent)
{
	struct xinim_vfs_proc proc = { .who = who, .parent = parent };
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	long vfs = ipc_lookup(XINIM_PID_VFS);
	return vfs < 0 ? vfs : ipc_call((xinim_endpoint_t)vfs, &msg, XINIM_WAIT_FOREVER);
}

long process_self_register(void)
{
	return vfs_tell(XINIM_VFS_PROC_START, ipc_self(), XINIM_ENDPOINT_NONE);
}

static void mm_release(xinim_endpoint_t who)
{
	struct xinim_mm_exec exec = { .target = who };
	struct xinim_msg msg = { .header = { .type = XINIM_MM_RELEASE, .length = sizeof(exec) } };
	memcpy(msg.payload, &exec, sizeof(exec));
	long mm = ipc_lookup(XINIM_PID_MM);
	if (mm >= 0)
		ipc_call((xinim_endpoint_t)mm, &msg, XINIM_WAIT_FOREVER);
}

// VFS, MM and the kernel forget the process, and so does PM.
static void process_forget(xinim_endpoint_t who)
{
	struct process *p = process_of(who);
	vfs_tell(XINIM_VFS_PROC_END, who, XINIM_ENDPOINT_NONE);
	mm_release(who);
	xinim_kcall(KCALL_PROC_END, who, 0);
	if (p)
		*p = (struct process){ 0 };
}

void process_end(xinim_endpoint_t who, int status)
{
	const struct process *p = process_of(who);
	print("pm: process %u (%s) exited with status %d\n", xinim_endpoint_pid(who),
	      p ? p->name : "?", status);
	process_forget(who);
	if (xinim_endpoint_pid(who) == XINIM_PID_INIT)
		init_exited(who, status);
}

void process_killed(xinim_endpoint_t who, int signal, bool no_memory)
{
	const struct process *p = process_of(who);
	print("pm: process %u (%s) killed by %s%s\n", xinim_endpoint_pid(who),
	      p ? p->name : "?", signal_name(signal), no_memory ? " (out of memory)" : "");
	process_forget(who);
	if (xinim_endpoint_pid(who) == XINIM_PID_INIT)
		init_killed(who, signal);
}

long process_spawn(unsigned pid, xinim_endpoint_t parent, const struct arguments *args)
{
	struct program program;
	int err = program_open(args->path, &program);
	if (err)
		return err;
	const char *base = strrchr(args->path, '/');
	base = base ? base + 1 : args->path;
	long self = xinim_kcall(KCALL_PROC_NEW, pid, (long)base);
	uint64_t sp = 0;
	err = self < 0 ? (int)self : (int)vfs_tell(XINIM_VFS_PROC_START, (xinim_endpoint_t)self, parent);
	if (!err)
		err = (int)program_load(&program, (xinim_endpoint_t)self, args, &sp);
	if (!err) {
		struct process *p = &processes[xinim_endpoint_pid((xinim_endpoint_t)self)];
		*p = (struct process){ .self = (xinim_endpoint_t)self, .parent = parent };
		strncpy(p->name, base, sizeof(p->name) - 1);
		err = (int)xinim_kcall3(KCALL_PROC_START, self, (long)program.image.entry, (long)sp);
	}
	program_close(&program);
	if (err && self >= 0)
		process_forget((xinim_endpoint_t)self);	// it never ran: the caller reports err
	return err ? err : self;
}

unsigned process_count(void)
{
	unsigned n = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		n += processes[pid].self != 0;
	return n;
}
