// NET's routes (include/xinim/ipc/net.h), and the loop's hooks: lwIP's timers, and after
// each message the loopback's and DEV's frames and the readiness VFS must hear of.
#include <xinim/ipc/message.h>
#include "lwip/timeouts.h"
#include "net.h"

#define ROUTE(type, handler, payload) \
	[type - XINIM_MSG_NET_FIRST] = { handler, sizeof(struct payload) }

static const struct ipc_route messages[XINIM_NET_MSG_END - XINIM_MSG_NET_FIRST] = {
	ROUTE(XINIM_NET_SOCKET, net_socket, xinim_net_socket),
	ROUTE(XINIM_NET_CLOSE, net_close, xinim_net_sock),
	ROUTE(XINIM_NET_BIND, net_bind, xinim_net_addr),
	ROUTE(XINIM_NET_LISTEN, net_listen, xinim_net_sock),
	ROUTE(XINIM_NET_ACCEPT, net_accept, xinim_net_sock),
	ROUTE(XINIM_NET_CONNECT, net_connect, xinim_net_addr),
	ROUTE(XINIM_NET_SEND, net_send, xinim_net_io),
	ROUTE(XINIM_NET_RECEIVE, net_receive, xinim_net_io),
	ROUTE(XINIM_NET_SHUTDOWN, net_shutdown, xinim_net_sock),
	ROUTE(XINIM_NET_NAME, net_name, xinim_net_sock),
	ROUTE(XINIM_NET_SETOPT, net_setopt, xinim_net_option),
	ROUTE(XINIM_NET_GETOPT, net_getopt, xinim_net_option),
	ROUTE(XINIM_NET_IOCTL, net_ioctl, xinim_net_ioctl),
	ROUTE(XINIM_NET_EVENTS, net_events, xinim_net_buffer),
	ROUTE(XINIM_NET_PROC, net_proc, xinim_net_buffer),
};

static void notified(const struct xinim_notification *note)
{
	unsigned from = xinim_endpoint_pid(note->from);
	if (from == XINIM_PID_DEV && (note->bits & XINIM_NOTE_DEV_READY))
		net_netif_dev_ready();
	if (from == XINIM_PID_DEV && (note->bits & XINIM_NOTE_SERVING))
		net_netif_dev_serving();
}

// After every message: frames delivered, readiness told, and what lwIP's callbacks
// changed committed (no request is delivered again to redo it). True while frames wait.
static bool resume(void)
{
	bool more = net_netif_poll();
	net_events_flush();
	keep_commit();
	return more;
}

static bool resume_due(void) { return true; }

static uint64_t timer(bool fire)
{
	if (fire) {
		sys_check_timeouts();
		resume();
	}
	u32_t ms = sys_timeouts_sleeptime();
	return ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? XINIM_WAIT_FOREVER : (uint64_t)ms * 1000;
}

const struct ipc_table net_table = {
	.first = XINIM_MSG_NET_FIRST,
	.count = XINIM_NET_MSG_END - XINIM_MSG_NET_FIRST,
	.routes = messages,
	.notified = notified,
	.resume = resume,
	.resume_due = resume_due,
	.timer = timer,
	.waiting = &net_lwip.waiting,
};
