#include <string.h>
#include <kernel/cpio.h>

#define HEADER 110
#define S_IFMT 0170000
#define S_IFREG 0100000

// Field i (0-based after the 6-byte magic) of a newc header: 8 hex digits.
static bool field(const uint8_t *header, unsigned i, uint32_t *value)
{
	uint32_t v = 0;
	for (unsigned k = 0; k < 8; k++) {
		uint8_t c = header[6 + 8 * i + k];
		unsigned d = c >= '0' && c <= '9' ? c - '0'
			   : c >= 'a' && c <= 'f' ? c - 'a' + 10
			   : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
		if (d == 16)
			return false;
		v = v << 4 | d;
	}
	*value = v;
	return true;
}

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

bool cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_file *out)
{
	const uint8_t *base = archive;
	size_t at = *cursor;
	uint32_t mode, file_size, name_size;
	if (at > size || size - at < HEADER || memcmp(base + at, "070701", 6) != 0)
		return false;
	const uint8_t *header = base + at;
	if (!field(header, 1, &mode) || !field(header, 6, &file_size) ||
	    !field(header, 11, &name_size) || name_size == 0)
		return false;
	size_t name_at = at + HEADER, data_at = align4(name_at + name_size);
	if (name_size > size - name_at || data_at > size || file_size > size - data_at)
		return false;
	const char *name = (const char *)base + name_at;
	size_t length = name_size - 1;	// name_size counts the NUL
	if (name[length] != '\0' || (length == 10 && memcmp(name, "TRAILER!!!", 10) == 0))
		return false;
	while (length && (name[0] == '.' || name[0] == '/') &&
	       (length == 1 || name[1] == '/' || name[0] == '/')) {
		size_t skip = name[0] == '/' ? 1 : (length == 1 ? 1 : 2);
		name += skip;
		length -= skip;
	}
	*out = (struct cpio_file){ .name = name, .name_length = length, .data = base + data_at,
				   .size = file_size, .mode = mode };
	*cursor = align4(data_at + file_size);
	return true;
}

bool cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *out)
{
	while (*path == '/')
		path++;
	size_t length = strlen(path), cursor = 0;
	struct cpio_file file;
	while (cpio_next(archive, size, &cursor, &file)) {
		if ((file.mode & S_IFMT) == S_IFREG && file.name_length == length &&
		    memcmp(file.name, path, length) == 0) {
			*out = file;
			return true;
		}
	}
	return false;
}
