#pragma once
// What VFS's hosted tests ask of VFS (server) as a process (who) or as PM.
#include <stdint.h>
#include <libipc/ipc.h>

// PM tells VFS process's ids (all its user ids uid, all its group ids gid): 0 or -errno.
long vfs_creds_message(xinim_endpoint_t server, xinim_endpoint_t process, uint32_t uid,
		       uint32_t gid);
// The text of the file at path as who reads it (at most 1023 bytes; "" when it cannot),
// in a buffer the next call overwrites.
const char *vfs_file_text(xinim_endpoint_t server, xinim_endpoint_t who, const char *path);
// who writes text to the file at path, opened O_WRONLY | O_CREAT | flags with mode 0644:
// the bytes written, or -errno.
long vfs_file_write(xinim_endpoint_t server, xinim_endpoint_t who, const char *path,
		    const char *text, uint64_t flags);
