// print() and klog() of <xinim/runtime.h>, for freestanding and musl programs alike:
// lib/'s formatter (<xinim/format.h>, whose names do not clash with a libc's), then the
// debug write call or the kernel log's.
#include <stdarg.h>
#include <xinim/format.h>
#include <xinim/runtime.h>

#define PROGRAM_OUTPUT (-1)	// print's: no level, straight to the console

// One formatted line, at most 256 bytes: to the kernel log at level, or the console.
static void write_line(int level, const char *fmt, va_list args)
{
	char line[256];
	size_t length = kvsnprintf(line, sizeof(line), fmt, args);
	if (level == PROGRAM_OUTPUT)
		debug_write(line, length);
	else
		xinim_kcall3(KCALL_LOG_WRITE, level, (long)line, (long)length);
}

void print(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	write_line(PROGRAM_OUTPUT, fmt, args);
	va_end(args);
}

void klog(enum xinim_log_level level, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	write_line(level, fmt, args);
	va_end(args);
}
