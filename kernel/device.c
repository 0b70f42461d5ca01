// Devices for user-space drivers (KCAP_DEVICE; docs/net.md, Device access): the DTB's
// nodes that name the compatible of the driver's boot-table row, their registers mapped
// into the driver, their interrupts as notifications, and memory for DMA.
//
// The machine has no IOMMU: a device reads and writes wherever its driver tells it, so
// the driver is trusted with all memory. The kernel holds no policy beyond "the nodes of
// the row's compatible, to the process of that row".
//
// Locking: irqs_lock guards bound[]; the interrupt handler takes it too, so it is taken
// with interrupts masked (irq_save). dma_lock guards dma[]. Neither is held with another.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/irq.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cpu.h>
#include <kernel/device.h>
#include <kernel/dtb.h>
#include <kernel/frame.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>

#define DMA_PAGES_MAX ((4UL << 20) / PAGE_SIZE)	// 4 MiB a driver
#define SPI_FIRST 32

static const void *dtb;

// No process: the kernel's endpoint, which no process has. The tables start so.
#define NOBODY XINIM_ENDPOINT_KERNEL

// Who an interrupt goes to; owner NOBODY: nobody, and it is disabled.
struct irq_binding {
	xinim_endpoint_t owner;
	uint64_t bits;
};

static struct spinlock irqs_lock;
static struct irq_binding bound[IRQ_LINES];

// A PID's DMA region: kept across a supervised driver's instances (its device may still
// write into it after the driver died), freed with any other process.
struct dma_region {
	uint64_t base;			// physical, contiguous
	size_t pages;			// 0: none
	xinim_endpoint_t mapped_by;	// the instance that has it mapped, or NOBODY
};

static struct spinlock dma_lock;
static struct dma_region dma[XINIM_PROCS_MAX];

void device_init(const void *fdt) { dtb = fdt; }

// Device index of the running driver's compatible: 0, or -ENOENT (no such device, or
// the process has no compatible).
static long device_find(uint64_t index, struct dtb_device *out)
{
	const char *compatible = proc_current()->device;
	if (!compatible || !dtb || index > UINT32_MAX)
		return -ENOENT;
	return dtb_device(dtb, compatible, (unsigned)index, out) ? -ENOENT : 0;
}

long device_kcall_info(struct trapframe *frame)
{
	struct dtb_device d;
	long err = device_find(frame->x[0], &d);
	if (err)
		return err;
	struct xinim_device info = { .base = d.reg.base, .size = d.reg.size, .irq = d.intid };
	return copy_to_user(frame->x[1], &info, sizeof(info)) ? -EFAULT : 0;
}

long device_kcall_map(struct trapframe *frame)
{
	struct dtb_device d;
	long err = device_find(frame->x[0], &d);
	if (err)
		return err;
	if (!d.reg.size)
		return -ENOENT;	// no registers to map
	uint64_t first = d.reg.base & ~(PAGE_SIZE - 1);
	uint64_t end = (d.reg.base + d.reg.size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	err = aspace_map_device(proc_aspace(proc_current()), frame->x[1], first,
				(end - first) / PAGE_SIZE);
	return err == -EEXIST ? -EINVAL : err;
}

// The interrupt arrives: masked at the GIC until the driver, having cleared its device's
// cause, acknowledges it (KCALL_DEVICE_IRQ_ACK); the driver is told by notification.
static void device_interrupt(unsigned intid)
{
	gic_disable(intid);
	uint64_t daif = irq_save();
	spin_lock(&irqs_lock);
	struct irq_binding b = bound[intid];
	spin_unlock(&irqs_lock);
	irq_restore(daif);
	if (b.owner != NOBODY)
		ipc_kernel_notify(xinim_endpoint_pid(b.owner), b.bits);
}

// The running driver's interrupt of device index in *intid: 0, -ENOENT (no such device,
// or it has no shared interrupt).
static long device_irq(uint64_t index, unsigned *intid)
{
	struct dtb_device d;
	long err = device_find(index, &d);
	if (!err && (d.intid < SPI_FIRST || d.intid >= IRQ_LINES))
		err = -ENOENT;
	*intid = err ? 0 : d.intid;
	return err;
}

long device_kcall_irq_bind(struct trapframe *frame)
{
	unsigned intid;
	long err = device_irq(frame->x[0], &intid);
	if (err)
		return err;
	xinim_endpoint_t self = proc_current()->endpoint;
	uint64_t bits = frame->x[1];
	uint64_t daif = irq_save();
	spin_lock(&irqs_lock);
	struct irq_binding *b = &bound[intid];
	if (b->owner != NOBODY && b->owner != self)
		err = -EBUSY;	// one driver at a time; a dead one's were unbound as it went
	else
		*b = bits ? (struct irq_binding){ self, bits }
			  : (struct irq_binding){ NOBODY, 0 };
	spin_unlock(&irqs_lock);
	irq_restore(daif);
	if (err)
		return err;
	if (bits)
		irq_register(intid, device_interrupt);	// and enabled
	else
		gic_disable(intid);
	return 0;
}

long device_kcall_irq_ack(struct trapframe *frame)
{
	unsigned intid;
	long err = device_irq(frame->x[0], &intid);
	if (err)
		return err;
	uint64_t daif = irq_save();
	spin_lock(&irqs_lock);
	bool owner = bound[intid].owner == proc_current()->endpoint;
	if (owner)
		gic_enable(intid);	// under the lock: an unbind cannot come between
	spin_unlock(&irqs_lock);
	irq_restore(daif);
	return owner ? 0 : -EPERM;
}

// PID pid's region of pages frames for instance self: 1 (an earlier instance's), 0
// (fresh, zeroed), -EBUSY (self has it already), -EINVAL (another size), -ENOMEM.
static long dma_region_take(unsigned pid, xinim_endpoint_t self, size_t pages, uint64_t *base)
{
	spin_lock(&dma_lock);
	struct dma_region *r = &dma[pid];
	long result = r->mapped_by == self ? -EBUSY
		      : r->pages ? (r->pages == pages ? 1 : -EINVAL) : 0;
	if (result == 0) {
		uint64_t frames = frame_alloc_contig(&kernel_frames, pages, 1);
		if (frames == FRAME_NONE)
			result = -ENOMEM;
		else
			*r = (struct dma_region){ frames, pages, NOBODY };
	}
	if (result >= 0) {
		r->mapped_by = self;
		*base = r->base;
	}
	spin_unlock(&dma_lock);
	if (result == 0)
		memset(phys_to_virt(*base), 0, pages * PAGE_SIZE);	// nobody maps it yet
	return result;
}

// The region of pid goes back to the pool, unmapped everywhere.
static void dma_region_free(unsigned pid)
{
	spin_lock(&dma_lock);
	struct dma_region r = dma[pid];
	dma[pid] = (struct dma_region){ 0 };
	spin_unlock(&dma_lock);
	if (r.pages)
		frame_free_range(&kernel_frames, r.base, r.pages);
}

// proc's region is no longer mapped by it: the next instance may take it.
static void dma_region_unmapped(const struct proc *proc)
{
	spin_lock(&dma_lock);
	if (dma[proc->pid].mapped_by == proc->endpoint)
		dma[proc->pid].mapped_by = NOBODY;
	spin_unlock(&dma_lock);
}

long device_kcall_dma_alloc(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	uint64_t va = frame->x[0], length = frame->x[1], phys_at = frame->x[2], base = 0;
	if (!length || length % PAGE_SIZE || length / PAGE_SIZE > DMA_PAGES_MAX || va % PAGE_SIZE)
		return -EINVAL;
	if (!user_writable(phys_at, sizeof(base)))
		return -EFAULT;
	long result = dma_region_take(proc->pid, proc->endpoint, length / PAGE_SIZE, &base);
	if (result < 0)
		return result;
	int err = aspace_map_kept(proc_aspace(proc), va, base, length / PAGE_SIZE,
				  PROT_READ | PROT_WRITE);
	if (err) {	// undone: as if not asked (a fresh region is not kept for nothing)
		if (result == 0)
			dma_region_free(proc->pid);
		else
			dma_region_unmapped(proc);
		return err == -EEXIST ? -EINVAL : err;
	}
	return copy_to_user(phys_at, &base, sizeof(base)) ? -EFAULT : result;
}

void device_release(struct proc *proc)
{
	uint64_t daif = irq_save();
	spin_lock(&irqs_lock);
	for (unsigned intid = SPI_FIRST; intid < IRQ_LINES; intid++) {
		if (bound[intid].owner != proc->endpoint)
			continue;
		bound[intid] = (struct irq_binding){ NOBODY, 0 };
		gic_disable(intid);
	}
	spin_unlock(&irqs_lock);
	irq_restore(daif);
	if (proc->supervised)
		dma_region_unmapped(proc);
	else
		dma_region_free(proc->pid);
}
