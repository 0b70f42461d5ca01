// fork's part in MM (XINIM_MM_FORK from PM): the child's space a copy of the parent's,
// region by region, its pages shared copy-on-write by the kernel (KCALL_SPACE_SHARE):
// the fork costs page-table work, not a copy of the parent's memory. Shared regions
// (MAP_SHARED, System V shm) are shared writable instead, every page of them: the
// parent's missing ones are made first, so that both see the same frames.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "mm.h"

// Each region of parent added to child, then its pages shared, and its attachments.
// On an error child is left empty.
static long copy_space(const struct space *parent, struct space *child)
{
	long err = 0;
	for (const struct region *r = regions_next(mm_pool, &parent->regions, 0); r && !err;
	     r = regions_next(mm_pool, &parent->regions, r->end)) {
		err = regions_add(mm_pool, &child->regions, r->start, r->end, r->prot);
		if (!err && r->prot & MM_SHARED)
			err = space_fill_shared(parent->owner, r->start, r->end, r->prot);
	}
	for (const struct region *r = regions_next(mm_pool, &parent->regions, 0); r && !err;
	     r = regions_next(mm_pool, &parent->regions, r->end))
		err = space_share(parent->owner, child, r->start, r->end, r->start);
	if (!err)
		err = shm_fork(parent, child);
	if (err) {
		shm_forget(xinim_endpoint_pid(child->owner));
		regions_clear(mm_pool, &child->regions);
		space_unmap(child, 0, XINIM_USER_TOP);
	}
	return err == -EOVERFLOW ? -ENOMEM : err;
}

// CLONE_CHILD_SETTID: the child's TID written into its own copy of the word, its page
// made the child's own first (a write fault's copy).
static long child_settid(struct space *child, uint64_t at, uint32_t tid)
{
	const struct region *r = regions_find(mm_pool, &child->regions, at);
	uint64_t page = page_down(at);
	if ((at & 3) || !r || !(r->prot & PROT_WRITE) || at >= r->end)
		return -EFAULT;
	long err = space_fault(child, page, r->prot);
	return err ? err : xinim_kcall4(KCALL_SPACE_WRITE, child->owner, (long)at, (long)&tid,
					sizeof(tid));
}

long mm_fork(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_mm_fork fork;
	memcpy(&fork, request->msg.payload, sizeof(fork));
	if (xinim_endpoint_pid(request->msg.header.source) != XINIM_PID_PM)
		return -EPERM;
	const struct space *parent = space_of(fork.parent);
	if (!parent || fork.child == fork.parent)
		return -ESRCH;
	struct space *child = space_claim(fork.child);	// an earlier try's half, dropped
	if (!child)
		return -ESRCH;
	long err = space_unmap(child, 0, XINIM_USER_TOP);
	if (!err)
		err = copy_space(parent, child);
	if (!err) {
		keep_change(child, sizeof(*child));
		child->brk_base = parent->brk_base;
		child->brk = parent->brk;
		child->as_limit = parent->as_limit;	// inherited, as PM's records
		child->data_limit = parent->data_limit;
	}
	if (!err && fork.settid_at)
		child_settid(child, fork.settid_at, fork.tid);	// Linux ignores a bad word
	return err;
}
