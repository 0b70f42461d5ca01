#pragma once
// What the boot loader handed over and servers may read (KCAP_BOOT): the boot archive,
// for VFS's ramfs, and the command line, for PM's init=.
#include <stddef.h>
#include <kernel/arch/aarch64/trapframe.h>

// kmain records them once, before any process runs.
void bootdata_set(const void *archive, size_t size, const char *cmdline);

const void *bootdata_archive(size_t *size);

// KCALL_BOOT_ARCHIVE and KCALL_BOOT_ARGS.
long bootdata_kcall_archive(struct trapframe *frame);
long bootdata_kcall_args(struct trapframe *frame);
