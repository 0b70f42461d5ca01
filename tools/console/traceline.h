#pragma once
// One line per record, the format tests compare (docs/console.md, "Trace lines"):
//   TIME_US cpuN EVENT SOURCE -> DEST WHAT len=L VERDICT[ LATENCY us]
//   TIME_US cpuN name    NEW_NAME[PID]
//         - cpuN lost    COUNT
#include <stdio.h>
#include "decode.h"

void traceline_write(FILE *out, const struct decoded *d, const struct names *names);

// The line saying that a CPU's records were lost: "LOST cpuN lost COUNT".
void traceline_lost(FILE *out, const struct stream_lost *lost);

// A message type by name ("openat", "MM_FAULT"), else its number; into out
// (TYPE_SHOWN_MAX bytes).
const char *type_shown(int32_t type, char *out);
#define TYPE_SHOWN_MAX 32

// Nanoseconds as microseconds with three decimals, width at least width.
void write_us(FILE *out, uint64_t ns, int width);
