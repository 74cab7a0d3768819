// SPDX-License-Identifier: GPL-2.0
/*
 * `doctor` from recorded /proc and /sys trees (fixtures/lab: a lab server
 * with isolcpus; fixtures/sparse: a machine missing most files) and trees
 * built per test, with the fake device, CPUID and perf: every check's
 * PASS, WARN and FAIL, the summary line and the exit code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "harness.h"

#define LAB	FIXTURES "/lab"
#define SPARSE	FIXTURES "/sparse"

static const char *const checks[] = {
	"target cpu", "cpu", "hypervisor", "module", "vt-x firmware",
	"vmx owner", "rdtscp", "vmx guest", "kernel headers", "module loading", "secure boot", "pmu",
	"nmi watchdog", "smt", "turbo", "governor", "isolation",
};
#define N_CHECKS	(sizeof(checks) / sizeof(checks[0]))

static int doctor(struct harness *h, const char *cpu)
{
	return harness_main(h, "doctor", "--cpu", cpu, NULL);
}

/* The line of check `what`: exactly one, "VERDICT  what: ...". */
static const char *line_of(const struct harness *h, const char *what,
			   char *buf, size_t len)
{
	const char *p = h->out_buf, *found = NULL;
	char key[64];

	snprintf(key, sizeof(key), "  %s: ", what);
	for (; p && *p; p = strchr(p, '\n') + 1) {
		const char *k = strstr(p, key);
		const char *eol = strchr(p, '\n');

		if (k && k == p + 4 && eol && k < eol) {
			if (found)
				fail_msg("check %s printed twice", what);
			found = p;
		}
		if (!eol)
			break;
	}
	if (!found)
		fail_msg("no line for check %s in:\n%s", what, h->out_buf);
	snprintf(buf, len, "%.*s", (int)(strchr(found, '\n') - found), found);
	return buf;
}

static void verdict(const struct harness *h, const char *what,
		    const char *want, const char *detail)
{
	char buf[1024];

	line_of(h, what, buf, sizeof(buf));
	if (strncmp(buf, want, 4))
		fail_msg("check %s: want %s, got: %s", what, want, buf);
	if (detail && !strstr(buf, detail))
		fail_msg("check %s: no '%s' in: %s", what, detail, buf);
	/* a fix for every WARN and FAIL, none for a PASS */
	if (!strcmp(want, "PASS") == !!strstr(buf, " (fix: "))
		fail_msg("check %s: fix shown wrongly: %s", what, buf);
}

/* The tree h->dir/root/sub as a root prefix ("" : h->dir/root). */
static const char *root_at(struct harness *h, const char *sub)
{
	static char root[256];

	snprintf(root, sizeof(root), "%s/root%s%s", h->dir, *sub ? "/" : "",
		 sub);
	return root;
}

static void unput(struct harness *h, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/root/%s", h->dir, rel);
	assert_int_equal(remove(path), 0);
}

/* A file h->dir/root/rel (parents created); returns the tree's root. */
static const char *put(struct harness *h, const char *rel, const char *text)
{
	return harness_put(h, rel, text);
}

static void test_lab_ready(void **state)
{
	struct harness *h = *state;
	size_t i;

	h->env.root = LAB;
	assert_int_equal(doctor(h, "3"), VB_EXIT_OK);
	for (i = 0; i < N_CHECKS; i++)
		verdict(h, checks[i], "PASS", NULL);
	assert_int_equal(count_lines(h->out_buf), N_CHECKS + 1);
	assert_non_null(strstr(h->out_buf, "doctor: CPU 3: 17 passed, 0 "
			       "warnings, 0 failed: ready for a native run\n"));
	assert_int_equal(fake_pinned_cpu, 3);
	verdict(h, "module", "PASS", "version 0.1-test, ABI " ABI_STR);
	verdict(h, "vt-x firmware", "PASS", "0x5 (locked, VMX outside SMX on; "
		"from the module's INFO)");
	verdict(h, "kernel headers", "PASS", "/lib/modules/6.1.0-lab-amd64/build");
	verdict(h, "isolation", "PASS", "CPU 3 is in isolcpus (nohz_full yes, "
		"rcu_nocbs yes)");
	verdict(h, "smt", "PASS", "CPU 3 has its core to itself");
	verdict(h, "turbo", "PASS", "off (intel_pstate/no_turbo)");
	verdict(h, "governor", "PASS", "performance on CPU 3 (3700000..3700000");
	verdict(h, "secure boot", "PASS", "SecureBoot=0");
	verdict(h, "pmu", "PASS", "on CPU 3");
	assert_int_equal(h->perf.cpu, 3);
	assert_int_equal(h->perf.opens, h->perf.closes);
}

static void test_lab_housekeeping_cpu(void **state)
{
	struct harness *h = *state;

	/* CPU 0: not isolated, powersave, shares its core: WARNs, exit 0 */
	h->env.root = LAB;
	assert_int_equal(doctor(h, "0"), VB_EXIT_OK);
	verdict(h, "isolation", "WARN", "CPU 0 is not in isolcpus");
	verdict(h, "isolation", "WARN", "isolcpus=0 nohz_full=0 rcu_nocbs=0");
	verdict(h, "governor", "WARN", "powersave on CPU 0 (800000..5000000 kHz)");
	verdict(h, "smt", "WARN", "shares its core (0,2)");
	assert_non_null(strstr(h->out_buf, "14 passed, 3 warnings, 0 failed: a "
			       "native run can proceed"));
}

static void test_no_module(void **state)
{
	struct harness *h = *state;

	/* no module: feature control from /dev/cpu/3/msr; headers needed */
	h->env.root = LAB;
	h->fake.open_err = ENOENT;
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "module", "FAIL", "not loaded: /dev/vmptrst_bench");
	verdict(h, "module", "FAIL", "insmod kmod/vmptrst_bench.ko");
	verdict(h, "vt-x firmware", "PASS", "0x5 (locked, VMX outside SMX on; "
		"from /dev/cpu/3/msr)");
	verdict(h, "vmx owner", "PASS", "kvm_intel not loaded");
	verdict(h, "module loading", "PASS", "lockdown none, sig_enforce off");
	assert_non_null(strstr(h->out_buf, "1 failed: a native run cannot "
			       "proceed"));
	/* no msr device for CPU 2: unknown, with how to check */
	assert_int_equal(doctor(h, "2"), VB_EXIT_ERROR);
	verdict(h, "vt-x firmware", "WARN", "unknown: no module INFO, and "
		"/dev/cpu/2/msr");
	verdict(h, "vt-x firmware", "WARN", "rdmsr 0x3a");
	/* EACCES: root needed */
	h->fake.open_err = EACCES;
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "module", "FAIL", "(fix: run as root)");
}

static void test_module_abi(void **state)
{
	struct harness *h = *state;

	h->env.root = LAB;
	h->fake.module_abi = VB_ABI_VERSION + 1;
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "module", "FAIL", "ABI mismatch");
	verdict(h, "module", "FAIL", "rebuild module and driver");
}

static void test_cpu_checks(void **state)
{
	struct harness *h = *state;

	h->env.root = LAB;
	fake_cpuid_no_vmx = 1;
	fake_cpuid_hypervisor = 1;
	fake_cpuid_hv_signature = "KVMKVMKVM\0\0\0";
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "cpu", "FAIL", "without VMX (CPUID.1:ECX.VMX = 0): the "
		"hypervisor hides it");
	verdict(h, "cpu", "FAIL", "nested");
	verdict(h, "hypervisor", "WARN", "(KVMKVMKVM): every number would be a "
		"guest's");
	fake_cpuid_no_vmx = 0;
	fake_cpuid_hypervisor = 0;
	fake_cpuid_vendor = "AuthenticAMD";
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "cpu", "FAIL", "AuthenticAMD");
	fake_pin_err = ENXIO;
	assert_int_equal(doctor(h, "9"), VB_EXIT_ERROR);
	verdict(h, "target cpu", "FAIL", "CPU 9: cannot pin to it");
}

static void test_firmware(void **state)
{
	struct harness *h = *state;
	static const unsigned char locked_off[0x3a + 8] = { [0x3a] = 0x1 };
	char path[256];
	FILE *f;

	h->env.root = LAB;
	h->fake.info.feature_control = 0x1;	/* locked, VMX off */
	h->fake.info.flags &= ~VB_INFO_KERNEL_VMX;	/* the kernel agrees */
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "vt-x firmware", "FAIL", "disabled by firmware: "
		"IA32_FEATURE_CONTROL = 0x1");
	verdict(h, "vt-x firmware", "FAIL", "in the firmware setup");
	h->fake.info.feature_control = 0x4;	/* not locked */
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "vt-x firmware", "FAIL", "is not locked");
	/* VMX outside SMX on, yet the kernel found it off: it runs in SMX */
	h->fake.info.feature_control = 0x5;
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "vt-x firmware", "FAIL", "firmware disabled VMX for the mode the kernel runs in: X86_FEATURE_VMX is clear though CPUID.1:ECX.VMX = 1 and IA32_FEATURE_CONTROL = 0x5 allows VMX outside SMX (SMX/TXT considered");
	verdict(h, "vt-x firmware", "FAIL", "VT-x inside SMX too");
	/* Intel TXT: VMX inside SMX only, and the kernel says VMX is on */
	h->fake.info.feature_control = 0x3;
	h->fake.info.flags |= VB_INFO_KERNEL_VMX;
	assert_int_equal(doctor(h, "3"), VB_EXIT_OK);
	verdict(h, "vt-x firmware", "PASS", "enabled for the kernel's mode: X86_FEATURE_VMX set, IA32_FEATURE_CONTROL = 0x3 (locked, VMX outside SMX off: VMX inside SMX, Intel TXT");
	/* the same from the msr device */
	h->fake.open_err = ENOENT;
	snprintf(path, sizeof(path), "%s/dev/cpu/5/msr",
		 put(h, "dev/cpu/5/x", ""));
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(locked_off, 1, sizeof(locked_off), f),
			 sizeof(locked_off));
	fclose(f);
	h->env.root = put(h, "proc/cmdline", "quiet\n");
	assert_int_equal(doctor(h, "5"), VB_EXIT_ERROR);
	verdict(h, "vt-x firmware", "FAIL", "= 0x1 (locked, VMX outside SMX "
		"off; from /dev/cpu/5/msr)");
}

static void test_kvm(void **state)
{
	struct harness *h = *state;
	const char *root;

	/* INFO: VMX already on, kvm_intel not loaded */
	h->env.root = LAB;
	h->fake.info.flags |= VB_INFO_VMX_IN_USE;
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "vmx owner", "FAIL", "VMX is already on on CPU 3 (CR4.VMXE, from INFO): another hypervisor owns VMX (kvm_intel is not loaded) (fix: stop it for the run, or use --wait-vmx SECONDS)");
	h->fake.info.flags &= ~VB_INFO_VMX_IN_USE;
	/* INFO: the module left CPU 3 in VMX operation */
	h->fake.info.flags |= VB_INFO_CPU_STUCK;
	assert_int_equal(doctor(h, "3"), VB_EXIT_ERROR);
	verdict(h, "vmx owner", "FAIL", "CPU 3 was left in VMX operation after VMXOFF failed (INFO: cpu_stuck)");
	verdict(h, "vmx owner", "FAIL", "(fix: reboot before measuring on it)");
	h->fake.info.flags &= ~VB_INFO_CPU_STUCK;

	/* 6.12+: kvm_intel loaded with enable_virt_at_load=Y, no module */
	h->fake.open_err = ENOENT;
	put(h, "sys/module/kvm_intel/initstate", "live\n");
	root = put(h, "sys/module/kvm/parameters/enable_virt_at_load", "Y\n");
	h->env.root = root;
	assert_int_equal(doctor(h, "0"), VB_EXIT_ERROR);
	verdict(h, "vmx owner", "FAIL", "enable_virt_at_load=Y (Linux 6.12+): "
		"VMX is on on every CPU");
	/* ... with the module: INFO says VMX is on, /sys says since load */
	h->fake.open_err = 0;
	h->fake.info.flags |= VB_INFO_VMX_IN_USE | VB_INFO_KVM;
	assert_int_equal(doctor(h, "0"), VB_EXIT_ERROR);
	verdict(h, "vmx owner", "FAIL", "VMX is already on on CPU 0 (CR4.VMXE, from INFO): kvm_intel turned VMX on when it was loaded (kvm.enable_virt_at_load=Y) (fix: rmmod kvm_intel kvm, or reload kvm with enable_virt_at_load=0)");
	/* ... with it off: VMX on means a VM is running */
	put(h, "sys/module/kvm/parameters/enable_virt_at_load", "N\n");
	assert_int_equal(doctor(h, "0"), VB_EXIT_ERROR);
	verdict(h, "vmx owner", "FAIL", "VMX is already on on CPU 0 (CR4.VMXE, from INFO): a VM is running: KVM turns VMX on while VMs exist (fix: wait for it to end, or use --wait-vmx SECONDS)");
	/* ... no VM, but on 6.12 KVM holds the crash-time callback */
	h->fake.info.flags &= ~VB_INFO_VMX_IN_USE;
	h->fake.info.flags |= VB_INFO_NO_COVER;
	assert_int_equal(doctor(h, "0"), VB_EXIT_ERROR);
	verdict(h, "vmx owner", "FAIL", "kvm is loaded: on this kernel KVM takes the kernel's single crash-time VMXOFF callback whenever it turns VMX on, so the module cannot keep a crash or kdump from hanging this CPU during a run (INFO: no_cover on CPU 0) (fix: unload kvm_intel and kvm for the run (or --wait-vmx SECONDS to wait for that))");
	h->fake.info.flags &= ~(VB_INFO_NO_COVER | VB_INFO_KVM);
	/* ... no module, VMX off until a VM starts: a warning */
	h->fake.open_err = ENOENT;
	doctor(h, "0");
	verdict(h, "vmx owner", "WARN", "kvm_intel is loaded with "
		"enable_virt_at_load=N");
	verdict(h, "vmx owner", "WARN", "--wait-vmx SECONDS");
	/* before 6.12, from /proc/modules alone */
	put(h, "x/proc/modules", "kvm_intel 380928 0 - Live 0x0\n"
	    "kvm 1146880 1 kvm_intel, Live 0x0\n");
	h->env.root = root_at(h, "x");
	doctor(h, "0");
	verdict(h, "vmx owner", "WARN", "before 6.12");
	/* nothing to tell from */
	h->env.root = SPARSE;
	doctor(h, "0");
	verdict(h, "vmx owner", "WARN", "unknown");
}

/* serialize=cpuid needs RDTSCP: from INFO, else from CPUID */
static void test_rdtscp(void **state)
{
	struct harness *h = *state;

	h->env.root = LAB;
	h->fake.info.flags &= ~VB_INFO_RDTSCP;
	assert_int_equal(doctor(h, "3"), VB_EXIT_OK);	/* a warning only */
	verdict(h, "rdtscp", "WARN", "absent (the module's INFO): serialize=cpuid points will be skipped (fix: use serialize=lfence or mfence)");
	h->fake.info.flags |= VB_INFO_RDTSCP;
	doctor(h, "3");
	verdict(h, "rdtscp", "PASS", "present (the module's INFO)");
	/* no module: CPUID */
	h->fake.open_err = ENOENT;
	fake_cpuid_no_rdtscp = 1;
	doctor(h, "3");
	verdict(h, "rdtscp", "WARN", "absent (CPUID.80000001H:EDX[27])");
	fake_cpuid_no_rdtscp = 0;
	doctor(h, "3");
	verdict(h, "rdtscp", "PASS", "present (CPUID.80000001H:EDX[27])");
}

/* mode=guest needs VPID and INVVPID: INFO says, or nobody can */
static void test_vmx_guest(void **state)
{
	struct harness *h = *state;

	h->env.root = LAB;
	h->fake.info.flags |= VB_INFO_GUEST;
	assert_int_equal(doctor(h, "3"), VB_EXIT_OK);
	verdict(h, "vmx guest", "PASS", "VPID and INVVPID present (the module's INFO): mode=guest can run");
	h->fake.info.flags &= ~VB_INFO_GUEST;
	assert_int_equal(doctor(h, "3"), VB_EXIT_OK);	/* a warning only */
	verdict(h, "vmx guest", "WARN", "no VPID or INVVPID (the module's INFO): mode=guest points will be skipped (fix: measure mode=root only)");
	h->fake.open_err = ENOENT;
	doctor(h, "3");
	verdict(h, "vmx guest", "WARN", "unknown without the module's INFO on a CPU with VMX: mode=guest needs VPID and INVVPID (fix: load the module: make run does)");
}

static void test_headers(void **state)
{
	struct harness *h = *state;

	/* no build tree: FAIL without the module, WARN with it */
	h->env.root = put(h, "proc/sys/kernel/osrelease", "6.12.9-amd64\n");
	doctor(h, "0");
	verdict(h, "kernel headers", "WARN", "/lib/modules/6.12.9-amd64/build "
		"is missing: not needed while the module is loaded");
	verdict(h, "kernel headers", "WARN", "linux-headers-6.12.9-amd64");
	h->fake.open_err = ENOENT;
	doctor(h, "0");
	verdict(h, "kernel headers", "FAIL", "the module cannot be built");
}

static void test_loading(void **state)
{
	struct harness *h = *state;
	const char *root;

	h->fake.open_err = ENOENT;
	root = put(h, "proc/sys/kernel/modules_disabled", "1\n");
	put(h, "sys/kernel/security/lockdown", "[none] integrity "
	    "confidentiality\n");
	put(h, "sys/module/module/parameters/sig_enforce", "N\n");
	h->env.root = root;
	doctor(h, "0");
	verdict(h, "module loading", "FAIL", "kernel.modules_disabled = 1");
	put(h, "proc/sys/kernel/modules_disabled", "0\n");
	put(h, "sys/kernel/security/lockdown", "none [integrity] "
	    "confidentiality\n");
	doctor(h, "0");
	verdict(h, "module loading", "FAIL", "lockdown is 'integrity'");
	verdict(h, "module loading", "FAIL", "MOK");
	put(h, "sys/kernel/security/lockdown", "[none] integrity\n");
	put(h, "sys/module/module/parameters/sig_enforce", "Y\n");
	doctor(h, "0");
	verdict(h, "module loading", "FAIL", "module.sig_enforce is on");
	/* no sysfs parameter: the command line's module.sig_enforce */
	put(h, "y/proc/cmdline", "ro module.sig_enforce=1\n");
	put(h, "y/proc/sys/kernel/modules_disabled", "0\n");
	put(h, "y/sys/kernel/security/lockdown", "[none]\n");
	h->env.root = root_at(h, "y");
	doctor(h, "0");
	verdict(h, "module loading", "FAIL", "module.sig_enforce is on");
	/* the sparse machine: nothing to tell from */
	h->env.root = SPARSE;
	doctor(h, "0");
	verdict(h, "module loading", "WARN", "unknown: modules_disabled "
		"unknown, lockdown unknown, sig_enforce unknown");
	/* loaded: nothing matters any more */
	h->fake.open_err = 0;
	doctor(h, "0");
	verdict(h, "module loading", "PASS", "the module is loaded");
}

static void test_secure_boot(void **state)
{
	struct harness *h = *state;
	static const unsigned char on[5] = { 6, 0, 0, 0, 1 };
	char path[256];
	FILE *f;

	h->fake.open_err = ENOENT;
	snprintf(path, sizeof(path), "%s/sys/firmware/efi/efivars/SecureBoot-"
		 "8be4df61-93ca-11d2-aa0d-00e098032b8c",
		 put(h, "sys/firmware/efi/efivars/x", ""));
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(on, 1, sizeof(on), f), sizeof(on));
	fclose(f);
	h->env.root = put(h, "proc/cmdline", "ro\n");
	doctor(h, "0");
	verdict(h, "secure boot", "WARN", "on (SecureBoot=1 (EFI variable))");
	verdict(h, "secure boot", "WARN", "MOK");
	h->fake.open_err = 0;
	doctor(h, "0");
	verdict(h, "secure boot", "PASS", "but the module is loaded");
	/* EFI without readable efivars */
	h->env.root = SPARSE;
	doctor(h, "0");
	verdict(h, "secure boot", "WARN", "unknown: EFI, but efivars cannot "
		"be read");
	verdict(h, "secure boot", "WARN", "mokutil --sb-state");
	/* no EFI at all */
	h->env.root = FIXTURES "/dell";
	doctor(h, "0");
	verdict(h, "secure boot", "PASS", "not booted through EFI");
}

static void test_pmu(void **state)
{
	struct harness *h = *state;

	h->env.root = LAB;
	h->perf.open_err = EACCES;
	assert_int_equal(doctor(h, "3"), VB_EXIT_OK);	/* TSC still works */
	verdict(h, "pmu", "WARN", "the core PMU is there but a cycles counter "
		"on CPU 3 cannot be opened: Permission denied");
	verdict(h, "pmu", "WARN", "perf_event_paranoid");
	h->env.root = SPARSE;
	h->perf.open_err = ENOENT;
	doctor(h, "0");
	verdict(h, "pmu", "WARN", "no core PMU");
}

static void test_watchdog_smt_turbo_governor(void **state)
{
	struct harness *h = *state;
	const char *root;

	root = put(h, "proc/sys/kernel/nmi_watchdog", "1\n");
	put(h, "sys/devices/system/cpu/smt/active", "0\n");
	put(h, "sys/devices/system/cpu/smt/control", "off\n");
	put(h, "sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
	put(h, "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor",
	    "performance\n");
	put(h, "proc/cmdline", "ro isolcpus=0-1:1/2\n");	/* 0, not 1 */
	h->env.root = root;
	doctor(h, "1");
	verdict(h, "nmi watchdog", "WARN", "on (1): it holds a core counter");
	verdict(h, "nmi watchdog", "WARN", "kernel.nmi_watchdog=0");
	verdict(h, "smt", "PASS", "not active (control off)");
	verdict(h, "turbo", "WARN", "on (intel_pstate/no_turbo)");
	verdict(h, "turbo", "WARN", "echo 1 > /sys/devices/system/cpu/"
		"intel_pstate/no_turbo");
	verdict(h, "governor", "PASS", "performance on CPU 1 (unknown..unknown");
	verdict(h, "isolation", "WARN", "CPU 1 is not in isolcpus");
	doctor(h, "0");
	verdict(h, "isolation", "PASS", "CPU 0 is in isolcpus (nohz_full no, "
		"rcu_nocbs no)");
	/* a kernel without the watchdog; SMT active, siblings unknown */
	unput(h, "proc/sys/kernel/nmi_watchdog");
	put(h, "sys/devices/system/cpu/smt/active", "1\n");
	doctor(h, "1");
	verdict(h, "nmi watchdog", "PASS", "not built into this kernel");
	verdict(h, "smt", "WARN", "siblings unknown");
	/* the sparse machine: boost on, no governor, unknowns */
	h->env.root = SPARSE;
	doctor(h, "0");
	verdict(h, "nmi watchdog", "WARN", "unknown");
	verdict(h, "smt", "WARN", "unknown");
	verdict(h, "turbo", "WARN", "on (cpufreq/boost)");
	verdict(h, "turbo", "WARN", "echo 0 > /sys/devices/system/cpu/cpufreq/"
		"boost");
	verdict(h, "governor", "WARN", "unknown: CPU 0 has no cpufreq");
	verdict(h, "isolation", "WARN", "unknown: the kernel command line");
	/* boost off; no turbo control at all */
	put(h, "z/sys/devices/system/cpu/cpufreq/boost", "0\n");
	h->env.root = root_at(h, "z");
	doctor(h, "0");
	verdict(h, "turbo", "PASS", "off (cpufreq/boost)");
	verdict(h, "nmi watchdog", "WARN", "unknown");
	h->env.root = FIXTURES "/dell";
	doctor(h, "0");
	verdict(h, "turbo", "WARN", "unknown: neither");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lab_ready, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_lab_housekeeping_cpu, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_no_module, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_module_abi, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_cpu_checks, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_firmware, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_kvm, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_rdtscp, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_vmx_guest, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_headers, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_loading, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_secure_boot, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_pmu, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_watchdog_smt_turbo_governor, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
