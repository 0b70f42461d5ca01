// keep_open on XINIM: the kept memory comes from the kernel (KCALL_KEEP).
#include <libipc/keep.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>

void *keep_open_at(void *va, size_t size, size_t undo_size, uint32_t version,
		   enum keep_start *start)
{
	long got = xinim_kcall(KCALL_KEEP, (long)va, (long)size);
	if (got < 0)
		return NULL;
	return keep_attach(va, size, undo_size, version, got == 1, got == 0, start);
}

void *keep_open(size_t state_size, size_t undo_size, uint32_t version, enum keep_start *start)
{
	size_t size = (KEEP_STATE_OFFSET(undo_size) + state_size + 4095) & ~(size_t)4095;
	return keep_open_at((void *)(uintptr_t)KEEP_VA, size, undo_size, version, start);
}

bool keep_start_with(const char *who, size_t state_size, size_t undo_size, uint32_t version,
		     void (*take)(void *state, enum keep_start start))
{
	enum keep_start start;
	void *state = keep_open(state_size, undo_size, version, &start);
	if (!state) {
		klog(LOGLEVEL_ERR, "%s: no kept memory: it cannot keep its state; stopping\n", who);
		return false;
	}
	take(state, start);
	return true;
}
