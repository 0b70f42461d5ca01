#pragma once
// Supervised boot programs (docs/resurrection.md): how each instance ended, kept for RS,
// RS told when one is gone whole, and their restart from the boot image.
#include <stdint.h>
#include <xinim/ipc/rs.h>

struct proc;
struct trapframe;

// proc (a supervised one, else nothing happens) is ending for death's cause; the
// first cause recorded for an instance stands (a fault, then the end it causes).
void supervise_ending(const struct proc *proc, const struct xinim_death *death);

// The supervised process at pid is gone whole: RS hears of it (XINIM_NOTE_GONE), or,
// if it was RS, RS starts again.
void supervise_gone(unsigned pid);

// KCALL_PROC_DEATH and KCALL_PROC_RESTART (include/xinim/ipc/kcall.h).
long supervise_kcall_death(struct trapframe *frame);
long supervise_kcall_restart(struct trapframe *frame);
