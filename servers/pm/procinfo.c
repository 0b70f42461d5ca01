// /proc's process table (docs/vfs.md, /proc). VFS serves /proc but holds only the fds: a
// reader of /proc/PID/stat waits there while VFS notifies PM (XINIM_NOTE_PROC_WANTED,
// upward), and PM, which calls VFS downhill, asks what is wanted (XINIM_VFS_PROC_WANTS)
// and hands over a record of each process: its own (tree, ids, signals, arguments), the
// kernel's CPU time, and MM's figures of its memory (XINIM_MM_USAGE), with the maps of a
// process when a reader waits for them (XINIM_VFS_PROC_REPORT). Nothing here is kept:
// the table is made afresh at each request.
#include <signal.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/runtime.h>
#include "pm.h"

#define MAPS_MAX 16384

void process_program(struct process *p, const char *base, const struct arguments *args)
{
	process_change(p);
	if (*base)
		strncpy(p->name, base, sizeof(p->name) - 1);
	size_t length = 0;
	for (int i = 0; i < args->argc && length < sizeof(p->cmdline); i++) {
		size_t n = strlen(args->argv[i]) + 1;
		n = n < sizeof(p->cmdline) - length ? n : sizeof(p->cmdline) - length;
		memcpy(p->cmdline + length, args->argv[i], n);
		length += n;
	}
	p->cmdline_length = (uint16_t)length;
}

// The letter of p's state as PM knows it: a zombie, stopped, waiting in a call PM parked
// (VFS marks those waiting in its own calls), else running.
static char state_of(const struct process *p, const struct thread *first)
{
	if (p->zombie)
		return 'Z';
	if (p->stopped)
		return 'T';
	bool parked = first && (first->waiting.id || first->sleeping.id || first->futex.id ||
				first->sigwait.id || first->vfork.id || first->sysv.id);
	return parked ? 'S' : 'R';
}

static uint64_t signal_set(const struct process *p, uint64_t handler, bool equal)
{
	uint64_t set = 0;
	for (unsigned s = 1; s <= SIGNAL_MAX; s++)
		if ((p->actions[s - 1].handler == handler) == equal)
			set |= UINT64_C(1) << (s - 1);
	return set;
}

static struct xinim_proc_record record_of(const struct process *p, unsigned pid)
{
	const struct thread *first = thread_at(pid);
	if (first && first->process != p->self)
		first = NULL;
	const struct credentials *c = &p->creds;
	struct cpu_times used = usage_now(p->self);
	struct xinim_proc_record r = {
		.pid = pid, .ppid = p->parent == XINIM_ENDPOINT_NONE ? 0 : xinim_endpoint_pid(p->parent),
		.pgid = p->pgid, .sid = p->sid,
		.uid = c->user.real, .euid = c->user.effective, .suid = c->user.saved,
		.fsuid = c->user.fs, .gid = c->group.real, .egid = c->group.effective,
		.sgid = c->group.saved, .fsgid = c->group.fs,
		.state = state_of(p, first), .cmdline_length = p->cmdline_length,
		.user_ns = used.user, .system_ns = used.system,
		.children_user_ns = p->children.user, .children_system_ns = p->children.system,
		.started_ns = counter_ticks_ns(p->started),
		.pending = p->pending | (first ? first->pending : 0),
		.blocked = first ? first->blocked : 0,
		.ignored = signal_set(p, (uint64_t)(uintptr_t)SIG_IGN, true),
		.caught = signal_set(p, (uint64_t)(uintptr_t)SIG_IGN, false) &
			  ~signal_set(p, (uint64_t)(uintptr_t)SIG_DFL, true),
	};
	for (unsigned tid = 1; tid < XINIM_PROCS_MAX; tid++)
		r.threads += thread_at(tid)->process == p->self && !p->zombie;
	memcpy(r.name, p->name, sizeof(r.name));
	memcpy(r.cmdline, p->cmdline, sizeof(r.cmdline));
	return r;
}

// MM's figures joined to the records of the same PIDs.
static void memory_add(struct xinim_proc_record *records, unsigned count, uint32_t maps_pid,
		       char *maps, uint32_t *maps_length)
{
	static struct xinim_mm_usage usage[XINIM_PROCS_MAX];
	struct xinim_mm_usage_ask ask = { .at = (uint64_t)(uintptr_t)usage,
					  .count = XINIM_PROCS_MAX, .maps_pid = maps_pid,
					  .maps_at = (uint64_t)(uintptr_t)maps,
					  .maps_size = MAPS_MAX };
	struct xinim_msg msg = { .header = { .type = XINIM_MM_USAGE, .length = sizeof(ask) } };
	memcpy(msg.payload, &ask, sizeof(ask));
	long mm = ipc_lookup(XINIM_PID_MM);
	long got = mm < 0 ? mm : ipc_call((xinim_endpoint_t)mm, &msg, XINIM_WAIT_FOREVER);
	*maps_length = 0;
	if (got < 0 || got > XINIM_PROCS_MAX)
		return;
	if (msg.header.length == sizeof(*maps_length))
		memcpy(maps_length, msg.payload, sizeof(*maps_length));
	*maps_length = *maps_length <= MAPS_MAX ? *maps_length : 0;
	for (long i = 0; i < got; i++)
		for (unsigned j = 0; j < count; j++)
			if (records[j].pid == usage[i].pid) {
				records[j].vm_bytes = usage[i].vm_bytes;
				records[j].rss_pages = usage[i].rss_pages;
				records[j].brk_start = usage[i].brk_start;
				records[j].brk = usage[i].brk;
			}
}

static long vfs_ask(xinim_endpoint_t vfs, int type, const void *payload, uint16_t length,
		    struct xinim_vfs_wants *wants)
{
	struct xinim_msg msg = { .header = { .type = type, .length = length } };
	memcpy(msg.payload, payload, length);
	long result = ipc_call(vfs, &msg, XINIM_WAIT_FOREVER);
	if (result > 0 && msg.header.length == sizeof(*wants))
		memcpy(wants, msg.payload, sizeof(*wants));
	return msg.header.length == sizeof(*wants) ? result : 0;
}

void proc_report(void)
{
	static struct xinim_proc_record records[XINIM_PROCS_MAX];
	static char maps[MAPS_MAX];
	long vfs = ipc_lookup(XINIM_PID_VFS);
	struct xinim_vfs_wants wants = { 0 };
	if (vfs < 0 || vfs_ask((xinim_endpoint_t)vfs, XINIM_VFS_PROC_WANTS, NULL, 0, &wants) <= 0)
		return;
	unsigned count = 0;
	for (unsigned pid = 1; pid < XINIM_PROCS_MAX; pid++) {
		const struct process *p = process_at(pid);
		if (p->self && p->managed && xinim_endpoint_pid(p->self) == pid)
			records[count++] = record_of(p, pid);
	}
	struct xinim_vfs_report report = { .records_at = (uint64_t)(uintptr_t)records,
					   .count = count, .maps_pid = wants.maps_pid,
					   .maps_at = (uint64_t)(uintptr_t)maps };
	memory_add(records, count, wants.maps_pid, maps, &report.maps_length);
	vfs_ask((xinim_endpoint_t)vfs, XINIM_VFS_PROC_REPORT, &report, sizeof(report), &wants);
}
