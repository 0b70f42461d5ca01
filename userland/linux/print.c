// print() of <xinim/runtime.h> on Linux: a benchmark written for XINIM's debug console
// (bench_getpid) runs on Linux unchanged but for this, its output line on standard output.
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <xinim/runtime.h>

void print(const char *fmt, ...)
{
	char line[256];
	va_list args;
	va_start(args, fmt);
	int length = vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	if (length > (int)sizeof(line) - 1)
		length = sizeof(line) - 1;
	if (length > 0)
		write(1, line, (size_t)length);
}
