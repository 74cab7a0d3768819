// SPDX-License-Identifier: GPL-2.0
/*
 * The device layer through the fake: each errno from open and each ioctl
 * gives its one line on stderr and exit 1; info and selftest output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "commands.h"
#include "harness.h"


/* Exactly one line on stderr, prefixed, holding every `want` (NULL-ended). */
static void assert_one_line(const struct harness *h, ...)
{
	const char *want;
	va_list ap;

	if (count_lines(h->err_buf) != 1 ||
	    strncmp(h->err_buf, "vmptrst-bench: ", 15))
		fail_msg("want one 'vmptrst-bench: ' line, got '%s'", h->err_buf);
	va_start(ap, h);
	while ((want = va_arg(ap, const char *)))
		if (!strstr(h->err_buf, want))
			fail_msg("stderr '%s' lacks '%s'", h->err_buf, want);
	va_end(ap);
}

static int run_cmd(struct harness *h)
{
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/out", h->dir);
	return harness_main(h, "run", "--cpu", "3", "--samples", "10", "-o",
			    dir, NULL);
}

/* After a failed RUN of the one point: a header, and the point failed. */
static void check_failed_files(struct harness *h, const char *why)
{
	char *s = slurp_in(h->dir, "out/samples.csv");

	assert_non_null(s);
	assert_int_equal(count_lines(s), 1);
	assert_non_null(strstr(s, "point,instruction,"));
	free(s);
	s = slurp_in(h->dir, "out/points.csv");
	assert_non_null(s);
	assert_int_equal(count_lines(s), 2);
	assert_non_null(strstr(s, ",failed,"));
	assert_non_null(strstr(s, why));
	free(s);
}

static void test_open_errors(void **state)
{
	struct harness *h = *state;
	static const int missing[] = { ENOENT, ENXIO, ENODEV };
	size_t i;

	for (i = 0; i < 3; i++) {
		h->fake.open_err = missing[i];
		assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
		assert_one_line(h, "/dev/vmptrst_bench: module not loaded",
				"insmod kmod/vmptrst_bench.ko", NULL);
	}
	h->fake.open_err = EACCES;
	assert_int_equal(harness_main(h, "info", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "needs root (CAP_SYS_RAWIO)", NULL);
	h->fake.open_err = EPERM;
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "needs root (CAP_SYS_RAWIO)", NULL);
	h->fake.open_err = EMFILE;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_one_line(h, "open: Too many open files", NULL);
	/* nothing created when the device is missing */
	assert_null(slurp_in(h->dir, "out/meta.csv"));
}

static void test_run_errnos(void **state)
{
	struct harness *h = *state;
	static const struct {
		int err;
		const char *want;
	} cases[] = {
		{ EPERM, "RUN: needs root (CAP_SYS_RAWIO)" },
		{ EACCES, "RUN: needs root (CAP_SYS_RAWIO)" },
		{ ENXIO, "CPU 3 is offline or does not exist" },
		{ EIO, "CPU 3: RUN: a VMX instruction failed; see dmesg" },
		{ EINVAL, "driver/module ABI mismatch (driver ABI " ABI_STR ") or a bad field" },
		{ ENOTTY, "does not know this ioctl: driver/module ABI mismatch" },
		{ ENOMEM, "could not allocate memory; try fewer --samples" },
		{ EFAULT, "RUN: Bad address" },
		{ EBUSY, "another run is in progress on /dev/vmptrst_bench" },
		{ ENODEV, "CPU 3: no usable VMX" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h->fake.run_err = cases[i].err;
		h->fake.run_calls = 0;
		assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
		assert_int_equal(h->fake.run_calls, 1);
		assert_one_line(h, cases[i].want, NULL);
		assert_int_equal(h->fake.opens, h->fake.closes);
		/* no rows; points.csv says what failed */
		check_failed_files(h, cases[i].want);
	}
}

/* EBUSY: INFO asked again tells a hypervisor apart from a concurrent run. */
static void test_busy(void **state)
{
	struct harness *h = *state;

	h->fake.run_err = EBUSY;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_int_equal(h->fake.info_calls, 2);
	assert_one_line(h, "another run is in progress", NULL);

	/* between the first INFO and RUN, a hypervisor took VMX: no kvm */
	h->fake.info_calls = 0;
	h->fake.flags_change_after = 1;
	h->fake.changed_flags = h->fake.info.flags | VB_INFO_VMX_IN_USE;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_int_equal(h->fake.info_calls, 2);
	assert_one_line(h, "CPU 3: another hypervisor owns VMX (kvm_intel is not loaded); stop it for the run, or use --wait-vmx SECONDS", NULL);
	assert_null(strstr(h->err_buf, "selftest"));

	h->fake.flags_change_after = 0;
	h->fake.info.flags |= VB_INFO_VMX_IN_USE;
	h->fake.selftest_err = EBUSY;
	assert_int_equal(harness_main(h, "selftest", "--cpu", "1", NULL),
			 VB_EXIT_ERROR);
	assert_one_line(h, "CPU 1: another hypervisor owns VMX (kvm_intel is not loaded), and the selftest needs VMX off; stop it", NULL);
	assert_null(strstr(h->err_buf, "--wait-vmx"));	/* not selftest's */
}

/*
 * EBUSY at the start of a RUN (finding 9): INFO and /sys say which case,
 * each with its own cause and fix.
 */
static void test_busy_kvm(void **state)
{
	struct harness *h = *state;
	const char *root;
	char v61[300];

	h->fake.run_err = EBUSY;
	h->fake.flags_change_after = 1;	/* free at the check, taken at RUN */

	/* 6.12, enable_virt_at_load=N: a VM started */
	harness_put(h, "sys/module/kvm_intel/initstate", "live\n");
	root = harness_put(h, "sys/module/kvm/parameters/enable_virt_at_load",
			   "N\n");
	h->env.root = root;
	h->fake.changed_flags = h->fake.info.flags | VB_INFO_VMX_IN_USE |
				VB_INFO_KVM;
	h->fake.info_calls = 0;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 3: a VM is running: KVM turns VMX on while VMs exist; wait for it to end, or use --wait-vmx SECONDS", NULL);
	check_failed_files(h, "a VM is running");

	/* 6.1: no enable_virt_at_load, kvm_intel from /proc/modules only */
	snprintf(v61, sizeof(v61), "%s/v61", harness_put(h, "v61/proc/modules",
		 "kvm_intel 380928 0 - Live 0x0\n"));
	h->env.root = v61;
	h->fake.changed_flags = h->fake.info.flags | VB_INFO_VMX_IN_USE;
	h->fake.info_calls = 0;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 3: a VM is running: KVM turns VMX on while VMs exist; wait for it to end, or use --wait-vmx SECONDS", NULL);

	/* enable_virt_at_load=Y: VMX on since kvm_intel was loaded */
	h->env.root = harness_put(h, "sys/module/kvm/parameters/enable_virt_at_load", "Y\n");
	h->fake.changed_flags = h->fake.info.flags | VB_INFO_VMX_IN_USE |
				VB_INFO_KVM;
	h->fake.info_calls = 0;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 3: kvm_intel turned VMX on when it was loaded (kvm.enable_virt_at_load=Y); rmmod kvm_intel kvm, or reload kvm with enable_virt_at_load=0", NULL);

	/* kvm loaded on 6.12, VMX off: the crash-time callback is KVM's */
	h->fake.changed_flags = h->fake.info.flags | VB_INFO_NO_COVER |
				VB_INFO_KVM;
	h->fake.info_calls = 0;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 3: kvm is loaded: on this kernel KVM takes the kernel's single crash-time VMXOFF callback whenever it turns VMX on, so the module cannot keep a crash or kdump from hanging this CPU during a run; unload kvm_intel and kvm for the run (or --wait-vmx SECONDS to wait for that)", NULL);

	/* a CPU where VMXOFF failed earlier */
	h->fake.changed_flags = h->fake.info.flags | VB_INFO_CPU_STUCK;
	h->fake.info_calls = 0;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 3 was left in VMX operation after VMXOFF failed; reboot before measuring on it", NULL);
	/* ... and the EIO the module answers on it (this RUN's or later) */
	h->fake.run_err = EIO;
	h->fake.info_calls = 0;
	assert_int_equal(run_cmd(h), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 3 was left in VMX operation after VMXOFF failed (RUN: EIO, see dmesg); reboot before measuring on it", NULL);
}

static void test_nodev(void **state)
{
	struct harness *h = *state;

	/* INFO, asked again, explains the ENODEV */
	h->fake.selftest_err = ENODEV;
	h->fake.info.flags = VB_INFO_VMX | VB_INFO_FEAT_LOCKED;
	h->fake.info.feature_control = 0x1;
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 0: VMX is disabled by firmware",
			"IA32_FEATURE_CONTROL = 0x1", NULL);
	h->fake.info.flags = 0;
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 0 has no VMX", NULL);
	/* firmware enabled VMX outside SMX only, the kernel runs in SMX */
	h->fake.info.flags = VB_INFO_VMX | VB_INFO_FEAT_LOCKED | VB_INFO_FEAT_VMX;
	h->fake.info.feature_control = 0x5;
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 0: firmware disabled VMX for the mode the kernel runs in (the kernel's X86_FEATURE_VMX is clear though CPUID has VMX, SMX/TXT considered; IA32_FEATURE_CONTROL = 0x5)", NULL);
	h->fake.info_err = EIO;	/* INFO fails too: the generic reason */
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "CPU 0: no usable VMX", NULL);
}

static void test_info_errors(void **state)
{
	struct harness *h = *state;

	h->fake.info_err = EINVAL;
	assert_int_equal(harness_main(h, "info", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "INFO: the module rejected the request", NULL);
	h->fake.info_err = ENXIO;
	assert_int_equal(harness_main(h, "info", "--cpu", "9", NULL),
			 VB_EXIT_ERROR);
	assert_one_line(h, "CPU 9 is offline or does not exist", NULL);
	h->fake.info_err = 0;
	h->fake.module_abi = 1;
	assert_int_equal(harness_main(h, "info", NULL), VB_EXIT_ERROR);
	assert_one_line(h, "ABI mismatch: driver ABI " ABI_STR ", module ABI 1", NULL);
	assert_int_equal(h->out_len, 0);
}

static void test_info_output(void **state)
{
	struct harness *h = *state;
	static const char *const want[] = {
		"cpu              5\n", "vmx              yes\n",
		"vmx in use       no\n", "kernel vmx       yes (X86_FEATURE_VMX",
		"kvm              not loaded\n", "crash cover      yes",
		"cpu stuck        no\n", "rdtscp           yes\n",
		"feature control  0x0000000000000005 (locked, VMX outside SMX enabled)\n",
		"vmx basic        0x00da040000000004\n",
		"  vmcs revision  4\n", "  vmcs size      1024 bytes\n",
		"  vmcs memtype   6 (WB)\n", "tsc khz          2400000\n",
		"online cpus      8\n", "max samples      262144\n",
		"module version   0.1-test\n", "abi              " ABI_STR " (driver " ABI_STR ")\n",
		"run              possible\n",
	};
	size_t i;

	assert_int_equal(harness_main(h, "info", "--cpu", "5", NULL), VB_EXIT_OK);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(h->out_buf, want[i]))
			fail_msg("info output lacks '%s':\n%s", want[i], h->out_buf);
	assert_int_equal(h->err_len, 0);
	assert_int_equal(h->fake.closes, 1);

	h->fake.info.flags = VB_INFO_VMX | VB_INFO_VMX_IN_USE |
			     VB_INFO_KERNEL_VMX;
	h->fake.info.tsc_khz = 0;
	assert_int_equal(harness_main(h, "info", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "vmx in use       yes (CR4.VMXE set"));
	assert_non_null(strstr(h->out_buf, "vmx basic        unavailable\n"));
	assert_non_null(strstr(h->out_buf, "tsc khz          unknown\n"));
	assert_non_null(strstr(h->out_buf, "not locked, VMX outside SMX disabled"));
	assert_non_null(strstr(h->out_buf, "run              not possible: CPU 0: another hypervisor owns VMX (kvm_intel is not loaded); stop it for the run, or use --wait-vmx SECONDS\n"));
	assert_non_null(strstr(h->out_buf, "rdtscp           no (serialize=cpuid points are skipped)\n"));
	h->fake.info.flags = VB_INFO_VMX;	/* the kernel found VMX off */
	assert_int_equal(harness_main(h, "info", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "kernel vmx       no (X86_FEATURE_VMX clear"));
	assert_non_null(strstr(h->out_buf, "run              not possible: CPU 0: firmware disabled VMX for the mode the kernel runs in"));

	/* ABI 6's flags, each on its line */
	h->fake.info.flags = VB_INFO_VMX | VB_INFO_KERNEL_VMX | VB_INFO_KVM |
			     VB_INFO_NO_COVER | VB_INFO_RDTSCP;
	assert_int_equal(harness_main(h, "info", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "kernel vmx       yes (X86_FEATURE_VMX"));
	assert_non_null(strstr(h->out_buf, "kvm              loaded (it owns the kernel's crash-time VMXOFF callback)\n"));
	assert_non_null(strstr(h->out_buf, "crash cover      no (KVM holds"));
	assert_non_null(strstr(h->out_buf, "rdtscp           yes\n"));
	assert_non_null(strstr(h->out_buf, "cpu stuck        no\n"));
	assert_non_null(strstr(h->out_buf, "run              not possible: CPU 0: kvm is loaded: on this kernel KVM takes the kernel's single crash-time VMXOFF callback"));
	h->fake.info.flags = VB_INFO_VMX | VB_INFO_KERNEL_VMX | VB_INFO_CPU_STUCK;
	assert_int_equal(harness_main(h, "info", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "cpu stuck        yes (VMXOFF failed earlier"));
	assert_non_null(strstr(h->out_buf, "run              not possible: CPU 0 was left in VMX operation after VMXOFF failed; reboot before measuring on it\n"));
}

static void test_selftest(void **state)
{
	struct harness *h = *state;

	assert_int_equal(harness_main(h, "selftest", "--cpu", "2", NULL),
			 VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "trap     6 (#UD)\n"));
	assert_non_null(strstr(h->out_buf, "operand  0xdeadbeefcafef00d (unchanged)\n"));
	assert_non_null(strstr(h->out_buf, "result   pass"));
	assert_int_equal(h->err_len, 0);

	h->fake.st.trap = 13;
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_CHECK);
	assert_non_null(strstr(h->out_buf, "trap     13 (#GP)\n"));
	assert_one_line(h, "selftest failed on CPU 0: trap 13 (#GP)", NULL);

	h->fake.st.trap = -1;	/* no fault, and it stored something */
	h->fake.st.operand = 0;
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_CHECK);
	assert_non_null(strstr(h->out_buf, "trap     -1 (no fault)\n"));
	assert_one_line(h, "trap -1 (no fault), operand overwritten", NULL);

	h->fake.st.trap = 6;	/* #UD, but the operand changed */
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_CHECK);
	h->fake.st.trap = 14;
	h->fake.st.operand = h->fake.st.poison;
	assert_int_equal(harness_main(h, "selftest", NULL), VB_EXIT_CHECK);
	assert_non_null(strstr(h->out_buf, "(#PF)"));
	assert_string_equal(vb_trap_name(12), "#SS");
	assert_string_equal(vb_trap_name(3), "unexpected vector");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_errors, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_run_errnos, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_busy, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_busy_kvm, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_nodev, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_info_errors, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_info_output, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_selftest, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
