// The clock page (vvar, docs/vdso.md): one frame at XINIM_VVAR in MM's store, which the
// kernel keeps across MM's restarts, shared read-only into every program PM starts, so
// that the vDSO reads the real time's base and offset without a system call. PM says
// what it holds (XINIM_MM_VVAR_SET) at each change and whenever PM or MM starts again;
// MM only writes it. Each word is written by one aligned 64-bit store and `ready` last,
// so a reader never sees half a value, and a set redelivered writes the same bytes. MM
// makes the page as it starts (main.c), before it serves: the handlers find it there.
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include <xinim/vdso.h>
#include "mm.h"

#define VVAR_END (XINIM_VVAR + MM_PAGE)

int vvar_made(void)
{
	return space_fill_shared(XINIM_SPACE_STORE, XINIM_VVAR, VVAR_END, PROT_READ | PROT_WRITE);
}

static bool from_pm(const struct ipc_request *request)
{
	return xinim_endpoint_pid(request->msg.header.source) == XINIM_PID_PM;
}

long mm_exec_vvar(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_mm_exec exec;
	memcpy(&exec, request->msg.payload, sizeof(exec));
	struct space *s = from_pm(request) ? space_of(exec.target) : NULL;
	if (!s)
		return from_pm(request) ? -ESRCH : -EPERM;
	int err = regions_add(mm_pool, &s->regions, XINIM_VVAR, VVAR_END,
			      PROT_READ | MM_SHARED | REGION_VVAR);
	if (!err)
		err = space_share(XINIM_SPACE_STORE, s, XINIM_VVAR, VVAR_END, XINIM_VVAR);
	if (!err)
		err = space_protect(s, XINIM_VVAR, VVAR_END, PROT_READ);
	return err == -EEXIST ? -EINVAL : err;
}

long mm_vvar_set(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vvar_set set;
	memcpy(&set, request->msg.payload, sizeof(set));
	if (!from_pm(request))
		return -EPERM;
	const struct xinim_vvar words = {
		.ready = XINIM_VVAR_READY,
		.base = { .epoch_seconds = set.epoch_seconds, .counter = set.counter },
		.realtime_offset = set.realtime_offset,
	};
	const size_t ready_bytes = sizeof(words.ready);
	// the words after ready first, then ready
	int err = (int)xinim_kcall4(KCALL_SPACE_WRITE, XINIM_SPACE_STORE,
				    (long)(XINIM_VVAR + ready_bytes), (long)&words.base,
				    (long)(sizeof(words) - ready_bytes));
	if (!err)
		err = (int)xinim_kcall4(KCALL_SPACE_WRITE, XINIM_SPACE_STORE, (long)XINIM_VVAR,
					(long)&words.ready, (long)ready_bytes);
	return err;
}
