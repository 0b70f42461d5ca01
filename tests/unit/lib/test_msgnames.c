// xinim_message_name: system calls by Linux's name, server messages by constant, and
// each row of docs/ipc.md's table names the type it gives (tests/unit/msgnames.sh checks
// that the three lists hold the same messages).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/msgnames.h>

static void test_system_calls_and_messages_are_named(void **state)
{
	(void)state;
	assert_string_equal(xinim_message_name(XINIM_MSG_SYSCALL_FIRST + 56), "openat");
	assert_string_equal(xinim_message_name(XINIM_MSG_SYSCALL_FIRST + 63), "read");
	assert_string_equal(xinim_message_name(XINIM_MSG_SYSCALL_OTHER), "syscall_other");
	assert_string_equal(xinim_message_name(XINIM_MSG_NOTIFY), "notify");
	assert_string_equal(xinim_message_name(XINIM_MM_FAULT), "MM_FAULT");
	assert_null(xinim_message_name(XINIM_MSG_SYSCALL_FIRST + 244));	// Linux has no 244
	assert_null(xinim_message_name(0));
	assert_null(xinim_message_name(-14));
	assert_null(xinim_message_name(XINIM_MSG_MM_LAST));
}

static void test_docs_table_gives_each_name_its_type(void **state)
{
	(void)state;
	FILE *docs = fopen(XINIM_DOCS_IPC, "r");
	assert_non_null(docs);
	char line[512], name[64];
	int type, rows = 0;
	while (fgets(line, sizeof(line), docs)) {
		if (sscanf(line, "| %63[A-Z_] | %d |", name, &type) != 2)
			continue;
		const char *named = xinim_message_name(type);
		assert_non_null(named);
		assert_string_equal(named, name);
		rows++;
	}
	fclose(docs);
	assert_true(rows >= 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_calls_and_messages_are_named),
		cmocka_unit_test(test_docs_table_gives_each_name_its_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
