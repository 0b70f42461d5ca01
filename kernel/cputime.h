#pragma once
// Each process's CPU time (kernel/cputime.c).
struct thread;
struct trapframe;

// The tick interrupted t (sched_tick): charged to its process.
void cputime_tick(const struct thread *t);
long cputime_kcall(struct trapframe *frame);	// KCALL_PROC_TIMES
