#pragma once
// Included by libsodium's headers; nothing there needs more than size_t.
#include <stddef.h>
