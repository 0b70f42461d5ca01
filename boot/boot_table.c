// The programs the kernel may start from the boot archive (kernel/boottable.h).
// `run=NAME,NAME,...` on the command line starts them; each instance gets its index in
// that list as argv[1].
#include <kernel/boottable.h>

#define TEST_PROGRAM(n) { .name = #n, .path = "/bin/" #n, .priority = PRIO_PROGRAM, .caps = KCAP_DEBUG }

const struct boot_program boot_programs[] = {
	TEST_PROGRAM(hello),
	TEST_PROGRAM(spin),
	TEST_PROGRAM(fpcheck),
	TEST_PROGRAM(fault_null),
	TEST_PROGRAM(fault_kernel),
	TEST_PROGRAM(fault_other),
	TEST_PROGRAM(fault_undef),
	TEST_PROGRAM(fault_stack),
	TEST_PROGRAM(badcalls),
	TEST_PROGRAM(sleeper),
	TEST_PROGRAM(musl_start),
	TEST_PROGRAM(bench_kcall),
	TEST_PROGRAM(bench_switch),
};

const unsigned boot_program_count = sizeof(boot_programs) / sizeof(boot_programs[0]);
