#pragma once
// The kernel's view of memory. All RAM and every device the kernel uses is mapped at
// phys + KERNEL_VA_OFFSET in TTBR1; the kernel image is linked at its own place in that
// linear map, so each physical page has exactly one kernel address (no writable alias
// of kernel text). TTBR0 belongs to user space.
#ifdef __ASSEMBLER__
#define U64(x) x
#else
#define U64(x) x##UL
#endif

#define PAGE_SHIFT        12
#define PAGE_SIZE         (U64(1) << PAGE_SHIFT)
#define KERNEL_VA_OFFSET  U64(0xffff000000000000)
#define KERNEL_LOAD_PHYS  U64(0x40080000)	/* where the arm64 boot protocol puts the Image on virt */
#define KSTACK_SIZE       (16 * 1024)
#define MAX_CPUS          8

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint64_t paddr_t;

static inline void *phys_to_virt(paddr_t pa) { return (void *)(pa + KERNEL_VA_OFFSET); }
static inline paddr_t virt_to_phys(const void *va) { return (uint64_t)va - KERNEL_VA_OFFSET; }

// Bounds of the image's parts, from boot/kernel.ld.
extern char _start[], _etext[], _erodata[], _end[];
#endif
