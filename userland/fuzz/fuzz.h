#pragma once
// The in-guest system-call fuzzer (docs/fuzzing.md): a static musl program run as PID 1
// that makes random Linux system calls, each one a function of (seed, index) alone, and
// checks every so often that VFS, PM and MM still answer correctly.
#include <stdbool.h>
#include <stdint.h>

// Where a call goes (include/xinim/ipc/syscalls.h): the servers, and numbers no server has.
enum fuzz_server { FUZZ_VFS, FUZZ_PM, FUZZ_MM, FUZZ_NET, FUZZ_UNKNOWN, FUZZ_SERVERS };

struct fuzz_call {
	uint64_t index;
	uint64_t number;
	uint64_t args[6];
};

// The memory calls may touch (memory.c). The arena is the only memory calls may unmap,
// protect or map over; the read-only page must never change.
#define FUZZ_ARENA       UINT64_C(0x1000000000)
#define FUZZ_ARENA_PAGES 64
#define FUZZ_PAGE        UINT64_C(4096)
#define FUZZ_ARENA_END   (FUZZ_ARENA + FUZZ_ARENA_PAGES * FUZZ_PAGE)
#define FUZZ_READONLY    (FUZZ_ARENA_END + 16 * FUZZ_PAGE)
#define FUZZ_USER_TOP    (UINT64_C(1) << 47)	// XINIM_USER_TOP, Linux's 47-bit user space
// The most brk may grow the heap: a call that fills it (read, getrandom into a pointer
// that lands there) must not take all memory, or the fuzzer ends killed as on Linux.
#define FUZZ_HEAP_MAX    (UINT64_C(64) << 20)

// The arena's layout, by page: strings, iovecs, random bytes, then zeroed pages; the last
// page is a path with no end, running into the unmapped gap past the arena.
enum fuzz_arena_page { FUZZ_PAGE_STRINGS, FUZZ_PAGE_IOVECS, FUZZ_PAGE_RANDOM, FUZZ_PAGE_DATA };
#define FUZZ_IOVECS 256

// calls.c: the numbers drawn and the denylist.
uint64_t fuzz_pick_number(uint64_t *rng);
const char *fuzz_denied(uint64_t number);	// why a number is never called; NULL: it may be
const char *fuzz_hint(uint64_t number);	// each argument's class ("fpl---"); NULL: any
enum fuzz_server fuzz_server_of(uint64_t number);
extern const char *const fuzz_server_names[FUZZ_SERVERS];

// args.c: the PRNG and the call of (seed, index).
uint64_t fuzz_next(uint64_t *state);
void fuzz_generate(uint64_t seed, uint64_t index, struct fuzz_call *call);
extern const char *const fuzz_paths[];
extern const unsigned fuzz_path_count;
extern unsigned fuzz_path_offsets[];

// memory.c: the arena, set up again before each health check.
bool fuzz_memory_reset(uint64_t seed);
bool fuzz_memory_intact(void);
extern uint64_t fuzz_initial_brk;

// health.c: one check of every server; prints what failed and returns the failures.
int fuzz_health(uint64_t seed);

// main.c: the raw system call, and a line printed with write(2) (its result checked).
long fuzz_syscall6(uint64_t number, const uint64_t args[6]);
long fuzz_syscall(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		  uint64_t a4, uint64_t a5);
bool fuzz_say(const char *format, ...) __attribute__((format(printf, 1, 2)));
