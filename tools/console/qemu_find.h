#pragma once
// Finding the QEMU whose guest RAM to read: boot/run.sh --trace-ram backs it with a
// removed file in /dev/shm, which QEMU holds open on descriptor 4.
#include <stdbool.h>
#include <sys/types.h>

#define QEMU_RAM_FD_PATH "/proc/%d/fd/4"
#define QEMU_PROGRAM "qemu-system-aarch64"

// The PID of this user's only qemu-system-aarch64 holding a /dev/shm/xinim-ram.* file
// (removed) on descriptor 4; 0 if there is none, -1 if several (listed on stderr).
pid_t qemu_find(void);

// Whether process pid runs QEMU (and no longer boot/run.sh, or a child not yet exec'd).
bool process_is_qemu(pid_t pid);

// Whether process pid still runs (is neither gone nor a zombie).
bool process_running(pid_t pid);
