// Debian's libsodium.a was built against glibc and calls its fortified explicit_bzero;
// musl has only the plain one.
#include <stddef.h>
#include <string.h>

void __explicit_bzero_chk(void *p, size_t n, size_t size);

void __explicit_bzero_chk(void *p, size_t n, size_t size)
{
	(void)size;
	explicit_bzero(p, n);
}
