#pragma once
// The kernel is built without FP/SIMD, but libsodium (Debian's, linked unmodified) uses
// the SIMD registers, which hold the running thread's user state while it is in the
// kernel. Code that calls libsodium brackets the calls with these two, which keep that
// state in a per-CPU area. Nothing between them may block or switch threads.
void fpsimd_kernel_begin(void);
void fpsimd_kernel_end(void);
