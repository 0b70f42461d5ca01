// Calls, receives, replies and notifications, sealed (libipc/include/libipc/ipc.h).
// Each peer has two codec channels, fetched from the backend when first needed; the
// table is keyed by endpoint, so a restarted peer (new generation) gets fresh channels.
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <libipc/codec.h>
#include <libipc/ipc.h>
#include "transport.h"

#define PEERS 256	// a power of two; open addressing

struct peer {
	xinim_endpoint_t endpoint;	// XINIM_ENDPOINT_NONE: a free slot
	bool has_tx, has_rx;
	struct codec_channel tx, rx;
};

// A program is one process on XINIM; the hosted tests run each process as a thread of
// one program, so there this state is per thread (IPC_PROCESS_LOCAL=_Thread_local).
#ifndef IPC_PROCESS_LOCAL
#define IPC_PROCESS_LOCAL
#endif

static IPC_PROCESS_LOCAL struct peer peers[PEERS];
static IPC_PROCESS_LOCAL bool peers_ready;
static IPC_PROCESS_LOCAL xinim_endpoint_t self = XINIM_ENDPOINT_NONE;
static IPC_PROCESS_LOCAL uint64_t refused[XINIM_TRACE_VERDICTS];
static IPC_PROCESS_LOCAL uint64_t last_id;	// of this program's calls and sends

xinim_endpoint_t ipc_self(void)
{
	if (self == XINIM_ENDPOINT_NONE)
		self = (xinim_endpoint_t)transport_self();
	return self;
}

long ipc_lookup(unsigned pid) { return transport_lookup(pid); }

uint64_t ipc_refused(enum xinim_trace_verdict verdict)
{
	return verdict < XINIM_TRACE_VERDICTS ? refused[verdict] : 0;
}

static struct peer *peer_find(xinim_endpoint_t endpoint)
{
	if (!peers_ready) {
		for (unsigned i = 0; i < PEERS; i++)
			peers[i].endpoint = XINIM_ENDPOINT_NONE;
		peers_ready = true;
	}
	unsigned slot = (endpoint * 2654435761u) & (PEERS - 1);
	for (unsigned probe = 0; probe < PEERS; probe++, slot = (slot + 1) & (PEERS - 1)) {
		struct peer *p = &peers[slot];
		if (p->endpoint == endpoint)
			return p;
		if (p->endpoint == XINIM_ENDPOINT_NONE) {
			*p = (struct peer){ .endpoint = endpoint };
			return p;
		}
	}
	return NULL;
}

// The channel to (tx) or from (!tx) endpoint, fetched on first use; NULL when the
// backend refuses it (no capability either way) or the table is full.
static struct codec_channel *channel(xinim_endpoint_t endpoint, bool tx)
{
	struct peer *p = peer_find(endpoint);
	if (!p)
		return NULL;
	bool *ready = tx ? &p->has_tx : &p->has_rx;
	struct codec_channel *c = tx ? &p->tx : &p->rx;
	if (!*ready) {
		struct xinim_channel key;
		if (transport_channel(endpoint, tx ? XINIM_TO_PEER : XINIM_FROM_PEER, &key) != 0)
			return NULL;
		codec_channel_init(c, &key);
		memset(&key, 0, sizeof(key));
		*ready = true;
	}
	return c;
}

// Completes msg's header and seals it; msg's length and payload are the caller's.
static int seal_to(xinim_endpoint_t dest, int32_t type, uint64_t id, struct xinim_msg *msg)
{
	if (msg->header.length > XINIM_PAYLOAD_MAX)
		return -EINVAL;
	struct codec_channel *tx = channel(dest, true);
	if (!tx)
		return -EACCES;
	msg->header.source = ipc_self();
	msg->header.dest = dest;
	msg->header.type = type;
	msg->header.flags = 0;
	msg->header.id = id;
	codec_seal(tx, msg);
	return 0;
}

// Opens a message from source; on refusal counts it and tells the kernel's trace.
static enum xinim_trace_verdict open_from(struct xinim_msg *msg)
{
	struct codec_channel *rx = channel(msg->header.source, false);
	enum xinim_trace_verdict verdict = rx ? codec_open(rx, msg) : XINIM_TRACE_DENIED;
	if (verdict != XINIM_TRACE_OK) {
		refused[verdict]++;
		transport_rejected(&msg->header, verdict);
	}
	return verdict;
}

long ipc_call(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us)
{
	int err = seal_to(dest, msg->header.type, ++last_id, msg);
	if (err)
		return err;
	long result = transport_call(msg, timeout_us);
	if (result < 0)
		return result;
	if (msg->header.source != dest || open_from(msg) != XINIM_TRACE_OK)
		return -EBADMSG;
	return msg->header.type;
}

long ipc_send(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us)
{
	int err = seal_to(dest, msg->header.type, ++last_id, msg);
	if (err)
		return err;
	return transport_send(msg, timeout_us);
}

long ipc_reply(xinim_endpoint_t to, long result, struct xinim_msg *msg)
{
	int err = seal_to(to, (int32_t)result, msg->header.id, msg);
	return err ? err : transport_reply(msg);
}

long ipc_receive(struct ipc_request *request, uint64_t timeout_us)
{
	for (;;) {
		long kind = transport_receive(&request->msg, timeout_us, &request->badge);
		if (kind < 0)
			return kind;
		request->is_call = kind == XINIM_RECEIVED_CALL;
		if (open_from(&request->msg) == XINIM_TRACE_OK)
			return 0;
		if (request->is_call) {
			struct xinim_msg answer = { .header.id = request->msg.header.id };
			ipc_reply(request->msg.header.source, -EBADMSG, &answer);
		}
	}
}

long ipc_notify(xinim_endpoint_t dest, uint64_t bits) { return transport_notify(dest, bits); }
