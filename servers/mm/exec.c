// Building a process's address space for execve, as PM asks: PM has read and checked the
// program; MM makes its regions and copies in what PM read.
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "mm.h"

static struct xinim_mm_exec exec_of(const struct ipc_request *request)
{
	struct xinim_mm_exec exec;
	memcpy(&exec, request->msg.payload, sizeof(exec));
	return exec;
}

// The request (*exec) and the space it is about; NULL and *err = -EPERM when it is not
// from PM, -ESRCH when MM does not manage the target.
static struct space *target_of(const struct ipc_request *request, struct xinim_mm_exec *exec,
			       long *err)
{
	*exec = exec_of(request);
	*err = -EPERM;
	if (xinim_endpoint_pid(request->msg.header.source) != XINIM_PID_PM)
		return NULL;
	struct space *s = space_of(exec->target);
	*err = s ? 0 : -ESRCH;
	return s;
}

long mm_exec_begin(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_mm_exec exec = exec_of(request);
	if (xinim_endpoint_pid(request->msg.header.source) != XINIM_PID_PM)
		return -EPERM;
	struct space *s = space_claim(exec.target);
	return s ? space_unmap(s, 0, XINIM_USER_TOP) : -ESRCH;
}

static bool range_ok(uint64_t va, uint64_t length)
{
	return length && va < XINIM_USER_TOP && length <= XINIM_USER_TOP - va;
}

long mm_exec_region(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	long err;
	struct xinim_mm_exec exec;
	struct space *s = target_of(request, &exec, &err);
	if (!s)
		return err;
	if (!range_ok(exec.va, exec.length) || exec.prot & ~MM_PROT_ALL)
		return -EINVAL;
	if (exec.va < MM_MIN_ADDR)
		return -EPERM;		// a program's segments too: nothing below 64 KiB
	if ((err = wx_check(exec.prot)) != 0)
		return err;
	err = regions_add(mm_pool, &s->regions, page_down(exec.va),
			  page_up(exec.va + exec.length), exec.prot);
	return err == -EEXIST ? -EINVAL : err;	// overlapping segments
}

// Copies PM's bytes in through MM's buffer; the pages are writable only meanwhile.
long mm_exec_write(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	static char buffer[XINIM_COPY_MAX];
	long err;
	struct xinim_mm_exec exec;
	struct space *s = target_of(request, &exec, &err);
	if (!s)
		return err;
	if (!range_ok(exec.va, exec.length) || exec.length > sizeof(buffer))
		return -EINVAL;
	uint64_t start = page_down(exec.va), end = page_up(exec.va + exec.length);
	const struct region *r = regions_find(mm_pool, &s->regions, exec.va);
	if (!r || !regions_cover(mm_pool, &s->regions, start, end))
		return -EFAULT;
	err = ipc_copy_from(request->msg.header.source, buffer, exec.source, exec.length);
	if (!err)
		err = space_protect(s, start, end, PROT_READ | PROT_WRITE);
	if (!err)
		err = space_map(s, start, end, PROT_READ | PROT_WRITE);
	if (!err)
		err = xinim_kcall4(KCALL_SPACE_WRITE, s->owner, (long)exec.va, (long)buffer,
				   (long)exec.length);
	for (uint64_t page = start; page < end && !err; page += MM_PAGE)
		err = space_protect(s, page, page + MM_PAGE, regions_find(mm_pool, &s->regions, page)->prot);
	return err;
}

long mm_exec_brk(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	long err;
	struct xinim_mm_exec exec;
	struct space *s = target_of(request, &exec, &err);
	if (!s)
		return err;
	if (exec.va >= MMAP_BOTTOM)
		return -EINVAL;
	keep_change(s, sizeof(*s));
	s->brk_base = s->brk = page_up(exec.va);
	return 0;
}

long mm_release(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	long err;
	struct xinim_mm_exec exec;
	struct space *s = target_of(request, &exec, &err);
	if (s)
		space_forget(s->owner);
	return err;
}
