#include <stdarg.h>
#include <kernel/lib/format.h>
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
	size_t length = kvsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	debug_write(line, length);
}

void start_c(uint64_t *sp);

void start_c(uint64_t *sp)
{
	int argc = (int)sp[0];
	debug_exit(main(argc, (char **)(sp + 1)));
}
