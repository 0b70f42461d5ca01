#pragma once
// Kernel calls: `svc #1` with x8 = the call's number and arguments in x0..x5; the result
// comes back in x0 (a negative errno on failure). Linux system calls use `svc #0` and
// never reach this table. Each call needs a capability class (kernel/kcall.c).
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

#define XINIM_SVC_LINUX 0
#define XINIM_SVC_KCALL 1

enum kcall {
	// Temporary debug calls, for test programs before the servers exist; only programs
	// the boot table marks may make them.
	KCALL_DEBUG_WRITE = 1,	// (const char *text, size_t length) -> length; to the console
	KCALL_DEBUG_EXIT = 2,	// (int status): ends the calling process
	KCALL_DEBUG_CPU = 3,	// () -> the CPU the caller runs on
	KCALL_DEBUG_YIELD = 4,	// () -> 0: gives up the rest of the time slice
	KCALL_DEBUG_SLEEP = 5,	// (unsigned long microseconds) -> 0: blocks at least that long
	KCALL_DEBUG_PIN = 6,	// (unsigned cpu) -> 0: the caller runs on that CPU only

	// IPC (docs/architecture.md, The primitives); every process may make them, the
	// endpoint capabilities decide what may move. Timeouts are in microseconds,
	// XINIM_WAIT_FOREVER or 0 (do not wait); a call that waits that long fails with
	// -ETIMEDOUT.
	KCALL_IPC_SELF = 16,	// () -> the caller's own endpoint
	KCALL_IPC_LOOKUP = 17,	// (unsigned pid) -> the endpoint of pid's live instance
	KCALL_IPC_CHANNEL = 18,	// (endpoint peer, enum xinim_direction, struct xinim_channel *out)
	KCALL_IPC_CALL = 19,	// (struct xinim_msg *in_out, timeout) -> 0; the reply replaces it
				//   (timeout 0 is -EINVAL: a call always waits for its reply)
	KCALL_IPC_SEND = 20,	// (const struct xinim_msg *, timeout) -> 0 once received
	KCALL_IPC_RECEIVE = 21,	// (struct xinim_msg *out, timeout) -> 0 for a send or a
				//   notification, XINIM_RECEIVED_CALL for a call; x1 = the badge
	KCALL_IPC_REPLY = 22,	// (const struct xinim_msg *) -> 0; to a caller blocked on us,
				//   named by header.dest and the call's header.id
	KCALL_IPC_NOTIFY = 23,	// (endpoint dest, uint64_t bits) -> 0; never blocks
	KCALL_IPC_REJECTED = 24,	// (const struct xinim_msg_header *, enum xinim_trace_verdict)
				//   -> 0: traces a message the caller's codec refused
	KCALL_IPC_REPLY_RECEIVE = 25,	// (const struct xinim_msg *reply, struct xinim_msg *out,
				//   timeout): a reply, then a receive; the reply's error if it fails

	KCALL_TRACE_READ = 32,	// (struct xinim_trace_record *out, unsigned max) -> records read
	// Servers: memory of a process with a thread blocked in a call to the server (one it
	// took and has not answered), at most XINIM_COPY_MAX bytes a call. 0, -ESRCH (no such
	// caller), -EFAULT, -EINVAL.
	KCALL_COPY_TO = 48,	// (endpoint caller, void *there, const void *here, size_t n)
	KCALL_COPY_FROM = 49,	// (endpoint caller, const void *there, void *here, size_t n)
	// A fault in the caller's memory is resolved by MM (XINIM_MM_FAULT), then the copy
	// goes on; -EFAULT when MM cannot resolve it.

	// The console (VFS's /dev/console): writes length bytes -> length. id (the request's,
	// 0: none) and position (of the bytes in it) make a write done again after a VFS
	// restart show only what was not shown yet.
	KCALL_CONSOLE_WRITE = 56,	// (const char *text, size_t length, id, position)
	// What the boot loader gave: the boot archive, for VFS's ramfs, and the command line.
	KCALL_BOOT_ARCHIVE = 57,	// (size_t offset, void *here, size_t n) -> bytes copied
				//   (0 at the end); n = 0 -> the archive's size
	KCALL_BOOT_ARGS = 58,	// (char *here, size_t size) -> the command line's length;
				//   copied NUL-terminated, cut to size

	// Processes (PM). A process made by KCALL_PROC_NEW has an empty address space, built
	// by MM, and no capabilities; its system calls are its only way out.
	KCALL_PROC_NEW = 64,	// (unsigned pid or 0 for any, const char *name) -> endpoint;
				//   PM names the PIDs (a zombie's stays taken): -EBUSY if held
	KCALL_PROC_START = 65,	// (endpoint, entry, sp) -> 0: its first thread runs
	KCALL_PROC_EXEC = 66,	// (endpoint, entry, sp, const char *name, unsigned tid) -> 0:
				//   when thread tid's current system call returns, it starts
				//   afresh at entry with every register zero, named name (for the
				//   log and the trace); its other threads end
	KCALL_PROC_END = 67,	// (endpoint, status) -> 0: ends it at once if it never ran, else
				//   as it next returns to EL0: an IPC wait (call, receive,
				//   system call) is withdrawn first; -ESRCH once it is gone
				//   whole (its memory free: XINIM_NOTE_GONE tells PM when)
	KCALL_RANDOM = 68,	// (void *here, size_t n <= 256) -> n bytes from the kernel's CSPRNG
	// Supervised servers (RS, docs/resurrection.md): how the last instance of pid ended,
	// once it is gone whole (struct xinim_death, include/xinim/ipc/rs.h), read once;
	// and its restart from the boot image with the same PID and boot-table row.
	KCALL_PROC_DEATH = 69,	// (unsigned pid, struct xinim_death *out) -> 0, -ENOENT
				//   (no death, or the process is not gone whole yet)
	KCALL_PROC_RESTART = 70,	// (unsigned pid) -> the new instance's endpoint, or
				//   -EINVAL (not supervised), -EBUSY (an instance lives)
	// A supervised server's kept memory, mapped read-write at va, in place of any page
	// of the caller's there (NET's is part of its image: servers/net/kept.ld): 1 with
	// an earlier instance's contents, 0 the first time (zeroed); -EINVAL for another
	// length than the first instance's, -EPERM if the caller is not supervised.
	KCALL_KEEP = 71,	// (void *va, size_t length <= 64 MiB)

	// The machine (PM: when init has ended, and reboot(2)): how, enum xinim_power: PSCI
	// SYSTEM_OFF, SYSTEM_RESET, or every CPU halted (the machine stays on, silent).
	// Does not return; -EOPNOTSUPP when the machine has no PSCI for it, -EINVAL for
	// another how.
	KCALL_POWER_OFF = 72,	// (enum xinim_power how)
	// The machine's memory and CPUs (PM, for sysinfo; VFS, for the size of its pool of
	// file blocks and /proc): struct xinim_memory -> 0.
	KCALL_MEMORY = 73,	// (struct xinim_memory *out)
	// The processes KCALL_PROC_NEW made that are not gone whole, by PID (PM's restart:
	// a start cut short by its death left one it kept no record of).
	KCALL_PROC_MADE = 74,	// (struct xinim_proc_made *out, unsigned max) -> how many
	// Signals (PM decides, docs/processes.md): the process's thread tid calls PM
	// (XINIM_PM_SIGNAL) before it next returns to EL0: after the reply to a call it
	// waits for, or at its next interrupt. The answer names the server whose answer to
	// a system call the thread waits for (0: none), which PM may ask to cut it short.
	KCALL_PROC_SIGNAL = 75,	// (endpoint, unsigned tid) -> server's PID or 0, -ESRCH
	// Stops (stop 1) or continues (stop 0) the process: a stopped thread waits before it
	// returns to EL0 (a call it waits in goes on).
	KCALL_PROC_STOP = 76,	// (endpoint, int stop) -> 0, -ESRCH
	// Ends one thread of a process PM made, as KCALL_PROC_END ends them all.
	KCALL_THREAD_END = 77,	// (endpoint, unsigned tid) -> 0, -ESRCH
	// A process's CPU time so far (kernel/cputime.c: timer ticks it was running at).
	KCALL_PROC_TIMES = 78,	// (endpoint, struct xinim_proc_times *out, unsigned tid) -> 0:
				//   the process's (tid 0) or that thread's; -ESRCH
	// The 32-bit word at va in the process's memory changed atomically (PM's
	// FUTEX_WAKE_OP): op 0 set, 1 add, 2 or, 3 and-not, 4 xor, with arg; its page is
	// faulted in first (MM) if it is not writable yet.
	KCALL_PROC_ATOMIC = 79,	// (endpoint, va, op, uint32_t arg) -> the old value, -EFAULT,
				//   -EINVAL (unaligned, another op), -ESRCH

	// Address spaces of processes made by KCALL_PROC_NEW (MM); page-aligned ranges,
	// prot is PROT_READ | PROT_WRITE | PROT_EXEC bits, never writable and executable.
	KCALL_SPACE_MAP = 80,	// (endpoint, va, length, prot) -> 0: fresh zeroed pages
				//   where none are mapped
	KCALL_SPACE_UNMAP = 81,	// (endpoint, va, length) -> 0
	KCALL_SPACE_PROTECT = 82,	// (endpoint, va, length, prot) -> 0; prot 0: no access
	KCALL_SPACE_WRITE = 83,	// (endpoint, void *there, const void *here, size_t n) -> 0;
				//   there must be writable, n <= XINIM_COPY_MAX
	// A fork, and what MM moves or attaches: every present page of [va, va + length) in
	// from is mapped at to_va + (its offset) in to, its frame shared: copy-on-write,
	// read-only in both, unless it was mapped XINIM_PROT_SHARED (then as it is, writable
	// too). A page to has there already stays (a share done again); from may be to if
	// the ranges do not overlap (-EINVAL). A copy-on-write frame is never writable:
	// PROTECT leaves it read-only, and FAULT copies it at the first write.
	KCALL_SPACE_SHARE = 84,	// (endpoint from, endpoint to, va, length, to_va) -> 0
	// A fault MM resolves: the page at va mapped with prot, a zeroed frame if none was
	// there, a private copy first if prot allows writing and its frame is shared
	// copy-on-write.
	KCALL_SPACE_FAULT = 85,	// (endpoint, va, prot) -> 0
	// Which pages of [va, va + pages * 4 KiB) are mapped: out[i] = 1 or 0 (mincore).
	KCALL_SPACE_PRESENT = 86,	// (endpoint, va, size_t pages <= 256, uint8_t *out) -> 0

	// The stack pointer thread tid of a process PM made had at EL0 when it made the
	// system call it now waits in, a call to the caller (PM's sigaltstack: whether it
	// runs on its alternate stack).
	KCALL_THREAD_SP = 90,	// (endpoint, unsigned tid) -> sp, or -ESRCH
	// The CPU thread tid of a process PM made runs on (getcpu).
	KCALL_THREAD_CPU = 91,	// (endpoint, unsigned tid) -> CPU number, or -ESRCH
	// The real-time clock as the kernel read it at boot (PM's CLOCK_REALTIME): struct
	// xinim_time_base -> 0; epoch_seconds 0 when the machine has no RTC.
	KCALL_TIME_BASE = 92,	// (struct xinim_time_base *out)
	// Console input (VFS): the kernel's 4 KiB input ring, which the UART's interrupt
	// fills (XINIM_NOTE_CONSOLE_INPUT tells VFS). Positions count the bytes since boot:
	// up to n bytes from position on are copied, and those before position leave the
	// ring (VFS says so once its kept state holds them: each byte is taken once, whatever
	// VFS restarts) -> bytes, 0 when none; n 0 -> the oldest byte's position; -ERANGE
	// for a position the ring does not hold. Never waits.
	KCALL_CONSOLE_READ = 93,	// (char *here, size_t n, uint64_t position)
	// The kernel log (include/xinim/klog.h, docs/boot.md): servers' lines, at a level
	// (enum xinim_log_level), each line of text one line of the log (the last newline
	// optional, a line cut at XINIM_LOG_LINE_MAX) -> length; -EINVAL (level past 7,
	// length past 1024), -EFAULT (then nothing is logged).
	KCALL_LOG_WRITE = 95,	// (unsigned level, const char *text, size_t length)
	// syslog(2)'s actions on the log, for PM to serve it (it checks the caller may):
	// enum xinim_syslog_action, answered as Linux's do_syslog, except that READ never
	// waits: 0 when nothing is unread.
	KCALL_SYSLOG = 96,	// (int action, char *buffer, size_t len)
	// The CPUs a thread of a process PM made may run on (sched_setaffinity), a bit each;
	// fork and clone give a new thread its creator's.
	KCALL_THREAD_AFFINITY = 97,	// (endpoint, unsigned tid, uint64_t cpus; 0: only ask)
					// -> the CPUs before, -ESRCH, -EINVAL (none online)

	// Devices, for user-space drivers (KCAP_DEVICE; docs/net.md, Device access). A
	// driver's boot-table row names one DTB `compatible`; index counts the DTB's nodes
	// of it, in DTB order. The machine has no IOMMU: a device writes wherever its driver
	// tells it, so a driver holding this capability is trusted with all memory.
	KCALL_DEVICE_INFO = 100,	// (unsigned index, struct xinim_device *out) -> 0,
					// -ENOENT past the last, -EFAULT
	// Its registers mapped read-write as device memory (nGnRE) at va (page-aligned,
	// nothing there yet), whole pages: [base rounded down, base + size rounded up).
	// -EINVAL for a va unaligned, past user space or over anything mapped. The kernel
	// never copies to or from device memory: a system call given it gets -EFAULT.
	KCALL_DEVICE_MAP = 101,		// (unsigned index, void *va) -> 0, -ENOENT, -EINVAL
	// Its interrupt arrives as the notification bits (from XINIM_ENDPOINT_KERNEL), and is
	// masked at the GIC as it arrives until KCALL_DEVICE_IRQ_ACK: the driver clears
	// the device's cause, then unmasks. bits 0 unbinds. -ENOENT (no such device, or it
	// has no shared interrupt), -EBUSY (another process holds it: one at a time); the
	// ack -EPERM when the caller does not hold it. A process that ends lets go of its.
	KCALL_DEVICE_IRQ_BIND = 102,	// (unsigned index, uint64_t bits) -> 0
	KCALL_DEVICE_IRQ_ACK = 103,	// (unsigned index) -> 0
	// Physically contiguous memory mapped read-write at va (page-aligned, nothing there
	// yet), *phys its first byte's physical address: 1 with an earlier instance's frames,
	// 0 fresh and zeroed. Kept for a supervised driver's PID like KCALL_KEEP, because its
	// device may go on writing into them after its driver died (the next instance resets
	// the device before anything else); freed with any other process. One region a
	// process (a second: -EBUSY); -EINVAL for another length than the first instance's,
	// a length not a whole number of pages, or a va unaligned or over anything mapped;
	// -EFAULT (phys), -ENOMEM.
	KCALL_DMA_ALLOC = 104,		// (void *va, size_t length <= 4 MiB, uint64_t *phys)

	// Grants (docs/net.md, Grants; MINIX 3's safecopies): a server lets another copy the
	// memory of a caller parked on it. The grant names the caller's system call (its
	// endpoint and the call's message id; the call must be one the granter took and has
	// not answered), the range, the access and the one endpoint that may use it; it ends
	// when the granter answers that call, when the call is withdrawn (the caller ended
	// or was interrupted), with KCALL_GRANT_END, or when the granter dies.
	KCALL_GRANT_MAKE = 105,		// (endpoint caller, uint64_t call_id, endpoint grantee,
					//  uint64_t va, size_t length, unsigned access) -> a
					//  grant (> 0); -ESRCH no such call, -ENOSPC more than
					//  XINIM_GRANTS_PER_CALL on it, -EINVAL
	// The grantee's copy: n <= XINIM_COPY_MAX bytes at offset in the grant, access
	// XINIM_GRANT_READ copying from the granted range into here, XINIM_GRANT_WRITE here
	// into the range. 0; -ESRCH (the grant ended), -EPERM (not the grantee, or an access
	// the grant has not), -EINVAL (past the range), -EFAULT (MM could not resolve it).
	KCALL_GRANT_COPY = 106,		// (uint64_t grant, uint64_t offset, void *here, size_t n,
					//  unsigned access)
	KCALL_GRANT_END = 107,		// (uint64_t grant) -> 0, -ESRCH; the granter's only
	KCALL_COUNT
};

// With the prot of KCALL_SPACE_MAP and _FAULT: the pages' frames are shared writable
// (MAP_SHARED, System V shm), never copied on write; SHARE gives them as they are.
#define XINIM_PROT_SHARED 8
// As the endpoint of KCALL_SPACE_*: the caller's store, a space of no process that the
// kernel keeps for the caller's PID across its instances, never run (MM's System V
// shared memory segments live there while no process has them attached).
#define XINIM_SPACE_STORE ((xinim_endpoint_t)0)

#define XINIM_WAIT_FOREVER UINT64_MAX
#define XINIM_RECEIVED_CALL 1

// A channel is one direction between two endpoints.
enum xinim_direction {
	XINIM_TO_PEER = 0,	// the caller sends, the peer receives
	XINIM_FROM_PEER = 1,	// the peer sends, the caller receives
};

enum xinim_channel_flag {
	XINIM_CHANNEL_CLEAR = 1 << 0,	// sealing is off (boot argument ipc.seal=off)
};

#define XINIM_COPY_MAX (64 * 1024)

// What KCALL_DEVICE_INFO reports: a DTB node's first `reg` range and first interrupt.
struct xinim_device {
	uint64_t base;		// physical
	uint64_t size;
	uint32_t irq;		// the GIC's interrupt ID (an SPI: 32 + the DTB's number); 0 none
	uint32_t reserved;
};

// A grant's access (KCALL_GRANT_MAKE, KCALL_GRANT_COPY).
enum xinim_grant_access {
	XINIM_GRANT_READ = 1 << 0,	// the grantee reads the caller's range
	XINIM_GRANT_WRITE = 1 << 1,	// the grantee writes it
};

#define XINIM_GRANTS_PER_CALL 16

// What KCALL_POWER_OFF does.
enum xinim_power {
	XINIM_POWER_OFF = 0,
	XINIM_POWER_RESET = 1,
	XINIM_POWER_HALT = 2,
};

// What KCALL_MEMORY reports: RAM the kernel may hand out, and how much of it is free
// now (frames no process, no kernel table and no kernel stack holds).
struct xinim_memory {
	uint64_t total_bytes;
	uint64_t free_bytes;
	uint32_t cpus_online;	// the CPUs that schedule (sysconf's _SC_NPROCESSORS_ONLN)
	uint32_t cpus_present;	// those the machine has (its DTB)
};

// What KCALL_TIME_BASE reports: the RTC read epoch_seconds (seconds since 1970-01-01
// UTC) when the counter (CNTVCT_EL0) read counter.
struct xinim_time_base {
	uint64_t epoch_seconds;
	uint64_t counter;
};

// The real time, in ns since the epoch, at counter (ticks of hz a second), moved by
// offset ns (clock_settime's, in PM): the base's time plus the ticks since; never before
// 1970. PM's CLOCK_REALTIME and VFS's file times.
static inline int64_t xinim_realtime_ns(const struct xinim_time_base *base, int64_t offset,
					uint64_t counter, uint64_t hz)
{
	const int64_t ns = 1000000000;
	uint64_t since = counter > base->counter ? counter - base->counter : 0;
	int64_t at = (int64_t)base->epoch_seconds * ns + (int64_t)(since / hz) * ns +
		     (int64_t)(since % hz * (uint64_t)ns / hz) + offset;
	return at > 0 ? at : 0;
}

// What KCALL_PROC_TIMES reports (0 for a process that never ran a tick).
struct xinim_proc_times {
	uint64_t user_ns, system_ns;
};

// One process of KCALL_PROC_MADE.
struct xinim_proc_made {
	xinim_endpoint_t endpoint;
	uint32_t started;	// 1 once KCALL_PROC_START (or KCALL_PROC_END) was made for it
};

// What KCALL_IPC_CHANNEL hands out: the channel's 256-bit key and the 16-byte salt
// that starts every nonce (salt || 64-bit counter).
struct xinim_channel {
	uint8_t key[32];
	uint8_t salt[16];
	uint32_t flags;		// enum xinim_channel_flag
	uint32_t reserved;
};
