#pragma once
#include <kernel/dtb.h>

// Makes the running CPU cpu 0 and points TPIDR_EL1 at it. First thing in kmain.
void cpu_boot_init(void);

// Registers the handlers of the interrupts between CPUs (before any CPU starts).
void smp_init(void);

// Brings up this CPU's interrupt controller interface, private interrupts and tick,
// unmasks interrupts, marks it online and logs "cpu N online".
void cpu_start_local(void);

// Starts every other CPU the DTB describes with PSCI CPU_ON and waits until each is
// online (or has failed). Returns how many are online, the boot CPU included.
unsigned smp_boot(const struct platform *platform);

