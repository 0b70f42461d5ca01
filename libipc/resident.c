// A server's memory taken whole as it starts (server.h, ipc_resident).
#include <stdint.h>
#include <libipc/server.h>

#define PAGE 4096

// Where the program's bss begins and ends, from the linker (its data, a page or two, is
// touched as it starts already).
extern char _edata[], _end[];

// Deeper than main's frame: the stack pages a server's deepest calls will use.
static __attribute__((noinline)) void stack_touch(size_t bytes)
{
	volatile char below[bytes];
	for (size_t at = 0; at < bytes; at += PAGE)
		below[at] = 0;
}

void ipc_resident(size_t stack_bytes)
{
	for (uintptr_t at = (uintptr_t)_edata & ~(uintptr_t)(PAGE - 1);
	     at < (uintptr_t)_end; at += PAGE) {
		volatile char *byte = (volatile char *)at;
		*byte = *byte;	// a write: the page is mapped writable now, its bytes as they are
	}
	stack_touch(stack_bytes);
}
