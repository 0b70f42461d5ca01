// The init of make bench's boots, on XINIM (init=/bin/bench_run PROGRAMS, tools/bench.sh)
// and on Linux (its initramfs's /init, tools/bench_linux.sh): runs each program its
// command line names (Linux's: the kernel's arguments after "--"; words the kernel does
// not take itself, such as nokaslr, come too and are skipped: only absolute paths run),
// one after the other, says how each ended, and powers the machine off. A static musl
// program, like the benchmarks it runs; on Linux /dev/console comes from devtmpfs, the
// initramfs has no /dev (XINIM's VFS has one: the mount fails, harmlessly).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// Before each program the machine idles this long (no host time: under -icount
// sleep=off the clock jumps), so that work left over from the one before (Linux's RCU
// callbacks and workers) does not land in the next one's loops: it moved Linux's
// pread_4k by 3 % between runs.
#define QUIET_NS 100000000

int main(int argc, char **argv)
{
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	int console = open("/dev/console", O_RDWR);
	if (console >= 0) {
		for (int fd = 0; fd < 3; fd++)
			dup2(console, fd);
		if (console > 2)
			close(console);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '/')
			continue;
		const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		char *const args[] = { (char *)name, NULL };
		int status = 0;
		nanosleep(&(struct timespec){ .tv_nsec = QUIET_NS }, NULL);
		pid_t pid = fork();
		if (pid == 0) {
			execv(argv[i], args);
			perror(argv[i]);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			printf("init: %s: not run\n", argv[i]);
		else if (WIFEXITED(status))
			printf("init: %s exit status %d\n", argv[i], WEXITSTATUS(status));
		else
			printf("init: %s killed by signal %d\n", argv[i], WTERMSIG(status));
	}
	printf("init: done\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
