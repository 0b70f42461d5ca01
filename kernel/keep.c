// Kept memory: the first instance of a supervised PID that asks gets zeroed frames; every
// later instance that asks for as many gets the same ones, with their contents. They are
// never freed: a supervised PID always comes back.
#include <errno.h>
#include <string.h>
#include <xinim/limits.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/frame.h>
#include <kernel/keep.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>

#define KEEP_PAGES_MAX ((64UL << 20) / PAGE_SIZE)	// 64 MiB a server

struct kept {
	uint64_t base;		// physical, contiguous
	size_t pages;		// 0: none yet
};

static struct spinlock kept_lock;
static struct kept kept[XINIM_PROCS_MAX];

// PID pid's kept frames, pages of them, made zeroed if it has none: 1 (they were there),
// 0 (new), -EINVAL (another size), -ENOMEM.
static long kept_frames(unsigned pid, size_t pages, uint64_t *base)
{
	spin_lock(&kept_lock);
	struct kept *k = &kept[pid];
	long result = k->pages ? (k->pages == pages ? 1 : -EINVAL) : 0;
	if (!k->pages) {
		uint64_t frames = frame_alloc_contig(&kernel_frames, pages, 1);
		if (frames == FRAME_NONE) {
			result = -ENOMEM;
		} else {
			memset(phys_to_virt(frames), 0, pages * PAGE_SIZE);
			*k = (struct kept){ frames, pages };
		}
	}
	*base = k->base;
	spin_unlock(&kept_lock);
	return result;
}

long keep_kcall(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	uint64_t va = frame->x[0], length = frame->x[1], base;
	if (!proc->supervised)
		return -EPERM;
	if (!length || length % PAGE_SIZE || length / PAGE_SIZE > KEEP_PAGES_MAX)
		return -EINVAL;
	long result = kept_frames(proc->pid, length / PAGE_SIZE, &base);
	if (result < 0)
		return result;
	// The caller's own pages there go: a server's kept memory may be part of its image.
	int err = aspace_unmap(&proc->as, va, length);
	if (!err)
		err = aspace_map_kept(&proc->as, va, base, length / PAGE_SIZE, PROT_READ | PROT_WRITE);
	return err ? err : result;
}
