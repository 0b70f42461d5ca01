// Moving bytes: read, write, their vector and positioned forms, and lseek.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "vfs.h"

// One transfer between an open file and the caller's buffer, at *offset (advanced for
// seekable nodes). Bytes moved, or -errno.
static long transfer(xinim_endpoint_t caller, struct open_file *file, bool writing,
		     uint64_t buffer, uint64_t n, uint64_t *offset)
{
	int mode = file->flags & O_ACCMODE;
	if (writing ? mode == O_RDONLY : mode == O_WRONLY)
		return -EBADF;
	const struct node_ops *ops = file->node->ops;
	if (S_ISDIR(file->node->mode) && !writing)
		return -EISDIR;
	if (!ops || !(writing ? ops->write : ops->read))
		return -EINVAL;
	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	long done = writing ? ops->write(file->node, caller, buffer, n, *offset)
			    : ops->read(file->node, caller, buffer, n, *offset);
	if (done > 0 && ops->seekable)
		*offset += (uint64_t)done;
	return done;
}

static long read_or_write(const struct ipc_request *request, bool writing)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, (long)call.args[0]);
	if (!file)
		return -EBADF;
	return transfer(call.caller, file, writing, call.args[1], call.args[2], &file->offset);
}

long vfs_read(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return read_or_write(request, false);
}

long vfs_write(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return read_or_write(request, true);
}

static long positioned(const struct ipc_request *request, bool writing)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, (long)call.args[0]);
	uint64_t offset = call.args[3];
	if (!file)
		return -EBADF;
	if (!file->node->ops || !file->node->ops->seekable)
		return -ESPIPE;
	if ((int64_t)offset < 0)
		return -EINVAL;
	return transfer(call.caller, file, writing, call.args[1], call.args[2], &offset);
}

long vfs_pread64(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return positioned(request, false);
}

long vfs_pwrite64(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return positioned(request, true);
}

// readv and writev: the buffers in order, until one is short.
static long vectored(const struct ipc_request *request, bool writing)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, (long)call.args[0]);
	uint64_t count = call.args[2];
	if (!file)
		return -EBADF;
	if (count > IOV_MAX)
		return -EINVAL;
	struct iovec iov[64];
	long total = 0;
	for (uint64_t first = 0; first < count; first += 64) {
		uint64_t batch = count - first < 64 ? count - first : 64;
		long err = ipc_copy_from(call.caller, iov, call.args[1] + first * sizeof(iov[0]),
					  batch * sizeof(iov[0]));
		if (err)
			return total ? total : err;
		for (uint64_t i = 0; i < batch; i++) {
			if (iov[i].iov_len > (uint64_t)(SSIZE_MAX - total))
				return total ? total : -EINVAL;
			long done = transfer(call.caller, file, writing, (uint64_t)iov[i].iov_base,
					     iov[i].iov_len, &file->offset);
			if (done < 0)
				return total ? total : done;
			total += done;
			if ((uint64_t)done < iov[i].iov_len)
				return total;
		}
	}
	return total;
}

long vfs_readv(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return vectored(request, false);
}

long vfs_writev(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return vectored(request, true);
}

long vfs_lseek(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, (long)call.args[0]);
	int64_t offset = (int64_t)call.args[1], base;
	if (!file)
		return -EBADF;
	if (!file->node->ops || !file->node->ops->seekable)
		return -ESPIPE;
	switch (call.args[2]) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)file->offset; break;
	case SEEK_END: base = (int64_t)file->node->size; break;
	default: return -EINVAL;
	}
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return -EINVAL;
	file->offset = (uint64_t)(base + offset);
	return (long)file->offset;
}
