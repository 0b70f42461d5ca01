// PID 1: the command line's init=/path (default /sbin/init), with the command line's
// words that hold no '=' as its arguments, as Linux passes them. It starts once VFS and
// MM serve: they say so (XINIM_NOTE_SERVING), since calling them earlier could deadlock.
#include <stdbool.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define ARGS_MAX 32

static void init_start(void)
{
	static char line[1024];
	const char *argv[ARGS_MAX + 1] = { "/sbin/init" };
	static const char *const envp[] = { "HOME=/", "TERM=linux", NULL };
	int argc = 1;
	xinim_kcall(KCALL_BOOT_ARGS, (long)line, sizeof(line));
	for (char *word = strtok(line, " "); word; word = strtok(NULL, " ")) {
		if (strncmp(word, "init=", 5) == 0)
			argv[0] = word + 5;
		else if (!strchr(word, '=') && argc < ARGS_MAX)
			argv[argc++] = word;
	}
	struct arguments args = { .path = argv[0], .argc = argc, .argv = argv, .envc = 2,
				  .envp = envp };
	long self = process_spawn(XINIM_PID_INIT, XINIM_ENDPOINT_NONE, &args);
	if (self < 0)
		print("pm: init %s could not start: error %ld\n", argv[0], self);
	else
		print("pm: init %s started as process %u\n", argv[0], xinim_endpoint_pid(self));
}

void pm_notified(const struct xinim_notification *note)
{
	static bool vfs_serving, mm_serving, init_started;
	if (!(note->bits & XINIM_NOTE_SERVING))
		return;
	unsigned pid = xinim_endpoint_pid(note->from);
	if (pid == XINIM_PID_VFS) {
		long err = process_self_register();	// so that PM can open programs
		if (err)
			print("pm: VFS does not take PM (error %ld): no init\n", err);
		vfs_serving = !err;
	} else if (pid == XINIM_PID_MM) {
		mm_serving = true;
	}
	if (vfs_serving && mm_serving && !init_started) {
		init_started = true;
		init_start();
	}
}
