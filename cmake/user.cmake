# The user toolchain: static AArch64 Linux programs, linked by ld.lld.
#   xinim_user_program(NAME SOURCES src... [MUSL | DIET] [IPC] [RUNTIME] [IMAGE_BASE addr]
#                      [INSTALL path] [BENCH] [LIBS static libraries...]
#                      [LINKER_SCRIPT file])
# Without MUSL a program is freestanding, on the small runtime in userland/lib (its own
# _start, the debug kernel calls, <xinim/runtime.h>) and lib/'s formatter and string
# functions. With MUSL it is linked against Debian's arm64 musl, start-up code and all,
# and lib/ (xinim_lib_user). IPC (implies MUSL) adds libipc and Debian's arm64
# libsodium.a. With DIET it is linked against Debian's arm64 dietlibc instead.
# Every program may include <xinim/runtime.h> (userland/lib/include) and lib/'s headers;
# RUNTIME (implies MUSL) links a musl program with the runtime's print() and its _Exit.
# INSTALL is its path in the boot archive (bin/NAME unless said). BENCH: a program of
# make bench, built like the others but kept out of the boot archive (tools/bench.sh
# brings it to XINIM in an archive of its own, and to Linux in its initramfs), so that
# the boot archive, and what booting costs, do not change with the benchmarks.
# LINKER_SCRIPT adds sections to lld's own layout (INSERT; NET's kept memory).
set(XINIM_MUSL_LIB ${XINIM_SYSROOT}/usr/lib/aarch64-linux-musl)
set(XINIM_LIBGCC_A ${XINIM_SYSROOT}/usr/lib/gcc/aarch64-linux-gnu/12/libgcc.a)

# -flto: a program is optimized whole, with libipc and lib/ (their calls on the IPC
# path: seal, open, transport, the server loop's table and kept state, are inlined:
# -226 instructions an unsealed round trip, docs/performance.md); musl and
# libsodium stay Debian's archives.
set(XINIM_USER_FLAGS
    --target=aarch64-linux-musl -march=armv8-a -O2 -g -flto -fno-pic -fno-pie
    -fno-omit-frame-pointer -ffp-contract=off -nostdinc
    "SHELL:-isystem ${CLANG_RESOURCE_DIR}/include"
    -I${PROJECT_SOURCE_DIR}/include -I${PROJECT_SOURCE_DIR}/lib/include
    -I${PROJECT_SOURCE_DIR}/userland/lib/include)
set(XINIM_USER_FREESTANDING_FLAGS -ffreestanding -I${PROJECT_SOURCE_DIR}/lib/freestanding/include)
set(XINIM_USER_MUSL_FLAGS "SHELL:-isystem ${XINIM_SYSROOT}/usr/include/aarch64-linux-musl")
# libsodium's headers; after musl's, so that no glibc header is taken instead of musl's.
set(XINIM_USER_IPC_FLAGS "SHELL:-idirafter ${XINIM_SYSROOT}/usr/include")
set(XINIM_DIET_LIB ${XINIM_SYSROOT}/usr/lib/aarch64-linux-gnu/diet/lib-aarch64)
set(XINIM_USER_DIET_FLAGS "SHELL:-isystem ${XINIM_SYSROOT}/usr/include/diet"
    "SHELL:-idirafter ${XINIM_SYSROOT}/usr/include/aarch64-linux-gnu"
    "SHELL:-idirafter ${XINIM_SYSROOT}/usr/include" -fno-stack-protector)
set(XINIM_USER_LIBSODIUM_A ${XINIM_SYSROOT}/usr/lib/aarch64-linux-gnu/libsodium.a)

# Built programs go to XINIM_USER_BIN; the boot archive holds them where INSTALL says.
set(XINIM_USER_BIN ${CMAKE_BINARY_DIR}/userland/bin)
file(MAKE_DIRECTORY ${XINIM_USER_BIN})
set(XINIM_USER_PROGRAMS "" CACHE INTERNAL "programs for the boot archive")
set(XINIM_USER_INSTALL "" CACHE INTERNAL "their paths in the boot archive")

function(xinim_user_program name)
  cmake_parse_arguments(P "MUSL;DIET;IPC;RUNTIME;BENCH" "IMAGE_BASE;INSTALL;LINKER_SCRIPT"
                        "SOURCES;LIBS" ${ARGN})
  if(NOT P_INSTALL)
    set(P_INSTALL bin/${name})
  endif()
  if(P_IPC OR P_RUNTIME)
    set(P_MUSL TRUE)
  endif()
  add_library(${name}_objs OBJECT ${P_SOURCES})
  target_compile_options(${name}_objs PRIVATE ${XINIM_USER_FLAGS})
  set(link ${LLD} -static -nostdlib -z max-page-size=4096 -z noexecstack --no-undefined)
  if(P_IMAGE_BASE)
    list(APPEND link --image-base=${P_IMAGE_BASE})
  endif()
  if(P_LINKER_SCRIPT)	# a script that adds to lld's own layout (INSERT)
    list(APPEND link -T ${P_LINKER_SCRIPT})
  endif()
  if(P_MUSL)
    target_compile_options(${name}_objs PRIVATE ${XINIM_USER_MUSL_FLAGS})
    set(before ${XINIM_MUSL_LIB}/crt1.o ${XINIM_MUSL_LIB}/crti.o)
    set(after $<TARGET_FILE:xinim_lib_user> ${XINIM_MUSL_LIB}/libc.a ${XINIM_LIBGCC_A}
              ${XINIM_MUSL_LIB}/crtn.o)
    if(P_RUNTIME)
      list(PREPEND after $<TARGET_OBJECTS:xinim_runtime_musl>)
    endif()
    if(P_IPC)
      target_compile_options(${name}_objs PRIVATE ${XINIM_USER_IPC_FLAGS})
      target_link_libraries(${name}_objs PRIVATE libipc_user)	# its headers
      list(PREPEND after $<TARGET_OBJECTS:libipc_user> ${XINIM_USER_LIBSODIUM_A})
    endif()
  elseif(P_DIET)
    target_compile_options(${name}_objs PRIVATE ${XINIM_USER_DIET_FLAGS})
    set(before ${XINIM_DIET_LIB}/start.o)
    set(after ${XINIM_DIET_LIB}/libc.a ${XINIM_LIBGCC_A})
  else()
    target_compile_options(${name}_objs PRIVATE ${XINIM_USER_FREESTANDING_FLAGS})
    set(before $<TARGET_OBJECTS:xinim_runtime>)
    set(after $<TARGET_FILE:xinim_lib_freestanding>)
  endif()
  foreach(lib ${P_LIBS})	# before the C library, which they call
    list(PREPEND after $<TARGET_FILE:${lib}>)
  endforeach()
  set(program ${XINIM_USER_BIN}/${name})
  add_custom_command(OUTPUT ${program}
    COMMAND ${link} -o ${program} ${before} $<TARGET_OBJECTS:${name}_objs> ${after}
    DEPENDS $<TARGET_OBJECTS:${name}_objs> ${before} ${after} ${P_LINKER_SCRIPT}
    COMMAND_EXPAND_LISTS VERBATIM)
  add_custom_target(user_${name} ALL DEPENDS ${program})
  add_dependencies(user_${name} ${name}_objs)
  if(P_RUNTIME)
    add_dependencies(user_${name} xinim_runtime_musl)
  endif()
  if(P_MUSL)
    add_dependencies(user_${name} xinim_lib_user)
  elseif(NOT P_DIET)
    add_dependencies(user_${name} xinim_runtime xinim_lib_freestanding)
  endif()
  if(P_IPC)
    add_dependencies(user_${name} libipc_user)
  endif()
  if(P_LIBS)
    add_dependencies(user_${name} ${P_LIBS})
  endif()
  if(NOT P_BENCH)
    set(XINIM_USER_PROGRAMS ${XINIM_USER_PROGRAMS} ${name} CACHE INTERNAL "")
    set(XINIM_USER_INSTALL ${XINIM_USER_INSTALL} ${P_INSTALL} CACHE INTERNAL "")
  endif()
endfunction()
