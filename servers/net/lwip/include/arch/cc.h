#pragma once
// lwIP's compiler and platform port (lwip/arch.h) for NET: musl on XINIM, glibc hosted.
// lwIP's asserts end NET (RS restarts it: docs/net.md, What a restart keeps) rather than
// let it go on with a broken stack; its diagnostics go to the kernel's log.
#include <stdint.h>

void net_lwip_diag(const char *format, ...) __attribute__((format(printf, 1, 2)));
void net_lwip_assert(const char *what, const char *file, int line) __attribute__((noreturn));
uint32_t net_lwip_random(void);

#define LWIP_PLATFORM_DIAG(x) do { net_lwip_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_lwip_assert(x, __FILE__, __LINE__)
#define LWIP_RAND() net_lwip_random()
