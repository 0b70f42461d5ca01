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

// As C says, without locale; saturates at ULONG_MAX.
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p == '+')
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
	for (int d; (d = digit_value(*p)) < base; p++)
		value = value > (ULONG_MAX - (unsigned long)d) / (unsigned long)base ? ULONG_MAX
			: value * (unsigned long)base + (unsigned long)d;
	if (end)
		*end = (char *)(p == first ? s : p);
	return value;
}
