// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata sources from fixture trees of /proc and /sys: cpuinfo fields,
 * microcode (sysfs, then cpuinfo, then "unknown"), CPUID decoding, and
 * meta.csv keys: all present, in order, "unknown" when there is no source.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpu.h"
#include "harness.h"
#include "meta.h"
#include "sysfs.h"

#define DELL	FIXTURES "/dell"
#define NODMI	FIXTURES "/nodmi"
#define NOWHERE	FIXTURES "/does-not-exist"

static void test_cpuinfo_fields(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(vb_cpuinfo_field(DELL, 1, "model", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "158");	/* not "model name" */
	assert_int_equal(vb_cpuinfo_field(DELL, 3, "model name", buf,
					  sizeof(buf)), 0);
	assert_string_equal(buf, "Intel(R) Xeon(R) CPU E-2176G @ 3.70GHz");
	assert_int_equal(vb_cpuinfo_field(DELL, 4, "model", buf, sizeof(buf)),
			 -ENOENT);	/* no such processor block */
	assert_int_equal(vb_cpuinfo_field(DELL, 2, "microcode", buf,
					  sizeof(buf)), -ENOENT);
	assert_int_equal(vb_cpuinfo_field(NOWHERE, 0, "model", buf,
					  sizeof(buf)), -ENOENT);
}

static void test_read_line(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(vb_sys_read_line(DELL, "/sys/class/dmi/id/sys_vendor",
					  buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Dell Inc.");	/* newline gone */
	assert_int_equal(vb_sys_read_line(DELL, "/sys/nope", buf, sizeof(buf)),
			 -ENOENT);
	/* truncated to the buffer, still terminated */
	assert_int_equal(vb_sys_read_line(DELL, "/sys/class/dmi/id/product_name",
					  buf, 6), 0);
	assert_string_equal(buf, "Power");
}

static void test_microcode(void **state)
{
	char buf[64];

	(void)state;
	/* cpu0: sysfs wins over cpuinfo */
	assert_int_equal(vb_cpu_microcode(DELL, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0xf4");
	/* cpu1: no sysfs file, cpuinfo has it */
	assert_int_equal(vb_cpu_microcode(DELL, 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0xf6");
	/* cpu2: neither */
	assert_int_not_equal(vb_cpu_microcode(DELL, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "unknown");
	/* a CPU cpuinfo does not list, a tree without cpuinfo */
	assert_int_not_equal(vb_cpu_microcode(DELL, 9, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "unknown");
	assert_int_not_equal(vb_cpu_microcode(NOWHERE, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "unknown");
	assert_int_not_equal(vb_cpu_microcode(NODMI, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "unknown");
}

static void test_model_name(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(vb_cpu_model_name(DELL, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Intel(R) Xeon(R) CPU E-2176G @ 3.70GHz");
	/* present but empty */
	assert_int_not_equal(vb_cpu_model_name(NODMI, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "unknown");
	assert_int_not_equal(vb_cpu_model_name(NOWHERE, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "unknown");
}

static void test_decode_signature(void **state)
{
	static const struct {
		unsigned int eax, family, model, stepping;
	} cases[] = {
		{ 0x000906ea, 6, 158, 10 },	/* Coffee Lake */
		{ 0x00050654, 6, 85, 4 },	/* Skylake-SP */
		{ 0x000806f8, 6, 143, 8 },	/* Sapphire Rapids */
		{ 0x00000f41, 15, 4, 1 },	/* NetBurst: family F */
		{ 0x00100f42, 16, 4, 2 },	/* extended family adds to F */
		{ 0x00a20f12, 25, 33, 2 },	/* family F takes the ext. model */
		{ 0x00010650, 6, 21, 0 },
		{ 0x00010520, 5, 2, 0 },	/* family 5 ignores the ext. model */
		{ 0x0ff00500, 5, 0, 0 },	/* ... and the ext. family */
	};
	unsigned int i, f, m, s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vb_cpu_decode_signature(cases[i].eax, &f, &m, &s);
		if (f != cases[i].family || m != cases[i].model ||
		    s != cases[i].stepping)
			fail_msg("0x%08x: got %u/%u/%u, want %u/%u/%u",
				 cases[i].eax, f, m, s, cases[i].family,
				 cases[i].model, cases[i].stepping);
	}
}

static void test_identify(void **state)
{
	struct vb_cpu_id id;

	(void)state;
	fake_cpuid_signature = 0x00050654;
	fake_cpuid_hypervisor = 0;
	vb_cpu_identify(fake_cpuid, &id);
	assert_string_equal(id.vendor, "GenuineIntel");
	assert_int_equal(id.family, 6);
	assert_int_equal(id.model, 85);
	assert_int_equal(id.stepping, 4);
	assert_false(id.hypervisor);
	assert_string_equal(id.hv_signature, "");
	fake_cpuid_hypervisor = 1;
	fake_cpuid_hv_signature = "VMwareVMware";
	vb_cpu_identify(fake_cpuid, &id);
	assert_true(id.hypervisor);
	assert_string_equal(id.hv_signature, "VMwareVMware");
	fake_cpuid_hv_signature = "KVMKVMKVM\0\0\0";
	fake_cpuid_hypervisor = 0;
	fake_cpuid_signature = 0x000906ea;
}

static void test_meta_keys(void **state)
{
	static const char *const order[] = {
		"tool", "tool_version", "tool_commit", "abi_version",
		"module_version", "platform", "timing_note", "host", "kernel",
		"cpu_vendor", "cpu_family", "cpu_model", "cpu_stepping",
		"cpu_model_name", "microcode", "tsc_khz", "target_cpu",
		"vmcs_revision", "config", "config_sha256", "points",
		"points_measured", "points_skipped", "samples", "unroll",
		"instruction", "vmcs", "offset", "cache", "memtype", "serialize",
		"page", "tlb", "ad", "records", "mismatches", "windows",
		"max_window_tsc", "interrupted", "start_time", "end_time",
		"command_line",
	};
	struct vb_meta m;
	unsigned int i;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	vb_meta_init(&m);
	assert_int_equal(m.n, sizeof(order) / sizeof(order[0]));
	for (i = 0; i < m.n; i++) {
		assert_string_equal(m.key[i], order[i]);
		assert_string_equal(m.value[i], "unknown");
	}
	vb_meta_set(&m, "samples", "%u", 42u);
	vb_meta_set(&m, "host", "%s", "");	/* empty: still "unknown" */
	vb_meta_set(&m, "new_key", "a,b");
	assert_string_equal(vb_meta_get(&m, "samples"), "42");
	assert_string_equal(vb_meta_get(&m, "host"), "unknown");
	assert_int_equal(m.n, sizeof(order) / sizeof(order[0]) + 1);
	assert_null(vb_meta_get(&m, "nope"));
	vb_meta_set_time(&m, "start_time", 1700000000);
	assert_string_equal(vb_meta_get(&m, "start_time"), "2023-11-14T22:13:20Z");

	f = open_memstream(&buf, &len);
	assert_int_equal(vb_meta_write(&m, f), 0);
	fclose(f);
	assert_int_equal(strncmp(buf, "key,value\r\ntool,unknown\r\n", 25), 0);
	assert_non_null(strstr(buf, "\r\nsamples,42\r\n"));
	assert_non_null(strstr(buf, "\r\nnew_key,\"a,b\"\r\n"));
	assert_int_equal(count_lines(buf), m.n + 1);
	free(buf);
	vb_meta_free(&m);
}

static void test_collect_host(void **state)
{
	struct harness h;
	struct vb_meta m;
	struct vb_info info;

	(void)state;
	harness_init(&h);
	vb_meta_init(&m);
	vb_meta_collect_host(&m, &h.env, 0, VB_PLATFORM_AUTO);
	assert_string_equal(vb_meta_get(&m, "microcode"), "0xf4");
	assert_string_equal(vb_meta_get(&m, "cpu_model_name"),
			    "Intel(R) Xeon(R) CPU E-2176G @ 3.70GHz");
	assert_string_equal(vb_meta_get(&m, "platform"), "native");
	assert_string_equal(vb_meta_get(&m, "target_cpu"), "0");
	assert_string_equal(vb_meta_get(&m, "tool_version"), VB_TOOL_VERSION);
	assert_string_not_equal(vb_meta_get(&m, "kernel"), "unknown");

	/* a bare tree: every key still there, "unknown" where no source */
	h.env.root = NOWHERE;
	fake_cpuid_hypervisor = 1;
	vb_meta_collect_host(&m, &h.env, 2, VB_PLATFORM_AUTO);
	assert_string_equal(vb_meta_get(&m, "microcode"), "unknown");
	assert_string_equal(vb_meta_get(&m, "cpu_model_name"), "unknown");
	assert_string_equal(vb_meta_get(&m, "platform"), "vm");
	assert_string_equal(vb_meta_get(&m, "timing_note"),
			    "guest: timings include the hypervisor");
	assert_string_equal(vb_meta_get(&m, "tsc_khz"), "unknown");

	/* INFO without VMX_BASIC or tsc_khz leaves those unknown */
	memset(&info, 0, sizeof(info));
	info.abi_version = 1;
	vb_meta_set_info(&m, &info);
	assert_string_equal(vb_meta_get(&m, "vmcs_revision"), "unknown");
	assert_string_equal(vb_meta_get(&m, "tsc_khz"), "unknown");
	assert_string_equal(vb_meta_get(&m, "module_version"), "unknown");
	info.flags = VB_INFO_VMX_BASIC;
	info.vmcs_revision = 0x12;
	info.tsc_khz = 1000;
	vb_meta_set_info(&m, &info);
	assert_string_equal(vb_meta_get(&m, "vmcs_revision"), "18");
	assert_string_equal(vb_meta_get(&m, "tsc_khz"), "1000");
	vb_meta_free(&m);
	harness_fini(&h);
}

static void test_join_argv(void **state)
{
	char *argv[] = { "vmptrst-bench", "run", "-o", "a b", NULL };
	char *s;

	(void)state;
	s = vb_join_argv(4, argv);
	assert_string_equal(s, "vmptrst-bench run -o a b");
	free(s);
	s = vb_join_argv(0, argv);
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuinfo_fields),
		cmocka_unit_test(test_read_line),
		cmocka_unit_test(test_microcode),
		cmocka_unit_test(test_model_name),
		cmocka_unit_test(test_decode_signature),
		cmocka_unit_test(test_identify),
		cmocka_unit_test(test_meta_keys),
		cmocka_unit_test(test_collect_host),
		cmocka_unit_test(test_join_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
