// System V shared memory segments: shmget and shmctl, with Linux 6.1's checks in its
// order (ipc/shm.c, ipc/util.c). A segment's pages are made whole at shmget in MM's
// store (XINIM_SPACE_STORE), which the kernel keeps across MM's restarts, at a place of
// the segment's own (segment_base), and stay there until its destruction: an attachment
// shares them writable (attach.c), so every process that attaches sees the same bytes.
#include <errno.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "mm.h"

#define segments (mm_shm->segments)
#define MODE_BITS 0777
#define SEQ_MAX 0xffffu		// struct ipc64_perm's seq is 16 bits

// The caller's user and group: PM answers 0 for every process today, and MM asks nobody.
static const uint32_t caller_uid = 0, caller_gid = 0;

// Seconds since boot: MM has no wall clock (a gap: Linux's times are since the epoch).
static int64_t now(void) { return (int64_t)(counter_ticks() / counter_hz()); }

static long id_of(const struct segment *g) { return (long)g->seq * SHM_SEGMENTS + (g - segments); }

uint64_t segment_base(const struct segment *g)
{
	return (uint64_t)(g - segments + 1) << SHM_SLOT_SHIFT;
}

struct segment *segment_of(long id)
{
	struct segment *g = id >= 0 ? &segments[id % SHM_SEGMENTS] : NULL;
	return g && g->used && id_of(g) == id ? g : NULL;
}

bool segment_allows(const struct segment *g, unsigned want)
{
	unsigned granted = g->mode;
	if (caller_uid == 0)
		return true;	// CAP_IPC_OWNER
	if (caller_uid == g->uid || caller_uid == g->cuid)
		granted >>= 6;
	else if (caller_gid == g->gid || caller_gid == g->cgid)
		granted >>= 3;
	return !((want >> 6 | want >> 3 | want) & ~granted & 07);
}

// Whether the caller owns g, or created it, or is root: IPC_SET and IPC_RMID.
static bool owns(const struct segment *g)
{
	return caller_uid == 0 || caller_uid == g->uid || caller_uid == g->cuid;
}

unsigned shm_segments_used(void)
{
	unsigned used = 0;
	for (unsigned i = 0; i < SHM_SEGMENTS; i++)
		used += segments[i].used != 0;
	return used;
}

static void destroy(struct segment *g)
{
	uint64_t base = segment_base(g), end = base + page_up(g->size);
	keep_change(g, sizeof(*g));
	*g = (struct segment){ .seq = g->seq };	// the next use of the record gets another id
	store_unmap(base, end);
}

void segment_attached(struct segment *g, unsigned pid)
{
	keep_change(g, sizeof(*g));
	g->nattch++;
	g->atime = now();
	g->lpid = pid;
}

void segment_detached(struct segment *g, unsigned pid)
{
	keep_change(g, sizeof(*g));
	g->nattch--;
	g->dtime = now();
	g->lpid = pid;
	if (!g->nattch && g->mode & SHM_DEST)
		destroy(g);
}

// A new segment of size bytes: its pages made zeroed in the store, then its record. A
// shmget done again (MM restarted before its reply) takes the same record and finds the
// pages it made.
static long create(int32_t key, uint64_t size, int flags, unsigned pid)
{
	if (size < 1 || size > SHM_SIZE_MAX)
		return -EINVAL;
	struct segment *g = segments;
	while (g < segments + SHM_SEGMENTS && g->used)
		g++;
	if (g == segments + SHM_SEGMENTS)
		return -ENOSPC;
	uint64_t base = segment_base(g);
	int err = space_fill_shared(XINIM_SPACE_STORE, base, base + page_up(size),
				    PROT_READ | PROT_WRITE);
	if (err) {
		store_unmap(base, base + page_up(size));
		return err;
	}
	keep_change(g, sizeof(*g));
	*g = (struct segment){ .used = 1, .seq = (g->seq + 1) & SEQ_MAX, .key = key,
			       .mode = (uint32_t)flags & MODE_BITS, .size = size,
			       .uid = caller_uid, .gid = caller_gid, .cuid = caller_uid,
			       .cgid = caller_gid, .cpid = pid, .ctime = now() };
	return id_of(g);
}

long mm_shmget(struct space *s, const struct xinim_syscall *call)
{
	(void)s;
	int32_t key = (int32_t)call->args[0];
	uint64_t size = call->args[1];
	int flags = (int)call->args[2];
	struct segment *g = NULL;
	for (unsigned i = 0; key != IPC_PRIVATE && i < SHM_SEGMENTS && !g; i++)
		if (segments[i].used && segments[i].key == key)
			g = &segments[i];
	if (!g)
		return key == IPC_PRIVATE || flags & IPC_CREAT
			       ? create(key, size, flags, xinim_endpoint_pid(call->caller))
			       : -ENOENT;
	if (flags & IPC_CREAT && flags & IPC_EXCL)
		return -EEXIST;
	if (size > g->size)
		return -EINVAL;
	return segment_allows(g, (unsigned)flags & MODE_BITS) ? id_of(g) : -EACCES;
}

// ---- shmctl, a command a handler: g is the segment of the id (or the index for
// SHM_STAT and SHM_STAT_ANY), NULL for the commands about all of them.

// Linux's struct shminfo64 and struct shm_info (IPC_INFO, SHM_INFO).
struct linux_shminfo64 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall, unused[4];
};
struct linux_shm_info {
	int32_t used_ids;
	uint64_t shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

static long answer(const struct xinim_syscall *call, const void *out, size_t n, long value)
{
	return ipc_copy_to(call->caller, call->args[2], out, n) ? -EFAULT : value;
}

static long highest_index(void)
{
	long highest = 0;
	for (unsigned i = 0; i < SHM_SEGMENTS; i++)
		if (segments[i].used)
			highest = i;
	return highest;
}

static long stat_of(struct segment *g, const struct xinim_syscall *call, long value)
{
	struct linux_shmid64_ds ds = {
		.key = g->key, .uid = g->uid, .gid = g->gid, .cuid = g->cuid, .cgid = g->cgid,
		.mode = g->mode, .seq = (uint16_t)g->seq, .segsz = g->size, .atime = g->atime,
		.dtime = g->dtime, .ctime = g->ctime, .cpid = (int32_t)g->cpid,
		.lpid = (int32_t)g->lpid, .nattch = g->nattch,
	};
	return answer(call, &ds, sizeof(ds), value);
}

static long ipc_stat(struct segment *g, const struct xinim_syscall *call)
{
	return segment_allows(g, 0444) ? stat_of(g, call, 0) : -EACCES;
}

static long shm_stat(struct segment *g, const struct xinim_syscall *call)
{
	return segment_allows(g, 0444) ? stat_of(g, call, id_of(g)) : -EACCES;
}

static long shm_stat_any(struct segment *g, const struct xinim_syscall *call)
{
	return stat_of(g, call, id_of(g));
}

static long ipc_set(struct segment *g, const struct xinim_syscall *call)
{
	struct linux_shmid64_ds ds;
	if (ipc_copy_from(call->caller, &ds, call->args[2], sizeof(ds)))
		return -EFAULT;
	if (!owns(g))
		return -EPERM;
	keep_change(g, sizeof(*g));
	g->uid = ds.uid;
	g->gid = ds.gid;
	g->mode = (g->mode & ~(uint32_t)MODE_BITS) | (ds.mode & MODE_BITS);
	g->ctime = now();
	return 0;
}

// The segment goes when its last attachment does; meanwhile shmget no longer finds it.
static long ipc_rmid(struct segment *g, const struct xinim_syscall *call)
{
	(void)call;
	if (!owns(g))
		return -EPERM;
	keep_change(g, sizeof(*g));
	g->mode |= SHM_DEST;
	g->key = IPC_PRIVATE;
	if (!g->nattch)
		destroy(g);
	return 0;
}

// Memory is never swapped out: SHM_LOCK and SHM_UNLOCK change only the mode's bit.
static long shm_lock(struct segment *g, const struct xinim_syscall *call)
{
	if (!owns(g))
		return -EPERM;
	keep_change(g, sizeof(*g));
	g->mode = call->args[1] == SHM_LOCK ? g->mode | SHM_LOCKED : g->mode & ~(uint32_t)SHM_LOCKED;
	return 0;
}

static long ipc_info(struct segment *g, const struct xinim_syscall *call)
{
	(void)g;
	struct linux_shminfo64 info = { .shmmax = SHM_SIZE_MAX, .shmmin = 1,
					.shmmni = SHM_SEGMENTS, .shmseg = SHM_ATTACHES,
					.shmall = SHM_SIZE_MAX / MM_PAGE * SHM_SEGMENTS };
	return answer(call, &info, sizeof(info), highest_index());
}

static long shm_info(struct segment *g, const struct xinim_syscall *call)
{
	(void)g;
	struct linux_shm_info info = { .used_ids = (int32_t)shm_segments_used() };
	for (unsigned i = 0; i < SHM_SEGMENTS; i++)
		if (segments[i].used)
			info.shm_tot += page_up(segments[i].size) / MM_PAGE;
	info.shm_rss = info.shm_tot;
	return answer(call, &info, sizeof(info), highest_index());
}

enum segment_named { BY_ID, BY_INDEX, NONE };

static const struct shm_command {
	long (*run)(struct segment *g, const struct xinim_syscall *call);
	enum segment_named by;
} commands[] = {
	[IPC_RMID] = { ipc_rmid, BY_ID },
	[IPC_SET] = { ipc_set, BY_ID },
	[IPC_STAT] = { ipc_stat, BY_ID },
	[IPC_INFO] = { ipc_info, NONE },
	[SHM_LOCK] = { shm_lock, BY_ID },
	[SHM_UNLOCK] = { shm_lock, BY_ID },
	[SHM_STAT] = { shm_stat, BY_INDEX },
	[SHM_INFO] = { shm_info, NONE },
	[SHM_STAT_ANY] = { shm_stat_any, BY_INDEX },
};

long mm_shmctl(struct space *s, const struct xinim_syscall *call)
{
	(void)s;
	int id = (int)call->args[0], cmd = (int)call->args[1];
	if (cmd < 0 || id < 0 || (size_t)cmd >= sizeof(commands) / sizeof(commands[0]) ||
	    !commands[cmd].run)
		return -EINVAL;
	struct segment *g = NULL;
	if (commands[cmd].by == BY_ID)
		g = segment_of(id);
	else if (commands[cmd].by == BY_INDEX)
		g = id < SHM_SEGMENTS && segments[id].used ? &segments[id] : NULL;
	if (!g && commands[cmd].by != NONE)
		return -EINVAL;
	return commands[cmd].run(g, call);
}

// ---- take-over (attach.c's shm_check)

static bool segment_sound(const struct segment *g)
{
	return g->used == 1 && g->size >= 1 && g->size <= SHM_SIZE_MAX && g->seq <= SEQ_MAX &&
	       !(g->mode & ~(uint32_t)(MODE_BITS | SHM_DEST | SHM_LOCKED));
}

unsigned segments_check(void)
{
	unsigned dropped = 0;
	for (unsigned i = 0; i < SHM_SEGMENTS; i++) {
		struct segment *g = &segments[i];
		if (segment_sound(g))
			continue;
		dropped += g->used != 0;
		*g = (struct segment){ .seq = g->seq & SEQ_MAX };
		// What a shmget cut short by a restart made, or a dropped segment's pages.
		store_unmap(segment_base(g), segment_base(g) + SHM_SIZE_MAX);
	}
	return dropped;
}

void segments_recount(const uint32_t nattch[SHM_SEGMENTS])
{
	for (unsigned i = 0; i < SHM_SEGMENTS; i++) {
		struct segment *g = &segments[i];
		if (!g->used)
			continue;
		g->nattch = nattch[i];
		if (!g->nattch && g->mode & SHM_DEST)
			destroy(g);
	}
}
