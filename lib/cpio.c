#include <errno.h>
#include <string.h>
#include <xinim/cpio.h>

#define MAGIC "070701"
#define MAGIC_BYTES 6
#define HEADER_BYTES 110
#define TRAILER "TRAILER!!!"
#define CPIO_S_IFMT 0170000
#define CPIO_S_IFREG 0100000

// The header's fields after the magic, each 8 hex digits.
enum field {
	FIELD_INO, FIELD_MODE, FIELD_UID, FIELD_GID, FIELD_NLINK, FIELD_MTIME, FIELD_SIZE,
	FIELD_DEV_MAJOR, FIELD_DEV_MINOR, FIELD_RDEV_MAJOR, FIELD_RDEV_MINOR, FIELD_NAME_SIZE,
	FIELD_CHECK, FIELDS
};

static bool hex_digits(const char *text, uint32_t *value)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < 8; i++) {
		char c = text[i];
		unsigned digit = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			       : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			       : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (digit == 16)
			return false;
		v = v << 4 | digit;
	}
	*value = v;
	return true;
}

static bool header_parse(const char *header, uint32_t fields[FIELDS])
{
	if (memcmp(header, MAGIC, MAGIC_BYTES) != 0)
		return false;
	for (unsigned i = 0; i < FIELDS; i++)
		if (!hex_digits(header + MAGIC_BYTES + 8 * i, &fields[i]))
			return false;
	return fields[FIELD_NAME_SIZE] != 0;
}

static uint64_t align4(uint64_t n) { return (n + 3) & ~UINT64_C(3); }

// Past a trailer: another archive may follow after zeros. True when one does.
static bool next_archive(struct cpio_reader *r)
{
	for (char c = 0; r->at < r->size && r->read(r->context, r->at, &c, 1) == 1 && c == 0;)
		r->at++;
	return r->at < r->size;
}

static bool is_trailer(struct cpio_reader *r, uint64_t name_at, uint64_t name_size)
{
	char name[sizeof(TRAILER)];
	return name_size == sizeof(TRAILER) &&
	       r->read(r->context, name_at, name, sizeof(name)) == sizeof(name) &&
	       memcmp(name, TRAILER, sizeof(name)) == 0;
}

// Strips leading "/" and "./" (a lone "." is the root, "").
static const char *name_normal(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && (name[1] == '/' || name[1] == '\0'))
			name++;
		else
			return name;
	}
}

int cpio_next(struct cpio_reader *r, struct cpio_member *out)
{
	for (;;) {
		char header[HEADER_BYTES];
		uint32_t f[FIELDS];
		if (r->at > r->size || r->size - r->at < HEADER_BYTES ||
		    r->read(r->context, r->at, header, HEADER_BYTES) != HEADER_BYTES ||
		    !header_parse(header, f))
			return -EINVAL;
		uint64_t name_at = r->at + HEADER_BYTES, name_size = f[FIELD_NAME_SIZE];
		uint64_t data = align4(name_at + name_size);
		if (name_size > r->size - name_at || data > r->size || f[FIELD_SIZE] > r->size - data)
			return -EINVAL;
		r->at = align4(data + f[FIELD_SIZE]);
		if (is_trailer(r, name_at, name_size)) {
			if (!next_archive(r))
				return 0;
			continue;
		}
		if (name_size > r->name_room)
			return -ENAMETOOLONG;
		if (r->read(r->context, name_at, r->name, name_size) != (long)name_size ||
		    r->name[name_size - 1] != '\0')
			return -EINVAL;
		*out = (struct cpio_member){
			.name = name_normal(r->name), .mode = f[FIELD_MODE], .uid = f[FIELD_UID],
			.gid = f[FIELD_GID], .mtime = f[FIELD_MTIME], .size = f[FIELD_SIZE],
			.rdev_major = f[FIELD_RDEV_MAJOR], .rdev_minor = f[FIELD_RDEV_MINOR],
			.data = data,
		};
		return 1;
	}
}

static long memory_read(void *context, uint64_t offset, void *to, size_t n)
{
	memcpy(to, (const uint8_t *)context + offset, n);
	return (long)n;
}

bool cpio_find(const void *archive, size_t size, const char *path, const uint8_t **data,
	       size_t *file_size)
{
	char name[256];
	struct cpio_reader r = { .read = memory_read, .context = (void *)archive, .size = size,
				 .name = name, .name_room = sizeof(name) };
	path = name_normal(path);
	bool found = false;
	struct cpio_member m;
	for (int got; (got = cpio_next(&r, &m)) != 0;) {
		if (got == -EINVAL)
			return false;
		if (got == 1 && (m.mode & CPIO_S_IFMT) == CPIO_S_IFREG && strcmp(m.name, path) == 0) {
			*data = (const uint8_t *)archive + m.data;
			*file_size = (size_t)m.size;
			found = true;
		}
	}
	return found;
}
