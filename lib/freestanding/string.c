// Word-at-a-time where both sides can be aligned alike (the kernel is built with
// -mstrict-align): bytes up to the first aligned word, then words; sides that differ by
// four bytes (a cpio member's bytes, 4-aligned, into a buffer) move four at a time.
#include <stdint.h>
#include <string.h>

#define WORD sizeof(uint64_t)

static inline int aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	unsigned skew = (unsigned)(((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1));
	if (skew == 0 || skew == 4) {
		size_t unit = skew ? 4 : WORD;
		for (; n && ((uintptr_t)d & (unit - 1)); n--)
			*d++ = *s++;
		if (skew)
			for (; n >= 4; n -= 4, d += 4, s += 4)
				*(uint32_t *)d = *(const uint32_t *)s;
	}
	if (aligned(d, s)) {
		// Four words a round: messages (128 bytes) are the common case.
		for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
			const uint64_t *from = (const uint64_t *)s;
			uint64_t a = from[0], b = from[1], c = from[2], e = from[3];
			uint64_t *to = (uint64_t *)d;
			to[0] = a, to[1] = b, to[2] = c, to[3] = e;
		}
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t pattern = (uint8_t)c * 0x0101010101010101ULL;
	for (; n && ((uintptr_t)d & (WORD - 1)); n--)
		*d++ = (unsigned char)c;
	// Eight words a round: whole pages (a page table, a demand-zero page) are the common
	// case.
	for (; n >= 8 * WORD; n -= 8 * WORD, d += 8 * WORD) {
		uint64_t *to = (uint64_t *)d;
		to[0] = to[1] = to[2] = to[3] = to[4] = to[5] = to[6] = to[7] = pattern;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*(uint64_t *)d = pattern;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	for (const unsigned char *p = s; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = 0;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}
