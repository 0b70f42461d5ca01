// Bad pointers, headers, destinations and arguments to every IPC kernel call: each gets
// its error, nothing moves, and the program and the server go on.
#include <errno.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

#define KERNEL_ADDRESS 0xffff000040080000L

static long raw_call(struct xinim_msg_header header)
{
	struct xinim_msg msg = { .header = header };
	return xinim_kcall3(KCALL_IPC_CALL, (long)&msg, 1000, 0);
}

static const struct xinim_msg read_only = { .header = { .type = TEST_ECHO_0 } };
static unsigned checks, wrong;

static void check(const char *what, long got, long want)
{
	checks++;
	if (got != want) {
		wrong++;
		print("ipc_badcalls: %s: %ld, not %ld\n", what, got, want);
	}
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	xinim_endpoint_t server = test_server(), self = ipc_self();
	struct xinim_msg msg = { .header = { .type = TEST_ECHO_0 } };
	check("call from NULL", xinim_kcall3(KCALL_IPC_CALL, 0, 0, 0), -EFAULT);
	check("call from the kernel", xinim_kcall3(KCALL_IPC_CALL, KERNEL_ADDRESS, 0, 0), -EFAULT);
	check("call from read-only memory", xinim_kcall3(KCALL_IPC_CALL, (long)&read_only, 0, 0), -EFAULT);
	check("length 65", raw_call((struct xinim_msg_header){ .dest = server, .length = 65 }), -EINVAL);
	check("unknown flag", raw_call((struct xinim_msg_header){ .dest = server, .flags = 0x80 }), -EINVAL);
	check("PID 5000", raw_call((struct xinim_msg_header){ .dest = xinim_endpoint(5000, 1) }), -EINVAL);
	check("call to oneself", raw_call((struct xinim_msg_header){ .dest = self }), -EINVAL);
	check("call that may not wait", xinim_kcall3(KCALL_IPC_CALL, (long)&msg, 0, 0), -EINVAL);
	check("dead generation", raw_call((struct xinim_msg_header){ .dest = xinim_endpoint(XINIM_PID_TEST, 7) }), -ESRCH);
	check("no capability", raw_call((struct xinim_msg_header){ .dest = xinim_endpoint(XINIM_PID_VFS, 1) }), -EACCES);
	check("send from NULL", xinim_kcall3(KCALL_IPC_SEND, 0, 0, 0), -EFAULT);
	check("receive into NULL", xinim_kcall3(KCALL_IPC_RECEIVE, 0, 0, 0), -EFAULT);
	check("receive into the kernel", xinim_kcall3(KCALL_IPC_RECEIVE, KERNEL_ADDRESS, 0, 0), -EFAULT);
	check("receive into read-only memory", xinim_kcall3(KCALL_IPC_RECEIVE, (long)&read_only, 0, 0), -EFAULT);
	check("reply from NULL", xinim_kcall3(KCALL_IPC_REPLY, 0, 0, 0), -EFAULT);
	msg.header.dest = server;
	check("reply to no caller", xinim_kcall3(KCALL_IPC_REPLY, (long)&msg, 0, 0), -ESRCH);
	check("reply-receive into NULL", xinim_kcall3(KCALL_IPC_REPLY_RECEIVE, (long)&msg, 0, 0), -EFAULT);
	check("reply-receive from NULL", xinim_kcall3(KCALL_IPC_REPLY_RECEIVE, 0, (long)&msg, 0), -EFAULT);
	check("channel direction 5", xinim_kcall3(KCALL_IPC_CHANNEL, server, 5, (long)&msg), -EINVAL);
	check("channel into NULL", xinim_kcall3(KCALL_IPC_CHANNEL, server, 0, 0), -EFAULT);
	check("channel to a stranger", xinim_kcall3(KCALL_IPC_CHANNEL, xinim_endpoint(XINIM_PID_PM, 1), 0, (long)&msg), -ESRCH);
	check("notify without bits", xinim_kcall3(KCALL_IPC_NOTIFY, server, 0, 0), -EINVAL);
	check("notify without capability", xinim_kcall3(KCALL_IPC_NOTIFY, xinim_endpoint(XINIM_PID_MM, 1), 1, 0), -EACCES);
	check("lookup PID 70000", xinim_kcall3(KCALL_IPC_LOOKUP, 70000, 0, 0), -EINVAL);
	check("rejected from NULL", xinim_kcall3(KCALL_IPC_REJECTED, 0, XINIM_TRACE_BAD_TAG, 0), -EFAULT);
	check("rejected with verdict OK", xinim_kcall3(KCALL_IPC_REJECTED, (long)&msg, XINIM_TRACE_OK, 0), -EINVAL);
	check("trace into the kernel", xinim_kcall3(KCALL_TRACE_READ, KERNEL_ADDRESS, 4, 0), -EFAULT);
	check("unknown kernel call", xinim_kcall3(99, 0, 0, 0), -ENOSYS);
	check("a proper call after all that", ipc_call(server, &msg, XINIM_WAIT_FOREVER), 0);
	print("ipc_badcalls: %u checks, %u wrong\n", checks, wrong);
	return wrong != 0;
}
