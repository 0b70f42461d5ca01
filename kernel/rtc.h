#pragma once
// The real-time clock: the PL031 read once at boot, with the counter at that moment, so
// that PM can tell the time of day (KCALL_TIME_BASE). Without an RTC the time base is
// the epoch at boot.
#include <stdint.h>

// Maps and reads the PL031 at base (0: none) and logs the date. Once, at boot, before
// any process runs.
void rtc_init(uint64_t base);

// KCALL_TIME_BASE (PM).
struct trapframe;
long rtc_kcall_base(struct trapframe *frame);
