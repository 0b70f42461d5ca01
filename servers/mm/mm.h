#pragma once
// The memory manager (docs/architecture.md, The parts): the regions of every process PM
// made, page faults, brk, anonymous mmap, mremap, and shared memory (MAP_SHARED, System
// V). The kernel maps what MM decides (KCALL_SPACE_*); MM never calls another server, so
// a fault can always be resolved.
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <libipc/keep.h>
#include <libipc/server.h>
#include <xinim/ipc/mm.h>
#include <xinim/limits.h>
#include "regions.h"
#include "shm.h"

#define MM_PAGE 4096UL
enum { PRESENT_MAX = 256 };	// pages a KCALL_SPACE_PRESENT answers at most

static inline uint64_t page_down(uint64_t a) { return a & ~(MM_PAGE - 1); }
static inline uint64_t page_up(uint64_t a) { return (a + MM_PAGE - 1) & ~(MM_PAGE - 1); }

// Where mmap places what has no fixed address: top-down below the stack's 8 MiB and a
// gap, above the program's image and the start of its heap (which may grow past it).
#define MMAP_TOP    (XINIM_USER_TOP - (UINT64_C(16) << 30))
#define MMAP_BOTTOM (UINT64_C(1) << 32)
// No process may map below this, root and PID 1 included: Linux's vm.mmap_min_addr
// default, here a fixed rule, so that a NULL pointer plus a small offset always faults.
#define MM_MIN_ADDR (UINT64_C(1) << 16)

// One process's address space as MM sees it.
struct space {
	xinim_endpoint_t owner;		// 0: the slot is free
	struct regions regions;
	uint64_t brk_base, brk;		// the heap is [brk_base, page_up(brk))
	// Added in version 2: RLIMIT_AS and RLIMIT_DATA, as PM says (limits.c).
	uint64_t as_limit, data_limit;
};

extern const struct ipc_table mm_table;

// The protection bits of a region.
#define MM_PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)
// With them in a region's prot: its pages are shared writable (MAP_SHARED, System V shm),
// kept so by the kernel (XINIM_PROT_SHARED): a fork shares them, never copies them.
// Regions of the two kinds never merge.
#define MM_SHARED XINIM_PROT_SHARED
// PROT_SEM (asm-generic's 0x8): arm64 Linux's mprotect accepts it and it changes nothing.
#define MM_PROT_SEM 0x8

// W^X: no region is ever writable and executable at once, whatever asks (a deliberate
// difference from Linux). -EACCES for such a prot, else 0.
static inline int wx_check(uint64_t prot)
{
	return (prot & PROT_WRITE) && (prot & PROT_EXEC) ? -EACCES : 0;
}

// space.c: the spaces by process, and the kernel calls that change them. Every space's
// regions are records of mm_pool.
extern struct region_pool *mm_pool;
// MM's state (its spaces and their regions), kept across its restarts: the kept memory
// at start is taken over, checked (docs/resurrection.md). Before anything else.
#define MM_STATE_VERSION 2
// The most one request changes: a process's end gives back every record of its space
// (REGIONS_MAX of them) and drops its attachments (each with its segment), each logged
// whole with its entry's 24 bytes.
#define MM_UNDO_BYTES \
	((size_t)REGIONS_MAX * (sizeof(struct region) + 24) + \
	 (size_t)SHM_ATTACHES * (sizeof(struct attach) + sizeof(struct segment) + 48) + 65536)
size_t mm_state_size(void);
void mm_state_take(void *state, enum keep_start start);
struct space *space_of(xinim_endpoint_t who);	// NULL: not a process MM manages
struct space *space_at(unsigned pid);		// the space of the process at pid, or NULL
struct space *space_claim(xinim_endpoint_t who);	// emptied (its limits kept if it was
							// who's); NULL: bad endpoint
void space_forget(xinim_endpoint_t who);
int space_map(const struct space *s, uint64_t start, uint64_t end, unsigned prot);
int space_unmap(const struct space *s, uint64_t start, uint64_t end);
int space_protect(const struct space *s, uint64_t start, uint64_t end, unsigned prot);
// Takes [start, end) out of s: its regions and its pages, and the attachments of shared
// memory segments left with no region (attach.c).
int space_remove(struct space *s, uint64_t start, uint64_t end);
// Shares the pages of [start, end) of from (a process's space, or MM's store) with to at
// to_start (KCALL_SPACE_SHARE): copy-on-write, or as they are if shared writable. Pages
// to has there already stay (a share done again).
int space_share(xinim_endpoint_t from, const struct space *to, uint64_t start, uint64_t end,
		uint64_t to_start);
// Maps the missing pages of [start, end) of the space named by owner (a process's, or
// MM's store), shared writable, then gives all of them prot.
int space_fill_shared(xinim_endpoint_t owner, uint64_t start, uint64_t end, unsigned prot);
// Unmaps [start, end) of MM's store.
int store_unmap(uint64_t start, uint64_t end);

// shm.c and attach.c: System V shared memory, in MM's kept state.
extern struct shm_state *mm_shm;
// The segment of an id shmget gave, or NULL.
struct segment *segment_of(long id);
// Where its pages are in MM's store.
uint64_t segment_base(const struct segment *g);
// A process at pid attached g, or let it go (destroyed if IPC_RMID marked it, at its last).
void segment_attached(struct segment *g, unsigned pid);
void segment_detached(struct segment *g, unsigned pid);
// Whether the caller (uid, as PM knows it: 0 today) may have the access want asks
// (Linux's ipcperms: 04 read, 02 write, 01 execute, for owner, group and others).
bool segment_allows(const struct segment *g, unsigned want);
unsigned shm_segments_used(void);
// Every attachment of the process at pid dropped (its end, exec, a new process there).
void shm_forget(unsigned pid);
// The child gets a copy of each of the parent's attachments. 0 or -ENOMEM.
int shm_fork(const struct space *parent, const struct space *child);
// Attachments of s within [start, end) that no region holds any more are dropped.
void shm_unmapped(const struct space *s, uint64_t start, uint64_t end);
// Attachments of s that meet [start, end), which a mapping replaced, are dropped.
void shm_replaced(const struct space *s, uint64_t start, uint64_t end);
// Whether an attachment of s meets [start, end).
bool shm_attached(const struct space *s, uint64_t start, uint64_t end);
// At take-over: drops the records that do not check out, counts attachments again, and
// gives back the store's pages of free segments. How many records were dropped.
unsigned shm_check(void);
// Its parts in shm.c: the segments' own checks (the free ones' pages given back), then
// their attachment counts set to what attach.c found (removed ones with none destroyed).
unsigned segments_check(void);
void segments_recount(const uint32_t nattch[SHM_SEGMENTS]);

// MM's whole state, kept across its restarts (docs/resurrection.md): the spaces, one per
// PID, the pool of their regions, and the System V shared memory segments and their
// attachments (shm.h), pointer-free. Here for the take-over's tests.
struct mm_state {
	struct space spaces[XINIM_PROCS_MAX];
	struct region_pool regions;
	struct shm_state shm;
};

// Resolves a fault at page for s (KCALL_SPACE_FAULT): mapped with prot, a shared frame
// copied first if prot allows writing.
int space_fault(const struct space *s, uint64_t page, unsigned prot);

// fault.c
ipc_handler mm_fault;

// fork.c: a child's space as a copy-on-write copy of its parent's.
ipc_handler mm_fork;

// limits.c: RLIMIT_AS and RLIMIT_DATA (XINIM_MM_LIMITS from PM), and whether s may grow
// by length bytes of a region with prot (-ENOMEM when a limit forbids it).
ipc_handler mm_limits;
// usage.c: each space's figures and one's maps, for /proc (XINIM_MM_USAGE from PM).
ipc_handler mm_usage;
int limits_grow(const struct space *s, uint64_t length, unsigned prot);

// exec.c: PM builds a process's space.
ipc_handler mm_exec_begin, mm_exec_region, mm_exec_write, mm_exec_brk, mm_release;
// vvar.c: the clock page, one frame in MM's store shared read-only into every program
// (XINIM_MM_EXEC_VVAR), its bytes as PM says (XINIM_MM_VVAR_SET).
ipc_handler mm_exec_vvar, mm_vvar_set;
// The store's page, made (zeroed: not ready) if it is not there yet: by MM before it
// serves, so that what PM counts as free before init already lacks it.
int vvar_made(void);
// Whether a region of kind (its prot) may be given prot: the vvar's only PROT_READ or none.
static inline bool vvar_allows(unsigned kind, uint64_t prot)
{
	return !(kind & REGION_VVAR) || !(prot & (PROT_WRITE | PROT_EXEC));
}

// memory.c: the system calls, each for s, the space of a process MM manages.
typedef long mm_syscall(struct space *s, const struct xinim_syscall *call);
mm_syscall mm_brk, mm_mmap, mm_munmap, mm_mprotect, mm_madvise;
// Whether [start, start + length) lies in user space.
bool user_range(uint64_t start, uint64_t length);
// Where a new mapping of length goes: at hint if it is free and allowed, else the highest
// gap of the mmap area; 0 when there is none.
uint64_t mm_place(const struct space *s, uint64_t hint, uint64_t length);
// remap.c: mremap.
mm_syscall mm_mremap;
// resident.c: memory is never swapped out: mlock and its kin check and change nothing;
// mincore asks the kernel which pages are there; msync has nothing to write back.
mm_syscall mm_mlock, mm_munlock, mm_mlock2, mm_mlockall, mm_munlockall, mm_mincore, mm_msync;
// shm.c and attach.c: System V shared memory.
mm_syscall mm_shmget, mm_shmctl, mm_shmat, mm_shmdt;
// Runs handle for the caller of request. The one answer to a caller MM does not manage
// (a program the kernel started whole from the boot table: its memory is all it gets) is
// -ENOMEM, before any handler runs.
long mm_managed(const struct ipc_request *request, mm_syscall *handle);
