// execve, exit and exit_group, and the ends the kernel decides (XINIM_PM_DEATH).
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/pm.h>
#include <xinim/runtime.h>
#include "pm.h"

#define STRINGS_BYTES (64 * 1024)
#define VECTOR_MAX 1024

// One process (its one thread) ends: exit and exit_group alike for now.
long pm_exit(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	process_end(call.caller, (int)(call.args[0] & 0xff));
	return 0;
}

// The kernel has ended a process (include/xinim/ipc/pm.h): forgotten as after an exit,
// reported with the signal Linux would have killed it with.
long pm_death(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_pm_death death;
	if (request->msg.header.source != XINIM_ENDPOINT_KERNEL)
		return -EPERM;	// only the kernel ends a process on its own account
	memcpy(&death, request->msg.payload, sizeof(death));
	if (!death.who || death.signal == 0 || death.signal > SIGNAL_MAX ||
	    (death.cause != XINIM_DEATH_FAULT && death.cause != XINIM_DEATH_NO_MEMORY))
		return -EINVAL;
	process_killed(death.who, death.signal, death.cause == XINIM_DEATH_NO_MEMORY);
	return 0;
}

// Copies a NULL-terminated vector of strings (argv or envp) from the caller into
// strings (from *used on) and vector. Its length, or -EFAULT, -E2BIG.
static long vector_copy(xinim_endpoint_t caller, uint64_t at, const char **vector, char *strings,
			size_t *used)
{
	for (long n = 0; at; n++) {
		uint64_t pointer;
		if (n == VECTOR_MAX)
			return -E2BIG;
		long err = ipc_copy_from(caller, &pointer, at + (uint64_t)n * sizeof(pointer),
					 sizeof(pointer));
		if (err)
			return err;
		vector[n] = NULL;
		if (!pointer)
			return n;
		long length = ipc_caller_string(caller, strings + *used, pointer,
						STRINGS_BYTES - *used);
		if (length < 0)
			return length == -ENAMETOOLONG ? -E2BIG : length;
		vector[n] = strings + *used;
		*used += (size_t)length + 1;
	}
	vector[0] = NULL;
	return 0;
}

long pm_execve(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	static char path[4096], strings[STRINGS_BYTES];
	static const char *argv[VECTOR_MAX + 1], *envp[VECTOR_MAX + 1];
	struct xinim_syscall call = ipc_syscall_of(request);
	size_t used = 0;
	long err = ipc_caller_string(call.caller, path, call.args[0], sizeof(path));
	long argc = err < 0 ? err : vector_copy(call.caller, call.args[1], argv, strings, &used);
	long envc = argc < 0 ? argc : vector_copy(call.caller, call.args[2], envp, strings, &used);
	if (err < 0 || argc < 0 || envc < 0)
		return err < 0 ? err : argc < 0 ? argc : envc;
	if (path[0] == '\0')
		return -ENOENT;
	struct program program;
	if ((err = program_open(path, &program)))
		return err;	// nothing changed: the caller goes on
	struct arguments args = { .path = path, .argc = (int)argc, .envc = (int)envc,
				  .argv = argv, .envp = envp };
	uint64_t sp;
	err = program_load(&program, call.caller, &args, &sp);
	program_close(&program);
	if (err) {	// past the point of no return: the old program is gone
		process_end(call.caller, 128 + 9);
		return err;
	}
	struct process *p = process_of(call.caller);
	const char *base = strrchr(path, '/');
	if (p)
		strncpy(p->name, base ? base + 1 : path, sizeof(p->name) - 1);
	return xinim_kcall3(KCALL_PROC_EXEC, call.caller, (long)program.image.entry, (long)sp);
}
