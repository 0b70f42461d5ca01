#pragma once
// The vDSO (docs/vdso.md): the clocks a program reads at EL0 without a system call, an
// ELF shared object PM maps into every program it starts, with the clock page (vvar) one
// page under it. The vvar's frame is one for all processes, in MM's store; PM says what
// it holds (XINIM_MM_VVAR_SET) and MM writes it.
#include <stdint.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>

// The image's pages, read and execute: the clocks on the first, the sigreturn trampoline
// (__kernel_rt_sigreturn) at the start of the second; the vvar's page under them (the
// vDSO's linker script says so too).
#define XINIM_VDSO_PAGES 2
#define XINIM_VDSO (XINIM_SIGRETURN_TRAMPOLINE - UINT64_C(4096))
#define XINIM_VVAR (XINIM_VDSO - UINT64_C(4096))

// What ready holds once the rest has been written; until then the vDSO makes the system
// call for the real-time clocks.
#define XINIM_VVAR_READY UINT64_C(0x7276617678696e69)

// The vvar's bytes. Each field is an aligned 64-bit word written by one store: base
// never changes once written (the kernel's RTC reading at boot), realtime_offset is PM's
// (clock_settime's), ready is written last. A reader needs no sequence count.
struct xinim_vvar {
	uint64_t ready;
	struct xinim_time_base base;
	int64_t realtime_offset;
};
