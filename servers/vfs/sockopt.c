// setsockopt and getsockopt (socket(7)): the options of level SOL_SOCKET that VFS's
// sockets keep, a row each; other levels are the family's (AF_UNIX has none:
// -EOPNOTSUPP, as Linux's sock_no_setsockopt).
#include <errno.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "vfs.h"

#ifndef SO_RCVTIMEO_NEW		// the 64-bit time_t forms (the same struct on AArch64)
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67
#endif
#define BUFFER_MIN 2304		// SOCK_MIN_RCVBUF
#define BUFFER_MAX (2 * 212992)	// net.core.rmem_max, doubled as setsockopt doubles
#define NS_PER_US 1000ull
#define NS_PER_S 1000000000ull

// An option's value as it travels: an int, a struct timeval or a struct ucred.
union option {
	int number;
	struct timeval time;
	struct sock_cred cred;
};

struct option_row {
	int name;
	uint32_t size;	// what getsockopt gives (setsockopt takes at least an int)
	bool waiting;	// an option of the waiting, VFS's whatever the family
	long (*get)(const struct sock *s, int name, union option *out);
	long (*set)(struct sock *s, int name, const union option *in, uint32_t length);
};

static uint8_t flag_of(int name)
{
	return name == SO_PASSCRED ? SOCK_PASSCRED : name == SO_KEEPALIVE ? SOCK_KEEPALIVE
									   : SOCK_REUSEADDR;
}

static long get_flag(const struct sock *s, int name, union option *out)
{
	out->number = (s->flags & flag_of(name)) != 0;
	return 0;
}

static long set_flag(struct sock *s, int name, const union option *in, uint32_t length)
{
	(void)length;
	keep_change(&s->flags, sizeof(s->flags));
	s->flags = (uint8_t)(in->number ? s->flags | flag_of(name) : s->flags & ~flag_of(name));
	return 0;
}

static long get_type(const struct sock *s, int name, union option *out)
{
	(void)name;
	out->number = s->type;
	return 0;
}

static long get_domain(const struct sock *s, int name, union option *out)
{
	(void)name;
	out->number = s->family;
	return 0;
}

static long get_protocol(const struct sock *s, int name, union option *out)
{
	(void)s, (void)name;
	out->number = 0;
	return 0;
}

static long get_listening(const struct sock *s, int name, union option *out)
{
	(void)name;
	out->number = s->state == SOCK_LISTENING;
	return 0;
}

// SO_ERROR: the pending error, which reading clears (Linux's sock_error).
static long get_error(const struct sock *s, int name, union option *out)
{
	(void)name;
	out->number = (int)-sock_error((struct sock *)s);
	return 0;
}

static long get_buffer(const struct sock *s, int name, union option *out)
{
	out->number = (int)(name == SO_RCVBUF ? s->rcvbuf : s->sndbuf);
	return 0;
}

// As Linux: the value doubled (room for its bookkeeping), between the bounds.
static long set_buffer(struct sock *s, int name, const union option *in, uint32_t length)
{
	(void)length;
	uint64_t want = in->number < 0 ? 0 : 2 * (uint64_t)in->number;
	uint32_t value = (uint32_t)(want < BUFFER_MIN ? BUFFER_MIN : want > BUFFER_MAX ? BUFFER_MAX
											: want);
	uint32_t *field = name == SO_RCVBUF ? &s->rcvbuf : &s->sndbuf;
	keep_change(field, sizeof(*field));
	*field = value;
	return 0;
}

static long get_peercred(const struct sock *s, int name, union option *out)
{
	(void)name;
	out->cred = s->peer || s->state != SOCK_UNCONNECTED ? s->peer_cred
							    : (struct sock_cred){ 0, 65534, 65534 };
	return 0;
}

static bool receiving(int name) { return name == SO_RCVTIMEO || name == SO_RCVTIMEO_NEW; }

static long get_timeout(const struct sock *s, int name, union option *out)
{
	uint64_t ns = receiving(name) ? s->rcvtimeo : s->sndtimeo;
	out->time = (struct timeval){ .tv_sec = (time_t)(ns / NS_PER_S),
				      .tv_usec = (suseconds_t)(ns % NS_PER_S / NS_PER_US) };
	return 0;
}

// As Linux's sock_set_timeout: a short struct is -EINVAL, a bad tv_usec -EDOM, a negative
// time none, zero none.
static long set_timeout(struct sock *s, int name, const union option *in, uint32_t length)
{
	if (length < sizeof(struct timeval))
		return -EINVAL;
	if (in->time.tv_usec < 0 || in->time.tv_usec >= 1000000)
		return -EDOM;
	uint64_t ns = in->time.tv_sec < 0 ? 0
					  : (uint64_t)in->time.tv_sec * NS_PER_S +
						    (uint64_t)in->time.tv_usec * NS_PER_US;
	uint64_t *field = receiving(name) ? &s->rcvtimeo : &s->sndtimeo;
	keep_change(field, sizeof(*field));
	*field = ns;
	return 0;
}

static const struct option_row options[] = {
	{ SO_REUSEADDR, sizeof(int), false, get_flag, set_flag },
	{ SO_KEEPALIVE, sizeof(int), false, get_flag, set_flag },
	{ SO_PASSCRED, sizeof(int), false, get_flag, set_flag },
	{ SO_TYPE, sizeof(int), false, get_type, NULL },
	{ SO_DOMAIN, sizeof(int), false, get_domain, NULL },
	{ SO_PROTOCOL, sizeof(int), false, get_protocol, NULL },
	{ SO_ACCEPTCONN, sizeof(int), false, get_listening, NULL },
	{ SO_ERROR, sizeof(int), false, get_error, NULL },
	{ SO_RCVBUF, sizeof(int), false, get_buffer, set_buffer },
	{ SO_SNDBUF, sizeof(int), false, get_buffer, set_buffer },
	{ SO_PEERCRED, sizeof(struct sock_cred), false, get_peercred, NULL },
	{ SO_RCVTIMEO, sizeof(struct timeval), true, get_timeout, set_timeout },
	{ SO_SNDTIMEO, sizeof(struct timeval), true, get_timeout, set_timeout },
	{ SO_RCVTIMEO_NEW, sizeof(struct timeval), true, get_timeout, set_timeout },
	{ SO_SNDTIMEO_NEW, sizeof(struct timeval), true, get_timeout, set_timeout },
};

static const struct option_row *option_of(int level, int name)
{
	for (size_t i = 0; level == SOL_SOCKET && i < sizeof(options) / sizeof(options[0]); i++)
		if (options[i].name == name)
			return &options[i];
	return NULL;
}

// A call of an option: setsockopt(fd, level, name, value, length), getsockopt's the same
// with length a pointer.
struct option_call {
	struct xinim_syscall call;
	struct sock *s;
	const struct option_row *row;
};

// The socket and the option a call names: 0, -EBADF, -ENOTSOCK, -EOPNOTSUPP (a level
// the family has none of), -ENOPROTOOPT. A family with options of its own (AF_INET's,
// NET's) has all but the waiting ones: c->row NULL.
static long option_call_in(const struct ipc_request *request, struct option_call *c)
{
	c->call = ipc_syscall_of(request);
	long err = sock_fd(c->call.caller, c->call.args[0], &c->s);
	if (err)
		return err;
	c->row = option_of((int)c->call.args[1], (int)c->call.args[2]);
	if (sock_family(c->s)->option && !(c->row && c->row->waiting)) {
		c->row = NULL;
		return 0;
	}
	if ((int)c->call.args[1] != SOL_SOCKET)
		return -EOPNOTSUPP;
	return c->row ? 0 : -ENOPROTOOPT;
}

// The family's option: set from the caller's value, or got into it (length at args[4]).
static long family_option(const struct ipc_request *request, struct option_call *c, bool set)
{
	uint8_t value[32] = { 0 };
	int length = (int)c->call.args[4];
	long err = set ? 0 : ipc_copy_from(c->call.caller, &length, c->call.args[4], sizeof(length));
	if (err)
		return err;
	if (length < 0 || (set && length < (int)sizeof(int)))
		return -EINVAL;
	uint32_t n = (uint32_t)length < sizeof(value) ? (uint32_t)length : sizeof(value);
	if (set && (err = ipc_copy_from(c->call.caller, value, c->call.args[3], n)))
		return err;
	err = sock_family(c->s)->option(c->s, set, (int)c->call.args[1], (int)c->call.args[2],
					value, &n);
	if (err || set)
		return net_wait(request, set ? vfs_setsockopt : vfs_getsockopt, c->s, err);
	err = ipc_copy_to(c->call.caller, c->call.args[3], value, n);
	return err ? err : ipc_copy_to(c->call.caller, c->call.args[4], &n, sizeof(n));
}

long vfs_setsockopt(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct option_call c;
	long err = option_call_in(request, &c);
	if (err)
		return err;
	if (!c.row)
		return family_option(request, &c, true);
	if (!c.row->set)
		return -ENOPROTOOPT;
	int length = (int)c.call.args[4];
	if (length < (int)sizeof(int))
		return -EINVAL;
	union option in = { 0 };
	uint32_t n = (uint32_t)length < sizeof(in) ? (uint32_t)length : sizeof(in);
	err = ipc_copy_from(c.call.caller, &in, c.call.args[3], n);
	return err ? err : c.row->set(c.s, (int)c.call.args[2], &in, (uint32_t)length);
}

long vfs_getsockopt(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct option_call c;
	long err = option_call_in(request, &c);
	if (!err && !c.row)
		return family_option(request, &c, false);
	int length;
	if (!err)
		err = ipc_copy_from(c.call.caller, &length, c.call.args[4], sizeof(length));
	if (err)
		return err;
	if (length < 0)
		return -EINVAL;
	union option out = { 0 };
	uint32_t n = (uint32_t)length < c.row->size ? (uint32_t)length : c.row->size;
	c.row->get(c.s, (int)c.call.args[2], &out);
	err = ipc_copy_to(c.call.caller, c.call.args[3], &out, n);
	return err ? err : ipc_copy_to(c.call.caller, c.call.args[4], &n, sizeof(n));
}
