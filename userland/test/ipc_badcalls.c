// Bad pointers, headers, destinations and arguments to every IPC kernel call: each gets
// its error, nothing moves, and the program and the server go on.
#include <errno.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include "../lib/xinim.h"

#define KERNEL_ADDRESS 0xffff000040080000L

static long kcall3(long number, long a0, long a1, long a2)
{
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x8 __asm__("x8") = number;
	__asm__ volatile("svc #1" : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x8) : "memory");
	return x0;
}

static long raw_call(struct xinim_msg_header header)
{
	struct xinim_msg msg = { .header = header };
	return kcall3(KCALL_IPC_CALL, (long)&msg, 1000, 0);
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
	check("call from NULL", kcall3(KCALL_IPC_CALL, 0, 0, 0), -EFAULT);
	check("call from the kernel", kcall3(KCALL_IPC_CALL, KERNEL_ADDRESS, 0, 0), -EFAULT);
	check("call from read-only memory", kcall3(KCALL_IPC_CALL, (long)&read_only, 0, 0), -EFAULT);
	check("length 65", raw_call((struct xinim_msg_header){ .dest = server, .length = 65 }), -EINVAL);
	check("unknown flag", raw_call((struct xinim_msg_header){ .dest = server, .flags = 0x80 }), -EINVAL);
	check("PID 5000", raw_call((struct xinim_msg_header){ .dest = xinim_endpoint(5000, 1) }), -EINVAL);
	check("call to oneself", raw_call((struct xinim_msg_header){ .dest = self }), -EINVAL);
	check("call that may not wait", kcall3(KCALL_IPC_CALL, (long)&msg, 0, 0), -EINVAL);
	check("dead generation", raw_call((struct xinim_msg_header){ .dest = xinim_endpoint(XINIM_PID_TEST, 7) }), -ESRCH);
	check("no capability", raw_call((struct xinim_msg_header){ .dest = xinim_endpoint(XINIM_PID_VFS, 1) }), -EACCES);
	check("send from NULL", kcall3(KCALL_IPC_SEND, 0, 0, 0), -EFAULT);
	check("receive into NULL", kcall3(KCALL_IPC_RECEIVE, 0, 0, 0), -EFAULT);
	check("receive into the kernel", kcall3(KCALL_IPC_RECEIVE, KERNEL_ADDRESS, 0, 0), -EFAULT);
	check("receive into read-only memory", kcall3(KCALL_IPC_RECEIVE, (long)&read_only, 0, 0), -EFAULT);
	check("reply from NULL", kcall3(KCALL_IPC_REPLY, 0, 0, 0), -EFAULT);
	msg.header.dest = server;
	check("reply to no caller", kcall3(KCALL_IPC_REPLY, (long)&msg, 0, 0), -ESRCH);
	check("reply-receive into NULL", kcall3(KCALL_IPC_REPLY_RECEIVE, (long)&msg, 0, 0), -EFAULT);
	check("reply-receive from NULL", kcall3(KCALL_IPC_REPLY_RECEIVE, 0, (long)&msg, 0), -EFAULT);
	check("channel direction 5", kcall3(KCALL_IPC_CHANNEL, server, 5, (long)&msg), -EINVAL);
	check("channel into NULL", kcall3(KCALL_IPC_CHANNEL, server, 0, 0), -EFAULT);
	check("channel to a stranger", kcall3(KCALL_IPC_CHANNEL, xinim_endpoint(XINIM_PID_PM, 1), 0, (long)&msg), -ESRCH);
	check("notify without bits", kcall3(KCALL_IPC_NOTIFY, server, 0, 0), -EINVAL);
	check("notify without capability", kcall3(KCALL_IPC_NOTIFY, xinim_endpoint(XINIM_PID_MM, 1), 1, 0), -EACCES);
	check("lookup PID 70000", kcall3(KCALL_IPC_LOOKUP, 70000, 0, 0), -EINVAL);
	check("rejected from NULL", kcall3(KCALL_IPC_REJECTED, 0, XINIM_TRACE_BAD_TAG, 0), -EFAULT);
	check("rejected with verdict OK", kcall3(KCALL_IPC_REJECTED, (long)&msg, XINIM_TRACE_OK, 0), -EINVAL);
	check("trace into the kernel", kcall3(KCALL_TRACE_READ, KERNEL_ADDRESS, 4, 0), -EFAULT);
	check("unknown kernel call", kcall3(99, 0, 0, 0), -ENOSYS);
	check("a proper call after all that", ipc_call(server, &msg, XINIM_WAIT_FOREVER), 0);
	print("ipc_badcalls: %u checks, %u wrong\n", checks, wrong);
	return wrong != 0;
}
