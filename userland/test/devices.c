// The devices of /dev (docs/syscalls.md, The devices), run as PID 1
// (tests/boot/devices.sh): each one's type, numbers and mode as Linux has them, what a
// read and a write of each do, a read of /dev/urandom longer than VFS's slices, and the
// ioctls a non-tty refuses. It prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#define CHECK_PREFIX "devices: "
#include "check.h"

static const struct {
	const char *path;
	mode_t mode;
	unsigned major, minor;
} devices[] = {
	{ "/dev/null", 0666, 1, 3 },	{ "/dev/zero", 0666, 1, 5 },
	{ "/dev/full", 0666, 1, 7 },	{ "/dev/random", 0666, 1, 8 },
	{ "/dev/urandom", 0666, 1, 9 }, { "/dev/tty", 0666, 5, 0 },
	{ "/dev/console", 0600, 5, 1 },
};

static void numbers(void)
{
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		struct stat st, fst;
		int fd = open(devices[i].path, O_RDONLY);
		int ok = stat(devices[i].path, &st) == 0 && fd >= 0 && fstat(fd, &fst) == 0 &&
			 st.st_mode == (S_IFCHR | devices[i].mode) && fst.st_mode == st.st_mode &&
			 major(st.st_rdev) == devices[i].major &&
			 minor(st.st_rdev) == devices[i].minor && fst.st_rdev == st.st_rdev;
		char what[80];
		snprintf(what, sizeof(what), "%s: S_IFCHR %o, %u:%u", devices[i].path,
			 (unsigned)devices[i].mode, devices[i].major, devices[i].minor);
		check(ok, what);
		close(fd);
	}
}

#define MIB (1024 * 1024)

static void transfers(void)
{
	char buffer[64];
	int full = open("/dev/full", O_RDWR);
	memset(buffer, 'x', sizeof(buffer));
	check(read(full, buffer, sizeof(buffer)) == sizeof(buffer) && !buffer[0] &&
	      !buffer[sizeof(buffer) - 1], "/dev/full reads zeros");
	errno = 0;
	check(write(full, buffer, 1) == -1 && errno == ENOSPC, "/dev/full: a write is ENOSPC");
	struct termios t;
	errno = 0;
	check(ioctl(full, TCGETS, &t) == -1 && errno == ENOTTY && !isatty(full),
	      "TCGETS on /dev/full: ENOTTY");
	close(full);

	static unsigned char big[MIB];
	int urandom = open("/dev/urandom", O_RDWR);
	size_t same = 0;
	ssize_t got = read(urandom, big, MIB);
	for (size_t i = 1; i < MIB; i++)
		same += big[i] == big[0];
	check(got == MIB && same < MIB / 128, "/dev/urandom: 1 MiB in one read, not all alike");
	check(write(urandom, big, 100) == 100, "/dev/urandom takes a write and drops it");
	close(urandom);
	int random = open("/dev/random", O_RDONLY);
	unsigned char a[300], b[300];
	check(read(random, a, sizeof(a)) == sizeof(a) && read(random, b, sizeof(b)) == sizeof(b) &&
	      memcmp(a, b, sizeof(a)), "/dev/random: two reads differ");
	close(random);

	int tty = open("/dev/tty", O_RDWR);
	static const char line[] = "devices: through /dev/tty\n";
	check(write(tty, line, sizeof(line) - 1) == sizeof(line) - 1 && isatty(tty),
	      "/dev/tty writes the console and is a tty");
	close(tty);
}

int main(void)
{
	numbers();
	transfers();
	return check_summary();
}
