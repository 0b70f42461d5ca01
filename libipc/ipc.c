// Calls, receives, replies and notifications, sealed (libipc/include/libipc/ipc.h).
// Each peer has two codec channels, fetched from the backend when first needed; the
// table is keyed by endpoint, so a restarted peer (new generation) gets fresh channels.
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <xinim/codec.h>
#include <libipc/ipc.h>
#include <libipc/transport.h>

#define PEERS 256	// a power of two; open addressing

// A slot of a peer that is gone: free, but probes go on past it. No endpoint has it
// (PID 0xfffe).
#define PEER_GONE ((xinim_endpoint_t)0xfffffffeu)

struct peer {
	xinim_endpoint_t endpoint;	// XINIM_ENDPOINT_NONE: a free slot never used
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
static IPC_PROCESS_LOCAL struct peer *recent;	// the last one found: a call's reply, a
						// server's next request come from the same peer
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

// A new generation of endpoint's PID is met: the earlier ones are dead, and their slots
// (their keys with them) go. Else a server would fill its table with the generations of
// a peer that restarts, and then reach none.
static void peers_of_pid_gone(xinim_endpoint_t endpoint)
{
	for (unsigned i = 0; i < PEERS; i++) {
		xinim_endpoint_t e = peers[i].endpoint;
		if (e != XINIM_ENDPOINT_NONE && e != PEER_GONE && e != endpoint &&
		    xinim_endpoint_pid(e) == xinim_endpoint_pid(endpoint)) {
			memset(&peers[i], 0, sizeof(peers[i]));
			peers[i].endpoint = PEER_GONE;
		}
	}
}

// Out of line: the common case is recent, looked at in channel. A new peer takes the
// first gone slot on its probe, else the free one that ends it.
__attribute__((noinline)) static struct peer *peer_find(xinim_endpoint_t endpoint)
{
	if (!peers_ready) {
		for (unsigned i = 0; i < PEERS; i++)
			peers[i].endpoint = XINIM_ENDPOINT_NONE;
		peers_ready = true;
	}
	struct peer *taken = NULL;
	unsigned slot = (endpoint * 2654435761u) & (PEERS - 1);
	for (unsigned probe = 0; probe < PEERS; probe++, slot = (slot + 1) & (PEERS - 1)) {
		struct peer *p = &peers[slot];
		if (p->endpoint == endpoint)
			return recent = p;
		if (p->endpoint == PEER_GONE && !taken)
			taken = p;
		if (p->endpoint == XINIM_ENDPOINT_NONE) {
			taken = taken ? taken : p;
			break;
		}
	}
	if (!taken)
		return NULL;
	peers_of_pid_gone(endpoint);
	*taken = (struct peer){ .endpoint = endpoint };
	return recent = taken;
}

// Out of line, as peer_find: once per peer and direction.
__attribute__((noinline)) static long channel_fetch(xinim_endpoint_t endpoint, bool tx,
						     struct peer *p)
{
	struct xinim_channel key;
	long err = transport_channel(endpoint, tx ? XINIM_TO_PEER : XINIM_FROM_PEER, &key);
	if (err)
		return err;
	codec_channel_init(tx ? &p->tx : &p->rx, &key);
	memset(&key, 0, sizeof(key));
	*(tx ? &p->has_tx : &p->has_rx) = true;
	return 0;
}

// The channel to (tx) or from (!tx) endpoint in *out, fetched on first use. 0, the
// backend's refusal (-EACCES no capability either way, -ESRCH a dead peer), or -ENOSPC
// when the table is full.
static inline long channel(xinim_endpoint_t endpoint, bool tx, struct codec_channel **out)
{
	struct peer *p = recent && recent->endpoint == endpoint ? recent : peer_find(endpoint);
	if (!p)
		return -ENOSPC;
	long err = (tx ? p->has_tx : p->has_rx) ? 0 : channel_fetch(endpoint, tx, p);
	*out = tx ? &p->tx : &p->rx;
	return err;
}

// Completes msg's header and seals it; msg's length and payload are the caller's.
static int seal_to(xinim_endpoint_t dest, int32_t type, uint64_t id, struct xinim_msg *msg)
{
	if (msg->header.length > XINIM_PAYLOAD_MAX)
		return -EINVAL;
	struct codec_channel *tx;
	int err = (int)channel(dest, true, &tx);
	if (err)
		return err;
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
	struct codec_channel *rx;
	enum xinim_trace_verdict verdict = channel(msg->header.source, false, &rx)
						   ? XINIM_TRACE_DENIED : codec_open(rx, msg);
	if (verdict != XINIM_TRACE_OK) {
		refused[verdict]++;
		transport_rejected(&msg->header, verdict);
	}
	return verdict;
}

// A supervised server's next instance after dest (docs/resurrection.md), waited for up
// to RESTART_WAIT_US; XINIM_ENDPOINT_NONE if none came (or dest is not supervised).
#define RESTART_WAIT_US 2000000
#define RESTART_POLL_US 200
static xinim_endpoint_t next_instance(xinim_endpoint_t dest)
{
	unsigned pid = xinim_endpoint_pid(dest);
	if (!xinim_pid_supervised(pid))
		return XINIM_ENDPOINT_NONE;
	for (uint64_t waited = 0; waited < RESTART_WAIT_US; waited += RESTART_POLL_US) {
		long now = transport_lookup(pid);
		if (now == -EACCES)
			break;
		if (now >= 0 && (xinim_endpoint_t)now != dest)
			return (xinim_endpoint_t)now;
		transport_pause(RESTART_POLL_US);
	}
	return XINIM_ENDPOINT_NONE;
}

// A call to a supervised server that dies before it answers (-EIO: it died with the call;
// -ESRCH: it was dead already) goes again, with the same id, to its next instance, which
// answers it once (its commit record recognizes a call it had answered).
static long call(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us, bool again)
{
	uint64_t id = ++last_id;
	struct xinim_msg plain;
	again = again && xinim_pid_supervised(xinim_endpoint_pid(dest));
	if (again)
		plain = *msg;	// sealed in place: kept to seal again for the next instance
	long result;
	for (;;) {
		int err = seal_to(dest, msg->header.type, id, msg);
		if (err)
			return err;
		result = transport_call(msg, timeout_us);
		if (!again || (result != -EIO && result != -ESRCH))
			break;
		*msg = plain;
		xinim_endpoint_t next = next_instance(dest);
		if (next == XINIM_ENDPOINT_NONE)
			return result;
		dest = next;
	}
	if (result < 0)
		return result;
	if (msg->header.source != dest || msg->header.id != id || open_from(msg) != XINIM_TRACE_OK)
		return -EBADMSG;
	return msg->header.type;
}

long ipc_call(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us)
{
	return call(dest, msg, timeout_us, true);
}

long ipc_call_once(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us)
{
	return call(dest, msg, timeout_us, false);
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

// Receives (after sending reply, when there is one) until a message opens.
static long receive_opened(const struct xinim_msg *reply, struct ipc_request *request,
			   uint64_t timeout_us)
{
	for (;;) {
		long kind = reply ? transport_reply_receive(reply, &request->msg, timeout_us,
							    &request->badge)
				  : transport_receive(&request->msg, timeout_us, &request->badge);
		reply = NULL;
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

long ipc_receive(struct ipc_request *request, uint64_t timeout_us)
{
	return receive_opened(NULL, request, timeout_us);
}

long ipc_reply_receive(xinim_endpoint_t to, long result, struct xinim_msg *reply,
		       struct ipc_request *request, uint64_t timeout_us)
{
	int err = seal_to(to, (int32_t)result, reply->header.id, reply);
	return err ? err : receive_opened(reply, request, timeout_us);
}

long ipc_notify(xinim_endpoint_t dest, uint64_t bits) { return transport_notify(dest, bits); }
