#pragma once
#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
