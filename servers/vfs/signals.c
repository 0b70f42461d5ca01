// Signals VFS raises in single processes (a message queue's notification, mq_notify(3)):
// VFS never calls PM (docs/architecture.md, Servers call each other only downhill), so
// each waits in VFS's kept state until PM, told by a notify (XINIM_NOTE_SIGNALS), fetches
// it (XINIM_VFS_SIGNALS) and sends it with its siginfo. The request that raises one keeps
// it in the same commit as its answer: a request given again to a restarted VFS raises it
// once.
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <xinim/ipc/vfs.h>
#include "vfs.h"

static void pm_tell(void)
{
	long pm = ipc_lookup(XINIM_PID_PM);
	if (pm > 0)
		ipc_notify((xinim_endpoint_t)pm, XINIM_NOTE_SIGNALS);
}

void signal_for(const struct xinim_vfs_signal *signal)
{
	struct xinim_vfs_signal *kept = vfs_signals_kept();
	for (unsigned i = 0; i < VFS_SIGNALS_KEPT; i++)
		if (!kept[i].who) {
			keep_change(&kept[i], sizeof(kept[i]));
			kept[i] = *signal;
			pm_tell();
			return;
		}
}

void signals_take(void)
{
	struct xinim_vfs_signal *kept = vfs_signals_kept();
	bool any = false;
	for (unsigned i = 0; i < VFS_SIGNALS_KEPT; i++) {
		if (kept[i].who && (kept[i].signal < 1 || kept[i].signal > SIGNALS_TOP))
			kept[i] = (struct xinim_vfs_signal){ 0 };
		any |= kept[i].who != 0;
	}
	if (any)
		pm_tell();	// the last VFS may have died before it told PM
}

long vfs_signals(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_vfs_signals taken = { 0 };
	if (!pm_sent(request, &taken, 0))
		return -EPERM;
	struct xinim_vfs_signal *kept = vfs_signals_kept();
	long count = 0;
	for (unsigned i = 0; i < VFS_SIGNALS_KEPT && count < XINIM_VFS_SIGNALS_MAX; i++)
		if (kept[i].who) {
			taken.signal[count++] = kept[i];
			keep_change(&kept[i], sizeof(kept[i]));
			kept[i] = (struct xinim_vfs_signal){ 0 };
		}
	memcpy(reply->payload, &taken, sizeof(taken));
	reply->header.length = sizeof(taken);
	return count;
}
