#pragma once
// User address spaces (TTBR0): 4-level tables with 4 KiB pages and a 16-bit ASID each,
// and the one way the kernel reads and writes user memory.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/arch/aarch64/memory.h>
#include <kernel/spinlock.h>

#define USER_LIMIT      (U64(1) << 47)	/* user addresses are below this */
#define USER_STACK_TOP  USER_LIMIT
#define USER_STACK_SIZE (U64(64) * 1024)

enum { PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4 };	// same bits as SEG_* (elf.h)

// A live space never loses a page or a permission: pages are mapped while it is built
// and freed with it. IPC relies on this, keeping kernel addresses of the buffers of
// blocked threads (kernel/ipc.c); unmapping must first make those go.
struct aspace {
	struct spinlock lock;	// guards the tables
	uint64_t *root;		// level-0 table, at its kernel address
	uint16_t asid;
	size_t pages;		// user pages mapped (the space owns their frames)
};

// 0 or -ENOMEM (no frame, or no free ASID).
int aspace_create(struct aspace *as);

// Frees every page, table and the ASID; the space must not be live on any CPU.
void aspace_destroy(struct aspace *as);

// Maps one zeroed page at va (page-aligned, below USER_LIMIT) with prot, never writable
// and executable at once; *page gets its kernel address. 0, -ENOMEM, -EEXIST, -EINVAL.
int aspace_map_new(struct aspace *as, uint64_t va, unsigned prot, void **page);

// Makes as the running CPU's user address space.
void aspace_activate(const struct aspace *as);

// Copies between the kernel and the running CPU's user space, with the permissions of
// an EL0 access (checked by the MMU with AT S1E0R/S1E0W). 0 or -EFAULT; on -EFAULT the
// bytes before the bad page may have been copied.
int copy_from_user(void *dst, uint64_t src, size_t n);
int copy_to_user(uint64_t dst, const void *src, size_t n);

// copy_from_user of memory EL0 may also write (where an answer will go), in one walk.
int copy_from_user_writable(void *dst, uint64_t src, size_t n);

// The kernel address of the n bytes at user address va (running CPU's user space), when
// they lie in one page that EL0 may read (write: also write); NULL otherwise. Valid for
// the life of the space (see struct aspace).
void *user_buffer(uint64_t va, size_t n, bool write);

// Copies n bytes from src in space from to dst in space to (either may be the running
// one), with EL0's permissions. 0 or -EFAULT (the bytes before the bad page copied).
int copy_between(const struct aspace *to, uint64_t dst, const struct aspace *from, uint64_t src,
		 size_t n);

// Whether EL0 may write all n bytes at user address dst (the running CPU's user space).
bool user_writable(uint64_t dst, size_t n);
