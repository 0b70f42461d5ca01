#pragma once
// What the MM unit tests share (mm_client.c): MM serving mm_table on its own thread; the
// test is PM (the exec messages) and, through host_ipc_kernel_call, the kernel (system
// calls and page faults) for who, a fresh process for each test.
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <mm/mm.h>
#include "harness.h"

#define PAGE MM_PAGE
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define BRK_START 0x500123UL

extern struct proc mm;
extern xinim_endpoint_t who;	// the test's process, a fresh one for each test

// A message to MM, from the kernel (for a thread of who: its system call or fault) or
// from the test itself (PM): MM's result.
long to_mm(bool from_kernel, int32_t type, const void *payload, uint16_t length);
long exec_message(int32_t type, uint64_t va, uint64_t length, unsigned prot, const void *source);
long fault(bool from_kernel, uint32_t access, uint64_t address);
long mmap_file(uint64_t addr, uint64_t length, uint64_t prot, uint64_t flags, uint64_t fd,
	       uint64_t offset);
long mmap_call(uint64_t addr, uint64_t length, uint64_t prot, uint64_t flags);

// who's regions; its i-th region in address order; an assertion on that one.
const struct regions *regions(void);
const struct region *nth_region(unsigned i);
void assert_region(unsigned i, uint64_t start, uint64_t end, unsigned prot);

// The group's setup (MM's thread), and each test's (a new process, its space begun by
// PM with a program break at BRK_START).
int group_setup(void **state);
int fresh_process(void **state);

#define TEST(name) cmocka_unit_test_setup(name, fresh_process)
