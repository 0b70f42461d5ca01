// A victim of proc_ender: calls proc_ender (the next program of the command line), which
// takes the call and ends this process instead of answering.
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/runtime.h>

#define ENDER_PID 19	// run=proc_end_spinner,proc_end_receiver,proc_end_caller,proc_ender

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	static struct xinim_msg msg;
	long ender = xinim_kcall(KCALL_IPC_LOOKUP, ENDER_PID, 0);
	msg.header = (struct xinim_msg_header){ .dest = (xinim_endpoint_t)ender,
						.type = XINIM_MSG_TEST_FIRST, .flags = XINIM_MSG_CLEAR,
						.id = 1 };
	print("proc_end_caller: calling proc_ender\n");
	long err = ender < 0 ? ender : xinim_kcall(KCALL_IPC_CALL, (long)&msg, (long)XINIM_WAIT_FOREVER);
	print("proc_end_caller: the call returned %ld: FAILED\n", err);
	return 1;
}
