// A restarted VFS's take-over (vfs_state_take): a kept state built by VFS's handlers,
// then corrupted; what does not check out is dropped, the rest is kept and serves on.
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <libipc/ipc.h>
#include <xinim/ipc/syscalls.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "harness.h"

#define CWD ((uint64_t)(int64_t)AT_FDCWD)

static const char motd[] = "hello, world\n";
static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "etc", .mode = S_IFDIR | 0755 },
	{ .path = "etc/motd", .mode = S_IFREG | 0644, .data = motd },
	{ .path = "etc/empty", .mode = S_IFREG | 0644 },
};
static struct proc vfs;
// The kept memory the tests corrupt: the state and its pool of blocks.
static uint8_t kept_region[VFS_STATE_HEAD + VFS_HOSTED_BLOCKS * BLOCK_BYTES]
	__attribute__((aligned(4096)));
#define kept (*(struct vfs_state *)kept_region)
// parent opened /etc/motd (fd 3) and read 6 bytes of it before child started with its
// fds; other opened /etc/empty (fd 3) on its own.
static xinim_endpoint_t parent, child, other;
static unsigned motd_file, empty_file;	// open_files indices

static long proc_message(int32_t type, xinim_endpoint_t process, xinim_endpoint_t from)
{
	struct xinim_vfs_proc proc = { .who = process, .parent = from };
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}

static long open_as(xinim_endpoint_t process, const char *path)
{
	return SYSCALL(vfs.endpoint, process, openat, CWD, ADDR(path), O_RDONLY, 0);
}

static long read_as(xinim_endpoint_t process, long fd, void *buffer, size_t n)
{
	return SYSCALL(vfs.endpoint, process, read, (uint64_t)fd, ADDR(buffer), n);
}

static long fstat_as(xinim_endpoint_t process, long fd)
{
	struct stat st;
	return SYSCALL(vfs.endpoint, process, fstat, (uint64_t)fd, ADDR(&st));
}

static struct fd_table *table(xinim_endpoint_t process)
{
	return &kept.tables[xinim_endpoint_pid(process)];
}

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

// Each test starts from a state of VFS's own making, in kept memory of the test's.
static int build_state(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	vfs_state_take(&kept, KEEP_FRESH);
	parent = fresh_endpoint();
	child = fresh_endpoint();
	other = fresh_endpoint();
	char bytes[6];
	if (proc_message(XINIM_VFS_PROC_START, parent, XINIM_ENDPOINT_NONE) ||
	    open_as(parent, "/etc/motd") != 3 || read_as(parent, 3, bytes, 6) != 6 ||
	    proc_message(XINIM_VFS_PROC_START, child, parent) ||
	    proc_message(XINIM_VFS_PROC_START, other, XINIM_ENDPOINT_NONE) ||
	    open_as(other, "/etc/empty") != 3)
		return -1;
	motd_file = open_file_index(fd_get(parent, 3));
	empty_file = open_file_index(fd_get(other, 3));
	return 0;
}

// After a take-over: parent's and child's shared file is whole, and reads on where
// parent had left it.
static void assert_parent_and_child_kept(void)
{
	assert_ptr_equal(fd_get(parent, 3), &kept.open_files[motd_file]);
	assert_ptr_equal(fd_get(child, 3), &kept.open_files[motd_file]);
	assert_int_equal(kept.open_files[motd_file].refs, 2);
	assert_int_equal(kept.open_files[motd_file].offset, 6);
	char bytes[8] = { 0 };
	assert_int_equal(read_as(child, 3, bytes, 7), 7);
	assert_string_equal(bytes, " world\n");
	assert_int_equal(fstat_as(parent, 0), 0);	// the console
}

static void assert_dropped(xinim_endpoint_t process)
{
	const struct fd_table empty = { 0 };
	assert_memory_equal(table(process), &empty, sizeof(empty));
	for (long fd = 0; fd < 4; fd++)
		assert_int_equal(fstat_as(process, fd), -EBADF);
}

static void test_a_sound_state_is_taken_over_whole(void **state)
{
	(void)state;
	static struct vfs_state before;	// 60 MiB: not on the stack
	before = kept;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_memory_equal(&kept, &before, sizeof(kept));
	vfs_state_take(&kept, KEEP_INHERITED);	// references counted afresh, not added up
	assert_memory_equal(&kept, &before, sizeof(kept));
	assert_parent_and_child_kept();
	assert_int_equal(fstat_as(other, 3), 0);
}

static void test_a_table_kept_at_another_pids_index_is_dropped(void **state)
{
	(void)state;
	table(other)->owner = xinim_endpoint(xinim_endpoint_pid(other) + 1, 1);
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_dropped(other);
	assert_int_equal(kept.open_files[empty_file].refs, 0);	// none names it now
	assert_null(open_file_at(empty_file));
	assert_parent_and_child_kept();
}

static void test_an_fd_naming_an_open_file_out_of_range_drops_its_table(void **state)
{
	(void)state;
	table(other)->fds[5].file = OPEN_FILES_MAX + 1;
	table(child)->fds[7].file = UINT32_MAX;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_dropped(other);
	assert_dropped(child);
	assert_int_equal(kept.open_files[motd_file].refs, 1);	// parent's alone
	assert_int_equal(fstat_as(parent, 3), 0);
}

static void test_an_fd_limit_or_groups_out_of_bounds_drop_the_table(void **state)
{
	(void)state;
	assert_int_equal(table(other)->fd_limit, FDS_MAX);	// PM's default: all fds
	table(other)->fd_limit = FDS_MAX + 1;
	table(child)->creds.groups_count = XINIM_GROUPS_MAX + 1;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_dropped(other);
	assert_dropped(child);
	assert_int_equal(fstat_as(parent, 3), 0);
}

static void test_a_cwd_that_is_no_directory_or_a_umask_past_0777_drops_the_table(void **state)
{
	(void)state;
	assert_int_equal(table(parent)->umask, 022);	// Linux's default, kept
	table(other)->cwd = ramfs_index(file_node(open_file_at(motd_file))) + 1;	// a file
	table(child)->umask = 01000;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_dropped(other);
	assert_dropped(child);
	assert_int_equal(fstat_as(parent, 3), 0);
}

static void test_an_open_file_of_a_node_not_in_the_tree_drops_the_tables_naming_it(void **state)
{
	(void)state;
	kept.open_files[motd_file].node = UINT32_MAX;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_dropped(parent);
	assert_dropped(child);
	assert_int_equal(kept.open_files[motd_file].refs, 0);
	assert_int_equal(fstat_as(other, 3), 0);
	assert_int_equal(open_as(other, "/etc/motd"), 4);	// the file's slot is free again
}

static void test_an_open_file_with_flags_openat_never_keeps_drops_its_tables(void **state)
{
	(void)state;
	kept.open_files[empty_file].flags |= O_CREAT;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_dropped(other);
	assert_parent_and_child_kept();
}

static void test_references_are_what_the_tables_say_whatever_was_kept(void **state)
{
	(void)state;
	kept.open_files[motd_file].refs = 1;	// too few: a close would free a shared file
	kept.open_files[OPEN_FILES_MAX - 1] = (struct open_file){ .node = 1, .refs = 5 };
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(kept.open_files[motd_file].refs, 2);
	assert_int_equal(kept.open_files[OPEN_FILES_MAX - 1].refs, 0);	// no fd names it
	assert_null(open_file_at(OPEN_FILES_MAX - 1));
	assert_int_equal(SYSCALL(vfs.endpoint, parent, close, 3), 0);
	assert_int_equal(kept.open_files[motd_file].refs, 1);
	char bytes[8] = { 0 };
	assert_int_equal(read_as(child, 3, bytes, 7), 7);
	assert_string_equal(bytes, " world\n");
}

static void test_a_free_tables_leftovers_are_not_counted(void **state)
{
	(void)state;
	unsigned pid = xinim_endpoint_pid(fresh_endpoint());
	kept.tables[pid].fds[0].file = empty_file + 1;	// no owner: nobody's fd
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(kept.open_files[empty_file].refs, 1);	// other's alone
	assert_int_equal(fstat_as(other, 3), 0);
}

static long write_new(xinim_endpoint_t process, const char *path, const char *text)
{
	long fd = SYSCALL(vfs.endpoint, process, openat, CWD, ADDR(path),
			  O_WRONLY | O_CREAT | O_EXCL, 0644);
	return fd < 0 ? fd : SYSCALL(vfs.endpoint, process, write, (uint64_t)fd, ADDR(text),
				     strlen(text));
}

static const char *text_of(xinim_endpoint_t process, const char *path)
{
	static char text[64];
	long fd = open_as(process, path);
	long n = fd < 0 ? 0 : read_as(process, fd, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

// What programs wrote is the tree a restarted VFS serves: files, names, directories.
static void test_files_written_survive_a_take_over(void **state)
{
	(void)state;
	assert_int_equal(write_new(other, "/etc/new", "kept"), 4);
	assert_int_equal(SYSCALL(vfs.endpoint, other, mkdirat, CWD, ADDR("/etc/d"), 0755), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, other, renameat, CWD, ADDR("/etc/empty"), CWD,
				 ADDR("/etc/d/moved")), 0);
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_string_equal(text_of(other, "/etc/new"), "kept");
	assert_int_equal(open_as(other, "/etc/empty"), -ENOENT);
	assert_true(open_as(other, "/etc/d/moved") >= 0);
	assert_int_equal(fstat_as(other, 3), 0);	// its fd of the moved file
	assert_parent_and_child_kept();
}

// A tree that does not check out is built again from the archive, and every table with
// it (their fds named nodes of the old tree).
static void assert_tree_rebuilt(void)
{
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_dropped(parent);
	assert_dropped(other);
	xinim_endpoint_t fresh = fresh_endpoint();
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, fresh, XINIM_ENDPOINT_NONE), 0);
	assert_string_equal(text_of(fresh, "/etc/motd"), motd);
	assert_int_equal(open_as(fresh, "/etc/new"), -ENOENT);
}

static void test_an_entry_with_a_bad_name_rebuilds_the_tree(void **state)
{
	(void)state;
	assert_int_equal(write_new(other, "/etc/new", "lost"), 4);
	struct entry *e = ramfs_entry(ramfs_child(ramfs_root(), "etc", 3), "new", 3);
	e->name[1] = '/';
	assert_tree_rebuilt();
}

static void test_a_directory_cycle_rebuilds_the_tree(void **state)
{
	(void)state;
	assert_int_equal(write_new(other, "/etc/new", "lost"), 4);
	struct node *etc = ramfs_child(ramfs_root(), "etc", 3);
	assert_int_equal(SYSCALL(vfs.endpoint, other, mkdirat, CWD, ADDR("/etc/sub"), 0755), 0);
	struct node *sub = ramfs_child(etc, "sub", 3);
	entry_at(etc->own)->dir = ramfs_index(sub);	// etc inside its own child
	assert_tree_rebuilt();
}

static void test_a_block_in_two_files_rebuilds_the_tree(void **state)
{
	(void)state;
	assert_int_equal(write_new(other, "/etc/new", "lost"), 4);
	assert_int_equal(write_new(other, "/etc/new2", "also"), 4);
	struct node *etc = ramfs_child(ramfs_root(), "etc", 3);
	ramfs_child(etc, "new2", 4)->map = ramfs_child(etc, "new", 3)->map;
	assert_tree_rebuilt();
}

static void test_a_kept_terminal_is_kept_and_one_out_of_bounds_set_anew(void **state)
{
	(void)state;
	tty_reset(&kept.console);
	kept.console.pgrp = kept.console.sid = 1;
	kept.console.tail = kept.console.canon = 3;	// "ab\n" typed
	struct tty before = kept.console;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_memory_equal(&kept.console, &before, sizeof(before));
	kept.console.tail = kept.console.head + TTY_BUFFER + 1;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(kept.console.termios.cflag, 0);	// set anew at its first use
	assert_int_equal(kept.console.sid, 0);
	assert_parent_and_child_kept();
}

// other's epoll sets (docs/vfs.md, epoll): a pipe (fds 4, 5) watched edge-triggered by
// an instance (fd 6), itself watched by another (fd 7).
static void epoll_sets_made(void)
{
	int ends[2];
	assert_int_equal(SYSCALL(vfs.endpoint, other, pipe2, ADDR(ends), 0), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, other, epoll_create1, 0), 6);
	assert_int_equal(SYSCALL(vfs.endpoint, other, epoll_create1, 0), 7);
	struct epoll_record pipe_in = { EPOLLIN | EPOLLET, 0, 1 }, inner_in = { EPOLLIN, 0, 2 };
	assert_int_equal(SYSCALL(vfs.endpoint, other, epoll_ctl, 6, EPOLL_CTL_ADD, 4, ADDR(&pipe_in)), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, other, epoll_ctl, 7, EPOLL_CTL_ADD, 6, ADDR(&inner_in)), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, other, write, 5, ADDR("e"), 1), 1);
}

// What a wait of other's instance at fd reports now: the data of its one event, or -1.
static long reported(long fd)
{
	struct epoll_record event = { 0 };
	long n = SYSCALL(vfs.endpoint, other, epoll_pwait, (uint64_t)fd, ADDR(&event), 1, 0, 0, 8);
	return n == 1 ? (long)event.data : -1;
}

static void test_an_epoll_set_survives_a_take_over(void **state)
{
	(void)state;
	epoll_sets_made();
	static struct vfs_state before;
	before = kept;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_memory_equal(&kept, &before, sizeof(kept));
	assert_int_equal(reported(7), 2);	// the inner instance is ready
	assert_int_equal(reported(6), 1);	// its edge was kept
	assert_int_equal(reported(6), -1);	// and is spent
	assert_parent_and_child_kept();
}

static struct interest *entry_with_data(uint64_t data)
{
	for (unsigned n = 0; n < INTERESTS_MAX; n++)
		if (kept.interests[n].epoll && kept.interests[n].data == data)
			return &kept.interests[n];
	return NULL;
}

// Entries that name a closed open file, an instance that is no epoll node, an edge or an
// fd out of bounds, an earlier entry's key, or that make a loop are dropped; the sound
// ones stay.
static void test_epoll_entries_that_do_not_check_out_are_dropped(void **state)
{
	(void)state;
	epoll_sets_made();
	struct interest *sound = entry_with_data(1), *nested = entry_with_data(2), spare = *sound;
	struct interest *bad = &kept.interests[INTERESTS_MAX - 1];
	struct interest loop = { .epoll = nested->file ? kept.open_files[nested->file - 1].node + 1 : 0,
				 .file = open_file_index(fd_get(other, 7)) + 1, .fd = 7,
				 .events = EPOLLIN, .data = 3 };
	kept.interests[INTERESTS_MAX - 2] = loop;	// 6 watches 7, which watches 6
	*bad = spare;
	bad->file = open_file_index(fd_get(parent, 3)) + 1;	// a regular file: never pollable
	bad->data = 4;
	kept.interests[INTERESTS_MAX - 3] = spare;
	kept.interests[INTERESTS_MAX - 3].epoll = kept.open_files[sound->file - 1].node + 1;
	kept.interests[INTERESTS_MAX - 3].data = 5;	// its instance is the pipe
	kept.interests[INTERESTS_MAX - 4] = spare;
	kept.interests[INTERESTS_MAX - 4].edge = 2;
	kept.interests[INTERESTS_MAX - 4].data = 6;
	kept.interests[INTERESTS_MAX - 5] = spare;
	kept.interests[INTERESTS_MAX - 5].file = OPEN_FILES_MAX - 1;	// closed
	kept.interests[INTERESTS_MAX - 5].data = 7;
	kept.interests[INTERESTS_MAX - 6] = spare;	// the sound entry's key again
	kept.interests[INTERESTS_MAX - 6].data = 8;
	kept.interests[INTERESTS_MAX - 7] = spare;
	kept.interests[INTERESTS_MAX - 7].fd = FDS_MAX;
	kept.interests[INTERESTS_MAX - 7].data = 9;
	vfs_state_take(&kept, KEEP_INHERITED);
	for (uint64_t data = 3; data <= 9; data++)
		assert_null(entry_with_data(data));
	assert_non_null(entry_with_data(1));
	assert_non_null(entry_with_data(2));
	assert_int_equal(reported(7), 2);
	assert_int_equal(reported(6), 1);
	assert_parent_and_child_kept();
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup(name, build_state)
	const struct CMUnitTest tests[] = {
		TEST(test_a_sound_state_is_taken_over_whole),
		TEST(test_a_table_kept_at_another_pids_index_is_dropped),
		TEST(test_an_fd_naming_an_open_file_out_of_range_drops_its_table),
		TEST(test_an_open_file_of_a_node_not_in_the_tree_drops_the_tables_naming_it),
		TEST(test_an_open_file_with_flags_openat_never_keeps_drops_its_tables),
		TEST(test_references_are_what_the_tables_say_whatever_was_kept),
		TEST(test_a_free_tables_leftovers_are_not_counted),
		TEST(test_an_fd_limit_or_groups_out_of_bounds_drop_the_table),
		TEST(test_a_cwd_that_is_no_directory_or_a_umask_past_0777_drops_the_table),
		TEST(test_files_written_survive_a_take_over),
		TEST(test_an_entry_with_a_bad_name_rebuilds_the_tree),
		TEST(test_a_directory_cycle_rebuilds_the_tree),
		TEST(test_a_block_in_two_files_rebuilds_the_tree),
		TEST(test_a_kept_terminal_is_kept_and_one_out_of_bounds_set_anew),
		TEST(test_an_epoll_set_survives_a_take_over),
		TEST(test_epoll_entries_that_do_not_check_out_are_dropped),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
