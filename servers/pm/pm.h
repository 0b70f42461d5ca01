#pragma once
// The process manager (ARCHITECTURE.md 4): processes, identity, time, signals. One file
// per concern; table.c routes the system calls to them.
#include <libipc/server.h>

extern const struct ipc_table pm_table;

// identity.c: who a process is and what system it runs on.
ipc_handler pm_getpid, pm_getppid, pm_gettid, pm_getuid, pm_uname, pm_set_tid_address;

// unserved.c: system calls nobody serves yet; each answers -ENOSYS and is counted.
ipc_handler pm_unserved;
