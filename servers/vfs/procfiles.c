// What /proc's files say, in Linux's formats (proc(5)): the system's from the kernel
// (memory, CPUs, counter) and VFS (mounts), a process's from PM's and MM's records
// (proctable.c) and VFS's own fd tables (ids, groups, session, the terminal).
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/net.h>
#include <xinim/runtime.h>
#include "procfs.h"

#define USER_HZ 100	// the unit of /proc's times (clock ticks: sysconf(_SC_CLK_TCK))
#define NS_PER_TICK (1000000000 / USER_HZ)

static struct xinim_memory machine(void)
{
	struct xinim_memory m = { 0 };
	xinim_kcall(KCALL_MEMORY, (long)&m, 0);
	if (!m.cpus_online)
		m.cpus_online = m.cpus_present = 1;
	return m;
}

static uint64_t since_boot_ns(void) { return counter_ticks_ns(counter_ticks()); }

// Linux's /proc/meminfo lines free(1) and top read, in kB; no swap, no page cache.
static void meminfo(struct text *t)
{
	struct xinim_memory m = machine();
	put(t, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n",
	    (unsigned long)(m.total_bytes >> 10), (unsigned long)(m.free_bytes >> 10),
	    (unsigned long)(m.free_bytes >> 10));
	put(t, "Buffers:        %8lu kB\nCached:         %8lu kB\nSwapCached:     %8lu kB\n"
	       "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\nShmem:          %8lu kB\n",
	    0ul, 0ul, 0ul, 0ul, 0ul, 0ul);
}

// The time the processes ran, added up (the CPUs' busy time), in ns.
static uint64_t busy_ns(uint64_t *user, uint64_t *system)
{
	unsigned count;
	const struct xinim_proc_record *r = proc_records(&count);
	*user = *system = 0;
	for (unsigned i = 0; i < count; i++) {
		*user += r[i].user_ns;
		*system += r[i].system_ns;
	}
	return *user + *system;
}

// Seconds since boot, and the CPUs' idle seconds (all CPUs' time but the processes').
static void uptime(struct text *t)
{
	uint64_t up = since_boot_ns(), user, system;
	uint64_t all = up * machine().cpus_online, busy = busy_ns(&user, &system);
	uint64_t idle = all > busy ? all - busy : 0;
	put(t, "%lu.%02lu %lu.%02lu\n", (unsigned long)(up / 1000000000),
	    (unsigned long)(up % 1000000000 / 10000000), (unsigned long)(idle / 1000000000),
	    (unsigned long)(idle % 1000000000 / 10000000));
}

// The scheduler keeps no load average yet: zeros, as sysinfo(2) gives; the processes
// running and in all, and the last PID.
static void loadavg(struct text *t)
{
	unsigned count, running = 0;
	uint32_t last = 0;
	const struct xinim_proc_record *r = proc_records(&count);
	for (unsigned i = 0; i < count; i++) {
		running += r[i].state == 'R';
		last = r[i].pid > last ? r[i].pid : last;
	}
	put(t, "0.00 0.00 0.00 %u/%u %u\n", running ? running : 1, count, last);
}

// Every mount (mount.c), as getmntent(3) reads it.
static void mounts(struct text *t)
{
	t->length += mounts_text(t->bytes + t->length, PROC_TEXT_MAX - t->length);
}

static void version(struct text *t)
{
	put(t, "Linux version 6.1.0-xinim (XINIM microkernel, Linux's system call interface)\n");
}

// The CPUs' time in clock ticks: the processes' user and system time, spread evenly
// over the CPUs (the kernel keeps no time per CPU yet), the rest idle.
static void cpu_times(struct text *t)
{
	struct xinim_memory m = machine();
	uint64_t user, system, up = since_boot_ns() / NS_PER_TICK;
	busy_ns(&user, &system);
	user /= NS_PER_TICK, system /= NS_PER_TICK;
	uint64_t all = up * m.cpus_online, idle = all > user + system ? all - user - system : 0;
	put(t, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", (unsigned long)user, (unsigned long)system,
	    (unsigned long)idle);
	for (unsigned c = 0; c < m.cpus_online; c++)
		put(t, "cpu%u %lu 0 %lu %lu 0 0 0 0 0 0\n", c, (unsigned long)(user / m.cpus_online),
		    (unsigned long)(system / m.cpus_online), (unsigned long)(idle / m.cpus_online));
	unsigned count;
	proc_records(&count);
	put(t, "intr 0\nctxt 0\nbtime %lu\nprocesses %u\nprocs_running 1\nprocs_blocked 0\n",
	    (unsigned long)((uint64_t)vfs_now() / 1000000000 - since_boot_ns() / 1000000000),
	    count);
}

// QEMU virt's CPUs (-cpu max: an Armv8 implementer 0x41), as arm64 Linux lists them.
static void cpuinfo(struct text *t)
{
	struct xinim_memory m = machine();
	for (unsigned c = 0; c < m.cpus_online; c++)
		put(t, "processor\t: %u\nBogoMIPS\t: %lu.00\nFeatures\t: fp asimd\n"
		       "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\n"
		       "CPU part\t: 0x000\nCPU revision\t: 0\n\n",
		    c, (unsigned long)(counter_hz() * 2 / 1000000));
}

// The boot servers PM keeps no record of, named by their PIDs.
static const char *server_name(uint32_t pid)
{
	static const char *const names[] = { [XINIM_PID_VFS] = "vfs", [XINIM_PID_PM] = "pm",
					     [XINIM_PID_MM] = "mm", [XINIM_PID_RS] = "rs" };
	return pid < sizeof(names) / sizeof(names[0]) && names[pid] ? names[pid] : "?";
}

// What is known of the process at pid: PM's record (a stand-in for a process it has none
// of), with VFS's word on whether it waits.
struct process_view {
	const struct fd_table *table;
	struct xinim_proc_record r;
};

static long view_of(uint32_t pid, xinim_endpoint_t reader, struct process_view *v)
{
	v->table = fd_table_at(pid);
	if (!v->table)
		return -ESRCH;
	const struct xinim_proc_record *r;
	long err = proc_record(pid, &r);
	if (err)
		return err;
	const struct process_creds *c = &v->table->creds;
	if (r)
		v->r = *r;
	else {
		v->r = (struct xinim_proc_record){
			.pid = pid, .pgid = c->pgid, .sid = c->sid, .uid = c->uid, .euid = c->euid,
			.suid = c->euid, .fsuid = c->fsuid, .gid = c->gid, .egid = c->egid,
			.sgid = c->egid, .fsgid = c->fsgid, .threads = 1, .state = 'S' };
		strncpy(v->r.name, server_name(pid), sizeof(v->r.name) - 1);
	}
	if (xinim_endpoint_pid(reader) == pid)
		v->r.state = 'R';	// it reads this
	else if (v->r.state == 'R' && wait_parked_process(pid))
		v->r.state = 'S';
	return 0;
}

static unsigned long ticks(uint64_t ns) { return (unsigned long)(ns / NS_PER_TICK); }

// The terminal's device number (tty_nr) of a process whose session has the console.
static unsigned tty_of(const struct process_view *v, int32_t *foreground)
{
	const struct tty *console = vfs_console();
	*foreground = -1;
	if (!console->sid || (uint32_t)console->sid != v->table->creds.sid)
		return 0;
	*foreground = console->pgrp;
	return (5u << 8) | 1;	// /dev/console, makedev(5, 1)
}

static void pid_stat(struct text *t, const struct process_view *v)
{
	const struct xinim_proc_record *r = &v->r;
	int32_t foreground;
	unsigned tty = tty_of(v, &foreground);
	put(t, "%u (%s) %c %u %u %u %u %d 4194304 0 0 0 0 %lu %lu %lu %lu 20 0 %u 0 %lu %lu %lu "
	       "18446744073709551615 0 0 0 0 0 %lu %lu %lu %lu 0 0 0 17 0 0 0 0 0 0 0 0 %lu 0 0 0 0 "
	       "0\n",
	    r->pid, r->name, r->state, r->ppid, r->pgid, r->sid, tty, foreground,
	    ticks(r->user_ns), ticks(r->system_ns), ticks(r->children_user_ns),
	    ticks(r->children_system_ns), r->threads, ticks(r->started_ns),
	    (unsigned long)r->vm_bytes, (unsigned long)r->rss_pages, (unsigned long)r->pending,
	    (unsigned long)r->blocked, (unsigned long)r->ignored, (unsigned long)r->caught,
	    (unsigned long)r->brk_start);
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "S (sleeping)";
	}
}

static void pid_status(struct text *t, const struct process_view *v)
{
	const struct xinim_proc_record *r = &v->r;
	const struct process_creds *c = &v->table->creds;
	unsigned long vm = (unsigned long)(r->vm_bytes >> 10), rss = (unsigned long)(r->rss_pages * 4);
	uint32_t mask = v->table->umask;
	put(t, "Name:\t%s\nUmask:\t0%u%u%u\nState:\t%s\nTgid:\t%u\nNgid:\t0\nPid:\t%u\nPPid:\t%u\n"
	       "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%u\nGroups:\t",
	    r->name, mask >> 6 & 7, mask >> 3 & 7, mask & 7, state_name(r->state), r->pid, r->pid, r->ppid, r->uid, r->euid,
	    r->suid, r->fsuid, r->gid, r->egid, r->sgid, r->fsgid, FDS_MAX);
	for (uint32_t i = 0; i < c->groups_count && i < XINIM_GROUPS_MAX; i++)
		put(t, "%u ", c->groups[i]);
	put(t, "\nVmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmHWM:\t%8lu kB\n"
	       "VmRSS:\t%8lu kB\nVmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n"
	       "VmLib:\t%8lu kB\nVmSwap:\t%8lu kB\nThreads:\t%u\n",
	    vm, vm, 0ul, rss, rss, (unsigned long)((r->brk - r->brk_start) >> 10), 0ul, 0ul, 0ul,
	    0ul, r->threads);
	put(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
	       "SigCgt:\t%016lx\nCapInh:\t0000000000000000\nCapPrm:\t%016lx\nCapEff:\t%016lx\n"
	       "Cpus_allowed_list:\t0-%u\n",
	    0ul, (unsigned long)r->pending, (unsigned long)r->blocked, (unsigned long)r->ignored,
	    (unsigned long)r->caught, r->euid ? 0ul : 0x1fffffffffful,
	    r->euid ? 0ul : 0x1fffffffffful, machine().cpus_online - 1);
}

static void pid_cmdline(struct text *t, const struct process_view *v)
{
	size_t n = min_u64(v->r.cmdline_length, sizeof(v->r.cmdline));
	memcpy(t->bytes, v->r.cmdline, n);	// a zombie's is empty, as Linux's
	t->length = v->r.state == 'Z' ? 0 : n;
}

static void pid_comm(struct text *t, const struct process_view *v) { put(t, "%s\n", v->r.name); }

static void pid_statm(struct text *t, const struct process_view *v)
{
	put(t, "%lu %lu 0 0 0 %lu 0\n", (unsigned long)(v->r.vm_bytes / 4096),
	    (unsigned long)v->r.rss_pages, (unsigned long)((v->r.brk - v->r.brk_start) / 4096));
}

// /proc/net/dev and /proc/net/route: NET's text (empty in a boot without NET).
static void net_dev(struct text *t)
{
	t->length = inet_proc(XINIM_NET_PROC_DEV, t->bytes, PROC_TEXT_MAX);
}

static void net_route(struct text *t)
{
	t->length = inet_proc(XINIM_NET_PROC_ROUTE, t->bytes, PROC_TEXT_MAX);
}

static void (*const system_texts[])(struct text *t) = {
	[PROC_MEMINFO] = meminfo, [PROC_UPTIME] = uptime, [PROC_LOADAVG] = loadavg,
	[PROC_MOUNTS] = mounts,	  [PROC_VERSION] = version, [PROC_STAT] = cpu_times,
	[PROC_CPUINFO] = cpuinfo, [PROC_NET_DEV] = net_dev, [PROC_NET_ROUTE] = net_route,
};

static void (*const process_texts[])(struct text *t, const struct process_view *v) = {
	[PID_STAT] = pid_stat,	 [PID_STATUS] = pid_status, [PID_CMDLINE] = pid_cmdline,
	[PID_COMM] = pid_comm,	 [PID_STATM] = pid_statm,
};

// Whether the system-wide file waits for PM's table (the processes' figures).
static bool needs_table(enum proc_kind kind)
{
	return kind == PROC_UPTIME || kind == PROC_LOADAVG || kind == PROC_STAT;
}

long proc_text(const struct node *node, xinim_endpoint_t reader, struct text *t)
{
	enum proc_kind kind = proc_kind_of(node);
	uint32_t pid = proc_pid_of(node);
	const struct xinim_proc_record *none;
	if (kind < PROC_FILES_END) {
		long err = needs_table(kind) ? proc_record(0, &none) : 0;
		if (!err)
			system_texts[kind](t);
		return err;
	}
	if (kind == PID_MOUNTS) {
		mounts(t);
		return 0;
	}
	if (kind == PID_MAPS) {
		const char *text;
		uint32_t length;
		long err = fd_table_at(pid) ? proc_maps(pid, &text, &length) : -ESRCH;
		if (!err)
			memcpy(t->bytes, text, t->length = min_u64(length, PROC_TEXT_MAX));
		return err;
	}
	if (kind >= sizeof(process_texts) / sizeof(process_texts[0]) || !process_texts[kind])
		return -EIO;
	static struct process_view v;
	long err = view_of(pid, reader, &v);
	if (!err)
		process_texts[kind](t, &v);
	return err;
}
