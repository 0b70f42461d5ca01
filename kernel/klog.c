// The kernel log, as Linux's printk ring: every line of the kernel and of the servers
// goes into the ring; the console shows those whose level passes the console log level.
// log_lock orders the ring and the console alike (a line is on the console in the
// ring's order); it is taken with interrupts masked (interrupt handlers log), and not
// at all once a panic began on a CPU that cannot get it.
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/klog.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <xinim/format.h>
#include <xinim/logring.h>

#define LEVEL_PREFIX 3	// "<6>": what syslog(2) gives and the console does not show
#define PREFIX_MAX 36	// "<6>[" + the seconds (at most 20 digits) + ".004512] "
#define RECORD_MAX (PREFIX_MAX + XINIM_LOG_LINE_MAX + 1)
#define LOG_WRITE_MAX 1024	// a server's line is at most 256 bytes (print.c)
#define COPY_CHUNK 256

static struct xinim_log_ring ring __attribute__((aligned(PAGE_SIZE)));
static struct spinlock log_lock;
static uint64_t read_from;	// SYSLOG_READ's place: what it has not taken yet
static uint64_t clear_from;	// READ_ALL's lowest place (SYSLOG_CLEAR moves it)
static int console_level = XINIM_CONSOLE_LOGLEVEL_DEFAULT;
static int saved_console_level = -1;	// CONSOLE_OFF's, until CONSOLE_ON (-1: none)

void klog_init(const char *cmdline)
{
	char value[4];
	if (cmdline_has(cmdline, "quiet"))
		console_level = XINIM_CONSOLE_LOGLEVEL_QUIET;
	if (cmdline_get(cmdline, "loglevel", value, sizeof(value)) && value[0] >= '0' &&
	    value[0] <= '0' + XINIM_CONSOLE_LOGLEVEL_MAX && !value[1])
		console_level = value[0] - '0';
	logring_init(&ring);
}

// Returns whether the lock was taken: not when a panic runs and another CPU holds it.
static bool log_enter(uint64_t *daif)
{
	*daif = irq_save();
	if (!panic_running()) {
		spin_lock(&log_lock);
		return true;
	}
	return spin_trylock(&log_lock);
}

static void log_leave(bool took, uint64_t daif)
{
	if (took)
		spin_unlock(&log_lock);
	irq_restore(daif);
}

// One line of text (no newline in it) at level: into the ring, and to the console when
// its level passes.
static void log_line(enum xinim_log_level level, const char *text, size_t length)
{
	char record[RECORD_MAX];
	uint64_t seconds, micros, daif;
	counter_to_time(counter_now(), &seconds, &micros);
	if (length > XINIM_LOG_LINE_MAX)
		length = XINIM_LOG_LINE_MAX;
	size_t n = ksnprintf(record, sizeof(record), "<%u>[%5lu.%06lu] ", (unsigned)level & 7,
			     seconds, micros);
	memcpy(record + n, text, length);
	n += length;
	record[n++] = '\n';
	bool took = log_enter(&daif);
	if (took)
		logring_put(&ring, record, n);
	if ((int)level < console_level)
		console_write(record + LEVEL_PREFIX, n - LEVEL_PREFIX);
	log_leave(took, daif);
}

void klog(enum xinim_log_level level, const char *fmt, ...)
{
	char text[XINIM_LOG_LINE_MAX + 1];
	va_list args;
	va_start(args, fmt);
	size_t length = kvsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	log_line(level, text, length);
}

// KCALL_LOG_WRITE (level, text, length): each line of the text a line of the log, the
// newline that ends the last one optional. The whole text is copied first: a bad
// pointer logs nothing.
long klog_kcall_write(struct trapframe *frame)
{
	uint64_t level = frame->x[0], from = frame->x[1];
	size_t length = frame->x[2];
	char text[LOG_WRITE_MAX];
	if (level > LOGLEVEL_DEBUG || length > LOG_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(text, from, length) != 0)
		return -EFAULT;
	for (size_t start = 0, end; start < length; start = end + 1) {
		for (end = start; end < length && text[end] != '\n'; end++)
			;
		if (end > start || end < length)
			log_line(level, text + start, end - start);
	}
	return (long)length;
}

// Copies [from, to) of the ring to the caller's buffer, a chunk at a time under the lock
// (copy_to_user may wait for MM); stops early if the ring overwrote the rest meanwhile.
// Returns the bytes copied, or -EFAULT.
static long copy_out(uint64_t buffer, uint64_t from, uint64_t to)
{
	char chunk[COPY_CHUNK];
	uint64_t done = 0, daif;
	while (from + done < to) {
		size_t want = to - from - done < sizeof(chunk) ? to - from - done : sizeof(chunk);
		bool took = log_enter(&daif);
		size_t got = logring_copy(&ring, from + done, chunk, want);
		log_leave(took, daif);
		if (!got)
			break;
		if (copy_to_user(buffer + done, chunk, got) != 0)
			return -EFAULT;
		done += got;
	}
	return (long)done;
}

static long syslog_read(uint64_t buffer, size_t len)
{
	uint64_t daif;
	bool took = log_enter(&daif);
	uint64_t from = logring_start(&ring, read_from, XINIM_LOG_SIZE);
	uint64_t to = from + len < ring.written ? from + len : ring.written;
	read_from = to;	// taken even if the copy fails, as Linux's syslog_print
	log_leave(took, daif);
	return copy_out(buffer, from, to);
}

// READ_ALL, and READ_CLEAR (clear): what is cleared is what was read, not a line that
// came meanwhile.
static long syslog_read_all(uint64_t buffer, size_t len, bool clear)
{
	uint64_t daif;
	bool took = log_enter(&daif);
	uint64_t from = logring_start(&ring, clear_from, len), to = ring.written;
	log_leave(took, daif);
	long n = copy_out(buffer, from, to);
	if (clear && n >= 0) {
		took = log_enter(&daif);
		if (clear_from < from + (uint64_t)n)
			clear_from = from + (uint64_t)n;
		log_leave(took, daif);
	}
	return n;
}

// The actions that change the log's state; each under the lock.
static long syslog_state(enum xinim_syslog_action action, size_t len)
{
	long result = 0;
	uint64_t daif;
	bool took = log_enter(&daif);
	switch (action) {
	case XINIM_SYSLOG_CLEAR:
		clear_from = ring.written;
		break;
	case XINIM_SYSLOG_CONSOLE_OFF:
		if (saved_console_level < 0) {
			saved_console_level = console_level;
			console_level = XINIM_CONSOLE_LOGLEVEL_MIN;
		}
		break;
	case XINIM_SYSLOG_CONSOLE_ON:
		if (saved_console_level >= 0) {
			console_level = saved_console_level;
			saved_console_level = -1;
		}
		break;
	case XINIM_SYSLOG_CONSOLE_LEVEL:
		console_level = (int)len;
		saved_console_level = -1;
		break;
	case XINIM_SYSLOG_SIZE_UNREAD:
		result = (long)(ring.written - logring_start(&ring, read_from, XINIM_LOG_SIZE));
		break;
	default:
		break;
	}
	log_leave(took, daif);
	return result;
}

// KCALL_SYSLOG (action, char *buffer, size_t len): syslog(2)'s actions on the log, as
// Linux's do_syslog answers them once the caller may (PM checks that); READ never
// waits (0 when nothing is unread).
long klog_kcall_syslog(struct trapframe *frame)
{
	uint64_t action = frame->x[0], buffer = frame->x[1];
	size_t len = frame->x[2];
	bool reads = action == XINIM_SYSLOG_READ || action == XINIM_SYSLOG_READ_ALL ||
		     action == XINIM_SYSLOG_READ_CLEAR;
	if (action >= XINIM_SYSLOG_ACTIONS || (reads && (!buffer || len > INT32_MAX)))
		return -EINVAL;
	if (action == XINIM_SYSLOG_CONSOLE_LEVEL &&
	    (len < XINIM_CONSOLE_LOGLEVEL_MIN || len > XINIM_CONSOLE_LOGLEVEL_MAX))
		return -EINVAL;
	switch (action) {
	case XINIM_SYSLOG_READ:
		return syslog_read(buffer, len);
	case XINIM_SYSLOG_READ_ALL:
	case XINIM_SYSLOG_READ_CLEAR:
		return syslog_read_all(buffer, len, action == XINIM_SYSLOG_READ_CLEAR);
	case XINIM_SYSLOG_SIZE_BUFFER:
		return XINIM_LOG_SIZE;
	default:
		return syslog_state(action, len);
	}
}
