// What /proc tells of each process's memory (XINIM_MM_USAGE, PM's call when VFS wants
// the process table): the bytes of its regions (Linux's VmSize), its pages present
// (VmRSS, asked of the kernel: KCALL_SPACE_PRESENT) and its heap; and one process's
// /proc/PID/maps, its regions as Linux's lines. Both are written into PM's memory.
#include <string.h>
#include <xinim/format.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include <xinim/vdso.h>
#include "mm.h"

static uint64_t min_pages(uint64_t a, uint64_t b) { return a < b ? a : b; }

// The pages one report may look at (4 GiB of address space): a process that maps
// terabytes it never touches must not keep MM asking the kernel for seconds (RS would
// find it hung). Past it, pages are not counted: VmRSS falls short, nothing worse.
#define PAGES_LOOKED_MAX (UINT64_C(1) << 20)
static uint64_t looked;

static uint64_t pages_present(const struct space *s, const struct region *r)
{
	static uint8_t present[PRESENT_MAX];
	uint64_t count = 0, pages = (r->end - r->start) / MM_PAGE;
	if (!(r->prot & MM_PROT_ALL))
		return 0;	// PROT_NONE (guards, reservations): not looked at
	pages = min_pages(pages, PAGES_LOOKED_MAX - looked);
	looked += pages;
	for (uint64_t done = 0; done < pages;) {
		uint64_t n = pages - done < PRESENT_MAX ? pages - done : PRESENT_MAX;
		if (xinim_kcall4(KCALL_SPACE_PRESENT, s->owner, (long)(r->start + done * MM_PAGE),
				 (long)n, (long)present))
			break;
		for (uint64_t i = 0; i < n; i++)
			count += present[i] & 1;
		done += n;
	}
	return count;
}

static struct xinim_mm_usage usage_of(const struct space *s)
{
	struct xinim_mm_usage u = { .pid = xinim_endpoint_pid(s->owner),
				    .brk_start = s->brk_base, .brk = s->brk };
	for (const struct region *r = regions_next(mm_pool, &s->regions, 0); r;
	     r = regions_next(mm_pool, &s->regions, r->end)) {
		u.vm_bytes += r->end - r->start;
		u.rss_pages += pages_present(s, r);
	}
	return u;
}

// The name Linux gives a region that maps no file.
static const char *region_name(const struct space *s, const struct region *r)
{
	if (r->end == XINIM_USER_TOP)
		return "[stack]";
	if (r->prot & REGION_VVAR)
		return "[vvar]";
	if (r->start == XINIM_VDSO)
		return "[vdso]";
	if (r->start == page_up(s->brk_base) && s->brk > s->brk_base)
		return "[heap]";
	return "";
}

// s's regions as /proc/PID/maps lines, cut at size bytes: its length.
static size_t maps_text(const struct space *s, char *text, size_t size)
{
	size_t length = 0;
	for (const struct region *r = regions_next(mm_pool, &s->regions, 0); r && length < size;
	     r = regions_next(mm_pool, &s->regions, r->end)) {
		const char *name = region_name(s, r);
		length += ksnprintf(text + length, size - length,
				    "%08lx-%08lx %c%c%c%c 00000000 00:00 0 %s%s\n",
				    (unsigned long)r->start, (unsigned long)r->end,
				    r->prot & PROT_READ ? 'r' : '-', r->prot & PROT_WRITE ? 'w' : '-',
				    r->prot & PROT_EXEC ? 'x' : '-', r->prot & MM_SHARED ? 's' : 'p',
				    *name ? "                          " : "", name);
	}
	return length < size ? length : size;
}

long mm_usage(const struct ipc_request *request, struct xinim_msg *reply)
{
	looked = 0;
	struct xinim_mm_usage_ask ask;
	memcpy(&ask, request->msg.payload, sizeof(ask));
	xinim_endpoint_t pm = request->msg.header.source;
	if (xinim_endpoint_pid(pm) != XINIM_PID_PM)
		return -EPERM;
	long count = 0;
	for (unsigned pid = 1; pid < XINIM_PROCS_MAX && (uint32_t)count < ask.count; pid++) {
		const struct space *s = space_at(pid);
		if (!s)
			continue;
		struct xinim_mm_usage u = usage_of(s);
		if (ipc_copy_to(pm, ask.at + (uint64_t)count * sizeof(u), &u, sizeof(u)))
			return -EFAULT;
		count++;
	}
	static char text[16384];
	uint32_t length = 0;
	const struct space *s = ask.maps_pid < XINIM_PROCS_MAX ? space_at(ask.maps_pid) : NULL;
	if (s) {
		size_t size = ask.maps_size < sizeof(text) ? ask.maps_size : sizeof(text);
		length = (uint32_t)maps_text(s, text, size);
		if (ipc_copy_to(pm, ask.maps_at, text, length))
			return -EFAULT;
	}
	memcpy(reply->payload, &length, sizeof(length));
	reply->header.length = sizeof(length);
	return count;
}
