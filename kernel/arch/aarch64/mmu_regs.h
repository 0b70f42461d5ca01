#pragma once
#include <kernel/arch/aarch64/memory.h>
// Translation-control values shared by boot assembly and mmu.c.
// 4 KiB granule, 48-bit VAs in both halves, 16-bit ASIDs, inner-shareable write-back walks.

// MAIR_EL1 attribute slots, referred to by AttrIndx in descriptors.
#define MT_DEVICE_nGnRnE  0
#define MT_DEVICE_nGnRE   1
#define MT_NORMAL         2
#define MT_NORMAL_NC      3
#define MAIR_VALUE        U64(0x44ff0400)	/* slot3 0x44, slot2 0xff, slot1 0x04, slot0 0x00 */

#define TCR_T0SZ          16
#define TCR_T1SZ          (16 << 16)
#define TCR_WALK0         ((1 << 8) | (1 << 10) | (3 << 12))	/* IRGN0, ORGN0 WBWA; SH0 inner */
#define TCR_WALK1         ((1 << 24) | (1 << 26) | (3 << 28))	/* IRGN1, ORGN1 WBWA; SH1 inner */
#define TCR_TG1_4K        (U64(2) << 30)
#define TCR_AS            (U64(1) << 36)
#define TCR_IPS_SHIFT     32
#define TCR_VALUE         (TCR_T0SZ | TCR_T1SZ | TCR_WALK0 | TCR_WALK1 | TCR_TG1_4K | TCR_AS)

#define SCTLR_RES1        U64(0x30d00800)
#define SCTLR_M           (1 << 0)
#define SCTLR_C           (1 << 2)
#define SCTLR_SA          (1 << 3)
#define SCTLR_SA0         (1 << 4)
#define SCTLR_I           (1 << 12)
#define SCTLR_DZE         (1 << 14)	/* EL0 may DC ZVA (DCZID_EL0.DZP reads 0) */
#define SCTLR_UCT         (1 << 15)	/* EL0 may read CTR_EL0 */
#define SCTLR_nTWE        (1 << 18)	/* WFE at EL0 does not trap */
#define SCTLR_UCI         (1 << 26)	/* EL0 may DC CVAU, CIVAC, CVAC, CVAP and IC IVAU */
// What Linux 6.1 gives EL0 (INIT_SCTLR_EL1_MMU_ON): cache maintenance for JITs and
// __builtin___clear_cache, CTR_EL0, DC ZVA, WFE. nTWI stays clear: WFI at EL0 traps and
// the kernel skips it, as Linux does (trap.c).
#define SCTLR_EL0_ACCESS  (SCTLR_DZE | SCTLR_UCT | SCTLR_nTWE | SCTLR_UCI)
#define SCTLR_VALUE       (SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I | \
			   SCTLR_EL0_ACCESS)

#define CPACR_FPEN_ALL    (3 << 20)

// Leaving EL2 for EL1 (head.S).
#define HCR_EL2_RW                (1 << 31)	/* EL1 is AArch64 */
#define CNTHCTL_EL1_ACCESS        3		/* EL1PCTEN, EL1PCEN */
#define CPTR_EL2_NO_TRAPS         0x33ff	/* the RES1 bits; TFP clear */
#define ICC_SRE_EL2_SRE           (1 << 0)
#define ICC_SRE_EL2_ENABLE        (1 << 3)	/* EL1 may use ICC_SRE_EL1 */
#define SPSR_EL1H_MASKED          0x3c5		/* EL1 on SP_EL1, DAIF masked */

// Descriptor bits (stage 1, VMSAv8-64).
#define PTE_VALID         (U64(1) << 0)
#define PTE_TABLE         (U64(1) << 1)	/* table at L0-L2, page at L3 */
#define PTE_ATTR(slot)    ((slot) << 2)
#define PTE_AP_RO         (U64(1) << 7)
#define PTE_AP_USER       (U64(1) << 6)
#define PTE_SH_INNER      (U64(3) << 8)
#define PTE_AF            (U64(1) << 10)
#define PTE_NG            (U64(1) << 11)
#define PTE_PXN           (U64(1) << 53)
#define PTE_UXN           (U64(1) << 54)
#define PTE_KEPT          (U64(1) << 55)	/* software: a kept frame, not the space's own */
#define PTE_SHARED        (U64(1) << 56)	/* software: shared writable, never copied */
#define PTE_COPY_ON_WRITE (U64(1) << 57)	/* software: writable for MM, read-only while shared */
#define PTE_ADDR_MASK     U64(0x0000fffffffff000)

// boot_l0, boot_l1 and empty_table, contiguous in .boot_tables (head.S).
#define BOOT_TABLES_SIZE  (3 * 4096)

// The 1 GiB block the boot tables map before the real tables exist: normal memory, RWX.
#define BOOT_BLOCK_ATTRS  (PTE_VALID | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF)
