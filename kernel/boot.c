// The boot CPU's path from the boot loader to an idle, interrupt-driven machine.
// Each stage logs one timed line; tests and tools read "cpu N online" and the final line.
#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/pmu.h>
#include <kernel/arch/aarch64/psci.h>
#include <kernel/arch/aarch64/smp.h>
#include <kernel/arch/aarch64/timer.h>
#include <kernel/bootdata.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cpu.h>
#include <kernel/device.h>
#include <kernel/dtb.h>
#include <kernel/frame.h>
#include <kernel/panic.h>
#include <kernel/selftest.h>
#include <errno.h>
#include <string.h>
#include <kernel/boottable.h>
#include <kernel/channel.h>
#include <kernel/random.h>
#include <kernel/rtc.h>
#include <xinim/format.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/trace.h>

#define MiB (1024 * 1024)

static struct platform platform;
struct frame_pool kernel_frames;

void kmain(paddr_t dtb_phys);

// Every range of RAM that is not free: the image, the DTB, the initrd, firmware reservations.
static unsigned used_ranges(paddr_t dtb_phys, struct mem_range *used)
{
	unsigned n = 0;
	used[n++] = (struct mem_range){ virt_to_phys(_start), (uint64_t)(_end - _start) };
	used[n++] = (struct mem_range){ dtb_phys, dtb_size(phys_to_virt(dtb_phys)) };
	if (platform.initrd.size)
		used[n++] = platform.initrd;
	for (unsigned i = 0; i < platform.reserved_count; i++)
		used[n++] = platform.reserved[i];
	return n;
}

// One pool over the span of all RAM; its bitmap goes in the first free place that fits.
static void frames_init(paddr_t dtb_phys)
{
	struct mem_range used[PLATFORM_MAX_RANGES + 4];
	unsigned used_count = used_ranges(dtb_phys, used);
	uint64_t low = UINT64_MAX, high = 0;
	for (unsigned i = 0; i < platform.memory_count; i++) {
		const struct mem_range *m = &platform.memory[i];
		low = m->base < low ? m->base : low;
		high = m->base + m->size > high ? m->base + m->size : high;
	}
	low &= ~(FRAME_SIZE - 1);
	size_t count = (high - low) / FRAME_SIZE;
	size_t bitmap_size = frame_bitmap_size(count);
	size_t meta_size = bitmap_size + frame_shares_size(count);	// the bitmap, then the
									// shares table
	uint64_t bitmap = range_find_free(platform.memory, platform.memory_count, used,
					  used_count, meta_size, FRAME_SIZE);
	if (bitmap == FRAME_NONE)
		panic("frames: no room for %zu bytes of frame tables", meta_size);
	frame_pool_init(&kernel_frames, low, count, phys_to_virt(bitmap));
	uint16_t *shares = phys_to_virt(bitmap + bitmap_size);
	memset(shares, 0, frame_shares_size(count));
	frame_pool_shares(&kernel_frames, shares);
	for (unsigned i = 0; i < platform.memory_count; i++)
		frame_pool_add(&kernel_frames, platform.memory[i].base,
			       platform.memory[i].base + platform.memory[i].size);
	used[used_count++] = (struct mem_range){ bitmap, meta_size };
	for (unsigned i = 0; i < used_count; i++)
		frame_pool_reserve(&kernel_frames, used[i].base, used[i].base + used[i].size);
	klog(LOGLEVEL_INFO, "frames: %zu free (%zu MiB), bitmap and shares of %zu KiB at %lx", kernel_frames.free,
	     kernel_frames.free * FRAME_SIZE / MiB, meta_size / 1024, bitmap);
}

static void log_platform(void)
{
	static const char *const psci_names[] = { "none", "hvc", "smc" };
	uint64_t ram = 0;
	for (unsigned i = 0; i < platform.memory_count; i++)
		ram += platform.memory[i].size;
	klog(LOGLEVEL_INFO, "xinim: booting on cpu 0 (mpidr %lx)", cpus[0].mpidr);
	klog(LOGLEVEL_INFO, "dtb: %lu MiB RAM in %u ranges, %u cpus, psci %s, uart %lx, cmdline \"%s\"",
	     ram / MiB, platform.memory_count, platform.cpu_count, psci_names[platform.psci],
	     platform.uart, platform.bootargs);
	if (platform.cpus_ignored)
		klog(LOGLEVEL_INFO, "dtb: %u cpus beyond the first %u ignored", platform.cpus_ignored, MAX_CPUS);
	if (platform.initrd.size)
		klog(LOGLEVEL_INFO, "initrd: %lx, %lu bytes", platform.initrd.base, platform.initrd.size);
	klog(LOGLEVEL_INFO, "mmu: on, W^X: text %lu KiB RX, rodata %lu KiB R, data+bss %lu KiB RW",
	     (uint64_t)(_etext - _start) / 1024, (uint64_t)(_erodata - _etext) / 1024,
	     (uint64_t)(_end - _erodata) / 1024);
}

static const struct boot_program *boot_program_find(const char *name)
{
	for (unsigned i = 0; i < boot_program_count; i++)
		if (strcmp(boot_programs[i].name, name) == 0)
			return &boot_programs[i];
	return NULL;
}

static void start_one(const struct boot_program *bp, const char *name, int argc,
		      const char *const argv[])
{
	int pid = bp ? proc_spawn(bp, argc, argv) : -ENOENT;
	if (!bp)
		klog(LOGLEVEL_ERR, "run: %s: no such program in the boot table", name);
	else if (pid == -ENOENT)	// a boot without it (a server not built): the rest goes on
		klog(LOGLEVEL_WARNING, "run: %s: %s is not in the boot archive: not started", name,
		     bp->path);
	else if (pid < 0)
		klog(LOGLEVEL_ERR, "run: %s: not started (error %d)", name, pid);
	else
		klog(LOGLEVEL_INFO, "run: %s started as proc %d", name, pid);
}

// The boot servers, in table order; PM then starts init.
static void start_servers(void)
{
	for (unsigned i = 0; i < boot_program_count; i++) {
		const struct boot_program *bp = &boot_programs[i];
		if (bp->boot)
			start_one(bp, bp->name, 1, &bp->path);
	}
}

// run=NAME,NAME,... starts those boot programs instead, each with its index in the list
// as argv[1] (for tests and benchmarks).
static void start_programs(void)
{
	char list[256], number[12];
	if (!cmdline_get(platform.bootargs, "run", list, sizeof(list))) {
		start_servers();
		return;
	}
	char *name = list;
	for (unsigned index = 0; name; index++) {
		char *comma = strchr(name, ',');
		if (comma)
			*comma = '\0';
		const struct boot_program *bp = boot_program_find(name);
		ksnprintf(number, sizeof(number), "%u", index);
		const char *argv[] = { bp ? bp->path : name, number };
		start_one(bp, name, 2, argv);
		name = comma ? comma + 1 : NULL;
	}
}

// Called from head.S on cpu 0's stack with the MMU on and the boot tables in place.
void kmain(paddr_t dtb_phys)
{
	cpu_boot_init();
	if (dtb_parse(phys_to_virt(dtb_phys), &platform) != 0)
		return;		// no console to say so: head.S parks the CPU
	mmu_init(&platform);
	console_init(platform.uart);
	klog_init(platform.bootargs);
	log_platform();
	frames_init(dtb_phys);
	psci_init(platform.psci);
	gic_init(&platform);
	panic_init();
	smp_init();
	sched_init();
	timer_init(&platform);
	console_input_init(platform.uart_intid);
	rtc_init(platform.rtc);
	pmu_init(cmdline_is(platform.bootargs, "pmu.user", "on"));
	cpu_start_local();
	unsigned online = smp_boot(&platform);
	klog(LOGLEVEL_INFO, "xinim: %u cpus online, %zu MiB free", online, kernel_frames.free * FRAME_SIZE / MiB);
#if XINIM_SELFTEST
	char test[32];
	if (cmdline_get(platform.bootargs, "test", test, sizeof(test))) {
		irq_enable();	// the self-tests wait for interrupts here, not in the idle loop
		selftest_run(test);
		irq_disable();
	}
#endif
	random_init(platform.rng_seed, platform.rng_seed_size);
	bool tracing = !cmdline_is(platform.bootargs, "trace", "off");
	uint64_t boot_id;
	random_bytes(&boot_id, sizeof(boot_id));
	trace_init(cpus_present, tracing, boot_id);
	if (!tracing)
		klog(LOGLEVEL_INFO, "trace: off (trace=off): no IPC records are written");
	bool sealing = !cmdline_is(platform.bootargs, "ipc.seal", "off");
	channel_init(sealing);
	if (!sealing)
		klog(LOGLEVEL_INFO, "ipc: sealing is off (ipc.seal=off): for measurement only");
	bootdata_set(phys_to_virt(platform.initrd.base), platform.initrd.size, platform.bootargs);
	device_init(phys_to_virt(dtb_phys));
	start_programs();
	sched_idle();
}
