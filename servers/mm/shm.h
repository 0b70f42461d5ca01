#pragma once
// System V shared memory (shm.c, attach.c), in MM's kept state: the segments, whose
// pages live in MM's store (XINIM_SPACE_STORE) from shmget to their destruction, and the
// processes' attachments to them, whose pages are the store's, shared writable.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

#define SHM_SEGMENTS 128	// Linux's SHMMNI is 4096
#define SHM_ATTACHES 1024	// attachments of all processes together
// Segment i's pages lie at (i + 1) << SHM_SLOT_SHIFT in the store; so SHMMAX is that.
#define SHM_SLOT_SHIFT 32
#define SHM_SIZE_MAX (UINT64_C(1) << SHM_SLOT_SHIFT)

struct segment {
	uint32_t used;		// 0: the record is free
	uint32_t seq;		// the segment's id is seq * SHM_SEGMENTS + its index
	int32_t key;		// IPC_PRIVATE (0) once removed
	uint32_t mode;		// permission bits, SHM_DEST, SHM_LOCKED
	uint64_t size;		// as asked for; its pages are page_up(size)
	uint32_t uid, gid, cuid, cgid;
	uint32_t cpid, lpid;
	uint32_t nattch;
	uint32_t reserved;
	int64_t atime, dtime, ctime;
};

struct attach {
	xinim_endpoint_t owner;	// 0: the record is free
	uint32_t segment;	// its index
	uint64_t start, end;	// where in owner's space, page-aligned
};

struct shm_state {
	struct segment segments[SHM_SEGMENTS];
	struct attach attaches[SHM_ATTACHES];
};

// Linux's struct shmid64_ds on arm64 (asm-generic/shmbuf.h), for shmctl.
struct linux_shmid64_ds {
	int32_t key;
	uint32_t uid, gid, cuid, cgid, mode;
	uint16_t seq, pad;
	uint64_t unused1, unused2;
	uint64_t segsz;
	int64_t atime, dtime, ctime;
	int32_t cpid, lpid;
	uint64_t nattch;
	uint64_t unused4, unused5;
};
_Static_assert(sizeof(struct linux_shmid64_ds) == 112, "shmid64_ds as arm64 Linux's");
