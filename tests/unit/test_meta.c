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
#include "sysstate.h"

#define DELL	FIXTURES "/dell"
#define NODMI	FIXTURES "/nodmi"
#define NOWHERE	FIXTURES "/does-not-exist"
#define LAB	FIXTURES "/lab"
#define SPARSE	FIXTURES "/sparse"

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
		"vmcs_revision", "hypervisor", "kernel_cmdline", "smt_control",
		"smt_active", "turbo", "turbo_source", "scaling_driver",
		"governor", "scaling_min_khz", "scaling_max_khz",
		"nmi_watchdog", "isolcpus", "nohz_full", "rcu_nocbs",
		"target_isolated", "target_nohz_full", "target_rcu_nocbs",
		"vmx_flags", "feature_control", "vmx_basic", "online_cpus",
		"config", "config_sha256", "points",
		"points_measured", "points_skipped", "samples",
		"samples_planned", "unroll",
		"instruction", "vmcs", "offset", "cache", "memtype", "serialize",
		"page", "page_measured", "tlb", "ad", "records", "mismatches",
		"windows",
		"max_window_tsc", "windows_described", "windows_undescribed",
		"windows_smi", "windows_nmi", "records_nmi", "records_smi",
		"freq_ratio_min", "freq_ratio_max", "events", "event_passes",
		"pmu",
		"pmc_invalid_records", "cross_check", "wait_vmx", "vmx_wait_ms", "rounds",
		"interrupted", "stopped", "start_time", "end_time",
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
	vb_meta_set(&m, "unroll", "16 64 256 1 2");	/* the plan's order */
	vb_meta_sort_numbers(&m, "unroll");
	assert_string_equal(vb_meta_get(&m, "unroll"), "1 2 16 64 256");
	vb_meta_set(&m, "offset", "4092");
	vb_meta_sort_numbers(&m, "offset");
	assert_string_equal(vb_meta_get(&m, "offset"), "4092");
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
	/* a guest: what its numbers are worth, PAT and SMIs included */
	assert_non_null(strstr(vb_meta_get(&m, "timing_note"),
			       "guest: timings include the hypervisor; it may ignore guest PAT (KVM with EPT does"));
	assert_non_null(strstr(vb_meta_get(&m, "timing_note"),
			       "memtype wc and uc- may measure WB"));
	assert_non_null(strstr(vb_meta_get(&m, "timing_note"),
			       "MSR_SMI_COUNT (0x34) is emulated, so SMIs are never flagged and the host's preemption of this vCPU is invisible"));
	assert_string_equal(vb_meta_get(&m, "hypervisor"), "KVMKVMKVM");
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
	assert_string_equal(vb_meta_get(&m, "vmx_flags"), "vmx_basic");
	assert_string_equal(vb_meta_get(&m, "vmx_basic"), "0x0");
	assert_string_equal(vb_meta_get(&m, "online_cpus"), "unknown");
	info.flags = VB_INFO_VMX | VB_INFO_VMX_IN_USE;
	info.feature_control = 0x5;
	info.online_cpus = 4;
	vb_meta_set_info(&m, &info);
	assert_string_equal(vb_meta_get(&m, "vmx_flags"), "vmx vmx_in_use");
	/* ABI 6's flags, each by its name */
	info.flags = VB_INFO_KVM | VB_INFO_NO_COVER | VB_INFO_KERNEL_VMX |
		     VB_INFO_RDTSCP | VB_INFO_CPU_STUCK;
	vb_meta_set_info(&m, &info);
	assert_string_equal(vb_meta_get(&m, "vmx_flags"),
			    "kvm no_cover kernel_vmx rdtscp cpu_stuck");
	assert_string_equal(vb_meta_get(&m, "feature_control"), "0x5");
	assert_string_equal(vb_meta_get(&m, "online_cpus"), "4");
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

static void test_cpulists(void **state)
{
	(void)state;
	assert_int_equal(vb_cpu_in_list("0-3,8", 3), VB_YES);
	assert_int_equal(vb_cpu_in_list("0-3,8", 8), VB_YES);
	assert_int_equal(vb_cpu_in_list("0-3,8", 4), VB_NO);
	assert_int_equal(vb_cpu_in_list("", 0), VB_NO);
	assert_int_equal(vb_cpu_in_list("all", 63), VB_YES);
	/* isolcpus's flags come first and are no CPUs */
	assert_int_equal(vb_cpu_in_list("nohz,domain,managed_irq,2-3", 2),
			 VB_YES);
	assert_int_equal(vb_cpu_in_list("domain,2-3", 0), VB_NO);
	/* groups: 0-15:2/4 is 0,1, 4,5, 8,9, 12,13 */
	assert_int_equal(vb_cpu_in_list("0-15:2/4", 5), VB_YES);
	assert_int_equal(vb_cpu_in_list("0-15:2/4", 6), VB_NO);
	assert_int_equal(vb_cpu_in_list("0-15:2/4", 13), VB_YES);
	/* what cannot be parsed is unknown, never "no" */
	assert_int_equal(vb_cpu_in_list("N", 0), VB_UNKNOWN);
	assert_int_equal(vb_cpu_in_list("3-1", 2), VB_UNKNOWN);
	assert_int_equal(vb_cpu_in_list("2,x", 2), VB_UNKNOWN);
	assert_int_equal(vb_cpu_in_list("0-7:3/2", 1), VB_UNKNOWN);
	assert_int_equal(vb_cpu_in_list("1,domain", 1), VB_UNKNOWN);
}

static void test_cmdline(void **state)
{
	char buf[256];

	(void)state;
	/* what follows a lone "--" is init's, not the kernel's */
	assert_int_equal(vb_cmdline(LAB, buf, sizeof(buf)), 0);
	assert_null(strstr(buf, "--"));
	assert_non_null(strstr(buf, " rcu_nocbs=2-3"));
	assert_int_equal(vb_cmdline_param(LAB, "isolcpus", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "domain,managed_irq,2-3");
	assert_int_equal(vb_cmdline_param(LAB, "nohz", buf, sizeof(buf)), 0);
	assert_int_equal(vb_cmdline_param(LAB, "ro", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "");
	assert_int_equal(vb_cmdline_param(SPARSE, "ro", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(vb_cmdline_cpu_in(LAB, "isolcpus", 3), VB_YES);
	assert_int_equal(vb_cmdline_cpu_in(LAB, "isolcpus", 0), VB_NO);
	assert_int_equal(vb_cmdline_cpu_in(LAB, "irqaffinity", 0), VB_NO);
	assert_int_equal(vb_cmdline_cpu_in(SPARSE, "isolcpus", 0), VB_UNKNOWN);
}

static void test_sys_readers(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(vb_turbo(LAB, buf, sizeof(buf)), VB_NO);
	assert_string_equal(buf, "intel_pstate/no_turbo");
	assert_int_equal(vb_turbo(SPARSE, buf, sizeof(buf)), VB_YES);
	assert_string_equal(buf, "cpufreq/boost");
	assert_int_equal(vb_turbo(DELL, buf, sizeof(buf)), VB_UNKNOWN);
	assert_string_equal(buf, "unknown");
	assert_int_equal(vb_sys_bool(LAB, "/sys/module/module/parameters/"
				     "sig_enforce"), VB_NO);
	assert_int_equal(vb_sys_bool(LAB, "/proc/cpuinfo"), VB_UNKNOWN);
	assert_int_equal(vb_kvm_intel_loaded(LAB), VB_NO);
	assert_int_equal(vb_kvm_intel_loaded(SPARSE), VB_UNKNOWN);
	assert_int_equal(vb_lockdown(LAB, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "none");
	assert_int_not_equal(vb_lockdown(SPARSE, buf, sizeof(buf)), 0);
	assert_int_equal(vb_secure_boot(LAB, buf, sizeof(buf)), VB_NO);
	assert_int_equal(vb_secure_boot(SPARSE, buf, sizeof(buf)), VB_UNKNOWN);
	assert_int_equal(vb_secure_boot(DELL, buf, sizeof(buf)), VB_NO);
}

static void test_collect_system(void **state)
{
	static const unsigned int isolated[] = { 2, 3 }, mixed[] = { 0, 3 };
	struct vb_meta m;

	(void)state;
	vb_meta_init(&m);
	vb_meta_collect_system(&m, LAB, isolated, 2);
	assert_non_null(strstr(vb_meta_get(&m, "kernel_cmdline"),
			       "isolcpus=domain,managed_irq,2-3"));
	assert_string_equal(vb_meta_get(&m, "smt_control"), "on");
	assert_string_equal(vb_meta_get(&m, "smt_active"), "1");
	assert_string_equal(vb_meta_get(&m, "turbo"), "off");
	assert_string_equal(vb_meta_get(&m, "turbo_source"),
			    "intel_pstate/no_turbo");
	assert_string_equal(vb_meta_get(&m, "scaling_driver"), "intel_pstate");
	assert_string_equal(vb_meta_get(&m, "governor"), "performance");
	assert_string_equal(vb_meta_get(&m, "scaling_min_khz"), "3700000");
	assert_string_equal(vb_meta_get(&m, "scaling_max_khz"), "3700000");
	assert_string_equal(vb_meta_get(&m, "nmi_watchdog"), "0");
	assert_string_equal(vb_meta_get(&m, "isolcpus"),
			    "domain,managed_irq,2-3");
	assert_string_equal(vb_meta_get(&m, "nohz_full"), "2-3");
	assert_string_equal(vb_meta_get(&m, "rcu_nocbs"), "2-3");
	assert_string_equal(vb_meta_get(&m, "target_isolated"), "yes");
	assert_string_equal(vb_meta_get(&m, "target_nohz_full"), "yes");
	assert_string_equal(vb_meta_get(&m, "target_rcu_nocbs"), "yes");
	/* CPUs that differ: each one's value */
	vb_meta_collect_system(&m, LAB, mixed, 2);
	assert_string_equal(vb_meta_get(&m, "governor"),
			    "cpu0:powersave cpu3:performance");
	assert_string_equal(vb_meta_get(&m, "scaling_max_khz"),
			    "cpu0:5000000 cpu3:3700000");
	assert_string_equal(vb_meta_get(&m, "target_isolated"),
			    "cpu0:no cpu3:yes");
	/* a machine with most files missing: unknown, never left out */
	vb_meta_free(&m);
	vb_meta_init(&m);
	vb_meta_collect_system(&m, SPARSE, mixed, 1);
	assert_string_equal(vb_meta_get(&m, "kernel_cmdline"), "unknown");
	assert_string_equal(vb_meta_get(&m, "smt_control"), "notsupported");
	assert_string_equal(vb_meta_get(&m, "smt_active"), "unknown");
	assert_string_equal(vb_meta_get(&m, "turbo"), "on");
	assert_string_equal(vb_meta_get(&m, "turbo_source"), "cpufreq/boost");
	assert_string_equal(vb_meta_get(&m, "governor"), "unknown");
	assert_string_equal(vb_meta_get(&m, "scaling_driver"), "unknown");
	assert_string_equal(vb_meta_get(&m, "nmi_watchdog"), "unknown");
	assert_string_equal(vb_meta_get(&m, "isolcpus"), "unknown");
	assert_string_equal(vb_meta_get(&m, "target_isolated"), "unknown");
	/* a command line without them: none, and not isolated */
	vb_meta_collect_system(&m, DELL, mixed, 1);
	assert_string_equal(vb_meta_get(&m, "isolcpus"), "none");
	assert_string_equal(vb_meta_get(&m, "rcu_nocbs"), "none");
	assert_string_equal(vb_meta_get(&m, "target_isolated"), "no");
	assert_string_equal(vb_meta_get(&m, "kernel_cmdline"),
			    "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 "
			    "root=/dev/sda1 ro quiet");
	vb_meta_free(&m);
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
		cmocka_unit_test(test_cpulists),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_sys_readers),
		cmocka_unit_test(test_collect_system),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
