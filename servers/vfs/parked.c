// Long transfers, a slice at a time (docs/syscalls.md): a read or write moves at most
// SLICE bytes before VFS serves its next request. One with more to move is parked here,
// its reply deferred, and goes on a slice at a time, taking turns with the requests
// that come meanwhile (ipc_table.resume), so that nobody waits on VFS for more than a
// slice per transfer in progress. Its caller stays blocked in its call, so its memory
// stays reachable, and gets Linux's result: the whole count, up to MAX_RW_COUNT. Jobs
// name their open file by index: the table holds no pointers. With the table full, a
// transfer stops after its first slice with a short count, which Linux allows.
#include <errno.h>
#include <sys/uio.h>
#include <xinim/ipc/endpoints.h>
#include "vfs.h"

#define SLICE (64 * 1024)
#define JOBS_MAX 64

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

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
	return true;
}

// One slice of a transfer_job: true when it is done, with *result the call's result.
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
	if (done < 0) {
		*result = job->moved ? (long)job->moved : done;
		return finish(job, file);
	}
	job->moved += (uint64_t)done;
	job->buffer += (uint64_t)done;
	job->left -= (uint64_t)done;
	bool last = !job->vector || job->next == job->count || job->moved == job->limit;
	*result = (long)job->moved;
	return (uint64_t)done < n || (!job->left && last) ? finish(job, file) : false;
}

static struct transfer_job jobs[JOBS_MAX];
static struct ipc_parked parked = { jobs, sizeof(jobs[0]), JOBS_MAX, step, 0 };

long transfer_start(struct transfer_job *job) { return ipc_park(&parked, job); }

bool transfer_resume(void) { return ipc_parked_resume(&parked); }

void transfer_forget(xinim_endpoint_t who) { ipc_parked_forget(&parked, who); }
