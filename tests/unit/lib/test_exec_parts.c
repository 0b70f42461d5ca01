// What exec is built from (lib/): the cpio reader, ELF validation and the initial stack.
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xinim/cpio.h>
#include <xinim/elf.h>
#include <xinim/initstack.h>

#define LIMIT (1UL << 47)

// ---- cpio: an archive built here the way boot/mkarchive.sh builds one (newc).
static size_t add_entry(uint8_t *at, const char *name, uint32_t mode, const char *data)
{
	size_t name_size = strlen(name) + 1, size = data ? strlen(data) : 0;
	int n = sprintf((char *)at, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08zx%08x",
			1, mode, 0, 0, 1, 0, (unsigned)size, 0, 0, 0, 0, name_size, 0);
	memcpy(at + n, name, name_size);
	size_t off = (size_t)n + name_size;
	off = (off + 3) & ~3UL;
	if (data)
		memcpy(at + off, data, size);
	return (off + size + 3) & ~3UL;
}

static size_t make_archive(uint8_t *buf)
{
	size_t at = 0;
	at += add_entry(buf + at, ".", 040755, NULL);
	at += add_entry(buf + at, "bin", 040755, NULL);
	at += add_entry(buf + at, "bin/hello", 0100755, "HELLO");
	at += add_entry(buf + at, "etc/issue", 0100644, "XINIM\n");
	at += add_entry(buf + at, "TRAILER!!!", 0, NULL);
	return at;
}

// A second archive after the first, with zeros between, as boot/run.sh's EXTRA_ROOTFS.
static size_t make_overlay(uint8_t *buf)
{
	size_t at = make_archive(buf);
	memset(buf + at, 0, 512);
	at += 512;
	at += add_entry(buf + at, "./etc/issue", 0100644, "REPLACED\n");
	at += add_entry(buf + at, "x/prog", 0100755, "PROG");
	at += add_entry(buf + at, "TRAILER!!!", 0, NULL);
	return at;
}

static void test_cpio_finds_files_by_path(void **state)
{
	(void)state;
	uint8_t buf[2048] = { 0 };
	size_t size = make_archive(buf), file_size;
	const uint8_t *data;
	assert_true(cpio_find(buf, size, "/bin/hello", &data, &file_size));
	assert_int_equal(file_size, 5);
	assert_memory_equal(data, "HELLO", 5);
	assert_true(cpio_find(buf, size, "etc/issue", &data, &file_size));
	assert_memory_equal(data, "XINIM\n", 6);
	assert_false(cpio_find(buf, size, "/bin", &data, &file_size));	// a directory
	assert_false(cpio_find(buf, size, "/bin/hell", &data, &file_size));
}

static void test_cpio_later_archive_replaces_earlier_member(void **state)
{
	(void)state;
	uint8_t buf[4096] = { 0 };
	size_t size = make_overlay(buf), file_size;
	const uint8_t *data;
	assert_true(cpio_find(buf, size, "/etc/issue", &data, &file_size));
	assert_int_equal(file_size, 9);
	assert_memory_equal(data, "REPLACED\n", 9);
	assert_true(cpio_find(buf, size, "/x/prog", &data, &file_size));
	assert_true(cpio_find(buf, size, "/bin/hello", &data, &file_size));
}

static void test_cpio_refuses_truncated_and_corrupt_archives(void **state)
{
	(void)state;
	uint8_t buf[4096] = { 0 };
	size_t size = make_overlay(buf), file_size;
	const uint8_t *data;
	size_t first = make_archive(buf);	// a whole archive ends there
	for (size_t cut = 0; cut < size; cut += 7) {
		bool found = cpio_find(buf, cut, "/etc/issue", &data, &file_size);
		if (cut < first || cut > first + 512)
			assert_false(found);
		else	// the first archive, whole, with some of the zeros after it
			assert_true(found && data + file_size <= buf + cut);
	}
	assert_true(cpio_find(buf, size, "/etc/issue", &data, &file_size));
	buf[2] = 'X';	// bad magic in the first header
	assert_false(cpio_find(buf, size, "/bin/hello", &data, &file_size));
}

static long read_piece(void *context, uint64_t offset, void *to, size_t n)
{
	memcpy(to, (const uint8_t *)context + offset, n);
	return (long)n;
}

static void test_cpio_reader_lists_members_with_attributes(void **state)
{
	(void)state;
	uint8_t buf[4096] = { 0 };
	char name[8];	// "bin/hello" and "etc/issue" do not fit
	struct cpio_reader r = { .read = read_piece, .context = buf, .size = make_overlay(buf),
				 .name = name, .name_room = sizeof(name) };
	struct cpio_member m;
	const char *names[] = { "", "bin", "x/prog" };
	int results[] = { 1, 1, -ENAMETOOLONG, -ENAMETOOLONG, -ENAMETOOLONG, 1, 0 };
	unsigned named = 0;
	for (unsigned i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		assert_int_equal(cpio_next(&r, &m), results[i]);
		if (results[i] == 1)
			assert_string_equal(m.name, names[named++]);
	}
	assert_int_equal(m.mode, 0100755);
	assert_int_equal(m.size, 4);
	assert_memory_equal(buf + m.data, "PROG", 4);
}

// ---- ELF: a minimal static AArch64 executable, then broken copies of it.
struct test_elf {
	uint8_t bytes[0x3000];
};

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

// Program header i: type, flags, offset, vaddr, filesz, memsz.
static void phdr(struct test_elf *e, int i, uint32_t type, uint32_t flags, uint64_t offset,
		 uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	uint8_t *p = e->bytes + 64 + 56 * i;
	put32(p, type);
	put32(p + 4, flags);
	put64(p + 8, offset);
	put64(p + 16, vaddr);
	put64(p + 24, vaddr);
	put64(p + 32, filesz);
	put64(p + 40, memsz);
	put64(p + 48, 0x1000);
}

static void make_elf(struct test_elf *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->bytes, "\x7f" "ELF\x02\x01\x01", 7);
	put16(e->bytes + 16, 2);		// ET_EXEC
	put16(e->bytes + 18, 183);		// EM_AARCH64
	put32(e->bytes + 20, 1);
	put64(e->bytes + 24, 0x401000);		// entry
	put64(e->bytes + 32, 64);		// phoff
	put16(e->bytes + 54, 56);
	put16(e->bytes + 56, 2);		// phnum
	phdr(e, 0, 1, 5, 0, 0x400000, 0x2000, 0x2000);		// R X, headers and code
	phdr(e, 1, 1, 6, 0x2000, 0x403000, 0x800, 0x5000);	// R W, data and .bss
}

static void test_elf_accepts_static_executable(void **state)
{
	(void)state;
	struct test_elf e;
	struct elf_image image;
	make_elf(&e);
	assert_int_equal(elf_parse(e.bytes, sizeof(e.bytes), sizeof(e.bytes), LIMIT, &image), 0);
	assert_int_equal(image.entry, 0x401000);
	assert_int_equal(image.count, 2);
	assert_int_equal(image.segments[0].prot, SEG_READ | SEG_EXEC);
	assert_int_equal(image.segments[1].prot, SEG_READ | SEG_WRITE);
	assert_int_equal(image.segments[1].memsz, 0x5000);
	assert_int_equal(image.phdr_vaddr, 0x400040);
	assert_int_equal(image.phnum, 2);
}

static int parse_broken(void (*breakit)(struct test_elf *), size_t size)
{
	struct test_elf e;
	struct elf_image image;
	make_elf(&e);
	breakit(&e);
	return elf_parse(e.bytes, size, size, LIMIT, &image);
}

static void wrong_machine(struct test_elf *e) { put16(e->bytes + 18, 62); }
static void wrong_class(struct test_elf *e) { e->bytes[4] = 1; }
static void dynamic_type(struct test_elf *e) { put16(e->bytes + 16, 3); }
static void interpreter(struct test_elf *e) { phdr(e, 1, 3, 4, 0x2000, 0, 0x10, 0x10); }
static void headers_past_end(struct test_elf *e) { put64(e->bytes + 32, 0x2ff0); }
static void too_many_headers(struct test_elf *e) { put16(e->bytes + 56, 65); }
static void segment_past_end(struct test_elf *e) { phdr(e, 1, 1, 6, 0x2000, 0x403000, 0x9000, 0x9000); }
static void filesz_above_memsz(struct test_elf *e) { phdr(e, 1, 1, 6, 0x2000, 0x403000, 0x800, 0x400); }
static void overlapping(struct test_elf *e) { phdr(e, 1, 1, 6, 0x2000, 0x401800, 0x800, 0x800); }
static void writable_code(struct test_elf *e) { phdr(e, 0, 1, 7, 0, 0x400000, 0x2000, 0x2000); }
static void huge(struct test_elf *e) { phdr(e, 1, 1, 6, 0x2000, 0x403000, 0x800, UINT64_MAX - 0x1000); }
static void kernel_address(struct test_elf *e) { phdr(e, 1, 1, 6, 0x2000, 0xffff000000000000, 0x800, 0x1000); }
static void entry_in_data(struct test_elf *e) { put64(e->bytes + 24, 0x403000); }

static void test_elf_refuses_malformed_files(void **state)
{
	(void)state;
	size_t full = sizeof(((struct test_elf *)0)->bytes);
	assert_int_equal(parse_broken(wrong_machine, full), -ENOEXEC);
	assert_int_equal(parse_broken(wrong_class, full), -ENOEXEC);
	assert_int_equal(parse_broken(dynamic_type, full), -ENOEXEC);
	assert_int_equal(parse_broken(interpreter, full), -ENOEXEC);
	assert_int_equal(parse_broken(headers_past_end, full), -ENOEXEC);
	assert_int_equal(parse_broken(too_many_headers, full), -ENOEXEC);
	assert_int_equal(parse_broken(segment_past_end, full), -ENOEXEC);
	assert_int_equal(parse_broken(filesz_above_memsz, full), -ENOEXEC);
	assert_int_equal(parse_broken(entry_in_data, full), -ENOEXEC);
	assert_int_equal(parse_broken(overlapping, full), -EINVAL);
	assert_int_equal(parse_broken(writable_code, full), -EINVAL);
	assert_int_equal(parse_broken(huge, full), -EINVAL);
	assert_int_equal(parse_broken(kernel_address, full), -EINVAL);
}

static void nothing(struct test_elf *e) { (void)e; }

static void test_elf_refuses_every_truncation(void **state)
{
	(void)state;
	for (size_t size = 0; size < 0x2800; size += 8)	// the data segment ends at 0x2800
		assert_int_equal(parse_broken(nothing, size), -ENOEXEC);
	assert_int_equal(parse_broken(nothing, 0x2800), 0);
}

// ---- The initial stack, read back as a program's start-up code reads it.
static void test_initstack_matches_linux_layout(void **state)
{
	(void)state;
	static uint8_t page[4096];
	const uint64_t top = 0x800000000000UL, base = top - sizeof(page);
	const char *argv[] = { "/bin/prog", "-x", "arg" };
	const char *envp[] = { "HOME=/" };
	uint8_t random[16];
	for (int i = 0; i < 16; i++)
		random[i] = (uint8_t)(0xa0 + i);
	struct initstack in = { .argc = 3, .argv = argv, .envc = 1, .envp = envp,
				.execfn = "/bin/prog", .random = random,
				.aux = { { AT_PAGESZ, 4096 }, { AT_ENTRY, 0x401000 } }, .auxc = 2 };
	uint64_t sp = initstack_build(page, sizeof(page), top, &in);
	assert_true(sp > base && sp < top);
	assert_int_equal(sp % 16, 0);
	const uint64_t *v = (const uint64_t *)(page + (sp - base));
#define STRING(addr) ((const char *)page + ((addr) - base))
	assert_int_equal(v[0], 3);
	assert_string_equal(STRING(v[1]), "/bin/prog");
	assert_string_equal(STRING(v[2]), "-x");
	assert_string_equal(STRING(v[3]), "arg");
	assert_int_equal(v[4], 0);
	assert_string_equal(STRING(v[5]), "HOME=/");
	assert_int_equal(v[6], 0);
	const uint64_t *aux = v + 7;
	assert_int_equal(aux[0], AT_PAGESZ);
	assert_int_equal(aux[1], 4096);
	assert_int_equal(aux[2], AT_ENTRY);
	assert_int_equal(aux[4], AT_RANDOM);
	assert_memory_equal(STRING(aux[5]), random, 16);
	assert_int_equal(aux[6], AT_EXECFN);
	assert_string_equal(STRING(aux[7]), "/bin/prog");
	assert_int_equal(aux[8], AT_NULL);
	// What the vector points to lies above it, inside the stack.
	for (int i = 1; i <= 5; i++)
		assert_true(v[i] == 0 || (v[i] > sp && v[i] < top));
	assert_true(aux[5] > sp && aux[5] + 16 <= top);
	assert_true(aux[7] > sp && aux[7] < top);
}

static void test_initstack_refuses_what_does_not_fit(void **state)
{
	(void)state;
	static uint8_t page[256];
	char big[300];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const char *argv[] = { big };
	uint8_t random[16] = { 0 };
	struct initstack in = { .argc = 1, .argv = argv, .execfn = "x", .random = random };
	assert_int_equal(initstack_build(page, sizeof(page), 0x10000, &in), 0);
	in.argc = -1;
	assert_int_equal(initstack_build(page, sizeof(page), 0x10000, &in), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpio_finds_files_by_path),
		cmocka_unit_test(test_cpio_later_archive_replaces_earlier_member),
		cmocka_unit_test(test_cpio_refuses_truncated_and_corrupt_archives),
		cmocka_unit_test(test_cpio_reader_lists_members_with_attributes),
		cmocka_unit_test(test_elf_accepts_static_executable),
		cmocka_unit_test(test_elf_refuses_malformed_files),
		cmocka_unit_test(test_elf_refuses_every_truncation),
		cmocka_unit_test(test_initstack_matches_linux_layout),
		cmocka_unit_test(test_initstack_refuses_what_does_not_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
