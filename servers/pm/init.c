// PID 1: the command line's init=/path (default /sbin/init), with the command line's
// words that hold no '=' as its arguments, as Linux passes them (but `quiet`, which the
// kernel takes). It starts once VFS and
// MM serve: they say so (XINIM_NOTE_SERVING), since calling them earlier could deadlock.
// When it ends, the machine powers off unless the command line's init.exit=halt asks
// PM to leave it running.
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/rs.h>
#include <xinim/runtime.h>
#include "pm.h"

#define ARGS_MAX 32
#define BOOT_ARGS_SIZE 1024

static void system_done(const char *why);

// Free memory just before init starts (init_state->free_before): when init ends,
// everything it took must be free again (its pages, page tables, and what VFS, MM and
// the kernel kept for it), and the line system_done prints shows it
// (tests/boot/process_end.sh, fuzz.sh). All of init's bookkeeping is kept state
// (init_state, pm.h): a restarted PM neither starts init again nor forgets its end.

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
		else if (!strchr(word, '=') && strcmp(word, "quiet") != 0 && argc < ARGS_MAX)
			argv[argc++] = word;	// quiet is the kernel's (its log), as on Linux
	}
	struct arguments args = { .path = argv[0], .at = AT_FDCWD, .argc = argc, .argv = argv,
				  .envc = 2, .envp = envp };
	keep_change(init_state, sizeof(*init_state));
	init_state->free_before = memory_free();
	long self = process_spawn(XINIM_PID_INIT, XINIM_ENDPOINT_NONE, &args);
	if (self == -EBUSY) {	// a start cut short is still ending: again once it is gone
		init_state->started = false;
		return;
	}
	if (self < 0) {
		klog(LOGLEVEL_ERR, "pm: init %s could not start: error %ld\n", argv[0], self);
		system_done("no init to run");	// Linux: "No working init found"
	} else {
		klog(LOGLEVEL_INFO, "pm: init %s started as process %u\n", argv[0], xinim_endpoint_pid(self));
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
	klog(LOGLEVEL_WARNING, "pm: init.exit=%s is neither poweroff nor halt: powering off\n", value);
	return INIT_EXIT_POWEROFF;
}

// Linux panics when init ends or cannot start; with nothing left to run the system for,
// XINIM says why and powers the machine off (KCALL_POWER_OFF, PM's right alone), so that
// QEMU ends too.
static void system_done(const char *why)
{
	klog(LOGLEVEL_INFO, "pm: free memory %llu KiB, %llu KiB before init\n",
	      (unsigned long long)(memory_free() >> 10), (unsigned long long)(init_state->free_before >> 10));
	if (init_exit_option() == INIT_EXIT_HALT) {
		klog(LOGLEVEL_INFO, "%s; not powering off (init.exit=halt)\n", why);
		return;
	}
	klog(LOGLEVEL_INFO, "%s; powering off\n", why);
	long err = xinim_kcall(KCALL_POWER_OFF, XINIM_POWER_OFF, 0);
	klog(LOGLEVEL_ERR, "pm: the machine did not power off (error %ld); it stays up\n", err);
}

// Which init ended and why (init_state->ending, ->ended), until the kernel says it is
// gone (XINIM_NOTE_GONE, and KCALL_PROC_END finds no such process): only then is all
// it held free, and the system done with.
void init_gone_check(void)
{
	struct init_state *i = init_state;
	if (i->ended[0] && xinim_kcall(KCALL_PROC_END, i->ending, 0) == -ESRCH) {
		char why[sizeof(i->ended)];
		memcpy(why, i->ended, sizeof(why));
		keep_change(i, sizeof(*i));
		i->ended[0] = '\0';
		keep_commit();	// said once, even if PM dies while the machine powers off
		system_done(why);
	}
}

void init_state_check(void)
{
	struct init_state *i = init_state;
	bool string = memchr(i->ended, 0, sizeof(i->ended)) != NULL;
	if (!string || (i->ended[0] && xinim_endpoint_pid(i->ending) != XINIM_PID_INIT)) {
		i->ended[0] = '\0';
		i->ending = 0;
	}
}

void init_end_note(xinim_endpoint_t init, const char *why)
{
	keep_change(init_state, sizeof(*init_state));
	init_state->ending = init;
	snprintf(init_state->ended, sizeof(init_state->ended), "%s", why);
}

// Whether the server at pid (RS, the network driver, NET) is in this boot and has not said it
// serves yet: init waits for it too, so that nothing it does as it starts (the memory it
// takes) falls into init's time (docs/resurrection.md).
static bool awaited(unsigned pid, bool serving)
{
	return !serving && ipc_lookup(pid) >= 0;
}

// What a server's XINIM_NOTE_SERVING means to PM: VFS takes PM as a process, so that PM
// can open programs (VFS is not taken as serving if it does not).
static void serving_noted(struct init_state *i, unsigned pid)
{
	keep_change(i, sizeof(*i));
	if (pid == XINIM_PID_VFS) {
		long err = process_self_register();
		if (err)
			klog(LOGLEVEL_ERR, "pm: VFS does not take PM (error %ld): no init\n", err);
		i->vfs_serving = !err;
	} else if (pid == XINIM_PID_MM) {
		i->mm_serving = true;
	} else if (pid == XINIM_PID_RS) {
		i->rs_serving = true;
	} else if (pid == XINIM_PID_DEV) {
		i->dev_serving = true;
	} else if (pid == XINIM_PID_NET) {
		i->net_serving = true;
	}
}

// Starts init once VFS, MM, RS and the network's servers serve, unless it has started. PID 1 may still be
// ending (a start cut short by PM's death): then the kernel's XINIM_NOTE_GONE brings PM
// back here.
static void init_start_when_ready(void)
{
	struct init_state *i = init_state;
	if (i->started || !i->vfs_serving || !i->mm_serving || awaited(XINIM_PID_RS, i->rs_serving) ||
	    awaited(XINIM_PID_DEV, i->dev_serving) || awaited(XINIM_PID_NET, i->net_serving))
		return;
	keep_change(i, sizeof(*i));
	i->started = true;
	init_start();
}

// What VFS's notes ask of PM: it fetches or hands over, calling VFS downhill.
static const struct {
	uint64_t bit;
	void (*fetch)(void);
} vfs_notes[] = {
	{ XINIM_NOTE_TTY_SIGNALS, tty_signals_fetch },
	{ XINIM_NOTE_SIGNALS, vfs_signals_fetch },
	{ XINIM_NOTE_PROC_WANTED, proc_report },
};

void pm_notified(const struct xinim_notification *note)
{
	if (note->from == XINIM_ENDPOINT_KERNEL && (note->bits & XINIM_NOTE_GONE))
		init_gone_check();
	for (size_t i = 0; i < sizeof(vfs_notes) / sizeof(vfs_notes[0]); i++)
		if (xinim_endpoint_pid(note->from) == XINIM_PID_VFS && (note->bits & vfs_notes[i].bit))
			vfs_notes[i].fetch();
	if ((note->bits & XINIM_NOTE_SERVING) && !init_state->started)
		serving_noted(init_state, xinim_endpoint_pid(note->from));
	if ((note->bits & XINIM_NOTE_SERVING) && xinim_endpoint_pid(note->from) == XINIM_PID_MM)
		realtime_publish();	// the first MM, or a new one: the clock page as PM has it
	init_start_when_ready();
}

// Whether the server at pid answers a call (libipc answers XINIM_RS_PING for any
// server): it serves, or will once it has started.
static bool answers(unsigned pid)
{
	long self = ipc_lookup(pid);
	struct xinim_msg msg = { .header.type = XINIM_RS_PING };
	return self >= 0 && ipc_call((xinim_endpoint_t)self, &msg, XINIM_WAIT_FOREVER) == 0;
}

void init_start_cut_short(void)
{
	keep_change(init_state, sizeof(*init_state));
	init_state->started = false;
}

void init_resume(void)
{
	struct init_state *i = init_state;
	if (i->started) {	// VFS knows PM's last instance, not this one
		if (i->vfs_serving && process_self_register() != 0)
			klog(LOGLEVEL_ERR, "pm: VFS does not take the new PM: it cannot open programs\n");
		return;
	}
	// A note that the last PM had not committed is lost: who serves is asked again.
	static const unsigned servers[] = { XINIM_PID_VFS, XINIM_PID_MM, XINIM_PID_RS,
					    XINIM_PID_DEV, XINIM_PID_NET };
	for (unsigned k = 0; k < sizeof(servers) / sizeof(servers[0]); k++)
		if (answers(servers[k]))
			serving_noted(i, servers[k]);
	init_start_when_ready();
}
