#pragma once
// The kernel command line (/chosen bootargs): space-separated words, some key=value.
#include <stdbool.h>
#include <stddef.h>

// Copies the value of the first "key=value" word into value (NUL-terminated, cut to
// size). Returns false when there is no such word.
bool cmdline_get(const char *cmdline, const char *key, char *value, size_t size);

// Whether the first "key=value" word for key has exactly this value ("trace=off").
bool cmdline_is(const char *cmdline, const char *key, const char *value);

// Whether the command line holds flag as a word of its own (a flag such as "quiet").
bool cmdline_has(const char *cmdline, const char *flag);
