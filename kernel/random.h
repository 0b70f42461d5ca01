#pragma once
// The kernel's CSPRNG: keys for channels, AT_RANDOM for programs.
#include <stddef.h>
#include <stdint.h>

// Seeds it from the DTB's rng-seed (may be absent) and timer jitter. Before any use.
void random_init(const uint8_t *seed, size_t seed_size);

// n bytes, n at most RANDOM_MAX per call; may be called from any CPU.
#define RANDOM_MAX 256
void random_bytes(void *out, size_t n);

// KCALL_RANDOM (PM: AT_RANDOM and getrandom).
struct trapframe;
long random_kcall(struct trapframe *frame);
