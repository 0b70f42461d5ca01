# The kernel toolchain: freestanding AArch64, no libc but lib/freestanding and kernel/lib,
# linked with ld.lld against Debian's arm64 libfdt.a and libsodium.a.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-resource-dir
                OUTPUT_VARIABLE CLANG_RESOURCE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)

# -flto: the kernel is optimized whole (docs/performance.md). Full LTO, not
# thin: ThinLTO renames internal functions (name.llvm.HASH), which backtraces then show.
set(XINIM_KERNEL_FLAGS
    --target=aarch64-none-elf -march=armv8-a
    -ffreestanding -nostdinc "SHELL:-isystem ${CLANG_RESOURCE_DIR}/include"
    -I${PROJECT_SOURCE_DIR} -I${PROJECT_SOURCE_DIR}/include -I${PROJECT_SOURCE_DIR}/lib/include
    -I${PROJECT_SOURCE_DIR}/lib/freestanding/include
    "SHELL:-isystem ${XINIM_SYSROOT}/usr/include"
    -mgeneral-regs-only -mstrict-align -mcmodel=small -fno-pic -fno-pie
    -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
    -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables
    -O2 -g -flto)

set(XINIM_LIBFDT_A ${XINIM_SYSROOT}/usr/lib/aarch64-linux-gnu/libfdt.a)
set(XINIM_LIBSODIUM_A ${XINIM_SYSROOT}/usr/lib/aarch64-linux-gnu/libsodium.a)

# Marks a target's sources as kernel code.
function(xinim_kernel_target target)
  target_compile_options(${target} PRIVATE ${XINIM_KERNEL_FLAGS})
  if(XINIM_SELFTEST)
    target_compile_definitions(${target} PRIVATE XINIM_SELFTEST=1)
  endif()
endfunction()
