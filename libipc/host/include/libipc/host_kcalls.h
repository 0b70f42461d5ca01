#pragma once
// The hosted kernel's answers to the kernel calls servers make directly (xinim_kcall* of
// <xinim/runtime.h> built with XINIM_HOSTED), for the servers' unit tests: what the
// calls did is recorded here for the tests to inspect. Address spaces are page maps
// kept by endpoint (KCALL_SPACE_*, with kernel/space.c's checks), the console and the
// debug log are text buffers, KCALL_RANDOM is libsodium's, the command line is the
// test's, and the process calls (KCALL_PROC_*) and KCALL_POWER_OFF (which answers
// -EOPNOTSUPP: the host stays on) are logged; KCALL_MEMORY reports the page pool
// (HOST_PAGES pages, those not mapped free). Other calls answer -ENOSYS.
// Thread-safe; read what a server did once the call that made it did so has returned.
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

#define HOST_PAGE_SIZE 4096
#define HOST_PAGES 256		// mapped pages, all spaces together
#define HOST_TEXT_BYTES 8192	// of the console and of the debug log, each
#define HOST_PROC_CALLS 64	// the newest are kept
#define HOST_ENDED 256	// ended endpoints remembered, for KCALL_PROC_END's -ESRCH

// Forgets every page, text, process call and the command line.
void host_kcalls_reset(void);

// A page of owner's space at va, as KCALL_SPACE_MAP made it and KCALL_SPACE_WRITE filled
// it; prot is PROT_READ | PROT_WRITE | PROT_EXEC bits, or 0 for no access.
struct host_page {
	xinim_endpoint_t owner;		// 0: the slot is free; HOST_STORE: MM's store's
	unsigned prot;
	bool shared;			// copy-on-write (KCALL_SPACE_SHARE): kept read-only
					// until a KCALL_SPACE_FAULT that allows writing
	bool linked;			// XINIM_PROT_SHARED: shared writable, never copied
	uint64_t frame;			// which frame it stands for: pages of one frame
					// (shared or linked) get the same writes
	uint64_t va;
	uint8_t bytes[HOST_PAGE_SIZE];
};

// The page holding va in owner's space, or NULL when none is mapped there.
const struct host_page *host_page_at(xinim_endpoint_t owner, uint64_t va);

// How many pages owner has mapped; how many pages all spaces and the store have.
unsigned host_pages_of(xinim_endpoint_t owner);
unsigned host_pages_used(void);

// The owner of the pages of the store (XINIM_SPACE_STORE) in host_page_at.
#define HOST_STORE ((xinim_endpoint_t)0xfffffffeu)

// What KCALL_CONSOLE_WRITE, and KCALL_DEBUG_WRITE (print) with KCALL_LOG_WRITE (klog),
// wrote, NUL-terminated (cut at HOST_TEXT_BYTES - 1).
const char *host_console_text(void);
const char *host_debug_text(void);

// Types keys on the console: KCALL_CONSOLE_READ gives them (the test then sends VFS its
// XINIM_NOTE_CONSOLE_INPUT).
void host_console_type(const char *keys);

// KCALL_BOOT_ARGS answers line (NULL: an empty command line).
void host_boot_args_set(const char *line);

// A process call, as made: KCALL_PROC_NEW (target: the endpoint it returned; a, b: the
// PID asked for and 0), _START and _EXEC (a: entry, b: sp), _END; KCALL_POWER_OFF
// (a: how, enum xinim_power; target, b: 0).
struct host_proc_call {
	long number;
	xinim_endpoint_t target;
	uint64_t a, b;
};

// Copies up to max process calls, oldest first, into out; returns how many there were.
unsigned host_proc_calls(struct host_proc_call *out, unsigned max);

// KCALL_PROC_TIMES of who answers these CPU times (until the next reset); others', 0.
void host_proc_times_set(xinim_endpoint_t who, uint64_t user_ns, uint64_t system_ns);
