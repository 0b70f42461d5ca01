// DTB parsing against the blobs QEMU builds for virt, and a dtc-built machine with
// bus translation and reservations.
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kernel/dtb.h>

#define MiB (1024UL * 1024)
#define ROOM (4 * MiB)	// QEMU pads its blobs to 1 MiB

// The blob at FIXTURES/name, in a buffer of ROOM bytes so that tests can edit it.
static void *load(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	void *blob = calloc(1, ROOM);
	size_t n = fread(blob, 1, ROOM, f);
	fclose(f);
	assert_true(n > 0 && n < ROOM);
	assert_int_equal(fdt_open_into(blob, blob, ROOM), 0);
	return blob;
}

static void test_virt_gicv2_machine(void **state)
{
	(void)state;
	void *blob = load("virt-gicv2.dtb");
	struct platform p;
	assert_int_equal(dtb_parse(blob, &p), 0);
	assert_int_equal(p.memory_count, 1);
	assert_int_equal(p.memory[0].base, 0x40000000);
	assert_int_equal(p.memory[0].size, 512 * MiB);
	assert_int_equal(p.uart, 0x09000000);
	assert_int_equal(p.uart_intid, 33);	// SPI 1: console input
	assert_int_equal(p.rtc, 0x09010000);
	assert_int_equal(p.gic_version, 2);
	assert_int_equal(p.gic_dist, 0x08000000);
	assert_int_equal(p.gic_cpu, 0x08010000);
	assert_int_equal(p.timer_intid, 27);
	assert_int_equal(p.psci, PSCI_HVC);
	assert_int_equal(p.cpu_count, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(p.cpu_mpidr[i], i);
	assert_string_equal(p.bootargs, "console=ttyAMA0 test=dtb");
	assert_int_equal(p.initrd.base, 0x48000000);
	assert_int_equal(p.initrd.size, 1000);
	assert_int_equal(p.rng_seed_size, 32);
	assert_int_equal(p.reserved_count, 0);
	free(blob);
}

static void test_virt_gicv3_machine(void **state)
{
	(void)state;
	void *blob = load("virt-gicv3.dtb");
	struct platform p;
	assert_int_equal(dtb_parse(blob, &p), 0);
	assert_int_equal(p.memory[0].size, 1024 * MiB);
	assert_int_equal(p.gic_version, 3);
	assert_int_equal(p.gic_dist, 0x08000000);
	assert_int_equal(p.gic_redist.base, 0x080a0000);
	assert_true(p.gic_redist.size >= 2 * 0x20000);
	assert_int_equal(p.cpu_count, 2);
	assert_int_equal(p.initrd.size, 0);
	assert_string_equal(p.bootargs, "");
	free(blob);
}

static void test_bus_ranges_and_reservations(void **state)
{
	(void)state;
	void *blob = load("translated.dtb");
	struct platform p;
	assert_int_equal(dtb_parse(blob, &p), 0);
	assert_int_equal(p.uart, 0x1c090000);
	assert_int_equal(p.rtc, 0);	// none: not an error
	assert_int_equal(p.gic_dist, 0x1c001000);
	assert_int_equal(p.gic_cpu, 0x1c002000);
	assert_int_equal(p.memory_count, 2);
	assert_int_equal(p.memory[1].base, 0x880000000);
	assert_int_equal(p.memory[1].size, 1024 * MiB);
	assert_int_equal(p.reserved_count, 2);
	assert_int_equal(p.reserved[0].base, 0x80000000);
	assert_int_equal(p.reserved[0].size, 0x10000);
	assert_int_equal(p.reserved[1].base, 0x9f000000);
	assert_int_equal(p.timer_intid, 27);
	assert_int_equal(p.psci, PSCI_NONE);
	assert_int_equal(p.cpu_count, 2);
	assert_int_equal(p.cpu_mpidr[1], 0x100);
	free(blob);
}

// QEMU virt's 32 virtio-mmio transports, lowest address first, each 0x200 bytes with
// SPI 16 + its number; past the last, and a compatible no node names, are not found.
static void test_devices_of_a_compatible_in_dtb_order(void **state)
{
	(void)state;
	void *blob = load("virt-gicv2.dtb");
	struct dtb_device d;
	for (unsigned i = 0; i < 32; i++) {
		assert_int_equal(dtb_device(blob, "virtio,mmio", i, &d), 0);
		assert_int_equal(d.reg.base, 0x0a000000 + i * 0x200);
		assert_int_equal(d.reg.size, 0x200);
		assert_int_equal(d.intid, 32 + 16 + i);
	}
	assert_int_equal(dtb_device(blob, "virtio,mmio", 32, &d), -FDT_ERR_NOTFOUND);
	assert_int_equal(dtb_device(blob, "no,such-device", 0, &d), -FDT_ERR_NOTFOUND);
	assert_int_equal(dtb_device(blob, "arm,pl011", 0, &d), 0);
	assert_int_equal(d.reg.base, 0x09000000);
	assert_int_equal(d.intid, 33);
	free(blob);
}

// A device behind a bus: its registers translated through the bus's ranges; a node
// with no interrupt has intid 0; a node that names the compatible second matches too.
static void test_device_behind_a_bus_is_translated(void **state)
{
	(void)state;
	void *blob = load("translated.dtb");
	struct dtb_device d;
	assert_int_equal(dtb_device(blob, "arm,primecell", 1, &d), 0);
	assert_int_equal(d.reg.base, 0x1c0a0000);
	assert_int_equal(d.reg.size, 0x1000);
	assert_int_equal(d.intid, 0);
	char bad[64] = { 0 };
	assert_int_not_equal(dtb_device(bad, "arm,pl011", 0, &d), 0);
	free(blob);
}

static void test_bad_header_is_refused(void **state)
{
	(void)state;
	void *blob = load("virt-gicv2.dtb");
	((uint8_t *)blob)[0] ^= 0xff;
	struct platform p;
	assert_true(dtb_parse(blob, &p) < 0);
	assert_string_equal(p.error, "bad DTB header");
	assert_int_equal(dtb_size(blob), 0);
	free(blob);
}

// Deletes the node at path and expects dtb_parse to fail naming the loss (or, with
// error NULL, to succeed).
static void expect_failure_without(const char *path, const char *error)
{
	void *blob = load("virt-gicv2.dtb");
	int node = fdt_path_offset(blob, path);
	assert_true(node >= 0);
	assert_int_equal(fdt_del_node(blob, node), 0);
	struct platform p;
	int err = dtb_parse(blob, &p);
	if (error) {
		assert_true(err < 0);
		assert_string_equal(p.error, error);
	} else {
		assert_int_equal(err, 0);
	}
	free(blob);
}

static void test_missing_parts_are_named(void **state)
{
	(void)state;
	expect_failure_without("/memory@40000000", "no memory node");
	expect_failure_without("/pl011@9000000", "no PL011 UART");
	expect_failure_without("/intc@8000000", "no supported GIC");
	expect_failure_without("/timer", "no architected timer");
	expect_failure_without("/cpus", "no cpu nodes");
	expect_failure_without("/cpus/cpu@0", NULL);	// the others remain
}

static void test_malformed_structure_is_refused(void **state)
{
	(void)state;
	void *blob = load("virt-gicv2.dtb");
	int node = fdt_path_offset(blob, "/timer");
	assert_true(node > 0);
	// Overwrite the node's FDT_BEGIN_NODE tag with a tag that does not exist.
	uint32_t *tag = (uint32_t *)((char *)blob + fdt_off_dt_struct(blob) + node);
	*tag = cpu_to_fdt32(0x77);
	struct platform p;
	assert_true(dtb_parse(blob, &p) < 0);
	assert_string_equal(p.error, "malformed DTB structure");
	free(blob);
}

static void test_stdout_path_selects_uart(void **state)
{
	(void)state;
	void *blob = load("translated.dtb");
	struct platform p;
	assert_int_equal(dtb_parse(blob, &p), 0);
	assert_int_equal(p.uart, 0x1c090000);	// without stdout-path: the first
	int chosen = fdt_add_subnode(blob, 0, "chosen");
	assert_true(chosen >= 0);
	assert_int_equal(fdt_setprop_string(blob, chosen, "stdout-path", "/soc/serial@a0000:115200n8"), 0);
	assert_int_equal(dtb_parse(blob, &p), 0);
	assert_int_equal(p.uart, 0x1c0a0000);
	free(blob);
}

static void test_inverted_initrd_is_refused(void **state)
{
	(void)state;
	void *blob = load("virt-gicv2.dtb");
	int chosen = fdt_path_offset(blob, "/chosen");
	assert_int_equal(fdt_setprop_u64(blob, chosen, "linux,initrd-end", 0x47000000), 0);
	struct platform p;
	assert_true(dtb_parse(blob, &p) < 0);
	assert_string_equal(p.error, "initrd ends before it starts");
	free(blob);
}

static void test_size_is_header_total(void **state)
{
	(void)state;
	void *blob = load("virt-gicv2.dtb");
	assert_int_equal(dtb_size(blob), ROOM);	// load() grew it with fdt_open_into
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_gicv2_machine),
		cmocka_unit_test(test_virt_gicv3_machine),
		cmocka_unit_test(test_bus_ranges_and_reservations),
		cmocka_unit_test(test_devices_of_a_compatible_in_dtb_order),
		cmocka_unit_test(test_device_behind_a_bus_is_translated),
		cmocka_unit_test(test_bad_header_is_refused),
		cmocka_unit_test(test_missing_parts_are_named),
		cmocka_unit_test(test_malformed_structure_is_refused),
		cmocka_unit_test(test_stdout_path_selects_uart),
		cmocka_unit_test(test_inverted_initrd_is_refused),
		cmocka_unit_test(test_size_is_header_total),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
