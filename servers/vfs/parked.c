// Long transfers, a slice at a time (docs/syscalls.md): a read or write moves at most
// SLICE bytes before VFS serves its next request. One with more to move is parked here,
// its reply deferred, and goes on a slice at a time, taking turns with the requests
// that come meanwhile (ipc_table.resume), so that nobody waits on VFS for more than a
// slice per transfer in progress. Its caller stays blocked in its call, so its memory
// stays reachable, and gets Linux's result: the whole count, up to MAX_RW_COUNT. Jobs
// name their open file by index: the table holds no pointers. With the table full, a
// transfer stops after its first slice with a short count, which Linux allows.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <xinim/ipc/endpoints.h>
#include "vfs.h"

#define SLICE (64 * 1024)
#define JOBS_MAX 64

// Takes a vector job to its next non-empty entry: false when none is left, or *err
// when the vector cannot be read.
static bool next_entry(struct transfer_job *job, long *err)
{
	while (!job->left && job->next < job->count && job->moved < job->limit) {
		struct iovec iov;
		*err = ipc_copy_from(job->call.caller, &iov, job->vector + job->next * sizeof(iov),
				     sizeof(iov));
		if (*err)
			return false;
		job->next++;
		job->buffer = (uint64_t)iov.iov_base;
		job->left = min_u64(iov.iov_len, job->limit - job->moved);
	}
	return job->left;
}

// A pipe's writer goes on where it was when its call comes again to a restarted VFS:
// how far each write into a pipe got is kept (struct vfs_state.progress), so that its
// first part does not go in twice (docs/vfs.md); so do sockets' calls (socket_io.c,
// socket_mmsg.c), whose sendmmsg and recvmmsg count entries beside an entry's bytes.
struct transfer_progress *progress_find(xinim_endpoint_t caller, uint64_t id,
				       enum progress_kind kind, bool make)
{
	struct transfer_progress *free_one = NULL, *all = vfs_progress();
	for (unsigned i = 0; i < PROGRESS_MAX; i++) {
		if (all[i].caller == caller && all[i].id == id && all[i].kind == kind)
			return &all[i];
		if (!all[i].caller && !free_one)
			free_one = &all[i];
	}
	if (make && free_one) {
		keep_change(free_one, sizeof(*free_one));
		*free_one = (struct transfer_progress){ caller, kind, id, 0 };
	}
	return make ? free_one : NULL;
}

void progress_end(xinim_endpoint_t caller, uint64_t id, enum progress_kind kind)
{
	struct transfer_progress *p = progress_find(caller, id, kind, false);
	if (p) {
		keep_change(p, sizeof(*p));
		*p = (struct transfer_progress){ 0 };
	}
}

void progress_end_call(xinim_endpoint_t caller, uint64_t id)
{
	for (int kind = 0; kind < PROGRESS_KINDS; kind++)
		progress_end(caller, id, (enum progress_kind)kind);
}

static struct transfer_progress *progress_of(const struct transfer_job *job, bool make)
{
	return progress_find(job->call.caller, job->call.id, PROGRESS_BYTES, make);
}

static void progress_drop(const struct transfer_job *job)
{
	progress_end(job->call.caller, job->call.id, PROGRESS_BYTES);
}

// Whether the job's file makes it wait rather than end short: a pipe without O_NONBLOCK.
static bool waits(const struct open_file *file)
{
	return file && S_ISFIFO(file_node(file)->mode) && !(file->flags & O_NONBLOCK);
}

// The end of a job: the file's offset moves, once, to where the job got (a read or write
// of the file's own offset). Until then the job moves its own copy, and VFS's kept
// state is as before the call: a VFS that dies meanwhile is given the call again and
// does it whole from there (docs/resurrection.md).
static bool finish(const struct transfer_job *job, struct open_file *file)
{
	const struct node_ops *ops = file ? node_ops(file_node(file)) : NULL;
	if (ops && ops->seekable && !job->positioned) {	// a device has no offset to move
		keep_change(&file->offset, sizeof(file->offset));
		file->offset = job->offset;
	}
	if (waits(file) && job->writing)
		progress_drop(job);
	return true;
}

// One slice of a transfer_job: true when it is done, with *result the call's result.
// A pipe's job that cannot go on sleeps until the pipe is ready (wait_ready wakes it):
// a read with nothing to read, a write with bytes left and no room.
static bool step(void *parked, long *result)
{
	struct transfer_job *job = parked;
	struct open_file *file = open_file_at(job->file);
	long err = file ? 0 : -EBADF;
	if (file && job->vector && !job->left && !next_entry(job, &err)) {
		*result = job->moved ? (long)job->moved : err;
		return finish(job, file);
	}
	uint64_t n = min_u64(job->left, SLICE);
	dev_write_context(job->call.id, job->moved);
	long done = file ? transfer(job->call.caller, file, job->writing, job->buffer, n,
				    &job->offset) : err;
	bool sleeps = waits(file) && (done == -EAGAIN || (job->writing && done >= 0 &&
							   (uint64_t)done < n));
	if (done < 0 && !sleeps) {
		*result = job->moved ? (long)job->moved : done;
		return finish(job, file);
	}
	if (done > 0) {
		job->moved += (uint64_t)done;
		job->buffer += (uint64_t)done;
		job->left -= (uint64_t)done;
		if (waits(file) && job->writing) {
			struct transfer_progress *p = progress_of(job, true);
			if (p) {
				keep_change(&p->moved, sizeof(p->moved));
				p->moved = job->moved;
			}
		}
	}
	if (sleeps) {
		job->call.asleep = file->node + 1;
		*result = (long)job->moved;
		return false;
	}
	bool last = !job->vector || job->next == job->count || job->moved == job->limit;
	*result = (long)job->moved;
	return (uint64_t)done < n || (!job->left && last) ? finish(job, file) : false;
}

static struct transfer_job jobs[JOBS_MAX];
static struct ipc_parked parked = { jobs, sizeof(jobs[0]), JOBS_MAX, step, 0 };

long transfer_start(struct transfer_job *job)
{
	struct open_file *file = open_file_at(job->file);
	struct transfer_progress *p = waits(file) && job->writing ? progress_of(job, false) : NULL;
	if (p && p->moved <= job->left && !job->vector) {	// the call again: on from there
		job->moved = p->moved;
		job->buffer += p->moved;
		job->left -= p->moved;
	}
	return ipc_park(&parked, job);
}

bool transfer_resume(void) { return ipc_parked_resume(&parked); }

void transfer_wake(const struct node *node) { ipc_parked_wake(&parked, ramfs_index(node) + 1); }

void transfer_forget(xinim_endpoint_t who)
{
	ipc_parked_forget(&parked, who);
	struct transfer_progress *all = vfs_progress();
	for (unsigned i = 0; i < PROGRESS_MAX; i++)
		if (all[i].caller == who) {
			keep_change(&all[i], sizeof(all[i]));
			all[i] = (struct transfer_progress){ 0 };
		}
}

bool transfer_asleep(uint32_t pid)
{
	for (unsigned i = 0; i < JOBS_MAX; i++)
		if (jobs[i].call.caller && jobs[i].call.asleep &&
		    xinim_endpoint_pid(jobs[i].call.caller) == pid)
			return true;
	return false;
}

bool transfer_interrupt(xinim_endpoint_t who, uint32_t tid)
{
	bool any = false;
	for (unsigned i = 0; i < JOBS_MAX; i++) {
		struct transfer_job *job = &jobs[i];
		if (job->call.caller != who || job->tid != tid || !job->call.asleep)
			continue;
		// What moved stays moved (Linux's short count); nothing moved: the restart code.
		long answer = job->moved ? (long)job->moved : -XINIM_ERESTARTSYS;
		if (job->writing)
			progress_drop(job);
		job->call.caller = 0;
		ipc_syscall_answer_parked(job->call.id, answer);
		any = true;
	}
	return any;
}
