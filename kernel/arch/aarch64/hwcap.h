#pragma once
#include <stdint.h>

// AT_HWCAP for user programs, in Linux's bit layout, from the CPU's ID registers.
uint64_t arch_hwcap(void);
