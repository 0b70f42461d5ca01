// Moving bytes: read, write, their vector and positioned forms, and lseek.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xinim/limits.h>
#include "vfs.h"

// Whether file may be read (or written) at all: 0, or -EBADF, -EINVAL, as vfs_read and
// vfs_write check before they look at the buffer.
static long transfer_allowed(const struct open_file *file, bool writing)
{
	int mode = file->flags & 3;	// O_RDONLY, O_WRONLY, O_RDWR; 3 allows neither (Linux)
	bool allowed = mode == O_RDWR || mode == (writing ? O_WRONLY : O_RDONLY);
	if (!allowed || (file->flags & O_PATH))
		return -EBADF;
	const struct node_ops *ops = node_ops(file_node(file));
	if (!S_ISDIR(file_node(file)->mode) && (!ops || !(writing ? ops->write : ops->read)))
		return -EINVAL;
	return 0;
}

// Linux's rw_verify_area: the last byte's offset must fit in a loff_t.
static bool offset_ok(uint64_t offset, uint64_t n)
{
	return offset <= (uint64_t)INT64_MAX - n;
}

long transfer(xinim_endpoint_t caller, struct open_file *file, bool writing, uint64_t buffer,
	      uint64_t n, uint64_t *offset)
{
	const struct node_ops *ops = node_ops(file_node(file));
	if (S_ISDIR(file_node(file)->mode))
		return -EISDIR;
	long done = writing ? ops->write(file_node(file), caller, buffer, n, *offset)
			    : ops->read(file_node(file), caller, buffer, n, *offset);
	if (done > 0 && ops->seekable)
		*offset += (uint64_t)done;
	return done;
}

// Where a write starts: an O_APPEND write of a regular file (even a pwrite, as on Linux)
// at its end, the same end when the request comes again to a restarted VFS.
static uint64_t write_start(const struct ipc_request *request, struct open_file *file,
			    uint64_t offset)
{
	const struct node *node = file_node(file);
	if (!(file->flags & O_APPEND) || !S_ISREG(node->mode))
		return offset;
	xinim_endpoint_t caller = ipc_syscall_of(request).caller;
	uint64_t id = request->msg.header.id;
	if (file->append_caller == caller && file->append_id == id)
		return file->append_at;
	keep_change(&file->append_caller, sizeof(*file) - offsetof(struct open_file, append_caller));
	file->append_caller = caller;
	file->append_id = id;
	file->append_at = node->size;
	return node->size;
}

// read, write, pread64 and pwrite64 once the file is found: Linux's checks in its
// order, then the transfer, a slice at a time (parked.c).
static long transfer_checked(const struct ipc_request *request, struct open_file *file,
			     bool writing, bool positioned, uint64_t offset)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t buffer = call.args[1], n = call.args[2];
	long err = transfer_allowed(file, writing);
	if (err)
		return err;
	if (!xinim_access_ok(buffer, n))
		return -EFAULT;
	if (!offset_ok(offset, n))
		return -EINVAL;
	n = n < XINIM_MAX_RW_COUNT ? n : XINIM_MAX_RW_COUNT;
	if (writing)
		offset = write_start(request, file, offset);
	return transfer_start(&(struct transfer_job){
		.call = { .caller = call.caller, .id = request->msg.header.id }, .tid = call.tid,
		.file = open_file_index(file), .writing = writing, .positioned = positioned,
		.offset = offset, .buffer = buffer, .left = n, .limit = n });
}

// A transfer that must wait (a terminal's or a pipe's op said -EAGAIN) on a file
// without O_NONBLOCK: parked until its node is ready, then again is run again (wait.c);
// a signal cuts it short with XINIM_ERESTARTSYS, as Linux's tty and pipe reads.
static long or_wait(const struct ipc_request *request, ipc_handler *again, long result)
{
	if (result != -EAGAIN)
		return result;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (!file || (file->flags & O_NONBLOCK)) {
		wait_until(0);	// the op's deadline is for a wait there will not be
		return result;
	}
	return wait_park(request, again, file_node(file), -XINIM_ERESTARTSYS);
}

// Whether file is a socket's, whose reads and writes are sends and receives
// (socket_transfer).
static bool is_socket(const struct open_file *file)
{
	return file_node(file)->flags & NODE_SOCKET;
}

static long read_or_write(const struct ipc_request *request, bool writing)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (!file)
		return -EBADF;
	if (is_socket(file))
		return socket_transfer(request, writing ? vfs_write : vfs_read, writing, false);
	tty_call(request);
	return transfer_checked(request, file, writing, false, file->offset);
}

long vfs_read(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return or_wait(request, vfs_read, read_or_write(request, false));
}

long vfs_write(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return or_wait(request, vfs_write, read_or_write(request, true));
}

// As Linux's ksys_pread64: a negative offset is -EINVAL before the fd is looked at.
static long positioned(const struct ipc_request *request, bool writing)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t offset = call.args[3];
	if ((int64_t)offset < 0)
		return -EINVAL;
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (!file)
		return -EBADF;
	if (!node_ops(file_node(file)) || !node_ops(file_node(file))->seekable)
		return -ESPIPE;
	return transfer_checked(request, file, writing, true, offset);
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

// The caller's vector, checked as Linux's import_iovec checks it before anything moves:
// at most IOV_MAX entries (-EINVAL), each length a valid ssize_t (-EINVAL), each buffer
// below the user limit (-EFAULT); the total is cut to MAX_RW_COUNT. Its total, or -errno.
long vector_import(xinim_endpoint_t caller, uint64_t at, uint32_t count,
			  struct iovec *iov)
{
	if (count > IOV_MAX)
		return -EINVAL;
	long err = count ? ipc_copy_from(caller, iov, at, count * sizeof(iov[0])) : 0;
	if (err)
		return err;
	for (uint32_t i = 0; i < count; i++)
		if (iov[i].iov_len > SSIZE_MAX)
			return -EINVAL;
	uint64_t total = 0;
	for (uint32_t i = 0; i < count; i++) {
		if (!xinim_access_ok((uint64_t)iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		if (iov[i].iov_len > XINIM_MAX_RW_COUNT - total)
			iov[i].iov_len = XINIM_MAX_RW_COUNT - total;
		total += iov[i].iov_len;
	}
	return (long)total;
}

// readv and writev: the buffers in order, until one is short, a slice at a time
// (parked.c). The vector count is an unsigned int, as Linux takes it.
static long vectored(const struct ipc_request *request, bool writing)
{
	static struct iovec iov[IOV_MAX];
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	uint32_t count = (uint32_t)call.args[2];
	if (!file)
		return -EBADF;
	if (is_socket(file))
		return socket_transfer(request, writing ? vfs_writev : vfs_readv, writing, true);
	long total = transfer_allowed(file, writing);
	if (!total)
		total = vector_import(call.caller, call.args[1], count, iov);
	if (total > 0 && !offset_ok(file->offset, (uint64_t)total))
		return -EINVAL;
	if (total <= 0)
		return total;
	tty_call(request);
	return transfer_start(&(struct transfer_job){
		.call = { .caller = call.caller, .id = request->msg.header.id }, .tid = call.tid,
		.file = open_file_index(file), .writing = writing,
		.offset = writing ? write_start(request, file, file->offset) : file->offset,
		.vector = call.args[1], .count = count, .limit = (uint64_t)total });
}

long vfs_readv(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return or_wait(request, vfs_readv, vectored(request, false));
}

long vfs_writev(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return or_wait(request, vfs_writev, vectored(request, true));
}

long vfs_lseek(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	int64_t offset = (int64_t)call.args[1], base;
	if (!file)
		return -EBADF;
	if (!node_ops(file_node(file)) || !node_ops(file_node(file))->seekable)
		return -ESPIPE;
	switch ((unsigned)call.args[2]) {	// whence is an unsigned int
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)file->offset; break;
	case SEEK_END: base = (int64_t)file_node(file)->size; break;
	default: return -EINVAL;
	}
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return -EINVAL;
	keep_change(&file->offset, sizeof(file->offset));
	file->offset = (uint64_t)(base + offset);
	return (long)file->offset;
}
