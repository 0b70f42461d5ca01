// /proc's process table (docs/vfs.md, /proc): what PM and MM hold of each process. VFS
// never calls PM (docs/architecture.md, Servers call each other only downhill): a reader
// of /proc/PID/stat waits while VFS notifies PM (XINIM_NOTE_PROC_WANTED); PM asks what is
// wanted (XINIM_VFS_PROC_WANTS) and hands the table over (XINIM_VFS_PROC_REPORT), and the
// waiting reads run again. A table a few ms old serves every read of one `ps`; a PM that
// does not answer (restarting) leaves the readers with what there is after PATIENCE_MS.
// Nothing here is kept: a restarted VFS asks again.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define FRESH_MS 20
#define PATIENCE_MS 500
#define MAPS_MAX 16384

static struct xinim_proc_record records[XINIM_PROCS_MAX];
static unsigned count;
static uint64_t table_at;	// counter ticks when the table came; 0: never
static uint64_t asked_at;	// when PM was last notified
static uint32_t maps_wanted;	// whose maps a reader waits for (0: nobody's)
static uint32_t maps_pid, maps_length;
static uint64_t maps_at;
static char maps[MAPS_MAX];

static uint64_t ms(uint64_t n) { return counter_hz() * n / 1000; }

static void ask(void)
{
	uint64_t now = counter_ticks();
	if (asked_at > table_at && now - asked_at < ms(PATIENCE_MS))
		return;	// PM has the note already, and has not answered it yet
	asked_at = now;
	long pm = ipc_lookup(XINIM_PID_PM);
	if (pm > 0)
		ipc_notify((xinim_endpoint_t)pm, XINIM_NOTE_PROC_WANTED);
}

// Whether what came at got_at may answer the read being served (one that came after it
// began waiting, or a few ms old; anything once PM is overdue); else PM is asked and the
// read is to wait (-EAGAIN) until it answers, or its patience ends.
static bool fresh(uint64_t got_at)
{
	uint64_t since = wait_since(), now = counter_ticks();
	if ((got_at && (got_at >= since || now - got_at < ms(FRESH_MS))) ||
	    now - since >= ms(PATIENCE_MS))
		return true;
	ask();
	wait_until(since + ms(PATIENCE_MS));
	return false;
}

long proc_record(uint32_t pid, const struct xinim_proc_record **out)
{
	*out = NULL;
	for (unsigned i = 0; i < count; i++)
		if (records[i].pid == pid)
			*out = &records[i];
	// A process the table does not hold may be younger than the table: only one made
	// after the read began says it has none.
	bool held = *out || pid == 0 || table_at >= wait_since();
	if (!fresh(held ? table_at : 0)) {
		*out = NULL;
		return -EAGAIN;
	}
	return 0;
}

long proc_maps(uint32_t pid, const char **text, uint32_t *length)
{
	*text = maps;
	if (!fresh(maps_pid == pid ? maps_at : 0)) {
		maps_wanted = pid;	// what PM's next report is to bring
		return -EAGAIN;
	}
	*length = maps_pid == pid ? maps_length : 0;	// none: PM does not answer
	return 0;
}

const struct xinim_proc_record *proc_records(unsigned *n)
{
	*n = count;
	return records;
}

long vfs_proc_wants(const struct ipc_request *request, struct xinim_msg *reply)
{
	char none;
	if (!pm_sent(request, &none, 0))
		return -EPERM;
	struct xinim_vfs_wants wants = { .maps_pid = maps_wanted };
	memcpy(reply->payload, &wants, sizeof(wants));
	reply->header.length = sizeof(wants);
	return 1;
}

static long copy_in(xinim_endpoint_t from, void *here, uint64_t there, size_t n)
{
	for (size_t done = 0; done < n;) {
		size_t part = min_u64(n - done, XINIM_COPY_MAX);
		long err = ipc_copy_from(from, (char *)here + done, there + done, part);
		if (err)
			return err;
		done += part;
	}
	return 0;
}

long vfs_proc_report(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_vfs_report report;
	if (!pm_sent(request, &report, sizeof(report)))
		return -EPERM;
	xinim_endpoint_t pm = request->msg.header.source;
	if (report.count > XINIM_PROCS_MAX || report.maps_length > MAPS_MAX)
		return -EINVAL;
	if (copy_in(pm, records, report.records_at, report.count * sizeof(records[0]))) {
		count = 0;
		return -EFAULT;
	}
	count = report.count;
	table_at = counter_ticks();
	if (report.maps_pid && report.maps_pid == maps_wanted &&
	    !copy_in(pm, maps, report.maps_at, report.maps_length)) {
		maps_pid = report.maps_pid;
		maps_length = report.maps_length;
		maps_at = table_at;
		maps_wanted = 0;
	}
	wait_ready_every();	// the readers that wait for it run again
	struct xinim_vfs_wants wants = { .maps_pid = maps_wanted };
	memcpy(reply->payload, &wants, sizeof(wants));
	reply->header.length = sizeof(wants);
	return 0;
}
