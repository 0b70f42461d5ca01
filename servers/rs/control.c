// The rs command's call (XINIM_SYSCALL_RS, include/xinim/ipc/rs.h): status, restart and
// kill of the servers RS supervises, RS included; root only.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/pm.h>
#include "rs.h"

static bool end_self;	// `rs kill rs` or `rs restart rs`: RS ends once it has answered

bool rs_control_ends_self(void) { return end_self; }

void rs_status_of(const struct supervised *s, uint64_t now_us, struct xinim_rs_status *out)
{
	const struct rs_name *n = &rs_names[rs_index(s)];
	bool up = s->endpoint != XINIM_ENDPOINT_NONE && !s->restart_at_us;
	bool stable = !s->restarts || now_us - s->started_us >= RS_STABLE_US;
	*out = (struct xinim_rs_status){
		.pid = n->pid,
		.generation = up ? xinim_endpoint_generation(s->endpoint) : 0,
		.restarts = s->restarts,
		.up = up,
		.uptime_us = up && now_us > s->started_us ? now_us - s->started_us : 0,
		.backoff_us = stable ? 0 : s->backoff_us,
	};
	strncpy(out->name, n->name, sizeof(out->name) - 1);
	rs_death_said(s, out->last_death, sizeof(out->last_death));
}

// Whether the caller runs as root (effective user 0), as PM says: 0, -EPERM, or -EAGAIN
// while PM cannot say (it is being restarted: RS must not wait for it, as RS restarts it).
static long root_only(xinim_endpoint_t caller)
{
	const struct supervised *pm = &rs_records[RS_PM];
	if (pm->endpoint == XINIM_ENDPOINT_NONE || pm->restart_at_us)
		return -EAGAIN;
	struct xinim_msg msg = { .header = { .type = XINIM_PM_CREDENTIALS,
					     .length = sizeof(struct xinim_pm_who) } };
	struct xinim_pm_who who = { .who = caller };
	memcpy(msg.payload, &who, sizeof(who));
	long err = ipc_call_once(pm->endpoint, &msg, RS_PING_PERIOD_US);
	if (err == -ETIMEDOUT || err == -ESRCH)
		return -EAGAIN;
	if (err)
		return err;
	struct xinim_pm_credentials credentials;
	if (msg.header.length != sizeof(credentials))
		return -EIO;
	memcpy(&credentials, msg.payload, sizeof(credentials));
	return credentials.euid == 0 ? 0 : -EPERM;
}

// RS ends itself once its answer is out (and committed: the call is not delivered again
// to the next RS, which the kernel starts); the next RS says why from its record.
static long end_self_after_reply(struct supervised *self, enum rs_ending why)
{
	rs_change(self);
	self->ended_by = (uint8_t)why;
	end_self = true;
	return 0;
}

// Each command of the call, by number: x1 and x2 are its arguments.
typedef long rs_command(xinim_endpoint_t caller, const uint64_t args[2]);

// The index-th server of this boot (rs_present): a boot without NET lists no NET.
static long status(xinim_endpoint_t caller, const uint64_t args[2])
{
	const struct supervised *s = rs_records;
	for (uint64_t left = args[0]; s < rs_records + RS_RECORDS; s++)
		if (rs_present(s) && !left--)
			break;
	if (s == rs_records + RS_RECORDS)
		return -ENOENT;
	struct xinim_rs_status answer;
	rs_status_of(s, rs_now_us(), &answer);
	return ipc_copy_to(caller, args[1], &answer, sizeof(answer));
}

// `rs restart` and `rs kill` of the server at pid: RS itself answers, ends, and the
// kernel restarts it; a live server is ended (a kill as a crash would end it, a restart
// to start again at once); a dead one waiting out its back-off is restarted now.
static long end_server(uint64_t pid, enum rs_ending why)
{
	struct supervised *s = rs_record_of_pid((unsigned)pid);
	if (!s)
		return -ESRCH;
	if (rs_index(s) == RS_SELF)
		return end_self_after_reply(s, why);
	if (s->endpoint != XINIM_ENDPOINT_NONE || why != RS_ENDS_RESTART)
		return rs_end(s, why);
	if (!s->restart_at_us)
		return -ESRCH;	// not in this boot
	rs_change(s);
	s->restart_at_us = rs_now_us();
	return 0;
}

static long restart(xinim_endpoint_t caller, const uint64_t args[2])
{
	(void)caller;
	return end_server(args[0], RS_ENDS_RESTART);
}

static long kill(xinim_endpoint_t caller, const uint64_t args[2])
{
	(void)caller;
	return end_server(args[0], RS_ENDS_KILL);
}

static rs_command *const commands[] = {
	[XINIM_RS_STATUS] = status,
	[XINIM_RS_RESTART] = restart,
	[XINIM_RS_KILL] = kill,
};

long rs_control(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t number = call.args[0];
	long result;
	if (request->msg.header.source != XINIM_ENDPOINT_KERNEL)
		return -EPERM;	// a system call comes from the kernel only
	if (number >= sizeof(commands) / sizeof(commands[0]) || !commands[number])
		result = -EINVAL;
	else if ((result = root_only(call.caller)) == 0)
		result = commands[number](call.caller, &call.args[1]);
	ipc_syscall_answer(reply, result);
	return 0;
}
