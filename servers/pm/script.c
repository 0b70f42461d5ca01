// execve of a script, as Linux's binfmt_script: a file that starts with "#!" names its
// interpreter, and at most one argument, on its first line (within 256 bytes); the
// interpreter runs with argv = { interpreter, [argument,] the script's path, the
// caller's argv[1]... }. An interpreter may be a script itself, 4 deep at most (Linux's
// BINPRM_MAX_RECURSION): a fifth gives -ELOOP.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "pm.h"

#define SCRIPT_HEAD 256
#define SCRIPT_DEPTH 4
#define SCRIPT_ARGS_MAX (ARG_POINTERS_MAX + 2 * SCRIPT_DEPTH + 2)

// Each level's first line, cut up (the next level's argv points into it), and one to
// look at a fifth.
static char lines[SCRIPT_DEPTH + 1][SCRIPT_HEAD + 1];
static const char *vector[SCRIPT_ARGS_MAX];

// The interpreter and its argument (NULL: none) of the script at path (relative to dir,
// the caller's directory), in line; false if path is no script (or cannot be read:
// program_open says why).
static bool script_line(int dir, const char *path, char *line, char **interpreter,
			char **argument)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t got = pread(fd, line, SCRIPT_HEAD, 0);
	close(fd);
	if (got < 2 || line[0] != '#' || line[1] != '!')
		return false;
	line[got] = '\0';
	char *end = strchr(line, '\n');
	if (end)
		*end = '\0';
	char *at = line + 2;
	at += strspn(at, " \t");
	*interpreter = at;
	at += strcspn(at, " \t");
	if (*at)
		*at++ = '\0';
	at += strspn(at, " \t");
	size_t length = strlen(at);
	while (length && (at[length - 1] == ' ' || at[length - 1] == '\t'))
		at[--length] = '\0';	// Linux trims the argument's end, and keeps its inner
					// blanks: one argument
	*argument = length ? at : NULL;
	return **interpreter != '\0';
}

int program_find(struct arguments *args, struct program *p)
{
	for (unsigned depth = 0;; depth++) {
		int err = program_open(args->at, args->path, args->nofollow, p);
		char *interpreter, *argument;
		if (err != -ENOEXEC || !script_line(args->at, args->path, lines[depth], &interpreter,
							 &argument))
			return err;
		if (depth == SCRIPT_DEPTH)
			return -ELOOP;
		int extra = argument ? 2 : 1;	// interpreter [argument] replace argv[0]
		int argc = args->argc ? args->argc - 1 : 0;
		if ((size_t)(argc + 1 + extra + args->envc + 2) > SCRIPT_ARGS_MAX)
			return -E2BIG;
		const char *script = args->path;
		// envp first, then argv: both move right (vector may hold them already).
		memmove(vector + argc + 1 + extra + 1, args->envp,
			(size_t)(args->envc + 1) * sizeof(char *));
		memmove(vector + 1 + extra, args->argv + (args->argc ? 1 : 0),
			(size_t)argc * sizeof(char *));
		vector[0] = interpreter;
		if (argument)
			vector[1] = argument;
		vector[extra] = script;
		argc += 1 + extra;
		vector[argc] = NULL;
		*args = (struct arguments){ .path = interpreter, .at = AT_FDCWD,
					    .stack_size = args->stack_size,
					    .argc = argc, .envc = args->envc,
					    .argv = vector, .envp = vector + argc + 1 };
	}
}
