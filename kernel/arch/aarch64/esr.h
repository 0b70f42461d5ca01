#pragma once
// Decoding of ESR_EL1 for fault reports. Pure; built on the host for unit tests.
#include <stdint.h>

#define ESR_EC(esr)  ((unsigned)((esr) >> 26) & 0x3f)

// The exception class, e.g. "data abort (same EL)".
const char *esr_class_name(uint64_t esr);

// For instruction and data aborts: the fault status, e.g. "translation fault", with
// *level set to the translation level (or -1 where the status has none). NULL for other
// classes.
const char *esr_fault_name(uint64_t esr, int *level);

// For data aborts: "read" or "write"; NULL for other classes.
const char *esr_access(uint64_t esr);

// For a translation, access flag or permission fault from EL0: the access it was
// (XINIM_MM_READ, _WRITE or _EXEC, include/xinim/ipc/mm.h), which MM may resolve; 0 for
// any other exception.
unsigned esr_page_fault(uint64_t esr);

// The Linux signal (enum xinim_linux_signal, include/xinim/ipc/pm.h) that ends a
// program for this exception from EL0.
unsigned esr_signal(uint64_t esr);
int esr_signal_code(uint64_t esr);
