// execve through PM and MM, each serving in its own thread: the test is the kernel
// delivering a process's execve. Hosted, PM's C library reads programs from Linux's own
// files (on XINIM its open and pread go to VFS), so the programs are files the test
// writes into a temporary directory: a good static AArch64 executable, and copies of it
// broken in the ways lib/elf.c must refuse.
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/vdso.h>
#include <mm/mm.h>
#include <pm/pm.h>
#include "harness.h"

#define ENTRY 0x401000
#define CODE_OFFSET 0x1000
#define DATA_OFFSET 0x2000
#define DATA_VA 0x403000
#define FILE_SIZE 0x2100
#define STACK_BOTTOM (XINIM_USER_TOP - (UINT64_C(8) << 20))

// A program file: its headers (the rest is zeros, "CODE" at the entry, "DATA" at the
// data segment), cut to size bytes.
struct program_file {
	Elf64_Ehdr header;
	Elf64_Phdr segments[2];
	size_t size;
};

static struct proc pm, mm;
static xinim_endpoint_t who;	// the test's process, a fresh one for each test
static char directory[] = "/tmp/xinim-pm-exec-XXXXXX";

// Code and headers (R X) from the file's start; data (R W), 0x100 bytes of it in the
// file and the rest .bss, two pages further.
static struct program_file good_program(void)
{
	return (struct program_file){
		.header = { .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
					 EV_CURRENT },
			    .e_type = ET_EXEC, .e_machine = EM_AARCH64, .e_version = EV_CURRENT,
			    .e_entry = ENTRY, .e_phoff = sizeof(Elf64_Ehdr),
			    .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
			    .e_phnum = 2 },
		.segments = {
			{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
			  .p_vaddr = 0x400000, .p_filesz = DATA_OFFSET, .p_memsz = DATA_OFFSET,
			  .p_align = 0x1000 },
			{ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = DATA_OFFSET,
			  .p_vaddr = DATA_VA, .p_filesz = 0x100, .p_memsz = 0x5000, .p_align = 0x1000 },
		},
		.size = FILE_SIZE,
	};
}

// Writes p as the file name in the test's directory with mode; its path (static).
static const char *program_write(const char *name, const struct program_file *p, mode_t mode)
{
	static char path[sizeof(directory) + 64];
	uint8_t bytes[FILE_SIZE] = { 0 };
	memcpy(bytes, &p->header, sizeof(p->header));
	memcpy(bytes + sizeof(p->header), p->segments, sizeof(p->segments));
	memcpy(bytes + CODE_OFFSET, "CODE", 4);
	memcpy(bytes + DATA_OFFSET, "DATA", 4);
	snprintf(path, sizeof(path), "%s/%s", directory, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, p->size), (ssize_t)p->size);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static long execve_call(const char *path, const char *const *argv, const char *const *envp)
{
	return SYSCALL(pm.endpoint, who, execve, ADDR(path), ADDR(argv), ADDR(envp));
}

static unsigned proc_calls_now(struct host_proc_call *last)
{
	struct host_proc_call calls[HOST_PROC_CALLS];
	unsigned count = host_proc_calls(calls, HOST_PROC_CALLS);
	if (count && last)
		*last = calls[count - 1];
	return count;
}

static int group_setup(void **state)
{
	(void)state;
	host_kcalls_reset();
	if (!mkdtemp(directory) || server_setup(&mm, XINIM_PID_MM, &mm_table) != 0)
		return -1;
	proc_start(&pm, XINIM_PID_PM, serve_table, (void *)&pm_table);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	server_stop(&pm);
	server_stop(&mm);
	char command[sizeof(directory) + 16];
	snprintf(command, sizeof(command), "rm -rf %s", directory);
	return system(command);
}

static int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	return 0;
}

static void test_execve_builds_the_space_through_mm_and_restarts_the_caller(void **state)
{
	(void)state;
	struct program_file program = good_program();
	const char *path = program_write("good", &program, 0755);
	static const char *const argv[] = { "good", "--flag", NULL }, *const envp[] = { "A=1", NULL };
	assert_int_equal(execve_call(path, argv, envp), 0);

	struct host_proc_call exec;
	proc_calls_now(&exec);
	assert_int_equal(exec.number, KCALL_PROC_EXEC);
	assert_int_equal(exec.target, who);
	assert_int_equal(exec.a, ENTRY);
	uint64_t sp = exec.b;
	assert_true(sp % 16 == 0 && sp > STACK_BOTTOM && sp < XINIM_USER_TOP);

	const struct space *s = space_of(who);
	assert_non_null(s);
	assert_int_equal(s->regions.count, 5);
	const struct { uint64_t start, end; unsigned prot; } expected[] = {
		{ 0x400000, 0x402000, PROT_READ | PROT_EXEC },
		{ DATA_VA, DATA_VA + 0x5000, PROT_READ | PROT_WRITE },
		// the clock page, then the vDSO and the sigreturn trampoline's page above it
		{ XINIM_VVAR, XINIM_VDSO, PROT_READ | MM_SHARED | REGION_VVAR },
		{ XINIM_VDSO, XINIM_SIGRETURN_TRAMPOLINE + 4096, PROT_READ | PROT_EXEC },
		{ STACK_BOTTOM, XINIM_USER_TOP, PROT_READ | PROT_WRITE },
	};
	const struct region *r = regions_next(mm_pool, &s->regions, 0);
	for (unsigned i = 0; i < 5; i++, r = regions_next(mm_pool, &s->regions, r->end)) {
		assert_non_null(r);
		assert_int_equal(r->start, expected[i].start);
		assert_int_equal(r->end, expected[i].end);
		assert_int_equal(r->prot, expected[i].prot);
	}
	assert_int_equal(s->brk_base, DATA_VA + 0x5000);	// the heap starts past .bss

	const struct host_page *code = host_page_at(who, ENTRY), *data = host_page_at(who, DATA_VA);
	assert_non_null(code);
	assert_memory_equal(code->bytes, "CODE", 4);
	assert_int_equal(code->prot, PROT_READ | PROT_EXEC);
	assert_non_null(data);
	assert_memory_equal(data->bytes, "DATA", 4);
	assert_null(host_page_at(who, DATA_VA + 0x1000));	// .bss comes at the first touch
	const struct host_page *vdso = host_page_at(who, XINIM_VDSO);
	const struct host_page *trampoline = host_page_at(who, XINIM_SIGRETURN_TRAMPOLINE);
	assert_non_null(vdso);
	assert_memory_equal(vdso->bytes, ELFMAG, SELFMAG);	// the vDSO's ELF header
	assert_non_null(trampoline);
	assert_memory_equal(trampoline->bytes, "\x68\x11\x80\xd2\x01\x00\x00\xd4", 8);

	const struct host_page *top = host_page_at(who, sp);
	uint64_t argc;
	assert_non_null(top);
	memcpy(&argc, top->bytes + sp % HOST_PAGE_SIZE, sizeof(argc));
	assert_int_equal(argc, 2);
}

// The kernel ends a process MM holds a space for: PM tells MM, which forgets it.
static void test_a_process_the_kernel_killed_is_forgotten_by_mm(void **state)
{
	(void)state;
	struct program_file program = good_program();
	const char *path = program_write("killed", &program, 0755);
	static const char *const argv[] = { "killed", NULL }, *const envp[] = { NULL };
	assert_int_equal(execve_call(path, argv, envp), 0);
	assert_non_null(space_of(who));
	struct xinim_pm_death d = { .who = who, .cause = XINIM_DEATH_FAULT, .signal = 11 };
	struct xinim_msg msg = { .header = { .type = XINIM_PM_DEATH, .length = sizeof(d) } };
	memcpy(msg.payload, &d, sizeof(d));
	assert_int_equal(host_ipc_kernel_call(pm.endpoint, who, &msg, CALL_TIMEOUT_US), 0);
	assert_null(space_of(who));
	struct host_proc_call last;
	proc_calls_now(&last);
	assert_int_equal(last.number, KCALL_PROC_END);
	assert_int_equal(last.target, who);
}

static void breaks_machine(struct program_file *p) { p->header.e_machine = EM_X86_64; }
static void breaks_type(struct program_file *p) { p->header.e_type = ET_DYN; }
static void truncates(struct program_file *p) { p->size = 40; }
static void cuts_data(struct program_file *p) { p->size = DATA_OFFSET + 0x80; }
static void overlaps(struct program_file *p) { p->segments[1].p_vaddr = 0x401000; }
static void makes_wx(struct program_file *p) { p->segments[0].p_flags = PF_R | PF_W | PF_X; }
static void asks_interpreter(struct program_file *p) { p->segments[1].p_type = PT_INTERP; }
static void huge_memsz(struct program_file *p) { p->segments[1].p_memsz = UINT64_C(1) << 62; }
static void huge_filesz(struct program_file *p) { p->segments[1].p_filesz = UINT64_C(1) << 40; }
static void entry_in_data(struct program_file *p) { p->header.e_entry = DATA_VA; }

static void test_execve_refuses_malformed_programs_and_changes_nothing(void **state)
{
	(void)state;
	static const struct {
		void (*breakit)(struct program_file *);
		long expected;
	} cases[] = {
		{ breaks_machine, -ENOEXEC }, { breaks_type, -ENOEXEC }, { truncates, -ENOEXEC },
		{ cuts_data, -ENOEXEC }, { asks_interpreter, -ENOEXEC }, { huge_filesz, -ENOEXEC },
		{ entry_in_data, -ENOEXEC }, { overlaps, -EINVAL }, { makes_wx, -EINVAL },
		{ huge_memsz, -EINVAL },
	};
	static const char *const argv[] = { "bad", NULL };
	unsigned calls_before = proc_calls_now(NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct program_file program = good_program();
		cases[i].breakit(&program);
		assert_int_equal(execve_call(program_write("bad", &program, 0755), argv, NULL),
				 cases[i].expected);
	}
	// Refused before MM was asked anything: the caller goes on as it was.
	assert_null(space_of(who));
	assert_int_equal(proc_calls_now(NULL), calls_before);
}

static void test_execve_refuses_what_is_not_a_runnable_file(void **state)
{
	(void)state;
	struct program_file program = good_program();
	const char *path = program_write("not-executable", &program, 0644);
	char missing[sizeof(directory) + 16];
	snprintf(missing, sizeof(missing), "%s/missing", directory);
	assert_int_equal(execve_call(path, NULL, NULL), -EACCES);
	assert_int_equal(execve_call(directory, NULL, NULL), -EACCES);
	assert_int_equal(execve_call(missing, NULL, NULL), -ENOENT);
	assert_int_equal(execve_call("", NULL, NULL), -ENOENT);
	assert_int_equal(execve_call(NULL, NULL, NULL), -EFAULT);
	assert_null(space_of(who));
}

#define ARG_STRLEN_MAX (128 * 1024)	// Linux's MAX_ARG_STRLEN, the NUL included
#define ARGS_MAX 300000

// The word at va in who's space, as MM wrote it.
static uint64_t word_at(uint64_t va)
{
	const struct host_page *page = host_page_at(who, va);
	uint64_t word;
	assert_non_null(page);
	memcpy(&word, page->bytes + va % HOST_PAGE_SIZE, sizeof(word));
	return word;
}

static const char *argv_of(size_t count, const char *each)
{
	static const char *argv[ARGS_MAX + 1];
	for (size_t i = 0; i < count; i++)
		argv[i] = each;
	argv[count] = NULL;
	return (const char *)argv;
}

static void test_execve_takes_as_many_and_as_long_arguments_as_linux(void **state)
{
	(void)state;
	struct program_file program = good_program();
	const char *path = program_write("good", &program, 0755);
	static char long_arg[ARG_STRLEN_MAX];
	memset(long_arg, 'x', sizeof(long_arg) - 1);	// the longest string Linux takes
	const char **argv = (const char **)argv_of(2000, "arg");
	argv[1999] = long_arg;
	assert_int_equal(execve_call(path, argv, NULL), 0);
	struct host_proc_call exec;
	proc_calls_now(&exec);
	assert_int_equal(exec.number, KCALL_PROC_EXEC);
	uint64_t sp = exec.b;
	assert_int_equal(word_at(sp), 2000);			// argc
	uint64_t last = word_at(sp + 8 * 2000);			// argv[1999]
	assert_int_equal(word_at(sp + 8 * 2001), 0);		// argv's NULL
	assert_int_equal(word_at(last) & 0xff, 'x');
	assert_int_equal(word_at(last + sizeof(long_arg) - 8) >> 56, 0);	// its NUL
}

static void test_execve_refuses_beyond_linux_argument_limits_and_changes_nothing(void **state)
{
	(void)state;
	struct program_file program = good_program();
	const char *path = program_write("good", &program, 0755);
	static char too_long[ARG_STRLEN_MAX + 1], longest[ARG_STRLEN_MAX];
	memset(too_long, 'x', sizeof(too_long) - 1);
	memset(longest, 'x', sizeof(longest) - 1);
	unsigned calls_before = proc_calls_now(NULL);
	const char *one[] = { "prog", too_long, NULL };
	assert_int_equal(execve_call(path, one, NULL), -E2BIG);
	assert_int_equal(execve_call(path, NULL, one), -E2BIG);	// in envp as well
	// Sixteen of the longest strings fill 2 MiB: with the path and pointers, too much.
	assert_int_equal(execve_call(path, (const char **)argv_of(16, longest), NULL), -E2BIG);
	// A pointer for each of 2 MiB / 8 empty strings: too much as well.
	assert_int_equal(execve_call(path, (const char **)argv_of(ARGS_MAX, ""), NULL), -E2BIG);
	assert_null(space_of(who));
	assert_int_equal(proc_calls_now(NULL), calls_before);
}

static void test_execve_refuses_a_program_above_4_gib_before_the_point_of_no_return(void **state)
{
	(void)state;
	struct program_file program = good_program();
	program.segments[1].p_vaddr = (UINT64_C(1) << 32) - 0x1000;	// its .bss ends past 4 GiB
	program.segments[1].p_memsz = 0x2000;
	unsigned calls_before = proc_calls_now(NULL);
	static const char *const argv[] = { "high", NULL };
	assert_int_equal(execve_call(program_write("high", &program, 0755), argv, NULL), -ENOMEM);
	assert_null(space_of(who));
	assert_int_equal(proc_calls_now(NULL), calls_before);
}

#define TEST(name) cmocka_unit_test_setup(name, fresh_process)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_execve_builds_the_space_through_mm_and_restarts_the_caller),
		TEST(test_execve_refuses_malformed_programs_and_changes_nothing),
		TEST(test_execve_refuses_what_is_not_a_runnable_file),
		TEST(test_a_process_the_kernel_killed_is_forgotten_by_mm),
		TEST(test_execve_takes_as_many_and_as_long_arguments_as_linux),
		TEST(test_execve_refuses_beyond_linux_argument_limits_and_changes_nothing),
		TEST(test_execve_refuses_a_program_above_4_gib_before_the_point_of_no_return),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
