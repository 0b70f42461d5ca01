#pragma once
// System-register access and barriers.
#include <stdint.h>

#define sysreg_read(name) ({ \
	uint64_t value_; \
	__asm__ volatile("mrs %0, " #name : "=r"(value_)); \
	value_; })

#define sysreg_write(name, value) \
	__asm__ volatile("msr " #name ", %0" : : "r"((uint64_t)(value)) : "memory")

#define isb()      __asm__ volatile("isb" : : : "memory")
#define dsb(kind)  __asm__ volatile("dsb " #kind : : : "memory")
#define dmb(kind)  __asm__ volatile("dmb " #kind : : : "memory")
#define wfi()      __asm__ volatile("wfi" : : : "memory")
#define wfe()      __asm__ volatile("wfe" : : : "memory")
#define sev()      __asm__ volatile("sev" : : : "memory")

static inline void irq_disable(void) { __asm__ volatile("msr daifset, #2" : : : "memory"); }
static inline void irq_enable(void)  { __asm__ volatile("msr daifclr, #2" : : : "memory"); }

// Saves DAIF and masks IRQs; irq_restore puts the saved state back.
static inline uint64_t irq_save(void)
{
	uint64_t daif = sysreg_read(daif);
	irq_disable();
	return daif;
}

static inline void irq_restore(uint64_t daif) { sysreg_write(daif, daif); }

static inline uint64_t counter_now(void)
{
	isb();
	return sysreg_read(cntvct_el0);
}

static inline uint64_t counter_frequency(void) { return sysreg_read(cntfrq_el0); }
