// Debian's libfdt.a is built with -fstack-protector-strong.
#include <stdint.h>
#include <kernel/panic.h>

uintptr_t __stack_chk_guard = 0x5a17c0de5a17c0deUL;

void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed");
}
