// print() and debug_exit() of <xinim.h> for programs linked with musl, whose stdio
// cannot write yet (its write syscall has no server before issue 5's VFS).
#include <stdarg.h>
#include <stdio.h>
#include "xinim.h"

void debug_exit(int status)
{
	for (;;)
		xinim_kcall(KCALL_DEBUG_EXIT, status, 0);
}

void print(const char *fmt, ...)
{
	char line[256];
	va_list args;
	va_start(args, fmt);
	int length = vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	if (length > (int)sizeof(line) - 1)
		length = sizeof(line) - 1;
	debug_write(line, (size_t)length);
}

// musl's exit() ends in _Exit, whose exit_group has no server until PM exists; this one
// ends the process with the debug call instead (a static link takes it over libc.a's).
_Noreturn void _Exit(int status)
{
	debug_exit(status);
}
