// Guest RAM mapped read-only, and the search for the trace directory (and other blocks
// found by a magic at a page start) in it.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ram.h"

int ram_open(struct guest_ram *ram, const char *path)
{
	*ram = (struct guest_ram){ .fd = -1 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size < RAM_PAGE) {
		int err = st.st_size < RAM_PAGE ? -EINVAL : -errno;
		close(fd);
		return err;
	}
	void *bytes = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (bytes == MAP_FAILED) {
		int err = -errno;
		close(fd);
		return err;
	}
	*ram = (struct guest_ram){ .fd = fd, .bytes = bytes, .size = (size_t)st.st_size };
	return 0;
}

void ram_close(struct guest_ram *ram)
{
	if (ram->bytes)
		munmap((void *)ram->bytes, ram->size);
	if (ram->fd >= 0)
		close(ram->fd);
	*ram = (struct guest_ram){ .fd = -1 };
}

// Whether [pa, pa + length) lies in a file of size bytes whose first byte is at base_pa.
static bool in_file(uint64_t base_pa, size_t size, uint64_t pa, uint64_t length)
{
	return pa >= base_pa && pa - base_pa <= size && length <= size - (pa - base_pa);
}

// Every field a reader relies on, checked against the file: a stale or half-written
// block, or something else that merely starts with the magic, is refused.
static bool directory_valid(const struct xinim_trace_directory *d, size_t offset, size_t size)
{
	if (d->version != XINIM_TRACE_VERSION || d->size != sizeof(*d) ||
	    d->record_size != sizeof(struct xinim_trace_record) || d->cpus == 0 ||
	    d->cpus > XINIM_TRACE_CPUS_MAX || d->ring_records == 0 ||
	    (d->ring_records & (d->ring_records - 1)) || d->counter_hz == 0 ||
	    d->self_pa < offset || d->self_pa % RAM_PAGE)
		return false;
	uint64_t base = d->self_pa - offset;
	for (uint32_t cpu = 0; cpu < d->cpus; cpu++)
		if (!in_file(base, size, d->rings[cpu].written_pa, sizeof(uint64_t)) ||
		    !in_file(base, size, d->rings[cpu].records_pa,
			     (uint64_t)d->ring_records * d->record_size))
			return false;
	return d->names_count == 0 ||
	       in_file(base, size, d->names_pa,
		       (uint64_t)d->names_count * sizeof(struct xinim_trace_name));
}

// Which pages of the file hold data, in resident[] (one byte a page, bit 0): reading a
// page the guest never wrote would make the host allocate it, and the whole of a fresh
// 512 MiB file takes a quarter of a second. NULL (look at every page) if unknown.
static unsigned char *resident_pages(const struct guest_ram *ram)
{
	unsigned char *resident = malloc(ram->size / RAM_PAGE + 1);
	if (resident && mincore((void *)ram->bytes, ram->size, resident)) {
		free(resident);
		return NULL;
	}
	return resident;
}

bool ram_find_page(const struct guest_ram *ram, const char *magic, size_t length,
		   bool (*accept)(struct guest_ram *ram, size_t offset, void *context),
		   void *context)
{
	bool found = false;
	unsigned char *resident = resident_pages(ram);
	for (size_t offset = 0; !found && offset + length <= ram->size; offset += RAM_PAGE)
		if ((!resident || (resident[offset / RAM_PAGE] & 1)) &&
		    !memcmp(ram->bytes + offset, magic, length))
			found = accept((struct guest_ram *)ram, offset, context);
	free(resident);
	return found;
}

// ram_find_page's accept for the trace directory: a copy, checked.
static bool directory_accept(struct guest_ram *ram, size_t offset, void *context)
{
	(void)context;
	struct xinim_trace_directory d;
	if (offset + sizeof(d) > ram->size)
		return false;
	memcpy(&d, ram->bytes + offset, sizeof(d));
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (memcmp(d.magic, XINIM_TRACE_MAGIC, sizeof(d.magic)) ||
	    !directory_valid(&d, offset, ram->size))
		return false;
	ram->directory = d;
	ram->directory_offset = offset;
	ram->base_pa = d.self_pa - offset;
	return true;
}

bool ram_find_directory(struct guest_ram *ram)
{
	ram->found = ram_find_page(ram, XINIM_TRACE_MAGIC,
				   sizeof(ram->directory.magic), directory_accept, NULL);
	return ram->found;
}

bool ram_directory_unchanged(const struct guest_ram *ram)
{
	if (!ram->found)
		return false;
	const struct xinim_trace_directory *live =
		(const void *)(ram->bytes + ram->directory_offset);
	return !memcmp(live->magic, XINIM_TRACE_MAGIC, sizeof(live->magic)) &&
	       __atomic_load_n(&live->boot_id, __ATOMIC_ACQUIRE) == ram->directory.boot_id;
}

const void *ram_at(const struct guest_ram *ram, uint64_t pa, size_t length)
{
	if (!in_file(ram->base_pa, ram->size, pa, length))
		return NULL;
	return ram->bytes + (pa - ram->base_pa);
}
