#pragma once
// The kernel's address space (TTBR1): the linear map of RAM and devices.
#include <stddef.h>
#include <kernel/arch/aarch64/memory.h>
#include <kernel/dtb.h>

// Builds the kernel's tables for all RAM the platform reports (the image W^X: text RX,
// rodata R, data RW, the rest RW and never executable) and switches the boot CPU to them.
void mmu_init(const struct platform *platform);

// Maps [pa, pa + size) as device memory at its linear address and returns that address.
// Callable before and after mmu_init.
void *mmio_map(paddr_t pa, size_t size);

// Once a CPU runs at the kernel's addresses: leaves TTBR0 to user space (empty for now).
void mmu_drop_identity(void);

// The table TTBR0 points at when no user space is active: every address faults.
void *empty_table_address(void);

// The TTBR1 value secondaries start with; head.S reads it with the MMU off.
extern uint64_t secondary_ttbr1;
