#include <kernel/arch/aarch64/hwcap.h>
#include <kernel/arch/aarch64/sysreg.h>

enum {
	HWCAP_FP = 1 << 0,
	HWCAP_ASIMD = 1 << 1,
	HWCAP_EVTSTRM = 1 << 2,	// the timer event stream is on (timer.c)
	HWCAP_AES = 1 << 3,
	HWCAP_PMULL = 1 << 4,
	HWCAP_SHA1 = 1 << 5,
	HWCAP_SHA2 = 1 << 6,
	HWCAP_CRC32 = 1 << 7,
	HWCAP_ATOMICS = 1 << 8,
};

static unsigned field(uint64_t reg, unsigned shift) { return (reg >> shift) & 0xf; }

uint64_t arch_hwcap(void)
{
	uint64_t pfr0 = sysreg_read(id_aa64pfr0_el1), isar0 = sysreg_read(id_aa64isar0_el1);
	uint64_t hwcap = HWCAP_EVTSTRM;
	if (field(pfr0, 16) != 0xf)
		hwcap |= HWCAP_FP;
	if (field(pfr0, 20) != 0xf)
		hwcap |= HWCAP_ASIMD;
	if (field(isar0, 4) >= 1)
		hwcap |= HWCAP_AES;
	if (field(isar0, 4) >= 2)
		hwcap |= HWCAP_PMULL;
	if (field(isar0, 8) >= 1)
		hwcap |= HWCAP_SHA1;
	if (field(isar0, 12) >= 1)
		hwcap |= HWCAP_SHA2;
	if (field(isar0, 16) >= 1)
		hwcap |= HWCAP_CRC32;
	if (field(isar0, 20) >= 2)
		hwcap |= HWCAP_ATOMICS;
	return hwcap;
}
