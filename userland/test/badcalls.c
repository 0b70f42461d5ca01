// Bad input to the kernel gets a clear error and the program goes on.
#include <errno.h>
#include <xinim/runtime.h>

static int failures;

static void expect(const char *what, long got, long want)
{
	print("badcalls: %s: %ld (%s)\n", what, got, got == want ? "ok" : "WRONG");
	failures += got != want;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	static const char text[] = "badcalls: a good write\n";
	expect("write from NULL", debug_write(0, 8), -EFAULT);
	expect("write from kernel memory", debug_write((const char *)0xffff000040080000UL, 8), -EFAULT);
	expect("write past the stack top", debug_write((const char *)(1UL << 47) - 4, 8), -EFAULT);
	expect("write of 1 MiB", debug_write(text, 1 << 20), -EINVAL);
	expect("unknown kernel call", xinim_kcall(999, 0, 0), -ENOSYS);
	expect("kernel call -1", xinim_kcall(-1, 0, 0), -ENOSYS);
	expect("Linux getpid (no servers yet)", linux_syscall(172, 0), -ENOSYS);
	expect("good write", debug_write(text, sizeof(text) - 1), sizeof(text) - 1);
	print("badcalls: %s\n", failures ? "FAIL" : "pass");
	return failures;
}
