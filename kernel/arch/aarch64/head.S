// Entry from the boot loader (arm64 Image protocol) and from PSCI CPU_ON.
// Both arrive at EL1 with the MMU off, so this code runs at physical addresses until it
// jumps to the kernel's link address; adrp/adr are PC-relative and safe here,
// ldr =symbol gives a link (virtual) address.
#include <kernel/arch/aarch64/mmu_regs.h>

	.section .text.head, "ax"
	.globl	_start
_start:
	b	primary_entry
	.long	0
	.quad	0x80000			// text_offset
	.quad	_image_size		// includes .bss (boot/kernel.ld)
	.quad	0x2			// little-endian, 4 KiB pages, 2 MiB-aligned base near DRAM start
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

// x0 = physical address of the DTB.
primary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	bl	enter_el1
	mrs	x1, CurrentEL
	cmp	x1, #(1 << 2)
	b.ne	park
	adr	x1, _start		// the kernel's virtual layout assumes this load address
	ldr	x2, =KERNEL_LOAD_PHYS
	cmp	x1, x2
	b.ne	park
	mov	x0, x19
	bl	boot_tables_build
	adrp	x0, boot_l0
	mov	x1, x0
	bl	mmu_enable
	ldr	x0, =primary_high
	br	x0

// x0 = CPU index (the PSCI context id).
	.globl	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	bl	enter_el1
	adrp	x1, secondary_ttbr1	// written and cleaned to memory by the boot CPU
	ldr	x1, [x1, :lo12:secondary_ttbr1]
	adrp	x0, boot_l0
	bl	mmu_enable
	ldr	x0, =secondary_high
	br	x0

park:
	wfe
	b	park

// Boot loaders on hardware, and QEMU with virtualization=on, enter at EL2: give EL1 the
// counters, timers, FP/SIMD and (GICv3) the system-register CPU interface, then return
// to the caller at EL1 with interrupts masked. At EL1 it just returns. Uses x9 only.
enter_el1:
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	1f
	mov	x9, #HCR_EL2_RW
	msr	hcr_el2, x9
	mrs	x9, midr_el1		// EL1 reads these through VPIDR/VMPIDR once EL2 exists
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mov	x9, #CNTHCTL_EL1_ACCESS
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mov	x9, #CPTR_EL2_NO_TRAPS
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	mrs	x9, id_aa64pfr0_el1
	ubfx	x9, x9, #24, #4		// GIC system registers implemented?
	cbz	x9, 2f
	mrs	x9, icc_sre_el2
	orr	x9, x9, #ICC_SRE_EL2_SRE
	orr	x9, x9, #ICC_SRE_EL2_ENABLE
	msr	icc_sre_el2, x9
	isb
	msr	ich_hcr_el2, xzr
2:	ldr	x9, =SCTLR_RES1		// EL1 starts with its MMU off
	msr	sctlr_el1, x9
	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	msr	elr_el2, x30
	isb
	eret
1:	ret

// Identity-maps, and maps at KERNEL_VA_OFFSET, the 1 GiB blocks holding the kernel and
// the DTB (x0). One L0/L1 pair serves both halves: below 512 GiB the high and the low
// address select the same L0 and L1 slots. The tables lie outside the loaded image and
// are written with the MMU off: their lines are invalidated before (a dirty line must not
// be evicted over them) and after (the walker reads through the cache once the MMU is on).
boot_tables_build:
	adr	x3, _start
	orr	x3, x3, x0
	lsr	x3, x3, #39
	cbnz	x3, park		// at or above 512 GiB: L0 slot 0 does not reach it
	mov	x6, x30
	adrp	x1, boot_l0
	bl	boot_tables_invalidate
	mov	x3, x1
	add	x4, x1, #BOOT_TABLES_SIZE
1:	stp	xzr, xzr, [x3], #16
	cmp	x3, x4
	b.lo	1b
	adrp	x2, boot_l1
	orr	x3, x2, #(PTE_VALID | PTE_TABLE)
	str	x3, [x1]
	ldr	x5, =BOOT_BLOCK_ATTRS
	adr	x3, _start
	ubfx	x3, x3, #30, #9
	orr	x4, x5, x3, lsl #30
	str	x4, [x2, x3, lsl #3]
	ubfx	x3, x0, #30, #9
	orr	x4, x5, x3, lsl #30
	str	x4, [x2, x3, lsl #3]
	dmb	sy
	bl	boot_tables_invalidate
	mov	x30, x6
	ret

// Invalidates the data-cache lines of the boot tables (x1 = boot_l0) to the point of
// coherency. Uses x7..x9.
boot_tables_invalidate:
	mrs	x7, ctr_el0
	ubfx	x7, x7, #16, #4		// DminLine: log2 of the line size in words
	mov	x8, #4
	lsl	x7, x8, x7
	mov	x8, x1
	add	x9, x1, #BOOT_TABLES_SIZE
1:	dc	ivac, x8
	add	x8, x8, x7
	cmp	x8, x9
	b.lo	1b
	dsb	sy
	ret

// x0 = TTBR0, x1 = TTBR1. Returns with the MMU and caches on; the caller must be
// identity-mapped in x0's tables.
	.globl	mmu_enable
mmu_enable:
	ldr	x2, =MAIR_VALUE
	msr	mair_el1, x2
	ldr	x2, =TCR_VALUE
	mrs	x3, id_aa64mmfr0_el1
	bfi	x2, x3, #TCR_IPS_SHIFT, #3	// IPS = PARange
	msr	tcr_el1, x2
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x1
	mov	x2, #CPACR_FPEN_ALL	// Debian's libfdt.a and libsodium.a use SIMD registers
	msr	cpacr_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x2, =SCTLR_VALUE
	msr	sctlr_el1, x2
	isb
	ret

	.text
primary_high:
	adr	x0, vectors
	msr	vbar_el1, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b
	mov	x0, #0
	bl	set_boot_stack
	mov	x0, x19
	bl	kmain
	b	park

secondary_high:
	adr	x0, vectors
	msr	vbar_el1, x0
	mov	x0, x19
	bl	set_boot_stack
	mov	x0, x19
	bl	secondary_main
	b	park

// SP = top of CPU x0's kernel stack. Leaf: uses no stack itself.
set_boot_stack:
	mov	x2, #KSTACK_SIZE
	madd	x1, x0, x2, x2
	ldr	x2, =cpu_stacks
	add	sp, x2, x1
	mov	x29, #0
	ret

// Replaces TTBR1 while running from the identity map, so that no TLB ever holds
// entries of the old and the new tables for the same address at once. x0 = new TTBR1.
// Called through its physical alias (mmu.c); touches no memory.
	.section .text.head, "ax"
	.globl	ttbr1_replace
ttbr1_replace:
	adrp	x1, empty_table
	msr	ttbr1_el1, x1
	isb
	tlbi	vmalle1is
	dsb	ish
	isb
	msr	ttbr1_el1, x0
	isb
	ret

	.section .boot_tables, "aw", %nobits
	.balign	4096
	.globl	boot_l0, boot_l1, empty_table
boot_l0:	.skip	4096
boot_l1:	.skip	4096
empty_table:	.skip	4096		// TTBR0 in the kernel: every user address faults

	.bss
	.balign	16
	.globl	cpu_stacks
cpu_stacks:	.skip	KSTACK_SIZE * MAX_CPUS
