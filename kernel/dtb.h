#pragma once
// What the kernel needs to know about the machine, read from the flattened device tree.
// Pure: no printing, no hardware access; built on the host for unit tests.
#include <stddef.h>
#include <stdint.h>

#define PLATFORM_MAX_RANGES 16
#define PLATFORM_MAX_CPUS   8

struct mem_range {
	uint64_t base;
	uint64_t size;
};

enum psci_method { PSCI_NONE, PSCI_HVC, PSCI_SMC };

struct platform {
	struct mem_range memory[PLATFORM_MAX_RANGES];
	unsigned memory_count;
	struct mem_range reserved[PLATFORM_MAX_RANGES];	// /memreserve/ and /reserved-memory
	unsigned reserved_count;
	uint64_t uart;			// PL011 base: /chosen stdout-path, else the first arm,pl011
	unsigned uart_intid;		// its interrupt (an SPI); 0: none, no console input
	unsigned gic_version;		// 2 or 3
	uint64_t gic_dist;
	uint64_t gic_cpu;		// GICv2 CPU interface
	struct mem_range gic_redist;	// GICv3 redistributors (the first region)
	unsigned timer_intid;		// the EL1 virtual timer's PPI
	uint64_t rtc;			// PL031 base (the first arm,pl031); 0 when there is none
	enum psci_method psci;
	uint64_t cpu_mpidr[PLATFORM_MAX_CPUS];
	unsigned cpu_count;
	unsigned cpus_ignored;		// described beyond PLATFORM_MAX_CPUS
	struct mem_range initrd;	// size 0 when there is none
	const char *bootargs;		// points into the blob; "" when absent
	const uint8_t *rng_seed;
	size_t rng_seed_size;
	const char *error;		// why dtb_parse failed
};

// Fills *out from the blob at fdt. Returns 0, or a negative libfdt error with out->error
// naming what is missing or malformed.
int dtb_parse(const void *fdt, struct platform *out);

// The blob's total size as its header states it (0 when the header is invalid).
size_t dtb_size(const void *fdt);

// A device node's first register range (translated to a physical address; size 0 when
// it has none) and first interrupt (the GIC's ID: an SPI is 32 + the DTB's number; 0
// when none a GIC names).
struct dtb_device {
	struct mem_range reg;
	unsigned intid;
};

// The index-th node (0 the first, in DTB order) whose compatible list names compatible:
// 0, -FDT_ERR_NOTFOUND past the last, or another negative libfdt error (a bad blob).
int dtb_device(const void *fdt, const char *compatible, unsigned index, struct dtb_device *out);
