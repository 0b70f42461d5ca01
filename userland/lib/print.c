// print() of <xinim.h>, for freestanding and musl programs alike: the kernel's formatter
// (kernel/lib/format.c, whose names do not clash with a libc's) and the debug write call.
#include <stdarg.h>
#include <kernel/lib/format.h>
#include "xinim.h"

void print(const char *fmt, ...)
{
	char line[256];
	va_list args;
	va_start(args, fmt);
	size_t length = kvsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	debug_write(line, length);
}
