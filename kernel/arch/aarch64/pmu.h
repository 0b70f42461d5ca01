#pragma once
// The PMU's event counter 0 counts instructions retired at EL0 and EL1, on every CPU; with
// pmu.user=on user code may read it (`mrs PMEVCNTR0_EL0`), as Linux's perf_user_access
// allows. make bench counts with it what the guest executes while it waits for the host
// (docs/performance.md): under qemu -icount the event is QEMU's instruction count, of all
// vCPUs, without the clock's jumps over idle time.
#include <stdbool.h>

void pmu_init(bool user_read);	// boot CPU, once, before cpu_start_local
void pmu_init_cpu(void);	// every CPU, itself
