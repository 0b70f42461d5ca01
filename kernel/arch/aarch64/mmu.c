// Kernel page tables. Built once at boot from a static pool (the kernel's tables are
// small: a few per GiB of RAM); later mappings (devices) take map_lock. Entries only go
// from invalid to valid, so no TLB maintenance is needed beyond the barriers.
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/mmu_regs.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>

#define ENTRIES      512
#define POOL_TABLES  16

static uint64_t table_pool[POOL_TABLES][ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static unsigned tables_used;
static uint64_t *kernel_l0;
static struct spinlock map_lock;
uint64_t secondary_ttbr1;

extern uint64_t boot_l0[], empty_table[];
void ttbr1_replace(uint64_t ttbr1);

#define ATTR_KERNEL  (PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) | PTE_UXN)
#define ATTR_TEXT    (ATTR_KERNEL | PTE_AP_RO)
#define ATTR_RODATA  (ATTR_KERNEL | PTE_AP_RO | PTE_PXN)
#define ATTR_DATA    (ATTR_KERNEL | PTE_PXN)
#define ATTR_DEVICE  (PTE_AF | PTE_ATTR(MT_DEVICE_nGnRE) | PTE_PXN | PTE_UXN)

static uint64_t *table_alloc(void)
{
	if (tables_used == POOL_TABLES)
		panic("mmu: kernel page-table pool exhausted");
	return table_pool[tables_used++];
}

static uint64_t level_size(unsigned level) { return 1UL << (39 - 9 * level); }

static unsigned level_index(uint64_t va, unsigned level)
{
	return (va >> (39 - 9 * level)) & (ENTRIES - 1);
}

static uint64_t *next_table(uint64_t *table, unsigned index)
{
	uint64_t entry = table[index];
	if (!(entry & PTE_VALID)) {
		uint64_t *next = table_alloc();
		table[index] = virt_to_phys(next) | PTE_VALID | PTE_TABLE;
		return next;
	}
	if (!(entry & PTE_TABLE))
		panic("mmu: mapping inside an existing block at entry %u", index);
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

// The largest level (1 GiB, 2 MiB or 4 KiB) at which va and pa are aligned and that
// size still fits.
static unsigned block_level(uint64_t va, paddr_t pa, uint64_t size)
{
	for (unsigned level = 1; level < 3; level++) {
		uint64_t span = level_size(level);
		if (((va | pa) & (span - 1)) == 0 && size >= span)
			return level;
	}
	return 3;
}

// Maps whole pages; an existing identical mapping is left as it is.
static void map_range(uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs)
{
	while (size) {
		unsigned level = block_level(va, pa, size);
		uint64_t *table = kernel_l0;
		for (unsigned l = 0; l < level; l++)
			table = next_table(table, level_index(va, l));
		uint64_t entry = pa | attrs | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
		uint64_t *slot = &table[level_index(va, level)];
		if (*slot && *slot != entry)
			panic("mmu: %lx is already mapped differently", va);
		*slot = entry;
		va += level_size(level);
		pa += level_size(level);
		size -= level_size(level);
	}
}

static void map_linear(paddr_t start, paddr_t end, uint64_t attrs)
{
	start &= ~(PAGE_SIZE - 1);
	end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (start < end)
		map_range((uint64_t)phys_to_virt(start), start, end - start, attrs);
}

void *mmio_map(paddr_t pa, size_t size)
{
	uint64_t daif = irq_save();
	spin_lock(&map_lock);
	if (!kernel_l0)
		kernel_l0 = table_alloc();
	map_linear(pa, pa + size, ATTR_DEVICE);
	dsb(ishst);
	isb();
	spin_unlock(&map_lock);
	irq_restore(daif);
	return phys_to_virt(pa);
}

// Maps a RAM range, leaving out the kernel image, which gets its own permissions.
static void map_ram(const struct mem_range *ram)
{
	paddr_t image_start = virt_to_phys(_start), image_end = virt_to_phys(_end);
	paddr_t start = (ram->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	paddr_t end = (ram->base + ram->size) & ~(PAGE_SIZE - 1);
	if (start < image_start)
		map_linear(start, end < image_start ? end : image_start, ATTR_DATA);
	if (end > image_end)
		map_linear(start > image_end ? start : image_end, end, ATTR_DATA);
}

void mmu_init(const struct platform *platform)
{
	spin_lock(&map_lock);
	if (!kernel_l0)
		kernel_l0 = table_alloc();
	for (unsigned i = 0; i < platform->memory_count; i++)
		map_ram(&platform->memory[i]);
	map_linear(virt_to_phys(_start), virt_to_phys(_etext), ATTR_TEXT);
	map_linear(virt_to_phys(_etext), virt_to_phys(_erodata), ATTR_RODATA);
	map_linear(virt_to_phys(_erodata), virt_to_phys(_end), ATTR_DATA);
	spin_unlock(&map_lock);

	// The switch runs from the identity map, through ttbr1_replace's physical alias.
	dsb(ishst);
	void (*replace)(uint64_t) = (void (*)(uint64_t))virt_to_phys((void *)ttbr1_replace);
	replace(virt_to_phys(kernel_l0));
	secondary_ttbr1 = virt_to_phys(kernel_l0);
	// Secondaries read it with their caches off.
	__asm__ volatile("dc cvac, %0" : : "r"(&secondary_ttbr1) : "memory");
	dsb(sy);
	mmu_drop_identity();
}

void *empty_table_address(void) { return empty_table; }

void mmu_drop_identity(void)
{
	sysreg_write(ttbr0_el1, virt_to_phys(empty_table));
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	isb();
}
