// print() of <xinim/runtime.h> on Linux: a benchmark written for XINIM's debug console
// (bench_getpid) runs on Linux unchanged but for this, its output line on standard output.
#include <stdarg.h>
#include <stdio.h>
#include <xinim/runtime.h>

void print(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	vdprintf(1, fmt, args);
	va_end(args);
}
