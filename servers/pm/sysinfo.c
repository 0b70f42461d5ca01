// sysinfo: uptime from the counter, memory from the kernel's frame pool (KCALL_MEMORY),
// processes from PM's table. There is no swap, no high memory and no load average yet
// (the scheduler keeps none): those fields are 0.
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

// Linux's struct sysinfo ends at mem_unit on a 64-bit machine (its _f pads nothing):
// 112 bytes. musl's has 256 reserved bytes more, which a caller's (glibc's qsort's, for
// one) does not: writing them smashed its stack.
#define LINUX_SYSINFO_BYTES ((offsetof(struct sysinfo, mem_unit) + sizeof(unsigned) + 7) & ~(size_t)7)

long pm_sysinfo(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct xinim_memory memory;
	long err = xinim_kcall(KCALL_MEMORY, (long)&memory, 0);
	if (err)
		return err;
	struct sysinfo info;
	memset(&info, 0, sizeof(info));	// padding included: it goes to the caller
	info.uptime = (long)(counter_ticks() / counter_hz());
	info.totalram = memory.total_bytes;
	info.freeram = memory.free_bytes;
	info.procs = (unsigned short)process_count();
	info.mem_unit = 1;	// bytes: 64-bit fields hold any RAM size
	return ipc_copy_to(call.caller, call.args[0], &info, LINUX_SYSINFO_BYTES);
}
