#pragma once
// Kept memory (docs/resurrection.md): frames that belong to a supervised PID, not to an
// instance, handed to each instance that asks (KCALL_KEEP).
struct trapframe;

long keep_kcall(struct trapframe *frame);
