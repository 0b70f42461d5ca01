#pragma once
// The per-CPU tick from the EL1 virtual timer.
#include <kernel/dtb.h>

#define TIMER_HZ 100

void timer_init(const struct platform *platform);	// boot CPU, once
void timer_init_cpu(void);				// every CPU, itself
