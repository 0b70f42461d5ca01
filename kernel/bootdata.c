// The boot archive and the command line, read-only for the system's life.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/bootdata.h>

static const char *archive;
static size_t archive_size;
static const char *cmdline;

void bootdata_set(const void *data, size_t size, const char *line)
{
	archive = data;
	archive_size = size;
	cmdline = line;
}

const void *bootdata_archive(size_t *size)
{
	*size = archive_size;
	return archive;
}

long bootdata_kcall_archive(struct trapframe *frame)
{
	uint64_t offset = frame->x[0], here = frame->x[1], n = frame->x[2];
	if (n == 0)
		return (long)archive_size;
	if (n > XINIM_COPY_MAX)
		return -EINVAL;
	if (offset >= archive_size)
		return 0;
	n = n < archive_size - offset ? n : archive_size - offset;
	return copy_to_user(here, archive + offset, n) ? -EFAULT : (long)n;
}

long bootdata_kcall_args(struct trapframe *frame)
{
	uint64_t here = frame->x[0], size = frame->x[1];
	size_t length = strlen(cmdline);
	if (size == 0)
		return (long)length;
	size_t n = length < size - 1 ? length : size - 1;
	if (copy_to_user(here, cmdline, n) || copy_to_user(here + n, "", 1))
		return -EFAULT;
	return (long)length;
}
