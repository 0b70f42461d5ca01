// The synthetic RAM file: a shared mapping of a temporary file, as QEMU's.
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "synthetic.h"

#define PAGE 4096
#define DIRECTORY_OFFSET (5 * PAGE)
#define DECOY_OFFSET (2 * PAGE)		// the magic, but a wrong version
#define NAMES_OFFSET (6 * PAGE)
#define COUNTS_OFFSET (7 * PAGE)
#define RECORDS_OFFSET (8 * PAGE)

void synthetic_create(struct synthetic_ram *ram, unsigned cpus, uint32_t ring_records,
		      uint64_t boot_id)
{
	*ram = (struct synthetic_ram){ 0 };
	snprintf(ram->path, sizeof(ram->path), "/tmp/xinim-console-test.XXXXXX");
	int fd = mkstemp(ram->path);
	assert_true(fd >= 0);
	ram->size = RECORDS_OFFSET + (size_t)cpus * ring_records * 64 + PAGE;
	assert_int_equal(ftruncate(fd, (off_t)ram->size), 0);
	ram->bytes = mmap(NULL, ram->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(ram->bytes != MAP_FAILED);
	close(fd);
	memcpy(ram->bytes + DECOY_OFFSET, XINIM_TRACE_MAGIC, 16);
	ram->directory = (void *)(ram->bytes + DIRECTORY_OFFSET);
	ram->names = (void *)(ram->bytes + NAMES_OFFSET);
	struct xinim_trace_directory *d = ram->directory;
	*d = (struct xinim_trace_directory){
		.version = XINIM_TRACE_VERSION, .size = sizeof(*d),
		.self_pa = SYNTHETIC_BASE_PA + DIRECTORY_OFFSET, .boot_id = boot_id,
		.counter_hz = SYNTHETIC_HZ, .cpus = cpus, .ring_records = ring_records,
		.record_size = 64, .names_pa = SYNTHETIC_BASE_PA + NAMES_OFFSET,
		.names_count = SYNTHETIC_NAMES };
	for (unsigned cpu = 0; cpu < cpus; cpu++) {
		size_t counts = COUNTS_OFFSET + cpu * sizeof(uint64_t);
		size_t records = RECORDS_OFFSET + (size_t)cpu * ring_records * 64;
		ram->written[cpu] = (void *)(ram->bytes + counts);
		ram->records[cpu] = (void *)(ram->bytes + records);
		d->rings[cpu] = (struct xinim_trace_ring_place){
			.written_pa = SYNTHETIC_BASE_PA + counts,
			.records_pa = SYNTHETIC_BASE_PA + records };
	}
	memcpy(d->magic, XINIM_TRACE_MAGIC, sizeof(d->magic));
}

void synthetic_destroy(struct synthetic_ram *ram)
{
	munmap(ram->bytes, ram->size);
	unlink(ram->path);
}

void synthetic_reboot(struct synthetic_ram *ram, uint64_t boot_id)
{
	struct xinim_trace_directory *d = ram->directory;
	memset(d->magic, 0, sizeof(d->magic));
	memset(ram->bytes + COUNTS_OFFSET, 0, ram->size - COUNTS_OFFSET);
	memset(ram->names, 0, SYNTHETIC_NAMES * sizeof(*ram->names));
	d->boot_id = boot_id;
	memcpy(d->magic, XINIM_TRACE_MAGIC, sizeof(d->magic));
}

struct xinim_trace_record *synthetic_record(struct synthetic_ram *ram, unsigned cpu, uint64_t n)
{
	return &ram->records[cpu][n & (ram->directory->ring_records - 1)];
}

uint64_t synthetic_write(struct synthetic_ram *ram, unsigned cpu, struct xinim_trace_record r)
{
	uint64_t n = *ram->written[cpu] + 1;
	r.cpu = (uint8_t)cpu;
	r.cpu_sequence = n;
	*synthetic_record(ram, cpu, n) = r;
	*ram->written[cpu] = n;
	return n;
}

void synthetic_table_name(struct synthetic_ram *ram, unsigned pid, xinim_endpoint_t endpoint,
			  const char *name)
{
	struct xinim_trace_name *e = &ram->names[pid];
	e->sequence += 2;
	e->endpoint = endpoint;
	memset(e->name, 0, sizeof(e->name));
	memcpy(e->name, name, strnlen(name, sizeof(e->name)));
}

static uint64_t ticks(uint64_t us)
{
	return us * SYNTHETIC_HZ / 1000000;
}

struct xinim_trace_record synthetic_message(enum xinim_trace_event event, uint64_t us,
					    xinim_endpoint_t source, xinim_endpoint_t dest,
					    int32_t type, uint64_t message_id)
{
	return (struct xinim_trace_record){ .timestamp = ticks(us), .message_id = message_id,
					    .source = source, .dest = dest, .type = type,
					    .length = 48, .event = (uint8_t)event };
}

struct xinim_trace_record synthetic_name_record(uint64_t us, xinim_endpoint_t endpoint,
						const char *name)
{
	struct xinim_trace_record r = { .timestamp = ticks(us), .source = endpoint,
					.event = XINIM_TRACE_NAME };
	memcpy(r.name, name, strnlen(name, sizeof(r.name)));
	return r;
}
