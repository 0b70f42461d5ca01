#include <limits.h>
#include <stdlib.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

// As C says, in the C locale: a leading '-' negates (in unsigned arithmetic); a value
// out of range gives ULONG_MAX.
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	while (is_space(*p))
		p++;
	int negative = *p == '-';
	if (*p == '+' || *p == '-')
		p++;
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	const char *first = p;
	unsigned long value = 0;
	int overflow = 0;
	for (int d; (d = digit_value(*p)) < base; p++) {
		if (value > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
			overflow = 1;
		value = value * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)(p == first ? s : p);
	if (overflow)
		return ULONG_MAX;
	return negative ? -value : value;
}
