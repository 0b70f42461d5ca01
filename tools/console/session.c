// The pipeline from stream events to the outputs a subcommand asked for.
#include <stdlib.h>
#include "session.h"
#include "traceline.h"

int session_init(struct session *session)
{
	*session = (struct session){ 0 };
	filter_init(&session->filter);
	return decoder_init(&session->decoder);
}

void session_free(struct session *session)
{
	decoder_free(&session->decoder);
	stats_free(session->stats);
	session->stats = NULL;
}

static void take_record(struct session *s, const struct xinim_trace_record *record)
{
	struct decoded d;
	decoder_take(&s->decoder, record, &d);
	if (!filter_pass(&s->filter, &d, &s->decoder.names))
		return;
	if (s->trace_out)
		traceline_write(s->trace_out, &d, &s->decoder.names);
	if (s->stats)
		stats_add(s->stats, &d);
	if (s->exporter)
		exporter_take(s->exporter, &d, &s->decoder.names);
}

void session_take(void *session, const struct stream_event *event)
{
	struct session *s = session;
	if (s->recorder)
		recorder_take(s->recorder, event);
	switch (event->kind) {
	case STREAM_BOOT:
		decoder_boot(&s->decoder, &event->boot);
		if (s->stats)
			stats_cpus(s->stats, event->boot.cpus);
		break;
	case STREAM_RECORD:
		take_record(s, &event->record);
		break;
	case STREAM_NAME:
		names_set(&s->decoder.names, event->name.endpoint, event->name.name);
		break;
	case STREAM_LOST:
		if (s->trace_out)
			traceline_lost(s->trace_out, &event->lost);
		if (s->stats)
			stats_lost(s->stats, event->lost.cpu, event->lost.count);
		break;
	}
}
