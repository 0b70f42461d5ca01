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

// The tree is read in one walk; a cursor knows the path from the root to its node, so
// that "reg" can be read with the parent's cells and translated through each bus.
#define MAX_DEPTH 16

struct cursor {
	const void *fdt;
	int depth;		// the root is 0
	int path[MAX_DEPTH];	// path[d] is the node's ancestor at depth d; path[depth] the node
};

static int cursor_node(const struct cursor *c) { return c->path[c->depth]; }
static int cursor_parent(const struct cursor *c) { return c->path[c->depth - 1]; }

// Translates a bus address of the node's parent up through each bus's "ranges" to a CPU
// physical address. An empty "ranges" is the identity; a missing one means the bus is
// not memory-mapped.
static int translate(const struct cursor *c, uint64_t *addr)
{
	for (int d = c->depth - 1; d > 0; d--) {
		int bus = c->path[d], len;
		const fdt32_t *ranges = fdt_getprop(c->fdt, bus, "ranges", &len);
		if (!ranges)
			return -FDT_ERR_NOTFOUND;
		if (len == 0)
			continue;
		int child_cells = fdt_address_cells(c->fdt, bus);
		int parent_cells = fdt_address_cells(c->fdt, c->path[d - 1]);
		int size_cells = fdt_size_cells(c->fdt, bus);
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

// Entry index of the node's "reg", translated to a physical address.
static int node_reg(const struct cursor *c, int index, struct mem_range *out)
{
	int address_cells = fdt_address_cells(c->fdt, cursor_parent(c));
	int size_cells = fdt_size_cells(c->fdt, cursor_parent(c));
	if (address_cells < 0 || size_cells < 0 || address_cells > 2 || size_cells > 2)
		return -FDT_ERR_BADNCELLS;
	int len, stride = address_cells + size_cells;
	const fdt32_t *reg = fdt_getprop(c->fdt, cursor_node(c), "reg", &len);
	if (!reg || stride == 0 || (index + 1) * stride * 4 > len)
		return -FDT_ERR_NOTFOUND;
	reg += index * stride;
	out->base = read_cells(reg, address_cells);
	out->size = read_cells(reg + address_cells, size_cells);
	return translate(c, &out->base);
}

static void add_range(struct mem_range *ranges, unsigned *count, struct mem_range range)
{
	if (range.size && *count < PLATFORM_MAX_RANGES)
		ranges[(*count)++] = range;
}

// Every "reg" entry of the node into ranges.
static void add_node_ranges(const struct cursor *c, struct mem_range *ranges, unsigned *count)
{
	struct mem_range range;
	for (int i = 0; node_reg(c, i, &range) == 0; i++)
		add_range(ranges, count, range);
}

#define MAX_UARTS 4

struct walk {
	struct platform *out;
	const char *stdout_path;	// /chosen stdout-path, NULL when absent
	unsigned uarts;
	int uart_node[MAX_UARTS];
	uint64_t uart_base[MAX_UARTS];
	unsigned uart_intid[MAX_UARTS];
};

// The GIC interrupt ID of a node's first "interrupts" entry, <type number flags> with
// type 0 for an SPI and 1 for a PPI; 0 when it has none that a GIC names so.
static unsigned node_intid(const struct cursor *c)
{
	int len;
	const fdt32_t *irq = fdt_getprop(c->fdt, cursor_node(c), "interrupts", &len);
	if (!irq || len < 3 * 4 || fdt32_to_cpu(irq[0]) > 1)
		return 0;
	unsigned first = fdt32_to_cpu(irq[0]) == 0 ? 32 : 16, number = fdt32_to_cpu(irq[1]);
	return number < 1020 - first ? first + number : 0;
}

// Every PL011 is a candidate; the console is chosen once /chosen has been read.
static int parse_uart(const struct cursor *c, struct walk *w)
{
	struct mem_range reg;
	if (w->uarts == MAX_UARTS)
		return 0;
	if (node_reg(c, 0, &reg) != 0)
		return fail(w->out, -FDT_ERR_BADVALUE, "PL011 without reg");
	w->uart_node[w->uarts] = cursor_node(c);
	w->uart_intid[w->uarts] = node_intid(c);
	w->uart_base[w->uarts++] = reg.base;
	return 0;
}

// The UART that stdout-path names, else the first. The path is looked up only when
// there is a choice, as the lookup costs another walk of the tree.
static void choose_uart(const void *fdt, struct walk *w)
{
	if (w->uarts == 0)
		return;
	w->out->uart = w->uart_base[0];
	w->out->uart_intid = w->uart_intid[0];
	if (w->uarts == 1 || !w->stdout_path)
		return;
	const char *options = strchr(w->stdout_path, ':');
	int length = options ? (int)(options - w->stdout_path) : (int)strlen(w->stdout_path);
	int node = fdt_path_offset_namelen(fdt, w->stdout_path, length);
	for (unsigned i = 0; i < w->uarts; i++)
		if (w->uart_node[i] == node) {
			w->out->uart = w->uart_base[i];
			w->out->uart_intid = w->uart_intid[i];
		}
}

static int parse_gic(const struct cursor *c, struct walk *w, unsigned version)
{
	struct platform *out = w->out;
	struct mem_range dist, second;
	if (out->gic_version)
		return 0;
	if (node_reg(c, 0, &dist) != 0 || node_reg(c, 1, &second) != 0)
		return fail(out, -FDT_ERR_BADVALUE, "GIC node without two reg entries");
	out->gic_version = version;
	out->gic_dist = dist.base;
	if (version == 3)
		out->gic_redist = second;
	else
		out->gic_cpu = second.base;
	return 0;
}

static int parse_gicv2(const struct cursor *c, struct walk *w) { return parse_gic(c, w, 2); }
static int parse_gicv3(const struct cursor *c, struct walk *w) { return parse_gic(c, w, 3); }

// The architected timer's interrupts are, in order: secure physical, non-secure
// physical, virtual, hypervisor; each <type number flags> with type 1 for a PPI.
static int parse_timer(const struct cursor *c, struct walk *w)
{
	int len;
	const fdt32_t *irqs = fdt_getprop(c->fdt, cursor_node(c), "interrupts", &len);
	if (w->out->timer_intid)
		return 0;
	if (!irqs || len < 9 * 4)
		return fail(w->out, -FDT_ERR_BADVALUE, "timer without its four interrupts");
	if (fdt32_to_cpu(irqs[6]) != 1)
		return fail(w->out, -FDT_ERR_BADVALUE, "virtual timer interrupt is not a PPI");
	w->out->timer_intid = 16 + fdt32_to_cpu(irqs[7]);
	return 0;
}

// The real-time clock is optional: one without reg is left out, not an error.
static int parse_rtc(const struct cursor *c, struct walk *w)
{
	struct mem_range reg;
	if (!w->out->rtc && node_reg(c, 0, &reg) == 0)
		w->out->rtc = reg.base;
	return 0;
}

static int parse_psci(const struct cursor *c, struct walk *w)
{
	const char *method = fdt_getprop(c->fdt, cursor_node(c), "method", 0);
	if (w->out->psci == PSCI_NONE && method)
		w->out->psci = strcmp(method, "hvc") == 0   ? PSCI_HVC
			       : strcmp(method, "smc") == 0 ? PSCI_SMC
							    : PSCI_NONE;
	return 0;
}

static const struct {
	const char *compatible;
	int (*parse)(const struct cursor *c, struct walk *w);
} devices[] = {
	{ "arm,pl011", parse_uart },
	{ "arm,gic-v3", parse_gicv3 },
	{ "arm,cortex-a15-gic", parse_gicv2 },
	{ "arm,gic-400", parse_gicv2 },
	{ "arm,cortex-a9-gic", parse_gicv2 },
	{ "arm,cortex-a7-gic", parse_gicv2 },
	{ "arm,armv8-timer", parse_timer },
	{ "arm,armv7-timer", parse_timer },
	{ "arm,pl031", parse_rtc },
	{ "arm,psci-1.0", parse_psci },
	{ "arm,psci-0.2", parse_psci },
};

static void parse_cpu(const struct cursor *c, struct platform *out)
{
	int len, cells = fdt_address_cells(c->fdt, cursor_parent(c));
	const fdt32_t *reg = fdt_getprop(c->fdt, cursor_node(c), "reg", &len);
	if (!reg || cells < 1 || cells > 2 || len < cells * 4)
		return;
	if (out->cpu_count == PLATFORM_MAX_CPUS)
		out->cpus_ignored++;
	else
		out->cpu_mpidr[out->cpu_count++] = read_cells(reg, cells);
}

static uint64_t chosen_number(const void *fdt, int chosen, const char *name, bool *found)
{
	int len;
	const fdt32_t *value = fdt_getprop(fdt, chosen, name, &len);
	*found = value && (len == 4 || len == 8);
	return *found ? read_cells(value, len / 4) : 0;
}

// /chosen: command line, initrd, random seed, and which UART is the console.
static int parse_chosen(const struct cursor *c, struct walk *w)
{
	struct platform *out = w->out;
	int chosen = cursor_node(c);
	const char *bootargs = fdt_getprop(c->fdt, chosen, "bootargs", 0);
	if (bootargs)
		out->bootargs = bootargs;
	w->stdout_path = fdt_getprop(c->fdt, chosen, "stdout-path", 0);
	bool has_start, has_end;
	uint64_t start = chosen_number(c->fdt, chosen, "linux,initrd-start", &has_start);
	uint64_t end = chosen_number(c->fdt, chosen, "linux,initrd-end", &has_end);
	if (has_start && has_end) {
		if (end < start)
			return fail(out, -FDT_ERR_BADVALUE, "initrd ends before it starts");
		out->initrd = (struct mem_range){ start, end - start };
	}
	int len;
	const uint8_t *seed = fdt_getprop(c->fdt, chosen, "rng-seed", &len);
	if (seed) {
		out->rng_seed = seed;
		out->rng_seed_size = (size_t)len;
	}
	return 0;
}

static bool name_is(const struct cursor *c, int depth, const char *name)
{
	const char *actual = fdt_get_name(c->fdt, c->path[depth], 0);
	size_t length = strlen(name);
	return actual && strncmp(actual, name, length) == 0 &&
	       (actual[length] == '\0' || actual[length] == '@');
}

// The node's device_type and compatible, read in one pass over its properties.
static void node_identity(const struct cursor *c, const char **type, const char **compatible,
			  int *compatible_length)
{
	int property;
	*type = *compatible = 0;
	fdt_for_each_property_offset(property, c->fdt, cursor_node(c)) {
		const char *name;
		int len;
		const char *value = fdt_getprop_by_offset(c->fdt, property, &name, &len);
		if (value && strcmp(name, "device_type") == 0) {
			*type = value;
		} else if (value && strcmp(name, "compatible") == 0) {
			*compatible = value;
			*compatible_length = len;
		}
	}
}

// One node: /chosen, memory, a CPU, a reservation, or a device from the table.
static int parse_node(const struct cursor *c, struct walk *w)
{
	const char *type, *compatible;
	int len = 0;
	node_identity(c, &type, &compatible, &len);
	if (c->depth == 1 && name_is(c, 1, "chosen")) {
		int err = parse_chosen(c, w);
		if (err)
			return err;
	}
	if (type && strcmp(type, "memory") == 0)
		add_node_ranges(c, w->out->memory, &w->out->memory_count);
	else if (type && strcmp(type, "cpu") == 0 && c->depth == 2 && name_is(c, 1, "cpus"))
		parse_cpu(c, w->out);
	else if (c->depth == 2 && name_is(c, 1, "reserved-memory"))
		add_node_ranges(c, w->out->reserved, &w->out->reserved_count);
	for (size_t i = 0; compatible && i < sizeof(devices) / sizeof(devices[0]); i++) {
		if (fdt_stringlist_contains(compatible, len, devices[i].compatible)) {
			int err = devices[i].parse(c, w);
			if (err)
				return err;
		}
	}
	return 0;
}

// Calls visit for every node, in DTB order, with a cursor that knows its path; stops at
// visit's first non-zero answer and returns it; a negative libfdt error when the
// structure is malformed.
static int walk_tree(const void *fdt, int (*visit)(const struct cursor *c, void *arg), void *arg)
{
	struct cursor c = { .fdt = fdt };
	int node = 0, depth = 0;
	while (node >= 0 && depth >= 0) {
		if (depth < MAX_DEPTH) {
			c.path[depth] = node;
			c.depth = depth;
			int answer = visit(&c, arg);
			if (answer)
				return answer;
		}
		node = fdt_next_node(fdt, node, &depth);
	}
	return node != -FDT_ERR_NOTFOUND && node < 0 ? node : 0;
}

static int visit_parse(const struct cursor *c, void *w) { return parse_node(c, w); }

static int check_found(struct platform *out)
{
	if (out->memory_count == 0)
		return fail(out, -FDT_ERR_NOTFOUND, "no memory node");
	if (!out->uart)
		return fail(out, -FDT_ERR_NOTFOUND, "no PL011 UART");
	if (!out->gic_version)
		return fail(out, -FDT_ERR_NOTFOUND, "no supported GIC");
	if (!out->timer_intid)
		return fail(out, -FDT_ERR_NOTFOUND, "no architected timer");
	if (out->cpu_count == 0)
		return fail(out, -FDT_ERR_NOTFOUND, "no cpu nodes");
	return 0;
}

static void parse_memreserve(const void *fdt, struct platform *out)
{
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			add_range(out->reserved, &out->reserved_count, (struct mem_range){ base, size });
	}
}

size_t dtb_size(const void *fdt)
{
	return fdt_check_header(fdt) == 0 ? fdt_totalsize(fdt) : 0;
}

int dtb_parse(const void *fdt, struct platform *out)
{
	memset(out, 0, sizeof(*out));
	out->bootargs = "";
	struct walk walk = { .out = out };
	int err = fdt_check_header(fdt);
	if (err)
		return fail(out, err, "bad DTB header");
	parse_memreserve(fdt, out);
	if ((err = walk_tree(fdt, visit_parse, &walk)))
		return out->error ? err : fail(out, err, "malformed DTB structure");
	choose_uart(fdt, &walk);
	return check_found(out);
}

// The search of dtb_device: the index-th node (counting down) that names compatible.
struct device_search {
	const char *compatible;
	unsigned left;
	struct dtb_device *out;
};

static int visit_device(const struct cursor *c, void *arg)
{
	struct device_search *s = arg;
	int len;
	const char *compatible = fdt_getprop(c->fdt, cursor_node(c), "compatible", &len);
	if (c->depth == 0 || !compatible || !fdt_stringlist_contains(compatible, len, s->compatible))
		return 0;
	if (s->left--)
		return 0;
	struct mem_range reg = { 0, 0 };
	if (node_reg(c, 0, &reg) != 0)
		reg = (struct mem_range){ 0, 0 };	// no registers: nothing to map
	*s->out = (struct dtb_device){ .reg = reg, .intid = node_intid(c) };
	return 1;
}

int dtb_device(const void *fdt, const char *compatible, unsigned index, struct dtb_device *out)
{
	if (fdt_check_header(fdt) != 0)
		return -FDT_ERR_BADMAGIC;
	struct device_search search = { compatible, index, out };
	int answer = walk_tree(fdt, visit_device, &search);
	return answer == 1 ? 0 : answer < 0 ? answer : -FDT_ERR_NOTFOUND;
}
