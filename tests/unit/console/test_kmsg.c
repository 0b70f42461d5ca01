// The host console's dmesg (tools/console/kmsg.c): the kernel log found in a RAM file
// by its magic (not fooled by a page that only starts with it), printed oldest line
// first without levels, and a copy the guest wrote over meanwhile printed from its first
// whole line after the damage.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xinim/logring.h>
#include "kmsg.h"

#define PAGE 4096
#define RING_OFFSET (3 * PAGE)

static char path[] = "/tmp/xinim-kmsg-XXXXXX";
static struct xinim_log_ring ring;
static struct kmsg_copy copy;

// A RAM file with a false ring at page 1 (its version wrong) and ring at RING_OFFSET.
static void write_ram(void)
{
	size_t size = RING_OFFSET + sizeof(ring) + PAGE;
	uint8_t *bytes = calloc(1, size);
	assert_non_null(bytes);
	struct xinim_log_ring *decoy = (void *)(bytes + PAGE);
	memcpy(decoy->magic, XINIM_LOG_MAGIC, sizeof(decoy->magic));
	decoy->version = XINIM_LOG_VERSION + 1;
	memcpy(bytes + RING_OFFSET, &ring, sizeof(ring));
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, size), (ssize_t)size);
	close(fd);
	free(bytes);
}

static char *print(bool levels, unsigned *lines)
{
	char *out = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&out, &length);
	*lines = kmsg_print(&copy, stream, levels);
	fclose(stream);
	return out;
}

// Whether the console finds a log in the RAM file write_ram makes, copied into copy.
static bool found_in_ram(void)
{
	struct guest_ram ram;
	write_ram();
	assert_int_equal(ram_open(&ram, path), 0);
	bool found = kmsg_find(&ram, &copy);
	ram_close(&ram);
	unlink(path);
	strcpy(path, "/tmp/xinim-kmsg-XXXXXX");
	return found;
}

// A fresh ring holding text.
static void ring_of(const char *text)
{
	memset(&ring, 0, sizeof(ring));
	logring_init(&ring);
	logring_put(&ring, text, strlen(text));
}

static void test_kmsg_prints_the_log_without_levels(void **state)
{
	(void)state;
	ring_of("<6>[    0.000001] xinim: booting\n<3>[    0.000002] proc 5 (x): killed\n");
	assert_true(found_in_ram());
	unsigned lines;
	char *out = print(false, &lines);
	assert_int_equal(lines, 2);
	assert_string_equal(out, "[    0.000001] xinim: booting\n[    0.000002] proc 5 (x): killed\n");
	free(out);
	out = print(true, &lines);
	assert_string_equal(out, "<6>[    0.000001] xinim: booting\n<3>[    0.000002] proc 5 (x): killed\n");
	free(out);
}

static void test_kmsg_finds_no_log_in_ram_without_one(void **state)
{
	(void)state;
	ring_of("<6>[    0.000001] xinim: booting\n");
	memset(ring.magic, 0, sizeof(ring.magic));	// only the decoy starts with the magic
	assert_false(found_in_ram());
}

static void test_kmsg_skips_what_the_guest_overwrote_while_copied(void **state)
{
	(void)state;
	char line[32];
	ring_of("");
	for (unsigned i = 0; i < XINIM_LOG_SIZE / 16 + 10; i++) {
		snprintf(line, sizeof(line), "<6>line %7u\n", i);	// 16 bytes
		logring_put(&ring, line, strlen(line));
	}
	assert_true(found_in_ram());
	unsigned whole;
	free(print(false, &whole));
	// The oldest byte held may be inside a line (no byte before it says): its line is
	// not printed, though here it is whole.
	assert_int_equal(whole, XINIM_LOG_SIZE / 16 - 1);
	copy.intact_from = copy.ring.written - XINIM_LOG_SIZE + 20;	// 20 bytes went
	unsigned lines;
	char *out = print(false, &lines);
	assert_int_equal(lines, whole - 1);	// the line it tore
	snprintf(line, sizeof(line), "line %7u\n", XINIM_LOG_SIZE / 16 + 10 - lines);
	assert_memory_equal(out, line, strlen(line));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmsg_prints_the_log_without_levels),
		cmocka_unit_test(test_kmsg_finds_no_log_in_ram_without_one),
		cmocka_unit_test(test_kmsg_skips_what_the_guest_overwrote_while_copied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
