#include <libfdt.h>
#include <stdbool.h>
#include <string.h>
#include <kernel/dtb.h>

static int fail(struct platform *out, int err, const char *why)
{
	out->error = why;
	return err;
}

static uint64_t read_cells(const fdt32_t *cells, int count)
{
	uint64_t value = 0;
	while (count-- > 0)
		value = (value << 32) | fdt32_to_cpu(*cells++);
	return value;
}

// Translates a bus address of node's parent up through each bus's "ranges" to a CPU
// physical address. An empty "ranges" is the identity; a missing one means the bus is
// not memory-mapped.
static int translate(const void *fdt, int node, uint64_t *addr)
{
	for (int bus = fdt_parent_offset(fdt, node); bus > 0; bus = fdt_parent_offset(fdt, bus)) {
		int len;
		const fdt32_t *ranges = fdt_getprop(fdt, bus, "ranges", &len);
		if (!ranges)
			return -FDT_ERR_NOTFOUND;
		if (len == 0)
			continue;
		int child_cells = fdt_address_cells(fdt, bus);
		int parent_cells = fdt_address_cells(fdt, fdt_parent_offset(fdt, bus));
		int size_cells = fdt_size_cells(fdt, bus);
		int stride = child_cells + parent_cells + size_cells;
		bool found = false;
		for (int i = 0; stride > 0 && (i + stride) * 4 <= len; i += stride) {
			uint64_t child = read_cells(ranges + i, child_cells);
			uint64_t parent = read_cells(ranges + i + child_cells, parent_cells);
			uint64_t size = read_cells(ranges + i + child_cells + parent_cells, size_cells);
			if (*addr >= child && *addr - child < size) {
				*addr = *addr - child + parent;
				found = true;
				break;
			}
		}
		if (!found)
			return -FDT_ERR_NOTFOUND;
	}
	return 0;
}

// Entry index of node's "reg", translated to a physical address.
static int node_reg(const void *fdt, int node, int index, struct mem_range *out)
{
	int parent = fdt_parent_offset(fdt, node);
	int address_cells = fdt_address_cells(fdt, parent);
	int size_cells = fdt_size_cells(fdt, parent);
	if (parent < 0 || address_cells < 0 || size_cells < 0)
		return -FDT_ERR_BADNCELLS;
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int stride = address_cells + size_cells;
	if (!reg || stride == 0 || (index + 1) * stride * 4 > len)
		return -FDT_ERR_NOTFOUND;
	reg += index * stride;
	out->base = read_cells(reg, address_cells);
	out->size = read_cells(reg + address_cells, size_cells);
	return translate(fdt, node, &out->base);
}

static void add_range(struct mem_range *ranges, unsigned *count, struct mem_range range)
{
	if (range.size && *count < PLATFORM_MAX_RANGES)
		ranges[(*count)++] = range;
}

static int parse_memory(const void *fdt, struct platform *out)
{
	int node = -1;
	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) >= 0) {
		struct mem_range range;
		for (int i = 0; node_reg(fdt, node, i, &range) == 0; i++)
			add_range(out->memory, &out->memory_count, range);
	}
	if (out->memory_count == 0)
		return fail(out, -FDT_ERR_NOTFOUND, "no memory node");
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			add_range(out->reserved, &out->reserved_count, (struct mem_range){ base, size });
	}
	int reserved = fdt_path_offset(fdt, "/reserved-memory");
	if (reserved >= 0) {
		int child;
		fdt_for_each_subnode(child, fdt, reserved) {
			struct mem_range range;
			for (int i = 0; node_reg(fdt, child, i, &range) == 0; i++)
				add_range(out->reserved, &out->reserved_count, range);
		}
	}
	return 0;
}

static int parse_uart(const void *fdt, struct platform *out)
{
	int node = -FDT_ERR_NOTFOUND;
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", 0) : 0;
	if (path) {
		const char *options = strchr(path, ':');
		node = fdt_path_offset_namelen(fdt, path, options ? (int)(options - path)
								  : (int)strlen(path));
		if (node >= 0 && fdt_node_check_compatible(fdt, node, "arm,pl011") != 0)
			node = -FDT_ERR_NOTFOUND;
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	struct mem_range reg;
	if (node < 0 || node_reg(fdt, node, 0, &reg) != 0)
		return fail(out, -FDT_ERR_NOTFOUND, "no PL011 UART");
	out->uart = reg.base;
	return 0;
}

static const struct {
	const char *compatible;
	unsigned version;
} gic_models[] = {
	{ "arm,gic-v3", 3 },
	{ "arm,cortex-a15-gic", 2 },
	{ "arm,gic-400", 2 },
	{ "arm,cortex-a9-gic", 2 },
	{ "arm,cortex-a7-gic", 2 },
};

static int parse_gic(const void *fdt, struct platform *out)
{
	for (size_t i = 0; i < sizeof(gic_models) / sizeof(gic_models[0]); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, gic_models[i].compatible);
		struct mem_range dist, second;
		if (node < 0)
			continue;
		if (node_reg(fdt, node, 0, &dist) != 0 || node_reg(fdt, node, 1, &second) != 0)
			return fail(out, -FDT_ERR_BADVALUE, "GIC node without two reg entries");
		out->gic_version = gic_models[i].version;
		out->gic_dist = dist.base;
		if (out->gic_version == 3)
			out->gic_redist = second;
		else
			out->gic_cpu = second.base;
		return 0;
	}
	return fail(out, -FDT_ERR_NOTFOUND, "no supported GIC");
}

// The architected timer's interrupts are, in order: secure physical, non-secure
// physical, virtual, hypervisor; each <type number flags> with type 1 for a PPI.
static int parse_timer(const void *fdt, struct platform *out)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv7-timer");
	int len;
	const fdt32_t *irqs = node >= 0 ? fdt_getprop(fdt, node, "interrupts", &len) : 0;
	if (!irqs || len < 9 * 4)
		return fail(out, -FDT_ERR_NOTFOUND, "no architected timer interrupts");
	if (fdt32_to_cpu(irqs[6]) != 1)
		return fail(out, -FDT_ERR_BADVALUE, "virtual timer interrupt is not a PPI");
	out->timer_intid = 16 + fdt32_to_cpu(irqs[7]);
	return 0;
}

static void parse_psci(const void *fdt, struct platform *out)
{
	static const char *const models[] = { "arm,psci-1.0", "arm,psci-0.2" };
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, models[i]);
		const char *method = node >= 0 ? fdt_getprop(fdt, node, "method", 0) : 0;
		if (method) {
			out->psci = strcmp(method, "hvc") == 0   ? PSCI_HVC
				    : strcmp(method, "smc") == 0 ? PSCI_SMC
								 : PSCI_NONE;
			return;
		}
	}
}

static int parse_cpus(const void *fdt, struct platform *out)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int address_cells = cpus >= 0 ? fdt_address_cells(fdt, cpus) : -1;
	int node;
	if (address_cells < 1 || address_cells > 2)
		return fail(out, -FDT_ERR_NOTFOUND, "no /cpus node");
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", 0);
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!type || strcmp(type, "cpu") != 0 || !reg || len < address_cells * 4)
			continue;
		if (out->cpu_count == PLATFORM_MAX_CPUS) {
			out->cpus_ignored++;
			continue;
		}
		out->cpu_mpidr[out->cpu_count++] = read_cells(reg, address_cells);
	}
	if (out->cpu_count == 0)
		return fail(out, -FDT_ERR_NOTFOUND, "no cpu nodes");
	return 0;
}

static uint64_t chosen_number(const void *fdt, int chosen, const char *name, bool *found)
{
	int len;
	const fdt32_t *value = fdt_getprop(fdt, chosen, name, &len);
	*found = value && (len == 4 || len == 8);
	return *found ? read_cells(value, len / 4) : 0;
}

static int parse_chosen(const void *fdt, struct platform *out)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	out->bootargs = "";
	if (chosen < 0)
		return 0;
	const char *bootargs = fdt_getprop(fdt, chosen, "bootargs", 0);
	if (bootargs)
		out->bootargs = bootargs;
	bool has_start, has_end;
	uint64_t start = chosen_number(fdt, chosen, "linux,initrd-start", &has_start);
	uint64_t end = chosen_number(fdt, chosen, "linux,initrd-end", &has_end);
	if (has_start && has_end) {
		if (end < start)
			return fail(out, -FDT_ERR_BADVALUE, "initrd ends before it starts");
		out->initrd = (struct mem_range){ start, end - start };
	}
	int len;
	const uint8_t *seed = fdt_getprop(fdt, chosen, "rng-seed", &len);
	if (seed) {
		out->rng_seed = seed;
		out->rng_seed_size = (size_t)len;
	}
	return 0;
}

size_t dtb_size(const void *fdt)
{
	return fdt_check_header(fdt) == 0 ? fdt_totalsize(fdt) : 0;
}

int dtb_parse(const void *fdt, struct platform *out)
{
	memset(out, 0, sizeof(*out));
	int err = fdt_check_header(fdt);
	if (err)
		return fail(out, err, "bad DTB header");
	if ((err = parse_memory(fdt, out)) || (err = parse_uart(fdt, out)) ||
	    (err = parse_gic(fdt, out)) || (err = parse_timer(fdt, out)) ||
	    (err = parse_cpus(fdt, out)) || (err = parse_chosen(fdt, out)))
		return err;
	parse_psci(fdt, out);
	return 0;
}
