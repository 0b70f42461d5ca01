// Linux system calls of an unmodified musl program, served by PM (PID 3) through the
// kernel's delegation: identity, uname copied into the caller, unknown numbers -ENOSYS,
// a bad pointer -EFAULT; the trace shows getpid as a call to PM and PM's reply. Exits
// with the number of failed checks.
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>
#include <xinim/runtime.h>

static int failed;

static void check(const char *what, long got, long want)
{
	print("syscalls_pm: %s: %ld%s\n", what, got, got == want ? "" : " (wrong)");
	failed += got != want;
}

// Whether the trace holds a call of type from self to PM, and PM's reply to it.
static bool traced_to_pm(xinim_endpoint_t self, int32_t type)
{
	static struct xinim_trace_record records[1024];
	long count = xinim_kcall(KCALL_TRACE_READ, (long)records, 1024);
	for (long i = 0; i < count; i++) {
		const struct xinim_trace_record *call = &records[i];
		if (call->event != XINIM_TRACE_CALL || call->source != self || call->type != type ||
		    xinim_endpoint_pid(call->dest) != XINIM_PID_PM)
			continue;
		for (long j = 0; j < count; j++)
			if (records[j].event == XINIM_TRACE_REPLY && records[j].verdict == XINIM_TRACE_OK &&
			    records[j].message_id == call->message_id &&
			    records[j].source == call->dest && records[j].dest == XINIM_ENDPOINT_KERNEL)
				return true;
	}
	return false;
}

// The result of a raw system call, -errno on failure.
static long raw(long number, long a0)
{
	long result = syscall(number, a0);
	return result < 0 ? -errno : result;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	xinim_endpoint_t endpoint = (xinim_endpoint_t)xinim_kcall(KCALL_IPC_SELF, 0, 0);
	long self = xinim_endpoint_pid(endpoint);
	check("getpid is the caller's pid", getpid(), self);
	check("gettid", raw(SYS_gettid, 0), self);
	check("getppid", getppid(), 0);
	check("getuid", getuid(), 0);
	check("getegid", getegid(), 0);
	struct utsname name;
	memset(&name, 0, sizeof(name));
	check("uname", uname(&name), 0);
	print("syscalls_pm: uname: %s %s %s %s\n", name.sysname, name.release, name.version,
	      name.machine);
	check("uname names the system", strcmp(name.sysname, "XINIM") || strcmp(name.machine, "aarch64"), 0);
	check("uname into a bad pointer", raw(SYS_uname, 16), -EFAULT);
	check("a number Linux does not have", raw(400, 0), -ENOSYS);
	check("a number past the table", raw(100000, 0), -ENOSYS);
	check("a system call nobody serves yet", raw(SYS_acct, 0), -ENOSYS);
	check("getpid in the trace, to PM and back",
	      traced_to_pm(endpoint, XINIM_MSG_SYSCALL_FIRST + SYS_getpid), 1);
	print("syscalls_pm: %d failed\n", failed);
	return failed;
}
