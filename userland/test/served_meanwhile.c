// Started by the kernel beside the servers (tests/boot/served_meanwhile.sh): makes small
// calls in turn to VFS (read of fd 0, which VFS answers -EBADF: it has no table for a
// process PM did not start) and to PM (getpid) until DEADLINE_MS after boot, in guest
// time, while /bin/big_transfer, PID 1, makes one huge call to each. Prints its window
// and the slowest answer of each server.
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xinim/runtime.h>

#define DEADLINE_MS 1500	// after big_transfer's calls end

// Runs call once: the ticks it took, kept in *slowest if it is the slowest yet.
static void timed(long number, uint64_t *slowest)
{
	char byte;
	uint64_t start = counter_ticks();
	syscall(number, 0, &byte, 1);
	uint64_t took = counter_ticks() - start;
	*slowest = took > *slowest ? took : *slowest;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t hz = counter_hz(), start = counter_ticks(), end = hz * DEADLINE_MS / 1000;
	uint64_t vfs = 0, pm = 0;
	unsigned long calls = 0;
	for (; counter_ticks() < end; calls++) {
		timed(SYS_read, &vfs);
		timed(SYS_getpid, &pm);
	}
	print("served_meanwhile: from %lu to %lu ticks, %lu calls to each server; the slowest "
	      "VFS %lu us, PM %lu us\n", (unsigned long)start, (unsigned long)counter_ticks(),
	      calls, (unsigned long)(vfs * 1000000 / hz), (unsigned long)(pm * 1000000 / hz));
	return 0;
}
