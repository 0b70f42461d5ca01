// Event and verdict names: one table each, indexed by the enum.
#include <string.h>
#include <xinim/ipc/trace.h>
#include "tracenames.h"

static const char *const event_names[XINIM_TRACE_EVENTS] = {
	[XINIM_TRACE_CALL] = "call",	   [XINIM_TRACE_SEND] = "send",
	[XINIM_TRACE_RECEIVE] = "receive", [XINIM_TRACE_REPLY] = "reply",
	[XINIM_TRACE_NOTIFY] = "notify",   [XINIM_TRACE_REJECT] = "reject",
	[XINIM_TRACE_NAME] = "name",	   [XINIM_TRACE_RESTART] = "restart",
};

static const char *const verdict_names[XINIM_TRACE_VERDICTS] = {
	[XINIM_TRACE_OK] = "ok",		[XINIM_TRACE_DENIED] = "denied",
	[XINIM_TRACE_DEAD] = "dead",		[XINIM_TRACE_INVALID] = "invalid",
	[XINIM_TRACE_FAULT] = "fault",		[XINIM_TRACE_TIMEOUT] = "timeout",
	[XINIM_TRACE_NO_CALLER] = "no-caller",	[XINIM_TRACE_BAD_TAG] = "bad-tag",
	[XINIM_TRACE_REPLAY] = "replay",	[XINIM_TRACE_FULL] = "full",
};

const char *trace_event_name(uint8_t event)
{
	return event < XINIM_TRACE_EVENTS && event_names[event] ? event_names[event] : "event?";
}

const char *trace_verdict_name(uint8_t verdict)
{
	return verdict < XINIM_TRACE_VERDICTS ? verdict_names[verdict] : "verdict?";
}

int trace_verdict_parse(const char *name)
{
	for (int v = 0; v < XINIM_TRACE_VERDICTS; v++)
		if (!strcmp(verdict_names[v], name))
			return v;
	return -1;
}
