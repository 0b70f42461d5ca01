// The QEMU search, through /proc.
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "qemu_find.h"

#define RAM_FILE_PREFIX "/dev/shm/xinim-ram."
#define REMOVED_SUFFIX " (deleted)"

// The target of /proc/pid/what in out; false if it cannot be read.
static bool proc_link(pid_t pid, const char *what, char *out, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	ssize_t n = readlink(path, out, size - 1);
	if (n < 0)
		return false;
	out[n] = '\0';
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

bool process_is_qemu(pid_t pid)
{
	char target[4096];
	if (!proc_link(pid, "exe", target, sizeof(target)))
		return false;
	const char *base = strrchr(target, '/');
	return !strncmp(base ? base + 1 : target, QEMU_PROGRAM, strlen(QEMU_PROGRAM));
}

static bool is_traced_qemu(pid_t pid)
{
	char path[64], target[4096];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (stat(path, &st) || st.st_uid != getuid() || !process_is_qemu(pid))
		return false;
	return proc_link(pid, "fd/4", target, sizeof(target)) &&
	       !strncmp(target, RAM_FILE_PREFIX, strlen(RAM_FILE_PREFIX)) &&
	       ends_with(target, REMOVED_SUFFIX);
}

pid_t qemu_find(void)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return 0;
	pid_t found[16];
	size_t count = 0;
	for (struct dirent *e; (e = readdir(proc)) && count < sizeof(found) / sizeof(found[0]);) {
		pid_t pid = isdigit((unsigned char)e->d_name[0]) ? (pid_t)atoi(e->d_name) : 0;
		if (pid && is_traced_qemu(pid))
			found[count++] = pid;
	}
	closedir(proc);
	for (size_t i = 0; count > 1 && i < count; i++)
		fprintf(stderr, "xinim-console: QEMU with traced RAM: PID %d\n", found[i]);
	return count > 1 ? -1 : count ? found[0] : 0;
}

bool process_running(pid_t pid)
{
	char path[64], stat_line[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool read = fgets(stat_line, sizeof(stat_line), f) != NULL;
	fclose(f);
	const char *after_name = read ? strrchr(stat_line, ')') : NULL;	// the name may hold ')'
	return after_name && after_name[1] == ' ' && after_name[2] != 'Z' && after_name[2] != 'X';
}
