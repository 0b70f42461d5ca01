#pragma once
// The libFuzzer targets' common part (docs/fuzzing.md): a fuzz input is a few requests,
// each sent to one server's real handlers as the kernel or PM would send it, through the
// real codec and the hosted backend (libipc/host), the server's kernel calls answered
// by libipc/host/kcalls.c. A request without a reply (a hang), a reply outside Linux's
// result range, or a server that fails its health check afterwards aborts: libFuzzer
// saves the input as a crash.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>

// One request of the input, FUZZ_RECORD bytes:
//   0     kind: 0-1 a call the server serves (byte 1 picks it; a server that serves none:
//         as 2), 2 any number (bytes 1-2, mod 512), 3 one of the server's messages (byte 1:
//         type - first), 4+ again 0-3
//   2     a message's payload length (mod 65)
//   3     the caller: 0-3 the fuzz process, 4 a process the server never met (bytes 6-7),
//         5 the fuzz process's previous instance, 6 PM, 7 the first argument's low 32 bits
//   4     which of the six arguments point into the caller's memory (bit i: argument i is
//         an offset there)
//   5     bit 0: a message's first 4 payload bytes become the fuzz process (its `who`)
//   8-71  the six arguments (little-endian), or a message's payload
#define FUZZ_RECORD 72
#define FUZZ_RECORDS_MAX 8

// The caller's memory: every pointer a request passes lands here (or nowhere mapped), so
// that no handler writes into the fuzzer's own memory.
#define FUZZ_MEMORY_SIZE 65536

struct fuzz_server {
	const char *name;
	unsigned pid;
	const struct ipc_table *table;
	const uint16_t *served;	// system-call numbers with a handler
	size_t served_count;
	int32_t first_type;	// the server's own message types (0: none)
	bool copies;		// the server copies from and to callers: sanitize pointers
	// Starts the server itself and binds the fuzzer's thread to the PID its messages come
	// from: the server's endpoint (NULL: the harness's server_setup, the thread PM).
	xinim_endpoint_t (*start)(void);
	// The server's endpoint now, for a target that restarts its server (NULL: start's).
	xinim_endpoint_t (*endpoint)(void);
	// Setup once, then per input: a fresh fuzz process who (end the last one first).
	int (*setup)(xinim_endpoint_t server);
	void (*fresh)(xinim_endpoint_t server, xinim_endpoint_t who, xinim_endpoint_t last);
	// A message's pointers into the sender's memory, made to point into fuzz_memory; NULL:
	// none. answered: what the reply to it said (NULL: nothing to learn from it).
	void (*sanitize)(int32_t type, uint8_t payload[XINIM_PAYLOAD_MAX]);
	void (*answered)(int32_t type, const uint8_t payload[XINIM_PAYLOAD_MAX], long result);
	// Plain requests of a process the input never touches, that must succeed after any
	// input; false if the server failed one.
	bool (*healthy)(xinim_endpoint_t server);
};

// Each target defines its server; the driver defines LLVMFuzzerTestOneInput.
extern const struct fuzz_server fuzz_target;

// For the targets: a system call of who as the kernel sends it (its x0, or the transport's
// error), and a message from the fuzzer's own thread (PM, or what start made it) to the
// server.
long fuzz_kernel_syscall(xinim_endpoint_t server, xinim_endpoint_t who, uint64_t number,
			 const uint64_t args[6], bool *delivered);
long fuzz_message(xinim_endpoint_t server, int32_t type, const void *payload, uint16_t length);
// The caller's memory, zeroed for each input but for paths and names at every 64 bytes of
// its start (driver.c): an argument that points there is an offset in it.
extern uint8_t *fuzz_memory;
// An address as an argument gives it: unchanged if the host cannot reach it (a copy there
// fails), else moved into fuzz_memory.
uint64_t fuzz_address(uint64_t v);
#define FUZZ_HEALTH_PID (XINIM_PID_FIRST_DYNAMIC + 16)	// the health checks' process
