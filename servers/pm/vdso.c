// The vDSO's image (docs/vdso.md), built with the system (userland/vdso, vdso_image.h),
// the sigreturn trampoline included: exec.c writes it at XINIM_VDSO in every program PM
// starts.
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <xinim/vdso.h>
#include "pm.h"
#include "vdso_image.h"

_Static_assert(sizeof(vdso_image) <= XINIM_VDSO_PAGES * XINIM_PAGE_SIZE,
	       "the vDSO fits its pages (XINIM_VDSO_PAGES)");
_Static_assert(sizeof(vdso_image) <= XINIM_COPY_MAX, "the vDSO goes to MM in one write");
_Static_assert(sizeof(vdso_image) > XINIM_SIGRETURN_TRAMPOLINE - XINIM_VDSO,
	       "the vDSO holds the sigreturn trampoline (its second page)");

const void *vdso_bytes(size_t *size)
{
	*size = sizeof(vdso_image);
	return vdso_image;
}
