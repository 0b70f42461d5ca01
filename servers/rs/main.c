// RS, PID 7: takes its kept records over (a restart: the kernel restarts RS), then waits
// for the kernel's word that a supervised server is gone (XINIM_NOTE_GONE), reads how it
// ended (KCALL_PROC_DEATH), and starts it again (KCALL_PROC_RESTART) after its back-off;
// pings each server, and ends one that does not answer (a hang), which then comes back
// the same way; answers the rs command. It makes no Linux system call after its start,
// and prints through the kernel, so that it works while VFS, PM or MM is down.
#include <xinim/format.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "rs.h"

// "rs: supervising vfs, pm, mm": the servers of this boot (rs_present).
static void say_supervised(void)
{
	char line[80];
	size_t at = ksnprintf(line, sizeof(line), "rs: supervising");
	const char *separator = " ";
	for (unsigned i = 0; i < RS_SUPERVISED && at < sizeof(line); i++) {
		if (!rs_present(&rs_records[i]))
			continue;
		at += ksnprintf(line + at, sizeof(line) - at, "%s%s", separator, rs_names[i].name);
		separator = ", ";
	}
	klog(LOGLEVEL_INFO, "%s\n", line);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!keep_start_with("rs", rs_state_size(), RS_UNDO_BYTES, RS_STATE_VERSION,
			     rs_state_take))
		return 1;
	bool first = xinim_endpoint_generation(ipc_self()) == 1;
	if (first) {
		say_supervised();
		rs_inject_from_boot_args();
	}
	rs_deaths_read();	// deaths while no RS was there to hear of them
	ipc_announce(XINIM_PID_PM);	// PM starts init once RS serves too
	for (;;) {
		ipc_serve_one(&rs_table, rs_work_due());
		if (rs_control_ends_self())
			xinim_kcall(KCALL_PROC_END, (long)ipc_self(), 0);
	}
}
