#pragma once
// The memory manager (docs/architecture.md, The parts): the regions of every process PM
// made, page faults, brk and anonymous mmap. The kernel maps what MM decides
// (KCALL_SPACE_*); MM never calls another server, so a fault can always be resolved.
#include <stdint.h>
#include <libipc/server.h>
#include <xinim/ipc/mm.h>
#include "regions.h"

#define MM_PAGE 4096UL

static inline uint64_t page_down(uint64_t a) { return a & ~(MM_PAGE - 1); }
static inline uint64_t page_up(uint64_t a) { return (a + MM_PAGE - 1) & ~(MM_PAGE - 1); }

// Where mmap places what has no fixed address: top-down below the stack's 8 MiB and a
// gap, above the program's image and heap.
#define MMAP_TOP    (XINIM_USER_TOP - (UINT64_C(16) << 30))
#define MMAP_BOTTOM (UINT64_C(1) << 32)

// One process's address space as MM sees it.
struct space {
	xinim_endpoint_t owner;		// 0: the slot is free
	struct regions regions;
	uint64_t brk_base, brk;		// the heap is [brk_base, page_up(brk))
};

extern const struct ipc_table mm_table;

// space.c: the spaces by process, and the kernel calls that change them.
struct space *space_of(xinim_endpoint_t who);	// NULL: not a process MM manages
struct space *space_claim(xinim_endpoint_t who);	// emptied; NULL: bad endpoint
void space_forget(xinim_endpoint_t who);
int space_map(const struct space *s, uint64_t start, uint64_t end, unsigned prot);
int space_unmap(const struct space *s, uint64_t start, uint64_t end);
int space_protect(const struct space *s, uint64_t start, uint64_t end, unsigned prot);
// Takes [start, end) out of s: its regions and its pages.
int space_remove(struct space *s, uint64_t start, uint64_t end);

// fault.c
ipc_handler mm_fault;

// exec.c: PM builds a process's space.
ipc_handler mm_exec_begin, mm_exec_region, mm_exec_write, mm_exec_brk, mm_release;

// memory.c: the system calls.
ipc_handler mm_brk, mm_mmap, mm_munmap, mm_mprotect, mm_madvise;
