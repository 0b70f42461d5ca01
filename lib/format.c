#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/format.h>

struct spec {
	bool left;
	char pad;
	unsigned width;
};

static void emit_padded(format_sink sink, void *context, const struct spec *spec,
			const char *text, size_t length)
{
	size_t fill = spec->width > length ? spec->width - length : 0;
	if (!spec->left)
		while (fill--)
			sink(spec->pad, context);
	while (length--)
		sink(*text++, context);
	if (spec->left)
		while (fill--)
			sink(' ', context);
}

static void emit_number(format_sink sink, void *context, struct spec *spec,
			uint64_t value, unsigned base, bool negative, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buffer[24];
	size_t at = sizeof(buffer);
	do {
		buffer[--at] = digits[value % base];
		value /= base;
	} while (value);
	if (negative) {
		if (spec->pad == '0' && spec->width) {
			sink('-', context);
			spec->width--;
		} else {
			buffer[--at] = '-';
		}
	}
	emit_padded(sink, context, spec, buffer + at, sizeof(buffer) - at);
}

// Reads an integer argument of the size the length modifier names.
static uint64_t next_unsigned(va_list *args, int longs)
{
	return longs ? va_arg(*args, unsigned long) : va_arg(*args, unsigned int);
}

static int64_t next_signed(va_list *args, int longs)
{
	return longs ? va_arg(*args, long) : va_arg(*args, int);
}

void format(format_sink sink, void *context, const char *fmt, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sink(*fmt, context);
			continue;
		}
		struct spec spec = { .pad = ' ' };
		for (;; fmt++) {
			if (fmt[1] == '-')
				spec.left = true;
			else if (fmt[1] == '0')
				spec.pad = '0';
			else
				break;
		}
		while (fmt[1] >= '0' && fmt[1] <= '9')
			spec.width = spec.width * 10 + (unsigned)(*++fmt - '0');
		int longs = 0;
		while (fmt[1] == 'l' || fmt[1] == 'z') {
			longs++;
			fmt++;
		}
		switch (*++fmt) {
		case 'c': {
			char c = (char)va_arg(args, int);
			emit_padded(sink, context, &spec, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t n = 0;
			if (!s)
				s = "(null)";
			while (s[n])
				n++;
			emit_padded(sink, context, &spec, s, n);
			break;
		}
		case 'd':
		case 'i': {
			int64_t v = next_signed(&args, longs);
			emit_number(sink, context, &spec, v < 0 ? -(uint64_t)v : (uint64_t)v, 10,
				    v < 0, false);
			break;
		}
		case 'u':
			emit_number(sink, context, &spec, next_unsigned(&args, longs), 10, false, false);
			break;
		case 'x':
		case 'X':
			emit_number(sink, context, &spec, next_unsigned(&args, longs), 16, false,
				    *fmt == 'X');
			break;
		case 'p':
			sink('0', context);
			sink('x', context);
			spec = (struct spec){ .pad = '0', .width = 16 };
			emit_number(sink, context, &spec, (uintptr_t)va_arg(args, void *), 16, false,
				    false);
			break;
		case '%':
			sink('%', context);
			break;
		case '\0':
			fmt--;
			break;
		default:
			sink('%', context);
			sink(*fmt, context);
			break;
		}
	}
	va_end(args);
}

struct buffer {
	char *at;
	size_t room;	// bytes left, keeping one for the NUL
	size_t length;
};

static void buffer_sink(char c, void *context)
{
	struct buffer *b = context;
	if (b->room) {
		*b->at++ = c;
		b->room--;
		b->length++;
	}
}

size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	if (size == 0)
		return 0;
	struct buffer b = { .at = buf, .room = size - 1 };
	format(buffer_sink, &b, fmt, args);
	*b.at = '\0';
	return b.length;
}

size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	size_t length = kvsnprintf(buf, size, fmt, args);
	va_end(args);
	return length;
}
