// getrandom: the kernel's CSPRNG, always ready (seeded before any process runs).
// As Linux 6.1 (drivers/char/random.c): a request is cut to MAX_RW_COUNT, its buffer must
// lie below the 48-bit user limit (access_ok: -EFAULT), and it is filled whole unless a
// page cannot be written (then the bytes so far). A long one is filled a slice at a time:
// after the first slice it is parked, its reply deferred, and goes on between PM's other
// requests (ipc_table.resume), so that nobody waits on PM for more than a slice. The
// parked jobs are a fixed, pointer-free table; when it is full a request returns after
// its first slice with a short count, which Linux allows above 256 bytes (getrandom(2)).
#include <errno.h>
#include <sys/random.h>
#include <libipc/parked.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "pm.h"

#define SLICE (64 * 1024)
#define JOBS_MAX 32

struct random_job {
	struct ipc_parked_call call;
	uint64_t to, left, done;	// where the next bytes go, how many are still due, so far
};

// One slice of a random_job: true when it is done, with *result the call's result.
static bool step(void *parked, long *result)
{
	struct random_job *job = parked;
	uint8_t bytes[256];	// KCALL_RANDOM gives at most this a call
	for (uint64_t end = job->done + SLICE; job->left && job->done < end;) {
		size_t chunk = job->left < sizeof(bytes) ? job->left : sizeof(bytes);
		long err = xinim_kcall(KCALL_RANDOM, (long)bytes, (long)chunk);
		if (err >= 0)
			err = ipc_copy_to(job->call.caller, job->to, bytes, chunk);
		if (err) {
			*result = job->done ? (long)job->done : err;
			return true;
		}
		job->to += chunk, job->left -= chunk, job->done += chunk;
	}
	*result = (long)job->done;
	return !job->left;
}

static struct random_job jobs[JOBS_MAX];
static struct ipc_parked parked = { jobs, sizeof(jobs[0]), JOBS_MAX, step, 0 };

long pm_getrandom(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t to = call.args[0], n = call.args[1];
	unsigned flags = (unsigned)call.args[2];	// an unsigned int, as Linux takes it
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;	// as Linux: unknown flags, or both kinds of pool at once
	n = n < XINIM_MAX_RW_COUNT ? n : XINIM_MAX_RW_COUNT;
	if (!xinim_access_ok(to, n))
		return -EFAULT;
	struct random_job job = { .call = { .caller = call.caller, .id = request->msg.header.id }, .to = to,
				  .left = n };
	return ipc_park(&parked, &job);
}

bool random_resume(void) { return ipc_parked_resume(&parked); }
