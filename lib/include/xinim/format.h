#pragma once
// Used by the kernel's log and by print() of the user runtime (<xinim/runtime.h>).
// printf-style formatting into a character sink: %c %s %d %i %u %x %X %p %%, with
// flags '-' and '0', a width, and the length modifiers l, ll and z.
#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(char c, void *context);

void format(format_sink sink, void *context, const char *fmt, va_list args);

// Formats into buf (always NUL-terminated when size > 0); returns the length written.
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list args);
size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
