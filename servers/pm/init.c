// PID 1: the command line's init=/path (default /sbin/init), with the command line's
// words that hold no '=' as its arguments, as Linux passes them. It starts once VFS and
// MM serve: they say so (XINIM_NOTE_SERVING), since calling them earlier could deadlock.
// When it ends, the machine powers off unless the command line's init.exit=halt asks
// PM to leave it running.
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define ARGS_MAX 32
#define BOOT_ARGS_SIZE 1024

static void system_done(const char *why);

// Free memory just before init starts: when init ends, everything it took must be free
// again (its pages, page tables, and what VFS, MM and the kernel kept for it), and the
// line system_done prints shows it (tests/boot/process_end.sh, fuzz.sh).
static uint64_t free_before_init;

static uint64_t memory_free(void)
{
	struct xinim_memory memory = { 0 };
	xinim_kcall(KCALL_MEMORY, (long)&memory, 0);
	return memory.free_bytes;
}

static void init_start(void)
{
	static char line[BOOT_ARGS_SIZE];
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
	free_before_init = memory_free();
	long self = process_spawn(XINIM_PID_INIT, XINIM_ENDPOINT_NONE, &args);
	if (self < 0) {
		print("pm: init %s could not start: error %ld\n", argv[0], self);
		system_done("no init to run");	// Linux: "No working init found"
	} else {
		print("pm: init %s started as process %u\n", argv[0], xinim_endpoint_pid(self));
	}
}

// What happens when init ends: the command line's init.exit=.
enum init_exit {
	INIT_EXIT_POWEROFF,	// the default: nothing is left to run the system for
	INIT_EXIT_HALT,		// the system stays up, e.g. for programs started beside init
};

static const char *const init_exit_names[] = {
	[INIT_EXIT_POWEROFF] = "poweroff",
	[INIT_EXIT_HALT] = "halt",
};

// The first init.exit= word decides, as the kernel reads its options. Read when init
// ends rather than at boot: only then does it matter, and a bad value is reported next
// to what it changes.
static enum init_exit init_exit_option(void)
{
	static const char key[] = "init.exit=";
	static char line[BOOT_ARGS_SIZE];
	const char *value = NULL;
	xinim_kcall(KCALL_BOOT_ARGS, (long)line, sizeof(line));
	for (char *word = strtok(line, " "); word && !value; word = strtok(NULL, " "))
		if (strncmp(word, key, sizeof(key) - 1) == 0)
			value = word + sizeof(key) - 1;
	if (!value)
		return INIT_EXIT_POWEROFF;
	for (size_t i = 0; i < sizeof(init_exit_names) / sizeof(init_exit_names[0]); i++)
		if (strcmp(value, init_exit_names[i]) == 0)
			return (enum init_exit)i;
	print("pm: init.exit=%s is neither poweroff nor halt: powering off\n", value);
	return INIT_EXIT_POWEROFF;
}

// Linux panics when init ends or cannot start; with nothing left to run the system for,
// XINIM says why and powers the machine off (KCALL_POWER_OFF, PM's right alone), so that
// QEMU ends too.
static void system_done(const char *why)
{
	print("pm: free memory %llu KiB, %llu KiB before init\n",
	      (unsigned long long)(memory_free() >> 10), (unsigned long long)(free_before_init >> 10));
	if (init_exit_option() == INIT_EXIT_HALT) {
		print("%s; not powering off (init.exit=halt)\n", why);
		return;
	}
	print("%s; powering off\n", why);
	long err = xinim_kcall(KCALL_POWER_OFF, 0, 0);
	print("pm: the machine did not power off (error %ld); it stays up\n", err);
}

// Which init ended and why, until the kernel says it is gone (XINIM_NOTE_GONE, and
// KCALL_PROC_END finds no such process): only then is all it held free, and the system
// done with.
static xinim_endpoint_t init_ending;
static char init_ended[48];

static void init_gone_check(void)
{
	if (init_ended[0] && xinim_kcall(KCALL_PROC_END, init_ending, 0) == -ESRCH) {
		system_done(init_ended);
		init_ended[0] = '\0';
	}
}

void init_exited(xinim_endpoint_t init, int status)
{
	init_ending = init;
	snprintf(init_ended, sizeof(init_ended), "init exited with status %d", status);
	init_gone_check();
}

void init_killed(xinim_endpoint_t init, int signal)
{
	init_ending = init;
	snprintf(init_ended, sizeof(init_ended), "init killed by %s", signal_name(signal));
	init_gone_check();
}

// Whether RS is in this boot and has not said it serves yet: init waits for it too, so
// that nothing RS does as it starts falls into init's time (docs/resurrection.md).
static bool rs_awaited(bool rs_serving)
{
	return !rs_serving && ipc_lookup(XINIM_PID_RS) >= 0;
}

void pm_notified(const struct xinim_notification *note)
{
	static bool vfs_serving, mm_serving, rs_serving, init_started;
	if (note->from == XINIM_ENDPOINT_KERNEL && (note->bits & XINIM_NOTE_GONE))
		init_gone_check();
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
	} else if (pid == XINIM_PID_RS) {
		rs_serving = true;
	}
	if (vfs_serving && mm_serving && !rs_awaited(rs_serving) && !init_started) {
		init_started = true;
		init_start();
	}
}
