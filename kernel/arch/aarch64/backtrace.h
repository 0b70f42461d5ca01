#pragma once
#include <stdbool.h>
#include <stdint.h>

// Prints pc (the address of an instruction), then the return addresses found by
// following frame records from fp (the AArch64 frame-pointer chain), with symbol names.
// Stops at the edge of the stack the CPU runs on (the current thread's kernel stack, or
// the CPU's own before and between threads).
void backtrace_print(uint64_t pc, uint64_t fp);

// "name+0xoff" for a kernel code address, into the console. A return address is named
// by the call before it: after a call to a noreturn function it already points into
// the next function.
void symbol_print(uint64_t addr, bool is_return);
