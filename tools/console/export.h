#pragma once
// Chrome trace-event JSON, for Perfetto or chrome://tracing (docs/console.md, "Export"):
// a track per process (pid = its PID) with its calls as slices, call to reply, and the
// server's handling, receive to reply, joined by a flow; a track per CPU (pid
// EXPORT_CPU_PID + n) with each record as an instant.
#include <stdio.h>
#include "decode.h"

#define EXPORT_CPU_PID 100000	// above every XINIM PID

struct exporter;

struct exporter *exporter_create(FILE *out);	// writes the opening; NULL if out of memory
void exporter_take(struct exporter *exporter, const struct decoded *d, const struct names *names);
int exporter_finish(struct exporter *exporter);	// writes the end and frees; 0 or -EIO

// Writes s as a JSON string, quotes included.
void json_string(FILE *out, const char *s);
