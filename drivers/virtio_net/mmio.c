// Register access for virtio-mmio (mmio.h). The barriers order device accesses against
// the rings in normal memory, as Linux's readl and writel do: the device is another
// observer, outer shareable.
#include "mmio.h"

uint32_t mmio_read(volatile uint32_t *regs, enum mmio_register reg)
{
	uint32_t value = regs[reg / 4];
	__asm__ volatile("dmb oshld" ::: "memory");	// rings read after it see what it says
	return value;
}

void mmio_write(volatile uint32_t *regs, enum mmio_register reg, uint32_t value)
{
	__asm__ volatile("dmb oshst" ::: "memory");	// rings written before it are visible
	regs[reg / 4] = value;
}

void mmio_write64(volatile uint32_t *regs, enum mmio_register low, uint64_t value)
{
	mmio_write(regs, low, (uint32_t)value);
	mmio_write(regs, low + 4, (uint32_t)(value >> 32));
}

uint8_t mmio_config8(volatile uint32_t *regs, unsigned offset)
{
	return ((volatile uint8_t *)regs)[MMIO_CONFIG + offset];
}

uint16_t mmio_config16(volatile uint32_t *regs, unsigned offset)
{
	return ((volatile uint16_t *)regs)[(MMIO_CONFIG + offset) / 2];
}
