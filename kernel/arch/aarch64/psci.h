#pragma once
// PSCI, the firmware interface for CPU power (over HVC or SMC as the DTB says).
#include <stdint.h>
#include <kernel/dtb.h>

void psci_init(enum psci_method method);
// Starts the CPU with this MPIDR at physical address entry with x0 = context.
// Returns 0 or the negative PSCI error.
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
// Powers the machine off; returns only when there is no PSCI.
void psci_system_off(void);
// Resets the machine (a cold reboot); returns only when there is no PSCI.
void psci_system_reset(void);
