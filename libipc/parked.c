// Parked requests (<libipc/parked.h>).
#include <string.h>
#include <libipc/keep.h>
#include <libipc/parked.h>
#include <libipc/server.h>

static struct ipc_parked_call *job_at(const struct ipc_parked *table, unsigned i)
{
	return (struct ipc_parked_call *)((char *)table->jobs + (size_t)i * table->size);
}

long ipc_park(struct ipc_parked *table, void *job)
{
	long result;
	if (table->step(job, &result))
		return result;
	for (unsigned i = 0; i < table->max; i++)
		if (!job_at(table, i)->caller) {
			memcpy(job_at(table, i), job, table->size);
			return IPC_DEFERRED;
		}
	return result;	// no room to park it: a short count
}

bool ipc_parked_resume(struct ipc_parked *table)
{
	for (unsigned n = 0; n < table->max; n++) {
		unsigned i = (table->turn + n) % table->max;
		struct ipc_parked_call *job = job_at(table, i);
		long result;
		if (!job->caller || job->asleep)
			continue;
		table->turn = (i + 1) % table->max;
		if (table->step(job, &result)) {
			// The job's end commits with its answer recorded (libipc/keep.h), as
			// a reply in the server loop does, before the answer leaves.
			ipc_syscall_answer_parked(job->id, result);	// -ESRCH if it is gone
			job->caller = 0;
		}
		break;
	}
	for (unsigned i = 0; i < table->max; i++)
		if (job_at(table, i)->caller && !job_at(table, i)->asleep)
			return true;
	return false;
}

void ipc_parked_wake(struct ipc_parked *table, uint32_t token)
{
	for (unsigned i = 0; i < table->max; i++)
		if (job_at(table, i)->caller && job_at(table, i)->asleep == token)
			job_at(table, i)->asleep = 0;
}

void ipc_parked_forget(struct ipc_parked *table, xinim_endpoint_t who)
{
	for (unsigned i = 0; i < table->max; i++)
		if (job_at(table, i)->caller == who)
			job_at(table, i)->caller = 0;
}
