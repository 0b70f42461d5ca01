// A victim of proc_ender: blocked for ever in a receive that nothing will answer.
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	static struct xinim_msg msg;
	print("proc_end_receiver: waiting\n");
	long err = xinim_kcall(KCALL_IPC_RECEIVE, (long)&msg, (long)XINIM_WAIT_FOREVER);
	print("proc_end_receiver: the receive returned %ld: FAILED\n", err);
	return 1;
}
