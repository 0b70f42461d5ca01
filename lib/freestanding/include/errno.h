#pragma once
// Linux errno values: the kernel and the servers speak the Linux ABI's numbers.
#define EPERM      1
#define ENOENT     2
#define ESRCH      3
#define EINTR      4
#define EIO        5
#define E2BIG      7
#define ENOEXEC    8
#define EAGAIN    11
#define ENOMEM    12
#define EACCES    13
#define EFAULT    14
#define EBUSY     16
#define EEXIST    17
#define ENODEV    19
#define EINVAL    22
#define ENOSPC    28
#define ERANGE    34
#define EDEADLK   35
#define ENAMETOOLONG 36
#define ENOSYS    38
#define EBADMSG   74
#define EOVERFLOW 75
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#define EALREADY  114
