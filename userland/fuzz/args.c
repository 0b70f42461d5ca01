// The call of (seed, index): a number (calls.c) and six arguments, each drawn from a
// class of interesting values, then kept from wrecking the fuzzer (keep_safe).
#include <stddef.h>
#include <xinim/ipc/syscalls.h>
#include "fuzz.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name
#define KERNEL_BASE UINT64_C(0xffff000000000000)

// splitmix64: the whole state is one word, so a call's stream starts from (seed, index).
uint64_t fuzz_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t pick(uint64_t *rng, const uint64_t *values, size_t count)
{
	return values[fuzz_next(rng) % count];
}
#define PICK(rng, values) pick(rng, values, sizeof(values) / sizeof(values[0]))

// The strings of the arena's first page (memory.c lays them out).
const char *const fuzz_paths[] = {
	"/etc/issue", "/dev/null", "/dev/zero", "/", "/bin", "/etc", "/bin/hello-musl", "",
	".", "..", "/no/such/file", "/etc/issue/", "/etc/issue/x", "//etc///issue", "/dev",
	"/sbin/init", "/etc/../etc/issue", "bin", "/dev/null/x",
};
const unsigned fuzz_path_count = sizeof(fuzz_paths) / sizeof(fuzz_paths[0]);
unsigned fuzz_path_offsets[sizeof(fuzz_paths) / sizeof(fuzz_paths[0])];

static uint64_t any_number(uint64_t *rng)
{
	static const uint64_t values[] = {
		0, 1, 2, 3, 4, 7, 8, 16, 63, 64, 255, 256, 4095, 4096, 4097, 65536,
		0x7fffffff, 0x80000000, 0xffffffff, UINT64_C(1) << 32, UINT64_C(1) << 47,
		UINT64_C(0x7fffffffffffffff), UINT64_C(0x8000000000000000), ~UINT64_C(0),
		~UINT64_C(0) - 1, (uint64_t)-4095, (uint64_t)-4096,
	};
	return fuzz_next(rng) % 4 ? PICK(rng, values) : fuzz_next(rng);
}

static uint64_t fd(uint64_t *rng)
{
	static const uint64_t values[] = {
		0, 1, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 63, 64, 255, 1023, 1024, 65535,
		(uint64_t)-1, (uint64_t)-100 /* AT_FDCWD */, 0x7fffffff, UINT64_C(1) << 32 | 3,
	};
	return PICK(rng, values);
}

// Addresses outside the arena: the zero page, the read-only page, the kernel's half,
// and past the top of user space (not below it: the fuzzer's stack is there).
static uint64_t bad_address(uint64_t *rng)
{
	static const uint64_t values[] = {
		0, 1, 16, 4095, 4096, FUZZ_READONLY, FUZZ_READONLY + 4000, FUZZ_ARENA_END,
		KERNEL_BASE, KERNEL_BASE + 0x80000, ~UINT64_C(0) - 7, ~UINT64_C(0) - 4095,
		FUZZ_USER_TOP, FUZZ_USER_TOP + 8, FUZZ_USER_TOP + FUZZ_PAGE, UINT64_C(1) << 48,
		UINT64_C(0x0000ffffffffffff), UINT64_C(0x8000000000000000),
	};
	return fuzz_next(rng) % 8 ? PICK(rng, values) : fuzz_next(rng);
}

static uint64_t pointer(uint64_t *rng)
{
	uint64_t r = fuzz_next(rng);
	switch (r % 8) {
	case 0: case 1: case 2:	// page-aligned in the arena's data
		return FUZZ_ARENA + FUZZ_PAGE * (FUZZ_PAGE_DATA + (r >> 8) % (FUZZ_ARENA_PAGES - FUZZ_PAGE_DATA));
	case 3: case 4:	// unaligned anywhere in the arena
		return FUZZ_ARENA + (r >> 8) % (FUZZ_ARENA_PAGES * FUZZ_PAGE);
	case 5:	// just before the end of the arena: a buffer that runs off it
		return FUZZ_ARENA_END - (r >> 8) % 64;
	default:
		return bad_address(rng);
	}
}

static uint64_t path(uint64_t *rng)
{
	if (fuzz_next(rng) % 5 == 0)
		return pointer(rng);
	if (fuzz_next(rng) % 16 == 0)	// the last page: a path with no end
		return FUZZ_ARENA_END - FUZZ_PAGE + fuzz_next(rng) % FUZZ_PAGE;
	return FUZZ_ARENA + fuzz_path_offsets[fuzz_next(rng) % fuzz_path_count];
}

static uint64_t iovecs(uint64_t *rng)
{
	if (fuzz_next(rng) % 5 == 0)
		return pointer(rng);
	return FUZZ_ARENA + FUZZ_PAGE * FUZZ_PAGE_IOVECS + 16 * (fuzz_next(rng) % FUZZ_IOVECS);
}

static uint64_t length(uint64_t *rng)
{
	static const uint64_t values[] = {
		0, 1, 2, 8, 16, 64, 100, 128, 4095, 4096, 4097, 8192, 65535, 65536, 65537,
		UINT64_C(1) << 20, 0x7ffff000, 0x7fffffff, 0x80000000, UINT64_C(1) << 32,
		UINT64_C(1) << 46, UINT64_C(0x7fffffffffffffff), ~UINT64_C(0), ~UINT64_C(0) - 4095,
	};
	return fuzz_next(rng) % 8 ? PICK(rng, values) : fuzz_next(rng);
}

// Flags: a few random bits, none, all, or anything.
static uint64_t flags(uint64_t *rng)
{
	uint64_t r = fuzz_next(rng);
	switch (r % 8) {
	case 0: return 0;
	case 1: return ~UINT64_C(0);
	case 2: return fuzz_next(rng);
	default: {
		uint64_t bits = 0;
		for (unsigned n = 1 + (r >> 8) % 4; n; n--)
			bits |= UINT64_C(1) << fuzz_next(rng) % 32;
		return bits;
	}
	}
}

static uint64_t small(uint64_t *rng)
{
	static const uint64_t values[] = { 0x80000000, 0x7fffffff, ~UINT64_C(0), ~UINT64_C(0) - 1 };
	uint64_t r = fuzz_next(rng) % 8;
	return r ? fuzz_next(rng) % 18 : PICK(rng, values);
}

static uint64_t address(uint64_t *rng)
{
	uint64_t r = fuzz_next(rng);
	if (r % 4 == 0)
		return bad_address(rng);
	uint64_t offset = FUZZ_PAGE * ((r >> 8) % FUZZ_ARENA_PAGES);
	return FUZZ_ARENA + offset + (r % 3 == 0 ? (r >> 20) % FUZZ_PAGE : 0);
}

static uint64_t ioctl_request(uint64_t *rng)
{
	static const uint64_t values[] = {
		0x5401 /* TCGETS */, 0x5402 /* TCSETS */, 0x5403, 0x5404, 0x5413 /* TIOCGWINSZ */,
		0x5414 /* TIOCSWINSZ */, 0x541b /* FIONREAD */, 0x5412 /* TIOCSTI */, 0x540f, 0x5421,
		0x80045430, 0,
	};
	return fuzz_next(rng) % 4 ? PICK(rng, values) : any_number(rng);
}

static uint64_t argument(uint64_t *rng, char class)
{
	static const char classes[] = "fspvlFiar";
	if (class == '-' || fuzz_next(rng) % 4 == 0)	// a quarter of the time, any class
		class = fuzz_next(rng) % 3 ? classes[fuzz_next(rng) % (sizeof(classes) - 1)] : 'n';
	switch (class) {
	case 'f': return fd(rng);
	case 's': return path(rng);
	case 'p': return pointer(rng);
	case 'v': return iovecs(rng);
	case 'l': return length(rng);
	case 'F': return flags(rng);
	case 'i': return small(rng);
	case 'a': return address(rng);
	case 'r': return ioctl_request(rng);
	default: return any_number(rng);
	}
}

// Whether [start, start + length) may be unmapped, protected or mapped over: inside the
// arena, or starting where nothing of the fuzzer can be (the zero page's first 64 KiB,
// the kernel's half, past the top of user space), or wrapping past the end.
static bool range_safe(uint64_t start, uint64_t length)
{
	if (start >= FUZZ_ARENA && start < FUZZ_ARENA_END)
		return length <= FUZZ_ARENA_END - start;
	if (start >= FUZZ_USER_TOP || start + length < start)
		return true;
	return start + length <= 0x10000;
}

// A range for the calls that unmap, protect or map: the drawn one if range_safe, else
// moved into the arena, the same length or cut to what the arena holds.
static void keep_range(uint64_t *start, uint64_t *length)
{
	if (range_safe(*start, *length))
		return;
	uint64_t offset = *start % (FUZZ_ARENA_END - FUZZ_ARENA);
	*start = FUZZ_ARENA + offset;
	if (*length > FUZZ_ARENA_END - *start)
		*length = FUZZ_ARENA_END - *start;
}

// An fd that is not the console the fuzzer prints on (0-2): where a call would write
// the arena's bytes to it, read from it (console input would block), close it or
// replace it. Linux takes an fd as a 32-bit int: 2^32 + 1 is fd 1.
static void keep_off_console(uint64_t *fd)
{
	if ((uint32_t)*fd <= 2)
		*fd += 3;
}

static bool pointer_valid(uint64_t p)
{
	return p >= FUZZ_ARENA && p < FUZZ_ARENA_END;
}

// The rules that keep a call from ending or wrecking the fuzzer (docs/fuzzing.md); the
// calls that are never made at all are calls.c's denylist.
static void keep_safe(struct fuzz_call *c)
{
	uint64_t *a = c->args;
	switch (c->number) {
	case N(munmap): case N(mprotect): case N(madvise): case N(pkey_mprotect):
	case N(remap_file_pages): case N(mbind): case N(mremap):
		keep_range(&a[0], &a[1]);
		if (c->number == N(mremap) && (a[3] & 2 /* MREMAP_FIXED */))
			keep_range(&a[4], &a[2]);
		break;
	case N(mmap):
		if (a[3] & (0x10 /* MAP_FIXED */ | 0x100000 /* MAP_FIXED_NOREPLACE */))
			keep_range(&a[0], &a[1]);
		break;
	case N(shmat):	// SHM_REMAP maps over anything at the address
		if (!range_safe(a[1], 1))
			a[1] = 0;
		break;
	case N(shmdt):
		if (!range_safe(a[0], 1))
			a[0] = FUZZ_ARENA;
		break;
	case N(brk):	// the fuzzer has no heap: it may grow, up to FUZZ_HEAP_MAX
		if (a[0] > 0x10000 && a[0] < FUZZ_USER_TOP &&
		    (a[0] < fuzz_initial_brk || a[0] - fuzz_initial_brk > FUZZ_HEAP_MAX))
			a[0] = fuzz_initial_brk + a[0] % FUZZ_HEAP_MAX;
		break;
	case N(close): case N(read): case N(readv): case N(pread64): case N(preadv):
	case N(preadv2): case N(write): case N(writev): case N(pwrite64): case N(pwritev):
	case N(pwritev2): case N(vmsplice): case N(close_range):
	case N(dup): case N(fcntl):	// a copy of the console would be read
		keep_off_console(&a[0]);
		break;
	case N(dup3):
		keep_off_console(&a[0]);
		keep_off_console(&a[1]);
		break;
	case N(sendfile): case N(tee):
		keep_off_console(&a[0]);
		keep_off_console(&a[1]);
		break;
	case N(splice): case N(copy_file_range):
		keep_off_console(&a[0]);
		keep_off_console(&a[2]);
		break;
	case N(prctl):
		if (a[0] == 22 /* PR_SET_SECCOMP */)
			a[0] = 21;
		break;
	case N(prlimit64): case N(setrlimit): {	// no limit the health checks would hit
		uint64_t *resource = &a[c->number == N(prlimit64)];
		uint64_t *limit = &a[c->number == N(prlimit64) ? 2 : 1];
		if (*resource <= 9 && pointer_valid(*limit))
			*resource += 10;	// RLIMIT_LOCKS and up
		break;
	}
	}
}

extern const char __ehdr_start[];	// the fuzzer's first byte (lld defines it)

// Any argument that would be an address of the fuzzer's own image, data or stack (a
// flag word of random bits may be one) gets bit 40 as well: its low bits stay, and a
// call no longer writes over the fuzzer where Linux would let it.
static uint64_t keep_off_fuzzer(uint64_t v)
{
	bool image = v >= (uintptr_t)__ehdr_start && v < fuzz_initial_brk;
	bool stack = v >= FUZZ_USER_TOP - (UINT64_C(64) << 20) && v < FUZZ_USER_TOP;
	return image || stack ? v ^ UINT64_C(1) << 40 : v;
}

void fuzz_generate(uint64_t seed, uint64_t index, struct fuzz_call *call)
{
	uint64_t rng = seed * UINT64_C(0xd1342543de82ef95) ^ index;
	fuzz_next(&rng);
	call->index = index;
	call->number = fuzz_pick_number(&rng);
	const char *hint = fuzz_hint(call->number);
	for (int i = 0; i < 6; i++)
		call->args[i] = keep_off_fuzzer(argument(&rng, hint ? hint[i] : '-'));
	keep_safe(call);
}
