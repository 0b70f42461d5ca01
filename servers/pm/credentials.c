// Credentials (credentials(7)): each process's real, effective, saved and filesystem
// user and group ids and its supplementary groups, kept in its record; inherited at
// fork, kept at execve (no set-user-ID files yet). The calls follow Linux 6.1
// (kernel/sys.c, kernel/groups.c), return values included. Privilege (CAP_SETUID,
// CAP_SETGID, CAP_KILL) is an effective uid of 0. VFS is told of every change
// (XINIM_VFS_PROC_CREDS), for its permission checks.
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/vfs.h>
#include "pm.h"

#define NO_ID UINT32_MAX	// (uid_t)-1: "unchanged" to the set calls, never an id

// What a process that PM does not manage (a boot program) is: root.
static const struct credentials root;

static const struct credentials *credentials_of(xinim_endpoint_t who)
{
	const struct process *p = process_of(who);
	return p ? &p->creds : &root;
}

bool credentials_privileged(const struct process *p)
{
	return p->creds.user.effective == 0;
}

static bool ids_sound(const struct ids *ids)
{
	return ids->real != NO_ID && ids->effective != NO_ID && ids->saved != NO_ID &&
	       ids->fs != NO_ID;
}

bool credentials_sound(const struct credentials *c)
{
	if (!ids_sound(&c->user) || !ids_sound(&c->group) || c->groups_count > XINIM_GROUPS_MAX)
		return false;
	for (unsigned i = 0; i < c->groups_count; i++)
		if (c->groups[i] == NO_ID)
			return false;
	return true;
}

bool credentials_may_signal(const struct process *sender, const struct process *target)
{
	const struct ids *s = &sender->creds.user, *t = &target->creds.user;
	return credentials_privileged(sender) || s->real == t->real || s->real == t->saved ||
	       s->effective == t->real || s->effective == t->saved;
}

long credentials_tell(const struct process *p)
{
	const struct credentials *c = &p->creds;
	uint64_t files = p->limits[RLIMIT_NOFILE].cur;
	struct xinim_vfs_creds told = {
		.who = p->self, .fd_limit = files > UINT32_MAX ? UINT32_MAX : (uint32_t)files,
		.uid = c->user.real, .euid = c->user.effective, .fsuid = c->user.fs,
		.gid = c->group.real, .egid = c->group.effective, .fsgid = c->group.fs,
		.groups_count = c->groups_count, .groups_at = (uint64_t)(uintptr_t)c->groups,
		.pgid = p->pgid, .sid = p->sid,
	};
	return server_call(XINIM_PID_VFS, XINIM_VFS_PROC_CREDS, &told, sizeof(told));
}

void credentials_exec(struct process *p)
{
	struct credentials *c = &p->creds;
	if (c->user.saved == c->user.effective && c->user.fs == c->user.effective &&
	    c->group.saved == c->group.effective && c->group.fs == c->group.effective)
		return;
	process_change(p);
	c->user.saved = c->user.fs = c->user.effective;
	c->group.saved = c->group.fs = c->group.effective;
	credentials_tell(p);
}

// getuid, geteuid, getgid, getegid: the id at offset in the caller's credentials.
static long id_get(const struct ipc_request *request, size_t offset)
{
	const struct credentials *c = credentials_of(ipc_syscall_of(request).caller);
	return *(const uint32_t *)((const char *)c + offset);
}

#define GETTER(name, field) \
	PM_HANDLER(pm_##name, id_get(request, offsetof(struct credentials, field)))
GETTER(getuid, user.real)
GETTER(geteuid, user.effective)
GETTER(getgid, group.real)
GETTER(getegid, group.effective)

// One set call's rule: next (a copy of the caller's ids) changed as args ask, or -errno
// and next left as it may. privileged: CAP_SETUID (or CAP_SETGID for the group calls).
typedef long id_rule(struct ids *next, const uint64_t *args, bool privileged);

static bool one_of(uint32_t id, const struct ids *old)
{
	return id == old->real || id == old->effective || id == old->saved;
}

// setuid(id), setgid(id) (Linux's __sys_setuid).
static long rule_set(struct ids *next, const uint64_t *args, bool privileged)
{
	uint32_t id = (uint32_t)args[0];
	if (id == NO_ID)
		return -EINVAL;
	if (privileged)
		next->real = next->saved = id;
	else if (id != next->real && id != next->saved)
		return -EPERM;
	next->effective = next->fs = id;
	return 0;
}

// setreuid(real, effective), setregid (Linux's __sys_setreuid).
static long rule_set_re(struct ids *next, const uint64_t *args, bool privileged)
{
	uint32_t real = (uint32_t)args[0], effective = (uint32_t)args[1];
	const struct ids old = *next;
	if (real != NO_ID && !privileged && real != old.real && real != old.effective)
		return -EPERM;
	if (effective != NO_ID && !privileged && !one_of(effective, &old))
		return -EPERM;
	if (real != NO_ID)
		next->real = real;
	if (effective != NO_ID)
		next->effective = effective;
	if (real != NO_ID || (effective != NO_ID && effective != old.real))
		next->saved = next->effective;
	next->fs = next->effective;
	return 0;
}

// setresuid(real, effective, saved), setresgid (Linux's __sys_setresuid).
static long rule_set_res(struct ids *next, const uint64_t *args, bool privileged)
{
	const struct ids old = *next;
	uint32_t *to[3] = { &next->real, &next->effective, &next->saved };
	for (unsigned i = 0; i < 3; i++)
		if ((uint32_t)args[i] != NO_ID && !privileged && !one_of((uint32_t)args[i], &old))
			return -EPERM;
	for (unsigned i = 0; i < 3; i++)
		if ((uint32_t)args[i] != NO_ID)
			*to[i] = (uint32_t)args[i];
	next->fs = next->effective;
	return 0;
}

// setfsuid(id), setfsgid: the old filesystem id whatever happens; the new one set when
// it is one of the others (or the caller is privileged).
static long rule_set_fs(struct ids *next, const uint64_t *args, bool privileged)
{
	uint32_t id = (uint32_t)args[0], old = next->fs;
	if (id != NO_ID && (privileged || one_of(id, next) || id == next->fs))
		next->fs = id;
	return old;
}

enum id_kind { USER, GROUP };

// A set call: the rule run on a copy of the caller's user or group ids, then, if it
// passed, the copy committed and VFS told. Its result.
static long id_set(const struct ipc_request *request, enum id_kind kind, id_rule *rule)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *p = process_of(call.caller);
	if (!p)
		return -EPERM;	// a boot program's ids are root's for good
	struct ids *ids = kind == USER ? &p->creds.user : &p->creds.group, next = *ids;
	long result = rule(&next, call.args, credentials_privileged(p));
	if (result < 0 || !memcmp(&next, ids, sizeof(next)))
		return result;
	process_change(p);
	*ids = next;
	credentials_tell(p);
	return result;
}

#define SETTER(name, kind, rule) PM_HANDLER(pm_##name, id_set(request, kind, rule))
SETTER(setuid, USER, rule_set)
SETTER(setgid, GROUP, rule_set)
SETTER(setreuid, USER, rule_set_re)
SETTER(setregid, GROUP, rule_set_re)
SETTER(setresuid, USER, rule_set_res)
SETTER(setresgid, GROUP, rule_set_res)
SETTER(setfsuid, USER, rule_set_fs)
SETTER(setfsgid, GROUP, rule_set_fs)

// getresuid(&real, &effective, &saved), getresgid: each copied in turn, -EFAULT at the
// first that fails.
static long ids_get(const struct ipc_request *request, enum id_kind kind)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct credentials *c = credentials_of(call.caller);
	const struct ids *ids = kind == USER ? &c->user : &c->group;
	const uint32_t values[3] = { ids->real, ids->effective, ids->saved };
	long err = 0;
	for (unsigned i = 0; i < 3 && !err; i++)
		err = ipc_copy_to(call.caller, call.args[i], &values[i], sizeof(values[i]));
	return err;
}

PM_HANDLER(pm_getresuid, ids_get(request, USER))
PM_HANDLER(pm_getresgid, ids_get(request, GROUP))

// getgroups(size, list): the count; with a size, the groups too (-EINVAL if they do not
// fit it).
long pm_getgroups(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct credentials *c = credentials_of(call.caller);
	int size = (int)call.args[0];
	if (size < 0 || (size && (unsigned)size < c->groups_count))
		return -EINVAL;
	long err = size && c->groups_count
			   ? ipc_copy_to(call.caller, call.args[1], c->groups,
					 c->groups_count * sizeof(c->groups[0]))
			   : 0;
	return err ? err : (long)c->groups_count;
}

// setgroups(size, list): CAP_SETGID only; kept sorted, as Linux's groups_sort does.
long pm_setgroups(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *p = process_of(call.caller);
	unsigned size = (unsigned)call.args[0];
	uint32_t groups[XINIM_GROUPS_MAX];
	if (!p || !credentials_privileged(p))
		return -EPERM;
	if (size > XINIM_GROUPS_MAX)
		return -EINVAL;	// Linux's NGROUPS_MAX is 65536
	long err = size ? ipc_copy_from(call.caller, groups, call.args[1], size * sizeof(groups[0]))
			: 0;
	if (err)
		return err;
	for (unsigned i = 0; i < size; i++)
		if (groups[i] == NO_ID)
			return -EINVAL;	// Linux's gid_valid
	for (unsigned i = 1; i < size; i++)	// insertion sort: a few dozen at most
		for (unsigned j = i; j && groups[j - 1] > groups[j]; j--) {
			uint32_t g = groups[j];
			groups[j] = groups[j - 1];
			groups[j - 1] = g;
		}
	process_change(p);
	p->creds.groups_count = size;
	memcpy(p->creds.groups, groups, size * sizeof(groups[0]));
	credentials_tell(p);
	return 0;
}

// What a server asks to decide for a process (RS: whether the rs command runs as root):
// its real and effective user and group ids.
long pm_credentials(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_pm_who asked;
	memcpy(&asked, request->msg.payload, sizeof(asked));
	const struct process *p = process_of(asked.who);
	if (!p)
		return -ESRCH;
	const struct credentials *c = &p->creds;
	struct xinim_pm_credentials answer = { .uid = c->user.real, .euid = c->user.effective,
					       .gid = c->group.real, .egid = c->group.effective };
	memcpy(reply->payload, &answer, sizeof(answer));
	reply->header.length = sizeof(answer);
	return 0;
}
