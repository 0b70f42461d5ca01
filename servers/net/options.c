// setsockopt(2) and getsockopt(2) on NET's sockets (socket(7), tcp(7)): the options are
// the socket's record, applied to its lwIP pcb as they change. SO_RCVTIMEO and
// SO_SNDTIMEO are VFS's (it does the waiting): here they are no option (-ENOPROTOOPT).
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "net.h"

// The on-off options, each a bit of the record's options.
static const struct flag_option {
	int level, name;
	uint32_t bit;
	int type;	// the sockets that have it (0: all)
} flags[] = {
	{ SOL_SOCKET, SO_REUSEADDR, NET_OPT_REUSEADDR, 0 },
	{ SOL_SOCKET, SO_KEEPALIVE, NET_OPT_KEEPALIVE, 0 },
	{ SOL_SOCKET, SO_BROADCAST, NET_OPT_BROADCAST, 0 },
	{ IPPROTO_TCP, TCP_NODELAY, NET_OPT_NODELAY, SOCK_STREAM },
};

static const struct flag_option *flag_of(const struct net_socket *s, int level, int name)
{
	for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].level == level && flags[i].name == name &&
		    (!flags[i].type || flags[i].type == s->type))
			return &flags[i];
	return NULL;
}

static long socket_of(const struct ipc_request *request, struct xinim_net_option *call)
{
	memcpy(call, request->msg.payload, sizeof(*call));
	if (!net_from_vfs(request))
		return -EPERM;
	if (call->length > sizeof(call->value))
		call->length = sizeof(call->value);	// VFS copied no more
	return net_index(call->sock);
}

static void apply(unsigned index)
{
	if (net_kept->sockets[index].type == SOCK_STREAM)
		net_tcp_apply_options(index);
	else
		net_udp_apply_options(index);
}

// A buffer's size as Linux sets it: doubled (room for its bookkeeping), within bounds.
static int32_t buffer_size(int value)
{
	int64_t doubled = value < 0 || value > NET_BUF_MAX / 2 ? NET_BUF_MAX : (int64_t)value * 2;
	return (int32_t)(doubled < NET_BUF_MIN ? NET_BUF_MIN : doubled);
}

long net_setopt(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_option call;
	long index = socket_of(request, &call);
	if (index < 0)
		return index;
	const struct net_socket *s = &net_kept->sockets[index];
	int value = 0;
	struct linger linger = { 0 };
	bool is_linger = call.level == SOL_SOCKET && call.name == SO_LINGER;
	if (call.length < (is_linger ? sizeof(linger) : sizeof(value)))
		return -EINVAL;
	memcpy(is_linger ? (void *)&linger : &value, call.value,
	       is_linger ? sizeof(linger) : sizeof(value));
	const struct flag_option *flag = flag_of(s, call.level, call.name);
	struct net_socket *edit;
	if (flag) {
		edit = net_edit(index);
		edit->options = value ? edit->options | flag->bit : edit->options & ~flag->bit;
	} else if (is_linger) {
		edit = net_edit(index);
		edit->options = linger.l_onoff ? edit->options | NET_OPT_LINGER
					       : edit->options & ~(uint32_t)NET_OPT_LINGER;
		edit->linger = linger.l_linger < 0 ? 0 : linger.l_linger;
	} else if (call.level == SOL_SOCKET && call.name == SO_RCVBUF) {
		net_edit(index)->rcvbuf = buffer_size(value);
	} else if (call.level == SOL_SOCKET && call.name == SO_SNDBUF) {
		net_edit(index)->sndbuf = buffer_size(value);
	} else {
		return -ENOPROTOOPT;
	}
	apply(index);
	return net_answered(reply, index, 0);
}

// The value of a read-only or sized option: true if name is one.
static bool value_of(unsigned index, int level, int name, int *value)
{
	const struct net_socket *s = &net_kept->sockets[index];
	if (level != SOL_SOCKET)
		return false;
	switch (name) {
	case SO_TYPE: *value = s->type; return true;
	case SO_DOMAIN: *value = AF_INET; return true;
	case SO_PROTOCOL: *value = s->protocol; return true;
	case SO_ACCEPTCONN: *value = s->state == NET_LISTENING; return true;
	case SO_ERROR: *value = net_error_take(index); return true;
	case SO_RCVBUF: *value = s->rcvbuf; return true;
	case SO_SNDBUF: *value = s->sndbuf; return true;
	default: return false;
	}
}

long net_getopt(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_option call;
	long index = socket_of(request, &call);
	if (index < 0)
		return index;
	const struct net_socket *s = &net_kept->sockets[index];
	const struct flag_option *flag = flag_of(s, call.level, call.name);
	int value = 0;
	uint8_t bytes[sizeof(struct linger)];
	size_t size = sizeof(value);
	if (flag) {
		value = (s->options & flag->bit) != 0;
	} else if (call.level == SOL_SOCKET && call.name == SO_LINGER) {
		struct linger linger = { (s->options & NET_OPT_LINGER) != 0, s->linger };
		memcpy(bytes, &linger, sizeof(linger));
		size = sizeof(linger);
	} else if (!value_of(index, call.level, call.name, &value)) {
		return -ENOPROTOOPT;
	}
	if (size == sizeof(value))
		memcpy(bytes, &value, sizeof(value));
	struct xinim_net_answer *answer = net_answer(reply, index);
	answer->value_length = (uint32_t)(call.length < size ? call.length : size);
	memcpy(answer->value, bytes, answer->value_length);
	return 0;
}
