// The C library functions Debian's libsodium.a refers to, for the kernel. The kernel
// calls only the ChaCha20, HChaCha20 and Poly1305 primitives and sodium_memzero, which
// need none of these at run time but memset; the rest are referred to by members the
// linker must still pull in (utils.o: sodium_malloc, locking) and fail safely if ever
// reached.
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <kernel/panic.h>
#include <kernel/random.h>

// The stubs take libc's parameters and ignore them.
#pragma clang diagnostic ignored "-Wunused-parameter"

static int kernel_errno;

int *__errno_location(void) { return &kernel_errno; }

void abort(void) { panic("libsodium: abort"); }

void __assert_fail(const char *expr, const char *file, unsigned line, const char *func)
{
	panic("libsodium: assertion %s failed at %s:%u (%s)", expr, file, line, func);
}

// explicit_bzero with glibc's fortify check; the compiler may not drop this memset
// because the pointer escapes through the asm.
void __explicit_bzero_chk(void *p, size_t n, size_t size)
{
	(void)size;
	memset(p, 0, n);
	__asm__ volatile("" : : "r"(p) : "memory");
}

void *malloc(size_t n) { return NULL; }
void free(void *p) {}
void *mmap(void *a, size_t n, int p, int f, int fd, long o) { return (void *)-1; }

#define FAILS(name, ...) int name(__VA_ARGS__) { kernel_errno = ENOSYS; return -1; }
FAILS(munmap, void *a, size_t n)
FAILS(mprotect, void *a, size_t n, int p)
FAILS(madvise, void *a, size_t n, int advice)
FAILS(mlock, const void *a, size_t n)
FAILS(munlock, const void *a, size_t n)
FAILS(raise, int signal)
long sysconf(int name) { return -1; }

// One CPU in the kernel at a time never calls sodium's locked paths (sodium_init).
int pthread_mutex_lock(void *mutex) { return 0; }
int pthread_mutex_unlock(void *mutex) { return 0; }

// libsodium's own: defined here so that the linker takes neither core.o (whose
// sodium_init drags in every primitive's implementation picker) nor randombytes.o (whose
// default source is the operating system's).
void sodium_misuse(void) { panic("libsodium: misuse"); }

void randombytes_buf(void *buf, size_t size)
{
	for (size_t done = 0; done < size; done += RANDOM_MAX)
		random_bytes((char *)buf + done, size - done < RANDOM_MAX ? size - done : RANDOM_MAX);
}
