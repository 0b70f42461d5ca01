// RS's routes: the rs command's call, and the kernel's notes of deaths.
#include <xinim/ipc/message.h>
#include "rs.h"

static const struct ipc_route messages[XINIM_RS_MSG_END - XINIM_MSG_RS_FIRST] = {
	[XINIM_RS_CONTROL - XINIM_MSG_RS_FIRST] = { rs_control, sizeof(struct xinim_syscall) },
};

static void notified(const struct xinim_notification *note)
{
	if (note->from == XINIM_ENDPOINT_KERNEL && (note->bits & XINIM_NOTE_GONE))
		rs_deaths_read();
}

const struct ipc_table rs_table = {
	.first = XINIM_MSG_RS_FIRST,
	.count = XINIM_RS_MSG_END - XINIM_MSG_RS_FIRST,
	.routes = messages,
	.notified = notified,
};
