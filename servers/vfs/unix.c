// AF_UNIX sockets (unix(7)), VFS's own: SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET. A
// socket's queue is the ring of its node (ring.c) holding records, each a head (struct
// record) and its bytes: a stream's bytes as they were sent (read across records), a
// datagram or a packet whole. A sender writes into its peer's queue (or a datagram's
// destination's); the rights a record carries (SCM_RIGHTS) are open files held by the
// flights table, named by the record's number. Names are a path (a node of type
// S_IFSOCK that bind makes; the record names it by index) or abstract (sun_path[0] 0,
// in the record alone). A stream's connect makes the listener's side of the connection
// at once, a socket of no fd queued on the listener until accept takes it.
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "vfs.h"

struct record {
	uint32_t length;	// its bytes after the head
	uint32_t sender;	// a datagram's sender: record index + 1 (its address)
	uint32_t seq;		// its number in the queue (its rights' flights name it)
	uint16_t rights;	// how many fds it carries
	uint16_t reserved;
};
#define HEAD sizeof(struct record)
#define PATH_OFFSET offsetof(struct sockaddr_un, sun_path)	// 2

static struct sock *socks(void) { return vfs_sockets()->socks; }
static struct flight *flights(void) { return vfs_sockets()->flights; }
static bool connection_type(const struct sock *s) { return s->type != SOCK_DGRAM; }

static long unix_create(struct sock *s, int protocol)
{
	if (protocol && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	if (s->type == SOCK_RAW)
		s->type = SOCK_DGRAM;	// as Linux's unix_create (s is fresh: logged whole)
	return s->type == SOCK_STREAM || s->type == SOCK_DGRAM || s->type == SOCK_SEQPACKET
		       ? 0 : -ESOCKTNOSUPPORT;
}

static void connect_pair(struct sock *a, struct sock *b)
{
	keep_change(a, sizeof(*a));
	keep_change(b, sizeof(*b));
	a->state = b->state = SOCK_CONNECTED;
	a->peer = sock_number(b);
	b->peer = sock_number(a);
	a->peer_cred = b->cred;
	b->peer_cred = a->cred;
}

static long unix_pair(struct sock *a, struct sock *b)
{
	connect_pair(a, b);
	return 0;
}

// Whether another socket owns the abstract name (length bytes with the family).
static bool abstract_taken(const uint8_t *addr, uint32_t length)
{
	for (unsigned i = 0; i < SOCKETS_MAX; i++) {
		const struct sock *s = &socks()[i];
		if (s->node && (s->flags & SOCK_BOUND) && !s->bound && s->name_length == length &&
		    !memcmp(s->name, addr + PATH_OFFSET, length - PATH_OFFSET))
			return true;
	}
	return false;
}

// An address as Linux's unix_validate_addr takes it: 0, or -EINVAL. A path's length is
// cut at its NUL (with the NUL: what getsockname gives).
static long address_check(const uint8_t *addr, uint32_t *length)
{
	sa_family_t family;
	if (*length <= PATH_OFFSET || *length > sizeof(struct sockaddr_un))
		return -EINVAL;
	memcpy(&family, addr, sizeof(family));
	if (family != AF_UNIX)
		return -EINVAL;
	if (addr[PATH_OFFSET]) {
		const uint8_t *end = memchr(addr + PATH_OFFSET, 0, *length - PATH_OFFSET);
		*length = (uint32_t)(end ? end - addr : *length) + 1;
	}
	return 0;
}

static void path_of(const uint8_t *addr, uint32_t length, char *path)
{
	memcpy(path, addr + PATH_OFFSET, length - PATH_OFFSET - 1);
	path[length - PATH_OFFSET - 1] = '\0';
}

// bind: a path's node made (EADDRINUSE if the name is there), an abstract name taken,
// or with the family alone a name of Linux's autobind (5 hex digits).
static long unix_bind(xinim_endpoint_t caller, struct sock *s, const uint8_t *addr,
		      uint32_t length)
{
	uint8_t automatic[PATH_OFFSET + 6] = { AF_UNIX, 0, 0 };
	sa_family_t family = 0;
	memcpy(&family, addr, length >= sizeof(family) ? sizeof(family) : 0);
	if (length == PATH_OFFSET && family == AF_UNIX) {
		for (unsigned n = 0; n < 0x100000; n++) {
			char digits[6];
			snprintf(digits, sizeof(digits), "%05x", n);
			memcpy(automatic + PATH_OFFSET + 1, digits, 5);
			if (!abstract_taken(automatic, sizeof(automatic)))
				break;
		}
		addr = automatic;
		length = sizeof(automatic);
	}
	long err = address_check(addr, &length);
	if (err)
		return err;
	if (s->flags & SOCK_BOUND)
		return -EINVAL;
	struct node *name = NULL;
	if (addr[PATH_OFFSET]) {
		static struct last at;
		char path[SOCK_NAME_MAX + 1];
		path_of(addr, length, path);
		struct creds who = caller_creds(caller, false);
		err = path_last(path[0] == '/' ? NULL : cwd_of(caller), path, 0, &who, &at);
		if (!err && (!at.length || at.node))
			err = -EADDRINUSE;
		if (!err && !may_access(at.dir, &who, W_OK | X_OK))
			err = -EACCES;
		if (!err && !(err = fs_writable(at.dir)) &&
		    !(name = node_made(caller, at.dir, S_IFSOCK | 0777, 0)))
			err = -ENOSPC;
		if (!err && (err = entry_add(at.dir, at.name, at.length, name)))
			node_release(name);
		if (err)
			return err;
	} else if (abstract_taken(addr, length)) {
		return -EADDRINUSE;
	}
	keep_change(s, sizeof(*s));
	s->flags |= SOCK_BOUND;
	s->bound = name ? ramfs_index(name) + 1 : 0;
	s->name_length = length;
	memcpy(s->name, addr + PATH_OFFSET, length - PATH_OFFSET);
	return 0;
}

// The socket an address names, of s's type: 0 and *out, or -errno (-ECONNREFUSED: no
// socket is bound there).
static long unix_find(xinim_endpoint_t caller, const struct sock *s, const uint8_t *addr,
		      uint32_t length, struct sock **out)
{
	long err = address_check(addr, &length);
	if (err)
		return err;
	*out = NULL;
	if (addr[PATH_OFFSET]) {
		char path[SOCK_NAME_MAX + 1];
		struct node *node;
		path_of(addr, length, path);
		struct creds who = caller_creds(caller, false);
		err = path_lookup(path[0] == '/' ? NULL : cwd_of(caller), path, LOOKUP_FOLLOW, &who,
				  &node);
		if (err)
			return err;
		if (!S_ISSOCK(node->mode))
			return -ECONNREFUSED;
		if (!may_access(node, &who, W_OK))
			return -EACCES;
		for (unsigned i = 0; i < SOCKETS_MAX && !*out; i++)
			if (socks()[i].node && socks()[i].bound == ramfs_index(node) + 1)
				*out = &socks()[i];
	} else {
		for (unsigned i = 0; i < SOCKETS_MAX && !*out; i++) {
			struct sock *t = &socks()[i];
			if (t->node && (t->flags & SOCK_BOUND) && !t->bound &&
			    t->name_length == length &&
			    !memcmp(t->name, addr + PATH_OFFSET, length - PATH_OFFSET))
				*out = t;
		}
	}
	if (!*out)
		return -ECONNREFUSED;
	return (*out)->type == s->type ? 0 : -EPROTOTYPE;
}

static unsigned queued(const struct sock *listener)
{
	unsigned n = 0;
	for (unsigned i = 0; i < SOCKETS_MAX; i++)
		n += socks()[i].node && socks()[i].listener == sock_number(listener);
	return n;
}

// connect: a datagram socket's peer (AF_UNSPEC: none); a stream's or packet socket's
// connection to a listener, queued for its accept (-EAGAIN with a full queue: *wait).
static long unix_connect(xinim_endpoint_t caller, struct sock *s, const uint8_t *addr,
			 uint32_t length, bool nonblocking, struct node **wait)
{
	(void)nonblocking;	// a connection is made at once, or waits for room (*wait)
	sa_family_t family = AF_UNIX;
	memcpy(&family, addr, length >= sizeof(family) ? sizeof(family) : 0);
	if (!connection_type(s) && length >= sizeof(family) && family == AF_UNSPEC) {
		keep_change(s, sizeof(*s));
		s->peer = 0;
		s->state = SOCK_UNCONNECTED;
		s->flags &= (uint8_t)~SOCK_PEER_GONE;
		return 0;
	}
	if (connection_type(s) && s->state == SOCK_CONNECTED)
		return -EISCONN;
	if (s->state == SOCK_LISTENING)
		return -EINVAL;
	struct sock *t;
	long err = unix_find(caller, s, addr, length, &t);
	if (err)
		return err;
	if (!connection_type(s)) {
		keep_change(s, sizeof(*s));
		s->peer = sock_number(t);
		s->state = SOCK_CONNECTED;
		s->flags &= (uint8_t)~SOCK_PEER_GONE;
		s->peer_cred = t->cred;
		return 0;
	}
	if (t->state != SOCK_LISTENING)
		return -ECONNREFUSED;
	if (queued(t) > t->backlog) {
		*wait = sock_node(t);
		return -EAGAIN;
	}
	struct sock *embryo = sock_new(caller, AF_UNIX, s->type);
	if (!embryo)
		return -ENOBUFS;
	keep_change(&s->cred, sizeof(s->cred));
	sock_cred_of(caller, &s->cred);	// the connecting process's, which its peer sees
	embryo->cred = t->cred;
	connect_pair(s, embryo);
	embryo->listener = sock_number(t);
	embryo->order = vfs_sockets()->order;
	embryo->name_length = t->name_length;
	memcpy(embryo->name, t->name, sizeof(embryo->name));
	keep_change(&vfs_sockets()->order, sizeof(vfs_sockets()->order));
	vfs_sockets()->order++;
	wait_ready_for(sock_node(t), POLLIN | POLLRDNORM);
	return 0;
}

static long unix_listen(struct sock *s, int backlog)
{
	if (!connection_type(s))
		return -EOPNOTSUPP;
	if (s->state == SOCK_CONNECTED || !(s->flags & SOCK_BOUND))
		return -EINVAL;
	keep_change(s, sizeof(*s));
	s->state = SOCK_LISTENING;
	s->backlog = (uint32_t)backlog;
	wait_ready(sock_node(s));	// connectors waiting for room
	return 0;
}

static long unix_accept(struct sock *s, struct sock **out)
{
	if (s->state != SOCK_LISTENING)
		return -EINVAL;
	struct sock *first = NULL;
	for (unsigned i = 0; i < SOCKETS_MAX; i++) {
		struct sock *t = &socks()[i];
		if (t->node && t->listener == sock_number(s) && (!first || t->order < first->order))
			first = t;
	}
	if (!first)
		return -EAGAIN;
	keep_change(&first->listener, sizeof(first->listener));
	first->listener = 0;
	wait_ready(sock_node(s));	// room in the queue for a connector
	*out = first;
	return 0;
}

// Its own name or its peer's, as Linux's unix_getname: a peer that closed is still named
// (SOCK_PEER_GONE) until a datagram socket's send finds it gone.
static long unix_name(const struct sock *s, bool peer, uint8_t *addr)
{
	const struct sock *of = peer ? sock_at(s->peer) : s;
	bool gone = peer && !of && (s->flags & SOCK_PEER_GONE);
	if (peer && !gone && (!of || s->state != SOCK_CONNECTED))
		return -ENOTCONN;
	uint32_t length = gone ? s->peer_name_length : of->name_length;
	const char *name = gone ? s->peer_name : of->name;
	sa_family_t family = AF_UNIX;
	memcpy(addr, &family, sizeof(family));
	memcpy(addr + PATH_OFFSET, name, length ? length - PATH_OFFSET : 0);
	return length ? length : PATH_OFFSET;
}

// The queue's readiness changed: its own socket's, and its writers'.
static void queue_changed(struct sock *s, unsigned events)
{
	wait_ready_for(sock_node(s), events);
	for (unsigned i = 0; i < SOCKETS_MAX; i++)
		if (socks()[i].node && socks()[i].peer == sock_number(s))
			wait_ready_for(sock_node(&socks()[i]), POLLOUT | POLLWRNORM);
}

static uint32_t room_of(const struct sock *s)
{
	return PIPE_BYTES - sock_node(s)->pipe_bytes;
}

// Where a send goes: 0 and *to, or -errno.
static long destination(struct sock_io *io, struct sock **to)
{
	struct sock *s = io->sock;
	if (connection_type(s)) {
		if (io->name_length && s->type == SOCK_STREAM)
			return s->state == SOCK_CONNECTED ? -EISCONN : -EOPNOTSUPP;
		if (s->state != SOCK_CONNECTED)
			return -ENOTCONN;
		if ((s->shut & SHUT_SEND) || !(*to = sock_at(s->peer)) || ((*to)->shut & SHUT_RECEIVE))
			return -EPIPE;
		return 0;
	}
	if (io->name_length)
		return unix_find(io->caller, s, io->name, io->name_length, to);
	if (s->flags & SOCK_PEER_GONE) {	// as Linux: refused once, then not connected
		keep_change(&s->flags, sizeof(s->flags));
		s->flags &= (uint8_t)~SOCK_PEER_GONE;
		return -ECONNREFUSED;
	}
	if (!(*to = sock_at(s->peer)))
		return -ENOTCONN;
	return 0;
}

// Adds a record of n bytes from io's buffers (at io->skip) to to's queue, with io's rights
// the first time: n, or -errno (nothing added).
static long record_add(struct sock_io *io, struct sock *to, uint64_t n)
{
	struct node *node = sock_node(to);
	struct record head = { .length = (uint32_t)n, .sender = sock_number(io->sock),
			       .seq = to->next_seq, .rights = (uint16_t)io->rights_count };
	uint32_t free_slots = 0;
	for (unsigned i = 0; i < FLIGHTS_MAX; i++)
		free_slots += !flights()[i].file;
	if (io->rights_count > free_slots)
		return -ETOOMANYREFS;
	uint64_t at = node->pipe_head + node->pipe_bytes;
	long moved = ring_move(node, &(struct ring_side){ .local = &head }, HEAD, at, true);
	if (moved == (long)HEAD)
		moved = sock_io_move(io, node, at + HEAD, n, io->skip, true);
	if (moved < 0 || (uint64_t)moved < n)
		return moved < 0 ? moved : -EFAULT;
	for (unsigned i = 0, r = 0; i < FLIGHTS_MAX && r < io->rights_count; i++)
		if (!flights()[i].file) {
			keep_change(&flights()[i], sizeof(flights()[i]));
			flights()[i] = (struct flight){ io->rights[r], sock_number(to), head.seq, 0 };
			open_file_hold(open_file_at(io->rights[r++] - 1));
		}
	io->rights_count = 0;	// they went with the first record
	keep_change(&node->pipe_bytes, sizeof(node->pipe_bytes));
	node->pipe_bytes += (uint32_t)(HEAD + n);
	keep_change(&to->next_seq, sizeof(to->next_seq) + sizeof(to->records));
	to->next_seq++;
	to->records++;
	queue_changed(to, POLLIN | POLLRDNORM);
	return (long)n;
}

static long unix_send(struct sock_io *io, struct node **wait)
{
	struct sock *to = NULL;
	long err = destination(io, &to);
	if (err)
		return err;
	if (!connection_type(io->sock) && to->peer && to->peer != sock_number(io->sock))
		return -EPERM;	// it is connected to another (Linux's unix_may_send)
	if (!connection_type(io->sock) && (to->shut & SHUT_RECEIVE))
		return -EPIPE;
	*wait = io->name_length ? sock_node(to) : sock_node(io->sock);
	uint64_t left = io->total - io->skip, room = room_of(to);
	if (io->sock->type != SOCK_STREAM) {	// whole, or not at all
		if (io->total + HEAD > PIPE_BYTES)
			return -EMSGSIZE;
		return room < io->total + HEAD ? -EAGAIN : record_add(io, to, io->total);
	}
	if (!left)
		return 0;	// nothing (left) to send: no empty record, which would read as the end
	if (room <= HEAD)
		return -EAGAIN;
	return record_add(io, to, min_u64(left, room - HEAD));
}

// The rights of s's record seq (all: of every record) go, closed.
void unix_rights_drop(struct sock *s, uint32_t seq, bool all)
{
	for (unsigned i = 0; i < FLIGHTS_MAX; i++) {
		struct flight *f = &flights()[i];
		if (!f->file || f->sock != sock_number(s) || (!all && f->seq != seq))
			continue;
		struct open_file *file = open_file_at(f->file - 1);
		keep_change(f, sizeof(*f));
		*f = (struct flight){ 0 };
		if (file)
			open_file_drop(0, file);
	}
}

// The rights of s's record seq go to io (its references with them), or are closed. A
// peek's stay, and io takes a reference more of each (Linux's unix_peek_fds: the peeker
// gets fds of its own).
static void rights_take(struct sock_io *io, struct sock *s, uint32_t seq)
{
	bool peek = io->flags & MSG_PEEK;
	for (unsigned i = 0; i < FLIGHTS_MAX && io->want_rights; i++) {
		struct flight *f = &flights()[i];
		struct open_file *file = f->file ? open_file_at(f->file - 1) : NULL;
		if (!file || f->sock != sock_number(s) || f->seq != seq ||
		    io->rights_count == SCM_RIGHTS_MAX)
			continue;
		io->rights[io->rights_count++] = f->file;
		if (peek) {
			open_file_hold(file);
		} else {
			keep_change(f, sizeof(*f));
			*f = (struct flight){ 0 };
		}
	}
	if (!peek)
		unix_rights_drop(s, seq, false);
}

static void record_head(struct node *node, uint64_t at, struct record *head)
{
	ring_move(node, &(struct ring_side){ .local = head }, HEAD, at, false);
}

// The queue's first `used` bytes go (records consumed).
static void queue_take(struct sock *s, uint64_t used, uint32_t records)
{
	struct node *node = sock_node(s);
	keep_change(&node->pipe_head, sizeof(node->pipe_head) + sizeof(node->pipe_bytes));
	node->pipe_head = (uint32_t)((node->pipe_head + used) % PIPE_BYTES);
	node->pipe_bytes -= (uint32_t)used;
	keep_change(&s->records, sizeof(s->records));
	s->records -= records;
	queue_changed(s, POLLOUT | POLLWRNORM);
}

// A stream's receive: bytes across records, up to one that carries rights.
static long stream_recv(struct sock_io *io)
{
	struct sock *s = io->sock;
	struct node *node = sock_node(s);
	uint64_t start = node->pipe_head, at = start, left = node->pipe_bytes, got = 0;
	uint64_t want = io->total - io->skip;
	uint32_t records = 0;
	bool peek = io->flags & MSG_PEEK;
	while (got < want && left >= HEAD) {
		struct record head;
		record_head(node, at, &head);
		uint64_t take = min_u64(head.length, want - got);
		if (head.rights && got)
			break;	// rights come with the first bytes of a read
		if (sock_io_move(io, node, at + HEAD, take, io->skip + got, false) < 0)
			return got ? (long)got : -EFAULT;
		if (head.rights)
			rights_take(io, s, head.seq);
		got += take;
		if (take == head.length) {
			at += HEAD + take;
			left -= HEAD + take;
			records++;
		} else if (!peek) {	// the rest stays, its head moved up to it
			head.length -= (uint32_t)take;
			head.rights = 0;
			ring_move(node, &(struct ring_side){ .local = &head }, HEAD, at + take, true);
			at += take;
			break;
		} else {
			break;
		}
		if (head.rights)
			break;
	}
	if (!peek && got)
		queue_take(s, at - start, records);
	return (long)got;
}

// A datagram's or packet's receive: one record, cut to the buffers (MSG_TRUNC).
static long message_recv(struct sock_io *io)
{
	struct sock *s = io->sock;
	struct node *node = sock_node(s);
	struct record head;
	record_head(node, node->pipe_head, &head);
	uint64_t take = min_u64(head.length, io->total);
	if (sock_io_move(io, node, node->pipe_head + HEAD, take, 0, false) < 0)
		return -EFAULT;
	const struct sock *from = sock_at(head.sender);
	io->name_length = 0;
	if (s->type == SOCK_DGRAM && from && from->name_length) {
		io->name_length = (uint32_t)unix_name(from, false, io->name);
	}
	if (take < head.length)
		io->out_flags |= MSG_TRUNC;
	rights_take(io, s, head.seq);
	if (!(io->flags & MSG_PEEK))
		queue_take(s, HEAD + head.length, 1);
	return (long)(io->flags & MSG_TRUNC ? head.length : take);
}

static long unix_recv(struct sock_io *io)
{
	struct sock *s = io->sock;
	if (s->state == SOCK_LISTENING || (connection_type(s) && s->state != SOCK_CONNECTED))
		return -EINVAL;
	if (io->flags & MSG_OOB)
		return -EOPNOTSUPP;
	// A pending error comes before a datagram's or packet's queue, after a stream's
	// (Linux's __skb_try_recv_datagram, unix_stream_read_generic).
	long err = s->type != SOCK_STREAM || !s->records ? sock_error(s) : 0;
	if (err)
		return err;
	if (!s->records)
		return s->shut & SHUT_RECEIVE ? 0 : -EAGAIN;
	if (!io->total && s->type == SOCK_STREAM)
		return 0;
	return s->type == SOCK_STREAM ? stream_recv(io) : message_recv(io);
}

// Linux's sk_shutdown: a connection's peer gets the other half.
static long unix_shutdown(struct sock *s, int how)
{
	struct sock *peer = connection_type(s) ? sock_at(s->peer) : NULL;
	if (connection_type(s) && s->state != SOCK_CONNECTED)
		return -ENOTCONN;
	keep_change(&s->shut, sizeof(s->shut));
	s->shut |= (uint8_t)how;
	wait_ready(sock_node(s));
	if (peer) {
		keep_change(&peer->shut, sizeof(peer->shut));
		peer->shut |= (uint8_t)((how & SHUT_RECEIVE ? SHUT_SEND : 0) |
					(how & SHUT_SEND ? SHUT_RECEIVE : 0));
		wait_ready(sock_node(peer));
	}
	return 0;
}

// Linux's unix_poll and unix_dgram_poll.
static unsigned unix_poll(const struct sock *s)
{
	unsigned events = s->error ? POLLERR : 0;
	events |= s->shut == SHUT_BOTH ? POLLHUP : 0;
	events |= s->shut & SHUT_RECEIVE ? POLLRDHUP | POLLIN | POLLRDNORM : 0;
	events |= s->records || (s->state == SOCK_LISTENING && queued(s)) ? POLLIN | POLLRDNORM : 0;
	if (connection_type(s) && s->state == SOCK_UNCONNECTED)
		events |= POLLHUP;
	const struct sock *peer = sock_at(s->peer);
	bool writable = s->state != SOCK_LISTENING && (!peer || room_of(peer) > HEAD);
	return events | (writable ? POLLOUT | POLLWRNORM | POLLWRBAND : 0);
}

static uint32_t unix_readable(const struct sock *s)
{
	struct node *node = sock_node(s);
	if (!s->records)
		return 0;
	if (s->type == SOCK_STREAM)
		return node->pipe_bytes - s->records * (uint32_t)HEAD;
	struct record head;
	record_head(node, node->pipe_head, &head);
	return head.length;
}

// t's peer gone went: t names it still (unix_name), as Linux's unix_peer stays set on the
// survivor of a close. t is logged.
static void peer_went(struct sock *t, const struct sock *gone)
{
	t->peer = 0;
	t->flags |= SOCK_PEER_GONE;
	t->peer_name_length = gone->name_length;
	memcpy(t->peer_name, gone->name, sizeof(t->peer_name));
}

// s's last open file went: its queue's rights close, connections not yet accepted go, its
// peer sees the end (ECONNRESET if s had bytes unread, as Linux's unix_release_sock).
static void unix_release(struct sock *s)
{
	unix_rights_drop(s, 0, true);
	bool unread = s->records || s->listener;
	for (unsigned i = 0; i < SOCKETS_MAX; i++) {
		struct sock *t = &socks()[i];
		if (!t->node || t == s)
			continue;
		if (t->listener == sock_number(s)) {	// its connector is reset
			struct sock *connector = sock_at(t->peer);
			if (connector) {
				keep_change(connector, sizeof(*connector));
				peer_went(connector, t);
				connector->shut = SHUT_BOTH;
				connector->error = ECONNRESET;
				wait_ready(sock_node(connector));
			}
			keep_change(t, sizeof(*t));
			t->listener = t->peer = 0;
			sock_drop(t);	// goes now: no fd holds it
			continue;
		}
		if (t->peer != sock_number(s))
			continue;
		keep_change(t, sizeof(*t));
		peer_went(t, s);
		if (connection_type(t)) {
			t->shut = SHUT_BOTH;
			t->error = unread ? ECONNRESET : t->error;
		}
		wait_ready(sock_node(t));
	}
}

const struct socket_family unix_family = {
	.create = unix_create, .pair = unix_pair, .bind = unix_bind, .connect = unix_connect,
	.listen = unix_listen, .accept = unix_accept, .send = unix_send, .recv = unix_recv,
	.shutdown = unix_shutdown, .name = unix_name, .poll = unix_poll,
	.readable = unix_readable, .release = unix_release,
};
