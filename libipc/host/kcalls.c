// The hosted kernel's answers to servers' direct kernel calls (<libipc/host_kcalls.h>):
// one emulation per call number, each with the argument checks of the kernel's own
// (kernel/space.c and kernel/arch/aarch64/uvm.c, kernel/proc.c, kernel/random.c,
// kernel/bootdata.c), on state the tests can inspect. One mutex guards it all.
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <sodium/randombytes.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/mm.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>

#define COUNTER_HZ 62500000	// QEMU virt's generic timer

// A call as made: its number and x0..x5.
struct call_made {
	long number;
	long a[6];
};

struct text {
	char bytes[HOST_TEXT_BYTES];
	size_t used;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct host_page pages[HOST_PAGES];
static struct text console, debug_log;
static struct text typed;	// console input not yet taken, from position typed_head on
static uint64_t typed_head;
static char boot_args[1024];
static struct host_proc_call proc_calls[HOST_PROC_CALLS];
static unsigned proc_calls_made;
static unsigned generations[XINIM_PID_MASK + 1];	// of the endpoints KCALL_PROC_NEW gave
static unsigned next_pid = XINIM_PID_FIRST_DYNAMIC;
static xinim_endpoint_t ended[HOST_ENDED];	// the newest endpoints KCALL_PROC_END ended
static struct xinim_proc_made made[XINIM_PROCS_MAX];	// by PID: made and not ended
static unsigned ended_count;
static uint64_t frames_made;	// the pages' frame numbers
static struct host_cpu { xinim_endpoint_t owner; struct xinim_proc_times times; } cpu[XINIM_PROCS_MAX];
// The CPUs of each thread, by TID, while owner has it (then all 4 at first).
static struct host_affinity { xinim_endpoint_t owner; uint64_t cpus; } affinity[XINIM_PROCS_MAX];

// ---- address spaces

static bool range_valid(uint64_t va, uint64_t length)
{
	return !(va % HOST_PAGE_SIZE) && !(length % HOST_PAGE_SIZE) && va < XINIM_USER_TOP &&
	       length <= XINIM_USER_TOP - va;
}

static bool prot_valid(uint64_t prot)
{
	return !(prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC | XINIM_PROT_SHARED)) &&
	       !((prot & PROT_WRITE) && (prot & PROT_EXEC));
}

// The owner of the pages of the space an endpoint of KCALL_SPACE_* names.
static xinim_endpoint_t space_owner(long endpoint)
{
	return (xinim_endpoint_t)endpoint == XINIM_SPACE_STORE ? HOST_STORE
							       : (xinim_endpoint_t)endpoint;
}

static struct host_page *page_find(xinim_endpoint_t owner, uint64_t va)
{
	for (unsigned i = 0; owner && i < HOST_PAGES; i++)
		if (pages[i].owner == owner && pages[i].va == va - va % HOST_PAGE_SIZE)
			return &pages[i];
	return NULL;
}

static struct host_page *page_free_slot(void)
{
	for (unsigned i = 0; i < HOST_PAGES; i++)
		if (!pages[i].owner)
			return &pages[i];
	return NULL;
}

// Fresh zeroed pages where none are mapped; those already there stay as they are.
static long space_map(const struct call_made *c)
{
	uint64_t va = (uint64_t)c->a[1], length = (uint64_t)c->a[2], prot = (uint64_t)c->a[3];
	if (!range_valid(va, length) || !(prot & PROT_READ) || !prot_valid(prot))
		return -EINVAL;
	for (uint64_t at = va; at < va + length; at += HOST_PAGE_SIZE) {
		if (page_find(space_owner(c->a[0]), at))
			continue;
		struct host_page *free_page = page_free_slot();
		if (!free_page)
			return -ENOMEM;
		*free_page = (struct host_page){ .owner = space_owner(c->a[0]),
						 .prot = (unsigned)prot & ~(unsigned)XINIM_PROT_SHARED,
						 .linked = prot & XINIM_PROT_SHARED, .va = at,
						 .frame = ++frames_made };
	}
	return 0;
}

// KCALL_SPACE_SHARE (from, to, va, length, to_va): as the kernel's, with the bytes
// copied (the emulation's pages each have their own; a write of KCALL_SPACE_WRITE goes
// to every page of its frame); copy-on-write pages read-only on both sides and marked
// shared, linked ones as they are.
static long space_share(const struct call_made *c)
{
	xinim_endpoint_t from = space_owner(c->a[0]), to = space_owner(c->a[1]);
	uint64_t va = (uint64_t)c->a[2], length = (uint64_t)c->a[3], to_va = (uint64_t)c->a[4];
	if (!range_valid(va, length) || !range_valid(to_va, length) ||
	    (from == to && va < to_va + length && to_va < va + length))
		return -EINVAL;
	for (unsigned i = 0; i < HOST_PAGES; i++) {
		struct host_page *p = &pages[i];
		if (p->owner != from || p->va < va || p->va - va >= length ||
		    page_find(to, p->va - va + to_va))
			continue;
		struct host_page *copy = page_free_slot();
		if (!copy)
			return -ENOMEM;
		if (!p->linked) {
			p->prot &= ~(unsigned)PROT_WRITE;
			p->shared = true;
		}
		*copy = *p;
		copy->owner = to;
		copy->va = p->va - va + to_va;
	}
	return 0;
}

// KCALL_SPACE_PRESENT (endpoint, va, pages, out).
static long space_present(const struct call_made *c)
{
	uint64_t va = (uint64_t)c->a[1], count = (uint64_t)c->a[2];
	if (count > 256 || !range_valid(va, count * HOST_PAGE_SIZE))
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++)
		((uint8_t *)c->a[3])[i] = page_find(space_owner(c->a[0]), va + i * HOST_PAGE_SIZE) != NULL;
	return 0;
}

// KCALL_SPACE_FAULT (endpoint, va, prot): a zeroed page if none; else prot, and a
// shared page becomes its own when prot allows writing.
static long space_fault(const struct call_made *c)
{
	xinim_endpoint_t owner = (xinim_endpoint_t)c->a[0];
	uint64_t va = (uint64_t)c->a[1], prot = (uint64_t)c->a[2];
	if (va % HOST_PAGE_SIZE || !range_valid(va, HOST_PAGE_SIZE) || !(prot & PROT_READ) ||
	    !prot_valid(prot))
		return -EINVAL;
	struct host_page *p = page_find(owner, va);
	if (!p) {
		if (!(p = page_free_slot()))
			return -ENOMEM;
		*p = (struct host_page){ .owner = owner, .va = va, .frame = ++frames_made };
	}
	if (prot & PROT_WRITE && p->shared && !p->linked) {
		p->shared = false;
		p->frame = ++frames_made;	// its own copy
	}
	p->linked = p->linked || prot & XINIM_PROT_SHARED;
	p->prot = (unsigned)prot & ~(unsigned)XINIM_PROT_SHARED;
	return 0;
}

// Gives the mapped pages of a range prot, or (prot < 0) unmaps them.
static long range_change(const struct call_made *c, long prot)
{
	uint64_t va = (uint64_t)c->a[1], length = (uint64_t)c->a[2];
	if (!range_valid(va, length) || (prot >= 0 && !prot_valid((uint64_t)prot)))
		return -EINVAL;
	for (unsigned i = 0; i < HOST_PAGES; i++) {
		struct host_page *p = &pages[i];
		if (p->owner != space_owner(c->a[0]) || p->va < va || p->va - va >= length)
			continue;
		if (prot < 0)
			*p = (struct host_page){ 0 };
		else	// a copy-on-write page stays read-only until its fault (space_fault)
			p->prot = (unsigned)prot &
				  (p->shared && !p->linked ? ~(unsigned)PROT_WRITE : ~0u);
	}
	return 0;
}

static long space_unmap(const struct call_made *c) { return range_change(c, -1); }
static long space_protect(const struct call_made *c)
{
	return c->a[3] < 0 ? -EINVAL : range_change(c, c->a[3]);
}

// Copies the caller's bytes into owner's pages, which must be mapped and writable.
static long space_write(const struct call_made *c)
{
	uint64_t there = (uint64_t)c->a[1], n = (uint64_t)c->a[3];
	const uint8_t *here = (const uint8_t *)c->a[2];
	if (n > XINIM_COPY_MAX)
		return -EINVAL;
	for (uint64_t at = there; at < there + n; at = at - at % HOST_PAGE_SIZE + HOST_PAGE_SIZE) {
		const struct host_page *p = page_find(space_owner(c->a[0]), at);
		if (!p || !(p->prot & PROT_WRITE))
			return -EFAULT;
	}
	for (uint64_t done = 0; done < n;) {
		const struct host_page *p = page_find(space_owner(c->a[0]), there + done);
		size_t offset = (there + done) % HOST_PAGE_SIZE;
		size_t chunk = HOST_PAGE_SIZE - offset < n - done ? HOST_PAGE_SIZE - offset : n - done;
		for (unsigned i = 0; i < HOST_PAGES; i++)	// every page of its frame
			if (pages[i].owner && pages[i].frame == p->frame)
				memcpy(pages[i].bytes + offset, here + done, chunk);
		done += chunk;
	}
	return 0;
}

// ---- the console, the debug log and the command line

static long text_append(struct text *t, const char *text, size_t n)
{
	size_t room = sizeof(t->bytes) - 1 - t->used;
	memcpy(t->bytes + t->used, text, n < room ? n : room);
	t->used += n < room ? n : room;
	t->bytes[t->used] = '\0';
	return (long)n;
}

// KCALL_CONSOLE_WRITE and KCALL_DEBUG_WRITE (text, length).
static long text_write(const struct call_made *c)
{
	struct text *t = c->number == KCALL_CONSOLE_WRITE ? &console : &debug_log;
	return text_append(t, (const char *)c->a[0], (size_t)c->a[1]);
}

// KCALL_LOG_WRITE (level, text, length): the kernel log is the debug log here, without
// levels.
static long log_write(const struct call_made *c)
{
	return text_append(&debug_log, (const char *)c->a[1], (size_t)c->a[2]);
}

void host_console_type(const char *keys)
{
	pthread_mutex_lock(&lock);
	size_t n = strlen(keys), room = sizeof(typed.bytes) - typed.used;
	memcpy(typed.bytes + typed.used, keys, n < room ? n : room);
	typed.used += n < room ? n : room;
	pthread_mutex_unlock(&lock);
}

// KCALL_CONSOLE_READ (here, n, position): what host_console_type typed from position on,
// those before it dropped, as the kernel's ring (kernel/console_input.c).
static long console_read(const struct call_made *c)
{
	uint64_t position = (uint64_t)c->a[2];
	if (!c->a[1])
		return (long)typed_head;
	if (position < typed_head || position > typed_head + typed.used)
		return -ERANGE;
	size_t drop = (size_t)(position - typed_head);
	memmove(typed.bytes, typed.bytes + drop, typed.used - drop);
	typed.used -= drop;
	typed_head = position;
	size_t n = (size_t)c->a[1] < typed.used ? (size_t)c->a[1] : typed.used;
	memcpy((char *)c->a[0], typed.bytes, n);
	return (long)n;
}

static long boot_args_copy(const struct call_made *c)
{
	size_t size = (size_t)c->a[1], length = strlen(boot_args);
	if (size) {
		size_t n = length < size - 1 ? length : size - 1;
		memcpy((char *)c->a[0], boot_args, n);
		((char *)c->a[0])[n] = '\0';
	}
	return (long)length;
}

static long random_fill(const struct call_made *c)
{
	if ((unsigned long)c->a[1] > 256)
		return -EINVAL;
	randombytes_buf((void *)c->a[0], (size_t)c->a[1]);
	return c->a[1];
}

// ---- processes

static void proc_record(long number, xinim_endpoint_t target, uint64_t x, uint64_t y)
{
	proc_calls[proc_calls_made++ % HOST_PROC_CALLS] =
		(struct host_proc_call){ .number = number, .target = target, .a = x, .b = y };
}

static long proc_new(const struct call_made *c)
{
	unsigned pid = (unsigned)c->a[0] ? (unsigned)c->a[0] : next_pid++;
	if (pid >= XINIM_PROCS_MAX)
		return -EAGAIN;
	if (made[pid].endpoint)
		return -EBUSY;
	xinim_endpoint_t self = xinim_endpoint(pid, ++generations[pid]);
	made[pid] = (struct xinim_proc_made){ .endpoint = self };
	proc_record(c->number, self, (uint64_t)c->a[0], 0);
	return (long)self;
}

static struct xinim_proc_made *made_as(xinim_endpoint_t endpoint)
{
	unsigned pid = xinim_endpoint_pid(endpoint);
	return pid < XINIM_PROCS_MAX && endpoint && made[pid].endpoint == endpoint ? &made[pid] : NULL;
}

// KCALL_PROC_START and _EXEC (endpoint, entry, sp): recorded, and the process started.
static long proc_change(const struct call_made *c)
{
	struct xinim_proc_made *m = made_as((xinim_endpoint_t)c->a[0]);
	if (m && c->number == KCALL_PROC_START)
		m->started = 1;
	proc_record(c->number, (xinim_endpoint_t)c->a[0], (uint64_t)c->a[1], (uint64_t)c->a[2]);
	return 0;
}

// KCALL_PROC_SIGNAL, _STOP, KCALL_THREAD_END (endpoint, tid or stop): recorded for a
// process made and not ended, -ESRCH for another (the emulation runs no threads).
static long proc_mark(const struct call_made *c)
{
	if (!made_as((xinim_endpoint_t)c->a[0]))
		return -ESRCH;
	proc_record(c->number, (xinim_endpoint_t)c->a[0], (uint64_t)c->a[1], 0);
	return 0;
}

// KCALL_PROC_MADE: the processes made and not ended, by PID.
static long proc_made(const struct call_made *c)
{
	struct xinim_proc_made *out = (struct xinim_proc_made *)c->a[0];
	long count = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX && count < c->a[1]; pid++)
		if (made[pid].endpoint)
			out[count++] = made[pid];
	return count;
}

// KCALL_PROC_END (endpoint): recorded. The emulation has no threads to wait for, so the
// process is gone whole at once: PM is told (XINIM_NOTE_GONE) and a second end of it
// gives -ESRCH, as the kernel's.
static long proc_end(const struct call_made *c)
{
	xinim_endpoint_t target = (xinim_endpoint_t)c->a[0];
	for (unsigned i = 0; i < HOST_ENDED && i < ended_count; i++)
		if (ended[i] == target)
			return -ESRCH;
	proc_record(c->number, target, 0, 0);
	ended[ended_count++ % HOST_ENDED] = target;
	struct xinim_proc_made *m = made_as(target);
	if (m)
		*m = (struct xinim_proc_made){ 0 };
	host_ipc_kernel_notify(XINIM_PID_PM, XINIM_NOTE_GONE);
	return 0;
}

// KCALL_POWER_OFF (how): recorded; the host machine stays on, as one without PSCI would.
static long power_off(const struct call_made *c)
{
	proc_record(c->number, 0, (uint64_t)c->a[0], 0);
	return -EOPNOTSUPP;
}

// KCALL_MEMORY: the emulation's page pool, as the kernel reports its frames.
static long memory_report(const struct call_made *c)
{
	unsigned used = 0;
	for (unsigned i = 0; i < HOST_PAGES; i++)
		used += pages[i].owner != 0;
	*(struct xinim_memory *)c->a[0] = (struct xinim_memory){
		.total_bytes = (uint64_t)HOST_PAGES * HOST_PAGE_SIZE,
		.free_bytes = (uint64_t)(HOST_PAGES - used) * HOST_PAGE_SIZE,
		.cpus_online = 4, .cpus_present = 4,
	};
	return 0;
}

// KCALL_PROC_TIMES (endpoint, out): what the test set (host_proc_times_set), else 0.
static long proc_times(const struct call_made *c)
{
	xinim_endpoint_t who = (xinim_endpoint_t)c->a[0];
	unsigned pid = xinim_endpoint_pid(who);
	struct xinim_proc_times *out = (struct xinim_proc_times *)c->a[1];
	*out = pid < XINIM_PROCS_MAX && cpu[pid].owner == who ? cpu[pid].times
								 : (struct xinim_proc_times){ 0 };
	return 0;
}

// KCALL_THREAD_AFFINITY (endpoint, tid, cpus; 0: ask) -> the CPUs before, as the kernel
// answers for a machine of 4 CPUs (fork's hand-down is the kernel's, not emulated).
static long thread_affinity(const struct call_made *c)
{
	xinim_endpoint_t who = (xinim_endpoint_t)c->a[0];
	uint64_t tid = c->a[1], cpus = c->a[2] & 0xf;
	if (tid >= XINIM_PROCS_MAX)
		return -ESRCH;
	struct host_affinity *a = &affinity[tid];
	if (a->owner != who)
		*a = (struct host_affinity){ who, 0xf };
	if (c->a[2] && !cpus)
		return -EINVAL;
	long before = (long)a->cpus;
	a->cpus = cpus ? cpus : a->cpus;
	return before;
}

static long (*const emulations[KCALL_COUNT])(const struct call_made *c) = {
	[KCALL_DEBUG_WRITE] = text_write,
	[KCALL_CONSOLE_READ] = console_read,
	[KCALL_CONSOLE_WRITE] = text_write,
	[KCALL_LOG_WRITE] = log_write,
	[KCALL_BOOT_ARGS] = boot_args_copy,
	[KCALL_RANDOM] = random_fill,
	[KCALL_PROC_NEW] = proc_new,
	[KCALL_PROC_START] = proc_change,
	[KCALL_PROC_EXEC] = proc_change,
	[KCALL_PROC_END] = proc_end,
	[KCALL_PROC_SIGNAL] = proc_mark,
	[KCALL_PROC_STOP] = proc_mark,
	[KCALL_THREAD_END] = proc_mark,
	[KCALL_POWER_OFF] = power_off,
	[KCALL_MEMORY] = memory_report,
	[KCALL_PROC_MADE] = proc_made,
	[KCALL_PROC_TIMES] = proc_times,
	[KCALL_THREAD_AFFINITY] = thread_affinity,
	[KCALL_SPACE_MAP] = space_map,
	[KCALL_SPACE_UNMAP] = space_unmap,
	[KCALL_SPACE_PROTECT] = space_protect,
	[KCALL_SPACE_WRITE] = space_write,
	[KCALL_SPACE_SHARE] = space_share,
	[KCALL_SPACE_FAULT] = space_fault,
	[KCALL_SPACE_PRESENT] = space_present,
};

long xinim_kcall6(long number, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if (number < 0 || number >= KCALL_COUNT || !emulations[number])
		return -ENOSYS;
	const struct call_made call = { number, { a0, a1, a2, a3, a4, a5 } };
	pthread_mutex_lock(&lock);
	long result = emulations[number](&call);
	pthread_mutex_unlock(&lock);
	return result;
}

uint64_t counter_hz(void) { return COUNTER_HZ; }

uint64_t counter_ticks(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * COUNTER_HZ + (uint64_t)t.tv_nsec / (1000000000 / COUNTER_HZ);
}

// ---- the tests' side

void host_kcalls_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(pages, 0, sizeof(pages));
	typed_head += typed.used;	// positions never go back, as the kernel's
	console.used = debug_log.used = typed.used = 0;
	console.bytes[0] = debug_log.bytes[0] = '\0';
	boot_args[0] = '\0';
	proc_calls_made = 0;
	ended_count = 0;
	memset(made, 0, sizeof(made));
	memset(cpu, 0, sizeof(cpu));
	pthread_mutex_unlock(&lock);
}

void host_proc_times_set(xinim_endpoint_t who, uint64_t user_ns, uint64_t system_ns)
{
	pthread_mutex_lock(&lock);
	unsigned pid = xinim_endpoint_pid(who);
	if (pid < XINIM_PROCS_MAX)
		cpu[pid] = (struct host_cpu){ who, { user_ns, system_ns } };
	pthread_mutex_unlock(&lock);
}

unsigned host_pages_used(void)
{
	unsigned count = 0;
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < HOST_PAGES; i++)
		count += pages[i].owner != 0;
	pthread_mutex_unlock(&lock);
	return count;
}

const struct host_page *host_page_at(xinim_endpoint_t owner, uint64_t va)
{
	pthread_mutex_lock(&lock);
	const struct host_page *p = page_find(owner, va);
	pthread_mutex_unlock(&lock);
	return p;
}

unsigned host_pages_of(xinim_endpoint_t owner)
{
	unsigned count = 0;
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < HOST_PAGES; i++)
		count += owner && pages[i].owner == owner;
	pthread_mutex_unlock(&lock);
	return count;
}

const char *host_console_text(void) { return console.bytes; }
const char *host_debug_text(void) { return debug_log.bytes; }

void host_boot_args_set(const char *line)
{
	pthread_mutex_lock(&lock);
	strncpy(boot_args, line ? line : "", sizeof(boot_args) - 1);
	pthread_mutex_unlock(&lock);
}

unsigned host_proc_calls(struct host_proc_call *out, unsigned max)
{
	pthread_mutex_lock(&lock);
	unsigned kept = proc_calls_made < HOST_PROC_CALLS ? proc_calls_made : HOST_PROC_CALLS;
	unsigned first = proc_calls_made - kept, count = 0;
	for (; count < max && count < kept; count++)
		out[count] = proc_calls[(first + count) % HOST_PROC_CALLS];
	pthread_mutex_unlock(&lock);
	return count;
}
