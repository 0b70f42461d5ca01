#pragma once
// The names of message types, for whoever shows the IPC trace: the host console
// (tools/console) and programs in the guest. Server messages are named after their
// constants without the XINIM_ prefix (MM_FAULT), system calls by Linux's name (openat);
// tests/unit/msgnames.sh checks that the table names every message of the protocol
// headers and that docs/ipc.md lists them, so that none can drift.
#include <stdint.h>

// The name of a message of type; NULL for a type no header defines.
const char *xinim_message_name(int32_t type);
