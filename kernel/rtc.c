// The PL031 real-time clock (ARM DDI 0224): RTCDR is the seconds since the epoch that
// QEMU's virt machine starts at the host's UTC time. The kernel reads it once, at boot;
// from then on the counter tells how much time passed, and PM adds clock_settime's
// changes. time_base is written before any process runs and only read after.
#include <errno.h>
#include <xinim/format.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/rtc.h>

#define PL031_DR 0x000		// data register: the seconds since the epoch
#define PL031_SIZE 0x1000

static struct xinim_time_base time_base;

#define SECONDS_A_DAY 86400

// Year, month and day of a day count since 1970-01-01 (the proleptic Gregorian
// calendar, in eras of 400 years that start on March 1st).
static void civil_date(uint64_t days, unsigned *year, unsigned *month, unsigned *day)
{
	uint64_t z = days + 719468;	// days from 0000-03-01
	uint64_t era = z / 146097, day_of_era = z % 146097;
	uint64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
				day_of_era / 146096) / 365;
	uint64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
					     year_of_era / 100);
	uint64_t shifted_month = (5 * day_of_year + 2) / 153;	// 0 is March
	*day = (unsigned)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
	*month = (unsigned)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
	*year = (unsigned)(year_of_era + era * 400 + (*month <= 2));
}

// "YYYY-MM-DD hh:mm:ss" of seconds since 1970-01-01 UTC.
static void rtc_format(uint64_t seconds, char *out, size_t size)
{
	unsigned year, month, day, rest = (unsigned)(seconds % SECONDS_A_DAY);
	civil_date(seconds / SECONDS_A_DAY, &year, &month, &day);
	ksnprintf(out, size, "%04u-%02u-%02u %02u:%02u:%02u", year, month, day, rest / 3600,
		  rest / 60 % 60, rest % 60);
}

void rtc_init(uint64_t base)
{
	if (!base) {
		klog(LOGLEVEL_INFO, "rtc: none in the DTB: real time starts at the epoch");
		return;
	}
	volatile uint32_t *rtc = mmio_map(base, PL031_SIZE);
	time_base.epoch_seconds = rtc[PL031_DR / 4];
	time_base.counter = counter_now();
	char date[24];
	rtc_format(time_base.epoch_seconds, date, sizeof(date));
	klog(LOGLEVEL_INFO, "rtc: pl031 at %lx, %s UTC", base, date);
}

long rtc_kcall_base(struct trapframe *frame)
{
	return copy_to_user(frame->x[0], &time_base, sizeof(time_base)) ? -EFAULT : 0;
}
