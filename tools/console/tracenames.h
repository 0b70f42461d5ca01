#pragma once
// The names of trace events and verdicts (enum xinim_trace_event, xinim_trace_verdict),
// as trace lines show them and filters take them.
#include <stdint.h>

const char *trace_event_name(uint8_t event);	// "call", "reply"...; "event?" if unknown
const char *trace_verdict_name(uint8_t verdict);	// "ok", "no-caller"...; "verdict?"
int trace_verdict_parse(const char *name);	// the verdict, or -1
