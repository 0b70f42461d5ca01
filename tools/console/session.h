#pragma once
// Where stream events go: the recorder takes them raw; the decoder turns records into
// decoded events, which, if the filter passes them, become trace lines, stats and
// export events. The same live and in a replay, so both print the same.
#include <stdio.h>
#include "decode.h"
#include "export.h"
#include "filter.h"
#include "recordfile.h"
#include "stats.h"

struct session {
	struct decoder decoder;
	struct filter filter;
	FILE *trace_out;		// NULL: no trace lines
	struct stats *stats;		// NULL: none
	struct exporter *exporter;	// NULL: none
	struct recorder *recorder;	// NULL: none
	long long stats_drawn_ms;	// when the stats were last drawn on a terminal
};

int session_init(struct session *session);	// 0 or -ENOMEM; no outputs yet
void session_free(struct session *session);	// frees stats, not the other outputs
void session_take(void *session, const struct stream_event *event);	// stream_sink_fn
