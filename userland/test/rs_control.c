// The rs command's call (XINIM_SYSCALL_RS) end to end, run as PID 1 by
// tests/boot/resurrection.sh control: `rs kill` and `rs restart` of VFS, PM and RS
// itself, each server seen back with its next generation and the right last death,
// and wrong calls refused. It prints each step and exits 0 only if all went right.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xinim/ipc/rs.h>

#define CHECK_PREFIX "rs_control: "
#include "check.h"

static long rs(long command, long a, long b)
{
	long r = syscall(XINIM_SYSCALL_RS, command, a, b);
	return r < 0 ? -errno : r;
}

// The status of the server at pid, or a zeroed one.
static struct xinim_rs_status status_of(unsigned pid)
{
	struct xinim_rs_status s;
	for (unsigned i = 0; rs(XINIM_RS_STATUS, i, (long)&s) == 0; i++)
		if (s.pid == pid)
			return s;
	return (struct xinim_rs_status){ 0 };
}

// Waits (up to 10 s) until the server at pid serves as generation; its status then.
static struct xinim_rs_status back_as(unsigned pid, unsigned generation)
{
	struct xinim_rs_status s = { 0 };
	for (int i = 0; i < 1000; i++) {
		s = status_of(pid);
		if (s.up && s.generation == generation)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	return s;
}

static void ended(long command, const char *name, unsigned pid, const char *death)
{
	struct xinim_rs_status before = status_of(pid);
	char what[128];
	snprintf(what, sizeof(what), "%s %s answered 0", command == XINIM_RS_KILL ? "kill" : "restart",
		 name);
	check(rs(command, pid, 0) == 0, what);
	struct xinim_rs_status after = back_as(pid, before.generation + 1);
	snprintf(what, sizeof(what), "%s back as generation %u, %u restarts, last death \"%s\"",
		 name, after.generation, after.restarts, after.last_death);
	check(after.up && after.generation == before.generation + 1 &&
	      after.restarts == before.restarts + 1 && strcmp(after.last_death, death) == 0, what);
}

int main(void)
{
	struct xinim_rs_status s;
	unsigned servers = 0;
	while (rs(XINIM_RS_STATUS, servers, (long)&s) == 0)
		servers++;
	check(servers == 6, "status lists vfs, pm, mm, net, dev and rs");
	check(rs(XINIM_RS_STATUS, servers, (long)&s) == -ENOENT, "status past the last: ENOENT");
	check(rs(XINIM_RS_STATUS, 0, 16) == -EFAULT, "status to a bad pointer: EFAULT");
	check(rs(XINIM_RS_KILL, 1, 0) == -ESRCH, "kill of a process RS does not supervise: ESRCH");
	check(rs(99, 0, 0) == -EINVAL, "an unknown command: EINVAL");
	ended(XINIM_RS_KILL, "vfs", 2, "killed by rs kill");
	ended(XINIM_RS_RESTART, "pm", 3, "ended by rs restart");
	ended(XINIM_RS_KILL, "rs", 7, "killed by rs kill");
	ended(XINIM_RS_RESTART, "mm", 4, "ended by rs restart");
	ended(XINIM_RS_KILL, "net", 5, "killed by rs kill");
	ended(XINIM_RS_RESTART, "dev", 6, "ended by rs restart");
	ended(XINIM_RS_RESTART, "rs", 7, "ended by rs restart");
	// RS killed while a server it just ended is down: the next RS finds the death.
	struct xinim_rs_status vfs = status_of(2), self = status_of(7);
	check(rs(XINIM_RS_KILL, 2, 0) == 0 && rs(XINIM_RS_KILL, 7, 0) == 0,
	      "kill vfs, then rs at once: both answered 0");
	check(back_as(7, self.generation + 1).up, "rs back");
	check(back_as(2, vfs.generation + 1).up, "vfs back, restarted by either RS");
	return check_summary();
}
