// ESR decoding for fault reports.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/pm.h>
#include <kernel/arch/aarch64/esr.h>

static void test_data_abort_write_translation_fault(void **state)
{
	(void)state;
	int level;
	assert_string_equal(esr_class_name(0x96000044), "data abort (same EL)");
	assert_string_equal(esr_fault_name(0x96000044, &level), "translation fault");
	assert_int_equal(level, 0);
	assert_string_equal(esr_access(0x96000044), "write");
	assert_string_equal(esr_access(0x96000144), "read");	// cache maintenance sets WnR
}

static void test_data_abort_read_permission_fault(void **state)
{
	(void)state;
	int level;
	assert_string_equal(esr_fault_name(0x9200000f, &level), "permission fault");
	assert_int_equal(level, 3);
	assert_string_equal(esr_access(0x9200000f), "read");
	assert_string_equal(esr_class_name(0x9200000f), "data abort (lower EL)");
}

static void test_instruction_abort_has_no_access_kind(void **state)
{
	(void)state;
	int level;
	assert_string_equal(esr_class_name(0x8600000f), "instruction abort (same EL)");
	assert_string_equal(esr_fault_name(0x8600000f, &level), "permission fault");
	assert_null(esr_access(0x8600000f));
}

static void test_unlevelled_fault_status(void **state)
{
	(void)state;
	int level = 7;
	assert_string_equal(esr_fault_name(0x96000021, &level), "alignment fault");
	assert_int_equal(level, -1);
	assert_string_equal(esr_fault_name(0x96000030, &level), "TLB conflict abort");
	assert_string_equal(esr_fault_name(0x9600003f, &level), "unknown fault status");
}

static void test_other_classes_have_no_fault_status(void **state)
{
	(void)state;
	int level;
	assert_string_equal(esr_class_name(0x02000000), "unknown reason (undefined instruction)");
	assert_string_equal(esr_class_name(0x56000000), "SVC from AArch64");
	assert_string_equal(esr_class_name(0xfc000000), "reserved or unhandled exception class");
	assert_null(esr_fault_name(0x56000000, &level));
	assert_null(esr_access(0x56000000));
}

// What MM may resolve: paging faults from EL0 only, with the access they were.
static void test_page_faults_for_mm(void **state)
{
	(void)state;
	assert_int_equal(esr_page_fault(0x92000007), XINIM_MM_READ);	// translation, level 3
	assert_int_equal(esr_page_fault(0x92000047), XINIM_MM_WRITE);	// WnR set
	assert_int_equal(esr_page_fault(0x9200004f), XINIM_MM_WRITE);	// permission fault
	assert_int_equal(esr_page_fault(0x92000147), XINIM_MM_READ);	// DC CVAU: CM and WnR set
	assert_int_equal(esr_page_fault(0x9200000b), XINIM_MM_READ);	// access flag
	assert_int_equal(esr_page_fault(0x82000006), XINIM_MM_EXEC);	// instruction abort
	assert_int_equal(esr_page_fault(0x96000047), 0);	// from the kernel itself
	assert_int_equal(esr_page_fault(0x92000021), 0);	// alignment fault
	assert_int_equal(esr_page_fault(0x92000003), 0);	// address size fault
	assert_int_equal(esr_page_fault(0x56000000), 0);	// a call, not an abort
}

static void test_exceptions_end_programs_with_linuxs_signals(void **state)
{
	(void)state;
	assert_int_equal(esr_signal(0x92000007), XINIM_SIGSEGV);	// translation fault
	assert_int_equal(esr_signal(0x8200000f), XINIM_SIGSEGV);	// fetch, permission
	assert_int_equal(esr_signal(0x92000021), XINIM_SIGBUS);	// alignment fault
	assert_int_equal(esr_signal(0x8a000000), XINIM_SIGBUS);	// misaligned pc
	assert_int_equal(esr_signal(0x9a000000), XINIM_SIGBUS);	// misaligned sp
	assert_int_equal(esr_signal(0xf2000000), XINIM_SIGTRAP);	// brk
	assert_int_equal(esr_signal(0x02000000), XINIM_SIGILL);	// undefined instruction
	assert_int_equal(esr_signal(0x62000000), XINIM_SIGILL);	// trapped mrs
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_abort_write_translation_fault),
		cmocka_unit_test(test_data_abort_read_permission_fault),
		cmocka_unit_test(test_instruction_abort_has_no_access_kind),
		cmocka_unit_test(test_unlevelled_fault_status),
		cmocka_unit_test(test_other_classes_have_no_fault_status),
		cmocka_unit_test(test_page_faults_for_mm),
		cmocka_unit_test(test_exceptions_end_programs_with_linuxs_signals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
