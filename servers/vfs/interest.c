// epoll's interest lists (epoll(7)), in VFS's kept state: an entry per (instance, open
// file, fd), as Linux keys an epitem. An instance is a node of its own (NODE_EPOLL), so
// that it can be watched like any pollable node: by ppoll, and by another instance.
//
// Readiness is the watched open file's poll op, asked when a wait looks (level-triggered).
// EPOLLET needs memory of what changed: wait_ready_for gives each entry watching the
// node an edge (kept, changed after keep_change like the rest), which the entry's next
// report spends. An edge is set by any change of the node that concerns an event the
// entry asks for, so a restart rolls it back with the request that set it, and a
// request given again sets it again: none is lost.
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include "vfs.h"

#define interests (vfs_interests())

// Whether any entry may be in use: wait_ready_for asks on every change of every node, so
// a VFS with no entry skips the table. Set as entries come (and at take-over), cleared
// by a look that finds none; a roll-back happens only at start, before interests_take.
static bool interests_maybe;

bool node_is_epoll(const struct node *node)
{
	return !(node->mode & S_IFMT) && (node->flags & NODE_EPOLL);
}

bool node_pollable(const struct node *node)
{
	const struct node_ops *ops = node_ops(node);
	return ops && ops->poll;
}

// The node an entry watches (NULL: its open file is closed).
static struct node *watched(const struct interest *i)
{
	const struct open_file *file = i->file ? open_file_at(i->file - 1) : NULL;
	return file ? file_node(file) : NULL;
}

static struct node *instance_of(const struct interest *i)
{
	return ramfs_node_at(i->epoll - 1);
}

struct interest *interest_find(const struct node *epoll, unsigned file, uint32_t fd)
{
	uint32_t instance = ramfs_index(epoll) + 1;
	for (unsigned n = 0; n < INTERESTS_MAX; n++)
		if (interests[n].epoll == instance && interests[n].file == file + 1 &&
		    interests[n].fd == fd)
			return &interests[n];
	return NULL;
}

long interest_add(const struct node *epoll, unsigned file, uint32_t fd, uint32_t events,
		  uint64_t data)
{
	for (unsigned n = 0; n < INTERESTS_MAX; n++) {
		if (interests[n].epoll)
			continue;
		keep_change(&interests[n], sizeof(interests[n]));
		interests[n] = (struct interest){ .epoll = ramfs_index(epoll) + 1, .file = file + 1,
						  .fd = fd, .events = events, .data = data, .edge = 1 };
		interests_maybe = true;
		wait_ready(instance_of(&interests[n]));	// it may be ready now: waiters look
		return 0;
	}
	return -ENOSPC;
}

void interest_set(struct interest *i, uint32_t events, uint64_t data)
{
	keep_change(i, sizeof(*i));
	i->events = events;
	i->data = data;
	i->edge = 1;	// as Linux's ep_modify: reported at the next wait if ready
	wait_ready(instance_of(i));
}

void interest_remove(struct interest *i)
{
	keep_change(i, sizeof(*i));
	*i = (struct interest){ 0 };
}

// Loops and depth (Linux's ep_loop_check): the longest chain of instances from a node
// down through what they watch, or up through what watches them, the node counted.
// Each node is looked at once a check (chain_seen), so a check costs at most the table
// once a node; one on the chain being walked (a loop) or the instance `stop` makes the
// chain too long.
#define CHAIN_TOO_LONG (EPOLL_NESTS_MAX + 2)
#define CHAIN_WALKING UINT8_MAX
static uint8_t chain_seen[NODES_MAX];

// The instance next to entry i from node, down or up: its node index, or -1.
static long chain_step(const struct interest *i, uint32_t node, bool down)
{
	const struct node *target = i->epoll ? watched(i) : NULL;
	if (!target || !node_is_epoll(target))
		return -1;
	if (down)
		return i->epoll - 1 == node ? (long)ramfs_index(target) : -1;
	return ramfs_index(target) == node ? (long)i->epoll - 1 : -1;
}

static unsigned chain(uint32_t node, bool down, uint32_t stop, unsigned depth)
{
	if (node == stop || depth > EPOLL_NESTS_MAX || chain_seen[node] == CHAIN_WALKING)
		return CHAIN_TOO_LONG;
	if (chain_seen[node])
		return chain_seen[node];
	chain_seen[node] = CHAIN_WALKING;
	unsigned longest = 1;
	for (unsigned n = 0; n < INTERESTS_MAX && longest < CHAIN_TOO_LONG; n++) {
		long next = chain_step(&interests[n], node, down);
		if (next >= 0) {
			unsigned length = 1 + chain((uint32_t)next, down, stop, depth + 1);
			longest = length > longest ? length : longest;
		}
	}
	chain_seen[node] = (uint8_t)(longest < CHAIN_TOO_LONG ? longest : CHAIN_TOO_LONG);
	return chain_seen[node];
}

bool interest_loops(const struct node *epoll, const struct node *target)
{
	uint32_t e = ramfs_index(epoll), t = ramfs_index(target);
	memset(chain_seen, 0, sizeof(chain_seen));
	unsigned above = chain(e, false, UINT32_MAX, 0);
	memset(chain_seen, 0, sizeof(chain_seen));
	unsigned below = chain(t, true, e, 0);
	return above + below > EPOLL_NESTS_MAX + 1;
}

uint32_t interest_ready(const struct interest *i)
{
	const struct open_file *file = i->file ? open_file_at(i->file - 1) : NULL;
	uint32_t asked = i->events & ~(uint32_t)EPOLL_PRIVATE;
	if (!file || !asked || ((i->events & EPOLLET) && !i->edge))
		return 0;
	return file_poll(file) & asked;
}

void interest_reported(struct interest *i)
{
	if (!(i->events & (EPOLLET | EPOLLONESHOT)))
		return;	// level-triggered: reported again while it is ready
	keep_change(i, sizeof(*i));
	i->edge = 0;
	if (i->events & EPOLLONESHOT)
		i->events &= EPOLL_PRIVATE;	// as Linux: nothing more until a MOD
}

// An instance is readable when one of its entries would be reported. Chains of
// instances are never longer than EPOLL_NESTS_MAX + 1 (interest_loops, interests_take);
// the depth bounds the walk all the same.
static unsigned epoll_poll(struct node *node, int flags)
{
	(void)flags;
	static unsigned depth;
	uint32_t instance = ramfs_index(node) + 1;
	unsigned events = 0;
	if (depth > EPOLL_NESTS_MAX)
		return 0;
	depth++;
	for (unsigned n = 0; n < INTERESTS_MAX && !events; n++)
		if (interests[n].epoll == instance && interest_ready(&interests[n]))
			events = POLLIN | POLLRDNORM;
	depth--;
	return events;
}

const struct node_ops epoll_ops = { .poll = epoll_poll };

void interests_changed(const struct node *node, unsigned events)
{
	static unsigned depth;	// an instance's change is its watchers' (no loops: interest_loops)
	if (!interests_maybe || depth > EPOLL_NESTS_MAX)
		return;
	bool any = false;
	depth++;
	for (unsigned n = 0; n < INTERESTS_MAX; n++) {
		struct interest *i = &interests[n];
		any |= i->epoll != 0;
		if (!i->epoll || watched(i) != node)
			continue;
		if ((i->events & EPOLLET) && !i->edge && (events & i->events)) {
			keep_change(&i->edge, sizeof(i->edge));
			i->edge = 1;
		}
		wait_ready(instance_of(i));
	}
	depth--;
	interests_maybe = any;
}

void interests_file_gone(unsigned file)
{
	const struct open_file *f = open_file_at(file);
	const struct node *node = f ? file_node(f) : NULL;
	uint32_t instance = node && node_is_epoll(node) ? ramfs_index(node) + 1 : 0;
	for (unsigned n = 0; n < INTERESTS_MAX && interests_maybe; n++)
		if (interests[n].epoll && (interests[n].file == file + 1 ||
					   interests[n].epoll == instance))
			interest_remove(&interests[n]);
}

// Whether a kept entry checks out: its instance an epoll node an open file holds, its
// open file open, pollable and not the instance's own, its fd one a table can hold, its
// key no earlier entry's (loops are looked for next).
static bool interest_sound(const struct interest *i)
{
	const struct node *epoll = instance_of(i), *node = watched(i);
	return epoll && node_is_epoll(epoll) && node_held(i->epoll - 1) && node &&
	       node != epoll && i->edge <= 1 && i->fd < FDS_MAX && node_pollable(node) &&
	       interest_find(epoll, i->file - 1, i->fd) == i;
}

// Entries between instances are put back one at a time, in the table's order, each
// judged as if it were being added: of a loop, the entry that closes it goes.
void interests_take(void)
{
	static struct interest nested[INTERESTS_MAX];
	interests_maybe = false;
	for (unsigned n = 0; n < INTERESTS_MAX; n++) {
		struct interest *i = &interests[n];
		nested[n] = (struct interest){ 0 };
		if (i->epoll && !interest_sound(i))
			*i = (struct interest){ 0 };
		interests_maybe |= i->epoll != 0;
		if (i->epoll && node_is_epoll(watched(i))) {
			nested[n] = *i;
			*i = (struct interest){ 0 };
		}
	}
	for (unsigned n = 0; n < INTERESTS_MAX; n++)
		if (nested[n].epoll && !interest_loops(instance_of(&nested[n]), watched(&nested[n])))
			interests[n] = nested[n];
}
