#pragma once
// The kernel is built without FP/SIMD, but libsodium (Debian's, linked unmodified) uses
// the SIMD registers, which hold the running thread's user state while it is in the
// kernel. Code that calls libsodium brackets the calls with these two, which keep that
// state in a per-CPU area. Nothing between them may block or switch threads.
void fpsimd_kernel_begin(void);
void fpsimd_kernel_end(void);

// The same for codec_seal and codec_open alone, which call no libsodium: their cipher
// (lib/arch/aarch64/chacha20_blocks.S) uses v0-v7 and v16-v24 and no FPSR or FPCR bit,
// and their C is built without FP/SIMD, so these keep those 17 registers only.
void fpsimd_codec_begin(void);
void fpsimd_codec_end(void);
