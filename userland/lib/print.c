// print() of <xinim/runtime.h>, for freestanding and musl programs alike: lib/'s formatter
// (<xinim/format.h>, whose names do not clash with a libc's) and the debug write call.
#include <stdarg.h>
#include <xinim/format.h>
#include <xinim/runtime.h>

void print(const char *fmt, ...)
{
	char line[256];
	va_list args;
	va_start(args, fmt);
	size_t length = kvsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	debug_write(line, length);
}
