// NET, PID 5 (docs/net.md, NET): takes its kept sockets over (and starts lwIP, eth0 over
// DEV if there is one, lo), tells PM it serves, and serves VFS's socket calls. A restarted NET tells VFS it
// serves again, so that the calls VFS held while NET was down go on; the first has no
// one waiting for it (VFS finds it by lookup), and tells nobody.
// It makes no Linux system call after its start.
#include <xinim/ipc/endpoints.h>
#include "net.h"

#define NET_STACK_RESIDENT (32 * 1024)	// lwIP's deepest: a segment in, an ACK out

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	ipc_resident(NET_STACK_RESIDENT);
	if (!keep_start_with("net", net_state_size(), NET_UNDO_BYTES, NET_STATE_VERSION,
			     net_take_over))
		return 1;
	ipc_announce(XINIM_PID_PM);	// PM starts init once NET serves (its memory taken)
	if (xinim_endpoint_generation(ipc_self()) > 1)
		ipc_announce(XINIM_PID_VFS);
	ipc_serve(&net_table);
}
