// RS, PID 7: waits for the kernel's word that a supervised server is gone
// (XINIM_NOTE_GONE), reads how it ended (KCALL_PROC_DEATH), and starts it again
// (KCALL_PROC_RESTART) after its back-off; pings each server, and ends one that does
// not answer (a hang), which then comes back the same way. It makes no Linux system call after its
// start, and prints through the kernel, so that it works while VFS, PM or MM is down.
#include <errno.h>
#include <string.h>
#include <libipc/ipc.h>
#include <libipc/server.h>
#include <xinim/format.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/runtime.h>
#include "rs.h"

static struct supervised servers[] = {
	{ .pid = XINIM_PID_VFS, .name = "vfs" },
	{ .pid = XINIM_PID_PM, .name = "pm" },
	{ .pid = XINIM_PID_MM, .name = "mm" },
};
#define SERVERS (sizeof(servers) / sizeof(servers[0]))

const struct supervised *rs_server_named(const char *name)
{
	for (unsigned i = 0; i < SERVERS; i++)
		if (strcmp(servers[i].name, name) == 0)
			return &servers[i];
	return NULL;
}

static uint64_t ticks_to_us(uint64_t ticks)
{
	return ticks / (counter_hz() / 1000000);
}

static uint64_t now_us(void) { return ticks_to_us(counter_ticks()); }

// Whether s answers a ping within RS_PING_TIMEOUT_US: 0, or the call's error.
static long ping(const struct supervised *s)
{
	struct xinim_msg msg = { .header.type = XINIM_RS_PING };
	return ipc_call_once(s->endpoint, &msg, RS_PING_TIMEOUT_US);
}

// Each server that has died since: its death noted, its restart planned.
static void deaths_read(void)
{
	for (unsigned i = 0; i < SERVERS; i++) {
		struct supervised *s = &servers[i];
		struct xinim_death death;
		if (xinim_kcall(KCALL_PROC_DEATH, s->pid, (long)&death) != 0)
			continue;
		s->death = death;
		s->endpoint = XINIM_ENDPOINT_NONE;
		uint64_t now = now_us();
		s->restart_at_us = now + rs_backoff(s, now);	// now is never 0: a boot takes time
	}
}

static bool all_up(void)
{
	for (unsigned i = 0; i < SERVERS; i++)
		if (servers[i].endpoint == XINIM_ENDPOINT_NONE || servers[i].restart_at_us)
			return false;
	return true;
}

// A ping to each live server that is due: one that does not answer in time hangs, and
// is ended; its death comes as any other (XINIM_NOTE_GONE).
static void pings_due(void)
{
	uint64_t now = now_us();
	for (unsigned i = 0; i < SERVERS && all_up(); i++) {
		struct supervised *s = &servers[i];
		if (s->ping_at_us > now)
			continue;
		long err = ping(s);
		now = now_us();
		s->ping_at_us = now + RS_PING_PERIOD_US;
		deaths_read();	// one that died meanwhile is restarted before anyone is pinged
		s->pings_missed = err == -ETIMEDOUT ? s->pings_missed + 1 : 0;
		if (s->pings_missed < RS_PINGS_MISSED_MAX || s->endpoint == XINIM_ENDPOINT_NONE)
			continue;
		print("rs: %s (pid %u) hung: no answer to a ping in %u ms; ending it\n", s->name,
		      s->pid, RS_PINGS_MISSED_MAX * RS_PING_PERIOD_US / 1000);
		s->hung = true;
		s->pings_missed = 0;
		xinim_kcall(KCALL_PROC_END, s->endpoint, 0);
	}
}

static void restart(struct supervised *s)
{
	char reason[96];
	if (s->hung)
		ksnprintf(reason, sizeof(reason), "hung, ended by rs");
	else
		rs_death_reason(&s->death, reason, sizeof(reason));
	s->hung = false;
	long self = xinim_kcall(KCALL_PROC_RESTART, s->pid, 0);
	uint64_t now = now_us();
	if (self < 0) {
		print("rs: %s (pid %u) died: %s; restart failed (error %ld), trying again\n", s->name,
		      s->pid, reason, self);
		s->restart_at_us = now + RS_BACKOFF_MIN_US;
		return;
	}
	s->endpoint = (xinim_endpoint_t)self;
	s->restart_at_us = 0;
	s->ping_at_us = now + RS_PING_PERIOD_US;
	s->restarts++;
	s->started_us = now;
	print("rs: %s (pid %u) died: %s; restarted as generation %u in %lu us\n", s->name, s->pid,
	      reason, xinim_endpoint_generation(s->endpoint),
	      (unsigned long)(now - ticks_to_us(s->death.time)));
	// When it serves again (its first answer): the recovery, in counter nanoseconds,
	// which under qemu -icount shift=0 are instructions (make bench's recovery_*).
	if (ping(s) == 0)
		print("rs: %s serves again %lu ns after its death\n", s->name,
		      (unsigned long)((counter_ticks() - s->death.time) * (1000000000 / counter_hz())));
}

// Restarts and pings what is due; the wait until the next thing to do.
static uint64_t work_due(void)
{
	uint64_t now = now_us();
	for (unsigned i = 0; i < SERVERS; i++)
		if (servers[i].restart_at_us && servers[i].restart_at_us <= now)
			restart(&servers[i]);
	pings_due();
	uint64_t next = XINIM_WAIT_FOREVER;
	now = now_us();
	for (unsigned i = 0; i < SERVERS; i++) {
		const struct supervised *s = &servers[i];
		uint64_t at = s->restart_at_us ? s->restart_at_us
			    : s->endpoint != XINIM_ENDPOINT_NONE ? s->ping_at_us : 0;
		if (at && (at > now ? at - now : 0) < next)
			next = at > now ? at - now : 0;
	}
	return next;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; i < SERVERS; i++) {
		long self = ipc_lookup(servers[i].pid);
		servers[i].endpoint = self < 0 ? XINIM_ENDPOINT_NONE : (xinim_endpoint_t)self;
	}
	print("rs: supervising vfs, pm, mm\n");
	rs_inject_from_boot_args();
	ipc_announce(XINIM_PID_PM);	// PM starts init once RS serves too
	for (;;) {
		struct ipc_request request;
		long err = ipc_receive(&request, work_due());
		const struct xinim_msg_header *h = &request.msg.header;
		if (!err && h->source == XINIM_ENDPOINT_KERNEL && h->type == XINIM_MSG_NOTIFY)
			deaths_read();
		else if (!err && request.is_call)
			ipc_reply(h->source, -ENOSYS, &request.msg);
	}
}
