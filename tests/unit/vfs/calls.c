// What VFS's hosted tests ask of VFS: PM's credentials message, a file's text read and
// written.
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/ipc/vfs.h>
#include "calls.h"
#include "harness.h"

long vfs_creds_message(xinim_endpoint_t server, xinim_endpoint_t process, uint32_t uid,
		       uint32_t gid)
{
	struct xinim_vfs_creds creds = { .who = process, .uid = uid, .euid = uid, .fsuid = uid,
					 .gid = gid, .egid = gid, .fsgid = gid, .fd_limit = 128 };
	struct xinim_msg msg = { .header = { .type = XINIM_VFS_PROC_CREDS, .length = sizeof(creds) } };
	memcpy(msg.payload, &creds, sizeof(creds));
	return ipc_call(server, &msg, CALL_TIMEOUT_US);
}

const char *vfs_file_text(xinim_endpoint_t server, xinim_endpoint_t who, const char *path)
{
	static char text[1024];
	long fd = SYSCALL(server, who, openat, (uint64_t)(int64_t)AT_FDCWD, ADDR(path), O_RDONLY, 0);
	long n = fd < 0 ? 0 : SYSCALL(server, who, read, (uint64_t)fd, ADDR(text), sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		SYSCALL(server, who, close, (uint64_t)fd);
	return text;
}

long vfs_file_write(xinim_endpoint_t server, xinim_endpoint_t who, const char *path,
		    const char *text, uint64_t flags)
{
	long fd = SYSCALL(server, who, openat, (uint64_t)(int64_t)AT_FDCWD, ADDR(path),
			  O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0)
		return fd;
	long n = SYSCALL(server, who, write, (uint64_t)fd, ADDR(text), strlen(text));
	SYSCALL(server, who, close, (uint64_t)fd);
	return n;
}
