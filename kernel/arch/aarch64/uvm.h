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
// With a prot of aspace_map_range and aspace_fault_in: the page's frame is shared
// writable (MAP_SHARED, System V shm; XINIM_PROT_SHARED): aspace_share gives it to
// another space writable as it is, and no write ever copies it.
enum { PROT_SHARED = 8 };

// A space the kernel builds from the boot archive never loses a page or a permission while
// it lives, and IPC relies on it, keeping kernel addresses of the buffers of its blocked
// threads (kernel/ipc.c). Spaces MM manages (struct proc's managed) change, and IPC never
// keeps such addresses for them.
struct aspace {
	struct spinlock lock;	// guards the tables
	uint64_t *root;		// level-0 table, at its kernel address
	uint16_t asid;
	size_t pages;		// user pages mapped (the space owns their frames)
	size_t kept;		// kept frames mapped (PTE_KEPT, not the space's own)
	size_t tables;		// tables below the root: none in a space never mapped
};

// 0 or -ENOMEM (no frame, or no free ASID).
int aspace_create(struct aspace *as);

// Frees every page, table and the ASID; the space must not be live on any CPU.
void aspace_destroy(struct aspace *as);

// Maps one zeroed page at va (page-aligned, below USER_LIMIT) with prot, never writable
// and executable at once; *page gets its kernel address. 0, -ENOMEM, -EEXIST, -EINVAL.
int aspace_map_new(struct aspace *as, uint64_t va, unsigned prot, void **page);

// Maps fresh zeroed pages with prot at every unmapped page of [va, va + length) (both
// page-aligned); pages already mapped stay as they are. 0, -EINVAL or -ENOMEM (pages
// mapped before it stay).
int aspace_map_range(struct aspace *as, uint64_t va, uint64_t length, unsigned prot);

// Maps the pages frames from pa on at va with prot, where nothing is mapped; the frames
// stay another's (kept memory: unmapping or destroying the space does not free them).
// 0, -EINVAL, -EEXIST (something is mapped there), -ENOMEM.
int aspace_map_kept(struct aspace *as, uint64_t va, uint64_t pa, size_t pages, unsigned prot);

// Maps the device registers of the pages from pa on at va, read-write for EL0 as
// Device-nGnRE memory, never executable, where nothing is mapped; like kept frames they
// are not the space's (and copies to and from user memory refuse them: -EFAULT).
// 0, -EINVAL, -EEXIST, -ENOMEM.
int aspace_map_device(struct aspace *as, uint64_t va, uint64_t pa, size_t pages);

// Unmaps the pages of [va, va + length) and frees their frames (not kept ones). 0 or -EINVAL.
int aspace_unmap(struct aspace *as, uint64_t va, uint64_t length);

// Gives the mapped pages of [va, va + length) prot (0: EL0 may not access them).
// 0 or -EINVAL (never writable and executable at once).
int aspace_protect(struct aspace *as, uint64_t va, uint64_t length, unsigned prot);

// MM's KCALL_SPACE_SHARE: every present page of [va, va + length) in from is mapped at
// to_va + (its offset) in to, its frame shared (kernel/frame.h): copy-on-write, read-only
// in both, unless the page is PROT_SHARED (then as it is, writable too). A page to has
// there already stays (a share done again after MM's restart finds the pages it shared);
// from may be to when the ranges do not overlap.
// 0, -EINVAL, -ENOMEM, -EOVERFLOW; on an error the pages shared so far stay shared.
int aspace_share(struct aspace *from, struct aspace *to, uint64_t va, uint64_t length,
		 uint64_t to_va);
// Writes to present[i] whether page i of the pages at va is mapped, for MM's mincore.
void aspace_present(struct aspace *as, uint64_t va, size_t pages, uint8_t *present);
// The page at va given prot (a fault MM resolves, KCALL_SPACE_FAULT): a zeroed frame if
// none is mapped; a private copy first if prot allows writing and its frame is shared.
// A shared frame is never writable: aspace_protect leaves it read-only.
int aspace_fault_in(struct aspace *as, uint64_t va, unsigned prot);
// A write fault at va on a page MM made writable that is read-only while it is shared
// copy-on-write: resolved here (copied or made writable) with 0 or -ENOMEM; -EAGAIN for
// any other page, which is MM's to resolve.
int aspace_copy_on_write(struct aspace *as, uint64_t va);

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
// one), with EL0's permissions. 0 or -EFAULT; *done (if not NULL) gets the bytes copied,
// all of them before the bad page.
int copy_between(const struct aspace *to, uint64_t dst, const struct aspace *from, uint64_t src,
		 size_t n, size_t *done);

// Changes the 32-bit word at va in as atomically, if EL0 may write it now (a page to fault
// in first gives -EFAULT; -EINVAL unaligned): the futex operations of FUTEX_WAKE_OP.
// *old gets its value before.
enum aspace_atomic_op {
	ASPACE_ATOMIC_SET, ASPACE_ATOMIC_ADD, ASPACE_ATOMIC_OR, ASPACE_ATOMIC_ANDN, ASPACE_ATOMIC_XOR,
};
int aspace_atomic(struct aspace *as, uint64_t va, enum aspace_atomic_op op, uint32_t arg,
		  uint32_t *old);

// Whether EL0 may write all n bytes at user address dst (the running CPU's user space).
bool user_writable(uint64_t dst, size_t n);
