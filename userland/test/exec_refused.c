// Runs as init over the malformed programs tests/boot/exec_refused.sh puts in /elf:
// execve must refuse each with the errno Linux gives and leave this process running as
// it was; then it execs a good program with arguments, which takes over PID 1.
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct refusal {
	const char *path;
	int error;
};

static const struct refusal refusals[] = {
	{ "/elf/empty", ENOEXEC },
	{ "/elf/not-elf", ENOEXEC },
	{ "/elf/truncated-header", ENOEXEC },
	{ "/elf/truncated-segments", ENOEXEC },
	{ "/elf/32-bit", ENOEXEC },
	{ "/elf/wrong-machine", ENOEXEC },
	{ "/elf/huge-phnum", ENOEXEC },
	{ "/elf/huge-file-size", ENOEXEC },
	{ "/elf/huge-segment", EINVAL },
	{ "/elf/overlapping-segments", EINVAL },
	{ "/elf/above-4-gib", ENOMEM },	// where MM has no room for its heap
	{ "/elf/not-executable", EACCES },
	{ "/elf", EACCES },
	{ "/elf/missing", ENOENT },
	{ (const char *)16, EFAULT },
};

#define ARG_STRLEN_MAX (128 * 1024)	// Linux's MAX_ARG_STRLEN, the NUL included
#define MANY 5000

static int failures;
static char *many[MANY + 4];

// execve(path, argv) must fail with error; what it says is one line.
static void refused(const char *label, const char *path, char *const argv[], int error)
{
	static char *const envp[] = { "HOME=/", NULL };
	int result = execve(path, argv, envp);
	int got = result == -1 ? errno : 0;
	bool ok = result == -1 && got == error;
	printf("execve %s: %s (want %s): %s\n", label, got ? strerror(got) : "it returned",
	       strerror(error), ok ? "ok" : "FAILED");
	failures += !ok;
}

int main(int argc, char **argv)
{
	(void)argc;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *r = &refusals[i];
		char *args[] = { (char *)"prog", NULL };
		refused((uintptr_t)r->path < 4096 ? "a bad path pointer" : r->path, r->path, args,
			r->error);
	}
	refused("a bad argv pointer", "/bin/hello-musl", (char *const *)16, EFAULT);
	// Linux's argument limits (8 MiB stack): a string of 128 KiB with its NUL at most,
	// 2 MiB of strings and pointers in all.
	static char too_long[ARG_STRLEN_MAX + 1], longest[ARG_STRLEN_MAX];
	memset(too_long, 'x', sizeof(too_long) - 1);
	memset(longest, 'x', sizeof(longest) - 1);
	char *one_too_long[] = { (char *)"prog", too_long, NULL };
	refused("an argument of 128 KiB and its NUL", "/bin/hello-musl", one_too_long, E2BIG);
	for (int i = 0; i < 17; i++)
		many[i] = longest;
	many[17] = NULL;
	refused("17 arguments of 128 KiB", "/bin/hello-musl", many, E2BIG);
	// Still this program, with its memory as it was.
	bool intact = getpid() == 1 && strcmp(argv[0], "/bin/exec_refused") == 0;
	printf("still running as pid %d: %s\n", (int)getpid(), intact ? "ok" : "FAILED");
	failures += !intact;
	printf("%d failures; now execve /bin/hello-musl\n", failures);
	fflush(stdout);
	// Within the limits: the longest string and thousands of arguments.
	many[0] = (char *)"/bin/hello-musl", many[1] = (char *)"after", many[2] = (char *)"exec";
	for (int i = 3; i < MANY + 3; i++)
		many[i] = (char *)"arg";
	many[MANY + 2] = longest;
	many[MANY + 3] = NULL;
	char *envp[] = { (char *)"HOME=/", NULL };
	execve(many[0], many, envp);
	printf("execve /bin/hello-musl: %s: FAILED\n", strerror(errno));
	return 1;
}
