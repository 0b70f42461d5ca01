// libFuzzer on NET's handlers (driver.h): NET started on a fresh kept state as its unit
// tests start it (tests/unit/net/net_calls.c), the fuzzer's thread VFS, the only process
// that calls NET. Each of an input's messages is one of NET's types as VFS would send
// it, its payload from the input, steered by the payload's last bytes (struct steer):
// the socket an input opened, pointers into VFS's memory, a known ioctl request, and
// grants made on that memory for a send's or a receive's segments. An input's sockets
// are closed before the next input; the health check is a loopback TCP exchange. A
// message may find NET restarted first, dead waiting or at work (struct steer).
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/route.h>
#include <netinet/in.h>
#include <libipc/ipc.h>
#include <xinim/ipc/kcall.h>
#include <net/net.h>
#include "driver.h"
#include "harness.h"
#include "net_calls.h"

// The payload's bytes after every request NET has: they steer the message, never read
// by NET as part of it.
struct steer {
	uint8_t sock;		// bit 7: the payload's own id; else the input's socket (mod count)
	uint8_t pointers;	// bit 0: VFS's addresses as given (fuzz_address), else offsets;
				// bit 1: NET dies before the message (restart), bit 2: at work
	uint8_t grants;		// bits 0-5: segment i (mod 6) names no grant of ours; bit 6:
				// the grants' access the other way round
	uint8_t request;	// bit 7: the ioctl request as given, else a known one (mod count)
	uint32_t seed;		// the segments' places and lengths
};
#define STEER_AT (XINIM_PAYLOAD_MAX - sizeof(struct steer))
_Static_assert(sizeof(struct xinim_net_io) <= STEER_AT &&
	       sizeof(struct xinim_net_option) <= STEER_AT &&
	       sizeof(struct xinim_net_addr) <= STEER_AT &&
	       sizeof(struct xinim_net_ioctl) <= STEER_AT &&
	       sizeof(struct xinim_net_buffer) <= STEER_AT, "the steering follows every request");

static const uint32_t requests[] = {
	SIOCGIFCONF, SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCGIFADDR, SIOCSIFADDR, SIOCGIFNETMASK,
	SIOCSIFNETMASK, SIOCGIFBRDADDR, SIOCGIFHWADDR, SIOCGIFMTU, SIOCGIFINDEX, SIOCGIFNAME,
	SIOCGIFMETRIC, SIOCGIFTXQLEN, SIOCGIFMAP, SIOCADDRT, SIOCDELRT, FIONREAD,
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

// A segment's length: one in four up to the block and past it (its guard page), the
// others short; one in eight of those with a grant says more than the grant has.
#define SEGMENT_SHORT 2048
#define SEGMENT_PAST 8192
#define SEGMENT_OVERSTATED 4096

static struct net_state_kept kept;
static uint32_t opened[FUZZ_RECORDS_MAX];	// the input's sockets, by SOCKET and ACCEPT
static unsigned opened_count;
static uint64_t grants[XINIM_GRANTS_PER_CALL];	// made for the message under way
static unsigned grant_count;
static const xinim_endpoint_t parked = XINIM_PID_FIRST_DYNAMIC | 1u << XINIM_PID_BITS;

static xinim_endpoint_t start(void)
{
	if (net_group_setup(NULL) != 0)
		return XINIM_ENDPOINT_NONE;
	net_start(&kept, KEEP_FRESH);
	return net_endpoint();
}

static int setup(xinim_endpoint_t server)
{
	return server == XINIM_ENDPOINT_NONE ? -1 : 0;
}

static void fresh(xinim_endpoint_t server, xinim_endpoint_t who, xinim_endpoint_t last)
{
	(void)server, (void)who, (void)last;
	for (unsigned i = 0; i < opened_count; i++)
		net_sock_call(XINIM_NET_CLOSE, opened[i], 0, NULL);
	opened_count = 0;
}

static uint32_t next(uint32_t *seed)	// xorshift32: the segments from the steer's seed
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 17;
	*seed ^= *seed << 5;
	return *seed;
}

static uint64_t pointer(uint64_t v, const struct steer *c)
{
	return c->pointers & 1 ? fuzz_address(v) : (uintptr_t)fuzz_memory + v % FUZZ_MEMORY_SIZE;
}

// The pointer field at offset of payload, moved as c says.
static void pointer_field(uint8_t *payload, size_t offset, const struct steer *c)
{
	uint64_t v;
	memcpy(&v, payload + offset, sizeof(v));
	v = pointer(v, c);
	memcpy(payload + offset, &v, sizeof(v));
}

// A send's or a receive's segments, written where io's pointer says in VFS's memory: each
// a grant on a piece of that memory (or a number that is none), its length the grant's
// or, now and then, more.
static void segments_make(int32_t type, struct xinim_net_io *io, const struct steer *c)
{
	uint32_t seed = c->seed | 1;
	unsigned count = io->count < XINIM_GRANTS_PER_CALL ? io->count : XINIM_GRANTS_PER_CALL;
	size_t bytes = count * sizeof(struct xinim_net_segment);
	if (c->pointers & 1 || !count) {
		io->segments = pointer(io->segments, c);
		return;
	}
	io->segments = (uintptr_t)fuzz_memory + io->segments % (FUZZ_MEMORY_SIZE - bytes);
	bool reading = (type == XINIM_NET_SEND) != ((c->grants & 0x40) != 0);
	unsigned access = reading ? XINIM_GRANT_READ : XINIM_GRANT_WRITE;
	for (unsigned i = 0; i < count; i++) {
		uint64_t offset = next(&seed) % FUZZ_MEMORY_SIZE;
		uint64_t length = next(&seed) % 4 ? next(&seed) % SEGMENT_SHORT
						  : next(&seed) % (FUZZ_MEMORY_SIZE + SEGMENT_PAST);
		struct xinim_net_segment s = { .grant = next(&seed), .length = length };
		if (!(c->grants & 1u << (i % 6))) {
			long grant = ipc_grant_make(parked, 1, net_endpoint(),
						    (uintptr_t)fuzz_memory + offset, length, access);
			if (grant >= 0)
				s.grant = grants[grant_count++] = (uint64_t)grant;
			s.length += next(&seed) % 8 ? 0 : next(&seed) % SEGMENT_OVERSTATED;
		}
		memcpy((void *)(uintptr_t)(io->segments + i * sizeof(s)), &s, sizeof(s));
	}
}

// NET dies and its next instance takes the kept state over (docs/net.md, What a restart
// keeps): dead waiting for a message, it goes on in lwIP's memory; dead at work, it
// starts lwIP again and resets the connections.
static void restart(bool at_work)
{
	net_stop();
	net_lwip.waiting = !at_work;
	net_start(&kept, KEEP_INHERITED);
}

static void sanitize(int32_t type, uint8_t payload[XINIM_PAYLOAD_MAX])
{
	struct steer c;
	memcpy(&c, payload + STEER_AT, sizeof(c));
	if (c.pointers & 0x02)
		restart(c.pointers & 0x04);
	if (type != XINIM_NET_SOCKET && type != XINIM_NET_EVENTS && type != XINIM_NET_PROC &&
	    !(c.sock & 0x80) && opened_count)
		memcpy(payload, &opened[c.sock % opened_count], sizeof(opened[0]));
	if (type == XINIM_NET_EVENTS || type == XINIM_NET_PROC)
		pointer_field(payload, offsetof(struct xinim_net_buffer, at), &c);
	if (type == XINIM_NET_IOCTL) {
		pointer_field(payload, offsetof(struct xinim_net_ioctl, at), &c);
		if (!(c.request & 0x80))
			memcpy(payload + offsetof(struct xinim_net_ioctl, request),
			       &requests[c.request % COUNT(requests)], sizeof(requests[0]));
	}
	if (type == XINIM_NET_SEND || type == XINIM_NET_RECEIVE) {
		struct xinim_net_io io;
		memcpy(&io, payload, sizeof(io));
		segments_make(type, &io, &c);
		memcpy(payload + offsetof(struct xinim_net_io, segments), &io.segments,
		       sizeof(io.segments));
	}
}

static void answered(int32_t type, const uint8_t payload[XINIM_PAYLOAD_MAX], long result)
{
	(void)payload;
	while (grant_count)
		ipc_grant_end(grants[--grant_count]);
	if ((type == XINIM_NET_SOCKET || type == XINIM_NET_ACCEPT) && result > 0 &&
	    opened_count < COUNT(opened))
		opened[opened_count++] = (uint32_t)result;
}

// A listener on lo's ephemeral port, a connection to it accepted, a few bytes across:
// NULL, or the step that failed. ends: the sockets it opened (0: none).
static const char *exchange(long ends[3])
{
	struct xinim_net_answer name;
	struct sockaddr_in at = { 0 };
	char got[8] = { 0 };
	if ((ends[0] = net_open(SOCK_STREAM)) <= 0 || (ends[1] = net_open(SOCK_STREAM)) <= 0)
		return "socket";
	if (net_bind_to(ends[0], INADDR_LOOPBACK, 0) ||
	    net_sock_call(XINIM_NET_LISTEN, ends[0], 1, NULL) ||
	    net_sock_call(XINIM_NET_NAME, ends[0], 0, &name))
		return "bind, listen, getsockname";
	memcpy(&at, name.addr, sizeof(at));
	if (net_connect_to(ends[1], INADDR_LOOPBACK, ntohs(at.sin_port)) != -EINPROGRESS)
		return "connect";
	if (!net_wait_ready(ends[0], XINIM_NET_IN) ||
	    (ends[2] = net_sock_call(XINIM_NET_ACCEPT, ends[0], 0, NULL)) <= 0)
		return "accept";
	if (!net_wait_ready(ends[1], XINIM_NET_OUT) || net_send_bytes(ends[1], "health", 6, 0, 0) != 6)
		return "send";
	if (!net_wait_ready(ends[2], XINIM_NET_IN) ||
	    net_receive_bytes(ends[2], got, sizeof(got), 0, NULL) != 6 || memcmp(got, "health", 6))
		return "receive";
	return NULL;
}

static bool healthy(xinim_endpoint_t server)
{
	(void)server;
	long ends[3] = { 0 };
	const char *failed = exchange(ends);
	for (unsigned i = 0; i < COUNT(ends); i++)
		if (ends[i] > 0 && net_sock_call(XINIM_NET_CLOSE, (uint32_t)ends[i], 0, NULL) && !failed)
			failed = "close";
	if (failed)
		fprintf(stderr, "fuzz_net: the health check's %s failed\n", failed);
	return !failed;
}

const struct fuzz_server fuzz_target = {
	.name = "net", .pid = XINIM_PID_NET, .table = &net_table,
	.first_type = XINIM_MSG_NET_FIRST, .copies = true, .start = start,
	.endpoint = net_endpoint, .setup = setup,
	.fresh = fresh, .sanitize = sanitize, .answered = answered, .healthy = healthy,
};
