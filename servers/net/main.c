// NET, PID 5 (docs/net.md, NET): takes its kept sockets over (and starts lwIP, eth0 over
// DEV if there is one, lo), tells PM it serves, and serves VFS's socket calls. A
// restarted NET tells VFS it serves again, so that the calls VFS held while NET was down
// go on, and DEV, which then tells it of frames waiting; the first has no one waiting for
// it (VFS finds it by lookup), and tells nobody.
// It makes no Linux system call after its start.
#include <xinim/ipc/endpoints.h>
#include <xinim/runtime.h>
#include "net.h"

#define NET_STACK_RESIDENT (32 * 1024)	// lwIP's deepest: a segment in, an ACK out

// NET's kept memory is part of its image (kept.ld): the kept header, the undo log and the
// records in these first pages, then lwIP's memory and NET_KEPT's.
#define KEPT_HEAD ((KEEP_STATE_OFFSET(NET_UNDO_BYTES) + sizeof(struct net_state_kept) + 4095) & \
		   ~(size_t)4095)
static char kept_head[KEPT_HEAD] __attribute__((section(".net_kept.head"), aligned(4096)));
extern char __net_kept_start[], __net_kept_end[];

static bool kept_open(void)
{
	size_t size = (size_t)(__net_kept_end - __net_kept_start);
	enum keep_start start;
	void *state = (uintptr_t)kept_head == (uintptr_t)__net_kept_start ?
		keep_open_at(__net_kept_start, size, NET_UNDO_BYTES, NET_STATE_VERSION, &start) : NULL;
	if (!state) {
		klog(LOGLEVEL_ERR, "net: no kept memory: it cannot keep its state; stopping\n");
		return false;
	}
	net_lwip_region = (struct net_lwip_region){ kept_head + KEPT_HEAD, size - KEPT_HEAD };
	net_take_over(state, start);
	return true;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	ipc_resident(NET_STACK_RESIDENT);
	if (!kept_open())
		return 1;
	ipc_announce(XINIM_PID_PM);	// PM starts init once NET serves (its memory taken)
	if (xinim_endpoint_generation(ipc_self()) > 1) {
		ipc_announce(XINIM_PID_VFS);
		ipc_announce(XINIM_PID_DEV);
	}
	ipc_serve(&net_table);
}
