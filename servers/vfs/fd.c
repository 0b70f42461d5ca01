// Each process's fd table: fd -> open file (shared by dup'd fds and, later, by fork).
#include <errno.h>
#include <fcntl.h>
#include <xinim/limits.h>
#include "vfs.h"

#define FDS_MAX 128
#define OPEN_FILES_MAX 4096

struct fd_slot {
	struct open_file *file;
	bool cloexec;
};

struct fd_table {
	xinim_endpoint_t owner;	// 0: free
	struct fd_slot fds[FDS_MAX];
};

static struct fd_table tables[XINIM_PROCS_MAX];
static struct open_file open_files[OPEN_FILES_MAX];

static struct fd_table *table_of(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	return pid < XINIM_PROCS_MAX && who && tables[pid].owner == who ? &tables[pid] : NULL;
}

static struct open_file *open_file_new(struct node *node, int flags)
{
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++)
		if (!open_files[i].refs) {
			open_files[i] = (struct open_file){ .node = node, .flags = flags, .refs = 1 };
			return &open_files[i];
		}
	return NULL;
}

static void slot_close(struct fd_slot *slot)
{
	if (slot->file)
		slot->file->refs--;
	*slot = (struct fd_slot){ 0 };
}

void fd_table_end(xinim_endpoint_t who)
{
	struct fd_table *t = table_of(who);
	for (unsigned fd = 0; t && fd < FDS_MAX; fd++)
		slot_close(&t->fds[fd]);
	if (t)
		t->owner = 0;
}

int fd_table_start(xinim_endpoint_t who, xinim_endpoint_t parent)
{
	unsigned pid = xinim_endpoint_pid(who);
	if (!who || who == XINIM_ENDPOINT_NONE || pid >= XINIM_PROCS_MAX)
		return -EINVAL;
	fd_table_end(tables[pid].owner);	// a stale table of an earlier instance
	struct fd_table *from = table_of(parent), *t = &tables[pid];
	*t = (struct fd_table){ .owner = who };
	for (unsigned fd = 0; from && fd < FDS_MAX; fd++) {
		t->fds[fd] = from->fds[fd];
		if (t->fds[fd].file)
			t->fds[fd].file->refs++;
	}
	if (from)
		return 0;
	struct node *console;
	static const struct creds root = { 0, 0 };
	int err = path_lookup(NULL, "/dev/console", LOOKUP_FOLLOW, &root, &console);
	for (long fd = 0; fd < 3 && !err; fd++)
		err = fd_open(who, console, O_RDWR, false) == fd ? 0 : -ENFILE;
	if (err)
		fd_table_end(who);
	return err;
}

unsigned open_file_index(const struct open_file *file)
{
	return (unsigned)(file - open_files);
}

struct open_file *open_file_at(unsigned index)
{
	return index < OPEN_FILES_MAX && open_files[index].refs ? &open_files[index] : NULL;
}

struct open_file *fd_get(xinim_endpoint_t who, uint64_t arg)
{
	struct fd_table *t = table_of(who);
	uint32_t fd = (uint32_t)arg;
	return t && fd < FDS_MAX ? t->fds[fd].file : NULL;
}

long fd_open(xinim_endpoint_t who, struct node *node, int flags, bool cloexec)
{
	struct fd_table *t = table_of(who);
	if (!t)
		return -EBADF;	// a process PM never introduced
	for (long fd = 0; fd < FDS_MAX; fd++) {
		if (t->fds[fd].file)
			continue;
		struct open_file *file = open_file_new(node, flags);
		if (!file)
			return -ENFILE;
		t->fds[fd] = (struct fd_slot){ file, cloexec };
		return fd;
	}
	return -EMFILE;
}

long fd_close(xinim_endpoint_t who, uint64_t arg)
{
	struct fd_table *t = table_of(who);
	uint32_t fd = (uint32_t)arg;
	if (!t || fd >= FDS_MAX || !t->fds[fd].file)
		return -EBADF;
	slot_close(&t->fds[fd]);
	return 0;
}
