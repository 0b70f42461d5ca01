// Capability tables (kernel/cap.h).
#include <errno.h>
#include <stddef.h>
#include <kernel/cap.h>

int cap_grant_send(struct cap_table *caps, unsigned pid, uint64_t badge)
{
	if (pid == 0)
		return -EINVAL;
	struct cap_send *free_slot = NULL;
	for (unsigned i = 0; i < CAP_SEND_SLOTS; i++) {
		struct cap_send *c = &caps->send[i];
		if (c->pid == pid) {
			c->badge = badge;
			return 0;
		}
		if (!c->pid && !free_slot)
			free_slot = c;
	}
	if (!free_slot)
		return -ENOSPC;
	*free_slot = (struct cap_send){ .pid = pid, .badge = badge };
	return 0;
}

bool cap_lookup_send(const struct cap_table *caps, unsigned pid, uint64_t *badge)
{
	if (pid == 0)
		return false;
	for (unsigned i = 0; i < CAP_SEND_SLOTS; i++)
		if (caps->send[i].pid == pid) {
			*badge = caps->send[i].badge;
			return true;
		}
	return false;
}

const char *cap_kcall_name(unsigned kcap)
{
	static const struct {
		unsigned kcap;
		const char *name;
	} names[] = {
		{ KCAP_DEBUG, "debug" }, { KCAP_TRACE, "trace" }, { KCAP_COPY, "copy" },
		{ KCAP_CONSOLE, "console" }, { KCAP_BOOT, "boot" }, { KCAP_PROC, "proc" },
		{ KCAP_SPACE, "space" }, { KCAP_POWER, "power" }, { KCAP_RESTART, "restart" },
		{ KCAP_KEEP, "keep" }, { KCAP_RANDOM, "random" }, { KCAP_LOG, "log" },
		{ KCAP_DEVICE, "device" }, { KCAP_GRANT, "grant" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].kcap == kcap)
			return names[i].name;
	return "?";
}
