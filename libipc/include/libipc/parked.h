#pragma once
// A server's long requests, a bounded slice at a time, so that no caller holds the
// server: a request with more to do after its first slice is parked in a fixed table, its
// reply deferred (IPC_DEFERRED), and goes on a slice at a time between the requests that
// come meanwhile (the server's ipc_table.resume calls ipc_parked_resume), jobs taking
// turns. Its caller stays blocked in its call, so its memory stays reachable. Used by
// VFS (long reads and writes) and PM (getrandom).
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

// What every job starts with: the system call to answer once the job is done.
struct ipc_parked_call {
	xinim_endpoint_t caller;	// 0: a free slot
	uint64_t id;			// the system call's id, for the deferred reply
	// Not 0: the job cannot go on until the server wakes it (ipc_parked_wake) with this
	// token (VFS: a pipe's writer, until the pipe has room). Its step sets it.
	uint32_t asleep;
};

// max jobs of size bytes each at jobs, each beginning with its struct ipc_parked_call;
// step does one slice of a job and says whether it is done, with *result the call's
// result. The table is the server's: it holds no pointers but these.
struct ipc_parked {
	void *jobs;
	size_t size;
	unsigned max;
	bool (*step)(void *job, long *result);
	unsigned turn;	// where the search for the next job starts: round robin
};

// Runs job's first slice: the call's result, or IPC_DEFERRED when the job was parked.
// With the table full the job stops after its first slice, with a short count.
long ipc_park(struct ipc_parked *table, void *job);

// One slice of the next parked job that is not asleep, answering its call when it is
// done: whether any job that is not asleep remains.
bool ipc_parked_resume(struct ipc_parked *table);

// The jobs asleep on token may go on.
void ipc_parked_wake(struct ipc_parked *table, uint32_t token);

// who has ended: its parked jobs are dropped unanswered.
void ipc_parked_forget(struct ipc_parked *table, xinim_endpoint_t who);
