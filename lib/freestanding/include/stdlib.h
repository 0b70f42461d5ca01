#pragma once
// strtoul (lib/freestanding/stdlib.c), for the kernel's command line and libfdt.a.
#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
