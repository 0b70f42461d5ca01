// lwIP's system layer with NO_SYS (lwip/sys.h): only the clock, from the generic timer's
// counter (CNTVCT_EL0, readable at EL0: no system call; hosted, the backend's clock), and
// the port's diagnostics, asserts and random numbers (include/arch/cc.h).
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "lwip/sys.h"

u32_t sys_now(void)
{
	return (u32_t)(counter_ticks() / (counter_hz() / 1000));
}

void net_lwip_diag(const char *format, ...)
{
	char line[160];
	va_list args;
	va_start(args, format);
	int n = vsnprintf(line, sizeof(line), format, args);
	va_end(args);
	if (n > 0)
		klog(LOGLEVEL_DEBUG, "net: lwip: %s", line);
}

void net_lwip_assert(const char *what, const char *file, int line)
{
	klog(LOGLEVEL_ERR, "net: lwip assertion \"%s\" failed at %s:%d\n", what, file, line);
	__builtin_trap();
}

// TCP's initial sequence numbers, DHCP's transaction ids and local ports: a xorshift
// generator seeded from the kernel's CSPRNG at first use.
uint32_t net_lwip_random(void)
{
	static uint64_t state;
	if (!state) {
		xinim_kcall(KCALL_RANDOM, (long)&state, sizeof(state));
		state ^= counter_ticks() | 1;
	}
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state >> 16);
}
