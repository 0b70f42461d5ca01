// execve, exit and exit_group, and the ends the kernel decides (XINIM_PM_DEATH).
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/pm.h>
#include <xinim/runtime.h>
#include <xinim/ipc/vfs.h>
#include "pm.h"

// exit_group: the process ends, all its threads.
long pm_exit_group(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	process_end(call.caller, (int)(call.args[0] & 0xff));
	return 0;
}

// exit: the calling thread ends; with the last, its process.
long pm_exit(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	return thread_exit(&call, (int)(call.args[0] & 0xff)) ? pm_exit_group(request, reply) : 0;
}

// The kernel reports a fault or an end of its own (include/xinim/ipc/pm.h): a fault its
// handler catches is made pending; otherwise the process is forgotten as after an exit,
// reported with the signal Linux would have killed it with.
long pm_death(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_pm_death death;
	if (!from_kernel(request, &death, sizeof(death)))
		return -EPERM;	// only the kernel ends a process on its own account
	if (!death.who || death.signal == 0 || death.signal > SIGNAL_MAX ||
	    (death.cause != XINIM_DEATH_FAULT && death.cause != XINIM_DEATH_NO_MEMORY))
		return -EINVAL;
	struct process *p = process_of(death.who);
	if (p && !p->zombie && death.cause == XINIM_DEATH_FAULT)
		return signal_fault(p, &death);	// its handler may catch it
	process_killed(death.who, death.signal, death.cause == XINIM_DEATH_NO_MEMORY);
	return 0;
}

// The caller's memory read a page at a time: argv and envp are many small strings and
// pointers side by side, so each page is copied once, not once per string.
struct caller_reader {
	xinim_endpoint_t caller;
	uint64_t page;		// the user address of bytes; UINT64_MAX: none yet
	char bytes[XINIM_PAGE_SIZE];
};

// The page holding address, loaded: its bytes from address on (*at), how many, or -errno.
static long reader_at(struct caller_reader *r, uint64_t address, const char **at)
{
	uint64_t page = address & ~(uint64_t)(XINIM_PAGE_SIZE - 1);
	if (page != r->page) {
		r->page = UINT64_MAX;
		long err = ipc_copy_from(r->caller, r->bytes, page, sizeof(r->bytes));
		if (err)
			return err;
		r->page = page;
	}
	*at = r->bytes + (address - page);
	return (long)(XINIM_PAGE_SIZE - (address - page));
}

// The 64-bit word at address (which may straddle two pages): 0 or -EFAULT.
static long reader_word(struct caller_reader *r, uint64_t address, uint64_t *word)
{
	char bytes[sizeof(*word)];
	for (size_t have = 0; have < sizeof(bytes);) {
		const char *at;
		long n = reader_at(r, address + have, &at);
		if (n < 0)
			return n;
		n = (size_t)n < sizeof(bytes) - have ? n : (long)(sizeof(bytes) - have);
		memcpy(bytes + have, at, (size_t)n);
		have += (size_t)n;
	}
	memcpy(word, bytes, sizeof(bytes));
	return 0;
}

// The string at address into to (at most size bytes with its NUL): its size with the
// NUL, or -EFAULT, -E2BIG.
static long reader_string(struct caller_reader *r, uint64_t address, char *to, size_t size)
{
	for (size_t have = 0;;) {
		const char *at;
		long n = reader_at(r, address + have, &at);
		if (n < 0)
			return n;
		const char *nul = memchr(at, '\0', (size_t)n);
		size_t part = nul ? (size_t)(nul - at) + 1 : (size_t)n;
		if (part > size - have)
			return -E2BIG;
		memcpy(to + have, at, part);
		have += part;
		if (nul)
			return (long)have;
	}
}

// Reads the NULL-terminated pointer vector at `at` (NULL: empty) into vector, the
// caller's addresses for now, at most room of them: how many, or -EFAULT, or -E2BIG
// past room (Linux counts on up to MAX_ARG_STRINGS, then refuses as E2BIG vectors whose
// pointers alone fill the argument space).
static long vector_count(struct caller_reader *r, uint64_t at, const char **vector, size_t room)
{
	for (size_t n = 0; at; n++) {
		uint64_t pointer;
		long err = reader_word(r, at + n * sizeof(pointer), &pointer);
		if (err)
			return err;
		if (!pointer)
			return (long)n;
		if (n == room)
			return -E2BIG;
		vector[n] = (const char *)(uintptr_t)pointer;
	}
	return 0;
}

// Replaces the caller's addresses in vector[0..count) with copies of their strings in
// strings (from *used on, at most *budget bytes in all): 0 or -EFAULT, -E2BIG.
static long strings_copy(struct caller_reader *r, const char **vector, size_t count,
			 char *strings, size_t *used, size_t budget)
{
	for (size_t i = 0; i < count; i++) {
		size_t room = budget - *used < ARG_STRLEN_MAX ? budget - *used : ARG_STRLEN_MAX;
		long size = reader_string(r, (uint64_t)(uintptr_t)vector[i], strings + *used, room);
		if (size < 0)
			return size;
		vector[i] = strings + *used;
		*used += (size_t)size;
	}
	return 0;
}

// argv and envp of an execve, as Linux's do_execveat_common copies them: both vectors
// counted first, then the strings, each at most MAX_ARG_STRLEN with its NUL, all of them
// and the path and one pointer for each within ARG_BYTES_MAX. args->path must be set.
// 0, or -EFAULT, -E2BIG.
static long arguments_copy(xinim_endpoint_t caller, uint64_t argv_at, uint64_t envp_at,
			   struct arguments *args)
{
	static struct caller_reader reader;
	static const char *vector[ARG_POINTERS_MAX + 2];
	static char strings[ARG_BYTES_MAX];
	reader = (struct caller_reader){ .caller = caller, .page = UINT64_MAX };
	long argc = vector_count(&reader, argv_at, vector, ARG_POINTERS_MAX);
	long envc = argc < 0 ? argc : vector_count(&reader, envp_at, vector + argc + 1,
						   ARG_POINTERS_MAX - (size_t)argc);
	if (argc < 0 || envc < 0)
		return argc < 0 ? argc : envc;
	size_t count = (size_t)(argc + envc), path = strlen(args->path) + 1, used = 0;
	if (count * sizeof(char *) + path > ARG_BYTES_MAX)
		return -E2BIG;
	size_t budget = ARG_BYTES_MAX - path - count * sizeof(char *);
	long err = strings_copy(&reader, vector + argc + 1, (size_t)envc, strings, &used, budget);
	if (!err)
		err = strings_copy(&reader, vector, (size_t)argc, strings, &used, budget);
	if (err)
		return err;
	vector[argc] = vector[argc + 1 + envc] = NULL;
	*args = (struct arguments){ .path = args->path, .at = args->at, .nofollow = args->nofollow,
				    .argc = (int)argc, .envc = (int)envc,
				    .argv = vector, .envp = vector + argc + 1 };
	return 0;
}

// The program args names (its path relative to args->at), run by the caller: the
// execve's result.
static long exec_program(const struct xinim_syscall call, struct arguments args)
{
	const char *path = args.path;
	args.stack_size = limits_stack(process_of(call.caller));
	struct program program;
	long err;
	if ((err = program_find(&args, &program)))
		return err;	// nothing changed: the caller goes on
	uint64_t sp;
	err = program_load(&program, call.caller, &args, &sp);
	if (err)
		program_close(&program);
	if (err && !sp)
		return err;	// the stack did not fit: nothing changed
	if (err) {	// past the point of no return: the old program is gone
		process_end(call.caller, 128 + 9);
		return err;
	}
	struct process *p = process_of(call.caller);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	struct thread *t = thread_of(&call);
	if (p && t) {
		process_program(p, base, &args);	// an fd's program ("") keeps its name
		base = p->name;
		p->execed = 1;
		signals_exec(p, t);
		threads_exec(p, t);	// the others end; t becomes the first, its TID the PID
		timers_forget(p, true);	// timer_create's; setitimer's stay
		credentials_exec(p);
		tree_vfork_done(p);	// its parent, waiting in vfork, goes on
	}
	// Its O_CLOEXEC fds close; the program is its /proc/PID/exe.
	vfs_tell_program(XINIM_VFS_PROC_EXEC, call.caller, XINIM_ENDPOINT_NONE, program.fd);
	program_close(&program);
	return xinim_kcall5(KCALL_PROC_EXEC, call.caller, (long)program.image.entry, (long)sp,
			    (long)base, call.tid);
}

// execve and execveat: the program at path (relative to dirfd: AT_FDCWD, the caller's
// working directory, or its fd; "" with AT_EMPTY_PATH: the file at dirfd), argv and envp
// from the caller. A path relative to the caller's directory is looked up from an fd of
// it that VFS lends PM.
static long exec_at(const struct xinim_syscall call, int dirfd, uint64_t path_at,
		    uint64_t argv_at, uint64_t envp_at, int flags)
{
	static char path[4096];
	struct arguments args = { .path = path, .at = AT_FDCWD,
				  .nofollow = flags & AT_SYMLINK_NOFOLLOW };
	long err = ipc_caller_string(call.caller, path, path_at, sizeof(path));
	if (err >= 0)
		err = arguments_copy(call.caller, argv_at, envp_at, &args);
	if (err < 0)
		return err;
	if (path[0] == '\0' && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (path[0] == '/')
		return exec_program(call, args);
	struct xinim_vfs_lend lend = { .who = call.caller, .fd = (uint32_t)dirfd };
	long at = server_call(XINIM_PID_VFS, XINIM_VFS_FD_LEND, &lend, sizeof(lend));
	if (at < 0)
		return at == -EMFILE ? -ENOMEM : at;
	args.at = (int)at;
	err = exec_program(call, args);
	close((int)at);
	return err;
}

long pm_execve(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return exec_at(call, AT_FDCWD, call.args[0], call.args[1], call.args[2], 0);
}

// execveat(dirfd, path, argv, envp, flags): AT_EMPTY_PATH (fexecve) and
// AT_SYMLINK_NOFOLLOW.
long pm_execveat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[4];
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	return exec_at(call, (int)call.args[0], call.args[1], call.args[2], call.args[3], flags);
}
