// /proc's system-wide files, as Linux's read them: made with the tree (procfs_populate)
// as nodes whose bytes are written out at each read (NODE_PROC, rdev the generator's
// number). What they tell comes from the kernel (memory, counter, CPUs) and VFS itself
// (mounts); per-process files need PM's and MM's records (docs/vfs.md, Not yet).
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <xinim/format.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define TEXT_MAX 4096

struct text {
	char bytes[TEXT_MAX];
	size_t length;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	t->length += kvsnprintf(t->bytes + t->length, TEXT_MAX - t->length, fmt, args);
	va_end(args);
}

// Linux's /proc/meminfo lines free(1) and top read, in kB; no swap, no page cache.
static void meminfo(struct text *t)
{
	struct xinim_memory m = { 0 };
	xinim_kcall(KCALL_MEMORY, (long)&m, 0);
	put(t, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n",
	    (unsigned long)(m.total_bytes >> 10), (unsigned long)(m.free_bytes >> 10),
	    (unsigned long)(m.free_bytes >> 10));
	put(t, "Buffers:        %8lu kB\nCached:         %8lu kB\nSwapCached:     %8lu kB\n"
	       "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\nShmem:          %8lu kB\n",
	    0ul, 0ul, 0ul, 0ul, 0ul, 0ul);
}

// Seconds since boot and, second, the CPUs' idle seconds (not kept yet: 0).
static void uptime(struct text *t)
{
	uint64_t ticks = counter_ticks(), hz = counter_hz();
	put(t, "%lu.%02lu 0.00\n", (unsigned long)(ticks / hz),
	    (unsigned long)(ticks % hz * 100 / hz));
}

// The scheduler keeps no load average yet: zeros, as sysinfo(2) gives.
static void loadavg(struct text *t) { put(t, "0.00 0.00 0.00 0/0 0\n"); }

// Every mount (mount.c), as getmntent(3) reads it.
static void mounts(struct text *t)
{
	t->length += mounts_text(t->bytes + t->length, TEXT_MAX - t->length);
}

static void version(struct text *t)
{
	put(t, "Linux version 6.1.0-xinim (XINIM microkernel, Linux's system call interface)\n");
}

static void (*const generators[])(struct text *t) = {
	meminfo, uptime, loadavg, mounts, version,
};
static const char *const names[] = { "meminfo", "uptime", "loadavg", "mounts", "version" };

static long proc_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
		      uint64_t offset)
{
	static struct text t;
	t.length = 0;
	if (node->rdev >= sizeof(generators) / sizeof(generators[0]))
		return -EIO;
	generators[node->rdev](&t);
	if (offset >= t.length)
		return 0;
	n = n < t.length - offset ? n : t.length - offset;
	long err = ipc_copy_to(caller, to, t.bytes + offset, n);
	return err ? err : (long)n;
}

const struct node_ops proc_ops = { .read = proc_read, .seekable = true };

int procfs_populate(void)
{
	struct node *proc = ramfs_provide(ramfs_root(), "proc", S_IFDIR | 0555);
	if (!proc)
		return -ENOSPC;
	if (!S_ISDIR(proc->mode))
		return -ENOTDIR;
	for (uint64_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct node *n = ramfs_provide(proc, names[i], S_IFREG | 0444);
		if (!n)
			return -ENOSPC;
		n->mode = S_IFREG | 0444;
		n->flags |= NODE_PROC;
		n->rdev = i;
	}
	return 0;
}
