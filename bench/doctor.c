// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench doctor`: what is ready for a native run, what is not, and
 * how to fix it.  One line per check, `PASS|WARN|FAIL  what: detail (fix:
 * ...)`, then a summary; exit 0 when nothing FAILs.  Every source is read
 * below env->root and through env's device, CPUID, pinning and perf ops,
 * so tests drive each verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/utsname.h>
#include <linux/perf_event.h>

#include "commands.h"
#include "cpu.h"
#include "sysfs.h"
#include "sysstate.h"
#include "vmxowner.h"

#define FEAT_LOCK	(1ull << 0)
#define FEAT_VMX	(1ull << 2)	/* VMX outside SMX */
#define MSR_FEATURE_CONTROL	0x3a

enum verdict { PASS, WARN, FAIL };

struct doctor {
	const struct vb_env *env;
	const char *root;
	unsigned int cpu;
	unsigned int n[3];
	int loaded;		/* the device opened and INFO answered */
	int have_info;
	struct vb_info info;
};

/* One line: "PASS  what: detail", "WARN  what: detail (fix: fix)". */
static void line(struct doctor *d, enum verdict v, const char *what,
		 const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void line(struct doctor *d, enum verdict v, const char *what,
		 const char *fix, const char *fmt, ...)
{
	static const char *const names[] = { "PASS", "WARN", "FAIL" };
	FILE *f = d->env->out;
	va_list ap;

	d->n[v]++;
	fprintf(f, "%s  %s: ", names[v], what);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (v != PASS && fix)
		fprintf(f, " (fix: %s)", fix);
	fputc('\n', f);
}

static int exists(const char *root, const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return access(full, F_OK) == 0;
}

static void check_cpu(struct doctor *d)
{
	struct vb_cpu_id id;
	unsigned int r[4];
	int vmx;

	vb_cpu_identify(d->env->cpuid, &id);
	d->env->cpuid(1, 0, r);
	vmx = !!(r[2] & (1u << 5));
	if (strcmp(id.vendor, "GenuineIntel"))
		line(d, FAIL, "cpu", "run on an Intel CPU with VT-x",
		     "%s, family %u model %u: VMPTRST is Intel VMX only",
		     id.vendor, id.family, id.model);
	else if (!vmx)
		line(d, FAIL, "cpu", id.hypervisor ? "enable nested virtualization for this guest (kvm_intel nested=1 on the host, and a CPU model with vmx), or run on the host" :
		     "run on a CPU with VT-x",
		     "GenuineIntel family %u model %u without VMX (CPUID.1:ECX.VMX = 0)%s",
		     id.family, id.model,
		     id.hypervisor ? ": the hypervisor hides it" : "");
	else
		line(d, PASS, "cpu", NULL, "GenuineIntel family %u model %u stepping %u with VMX (CPUID.1:ECX.VMX = 1)",
		     id.family,
		     id.model, id.stepping);
	if (id.hypervisor)
		line(d, WARN, "hypervisor", "run on bare metal for a machine's own numbers",
		     "running under a hypervisor (%s): every number would be a guest's, VMPTRST's cost including the VM exits",
		     id.hv_signature[0] ? id.hv_signature : "unnamed");
	else
		line(d, PASS, "hypervisor", NULL, "none (CPUID.1:ECX hypervisor bit clear): bare metal");
}

static void check_module(struct doctor *d)
{
	const struct vb_env *env = d->env;
	struct vb_dev dev;
	int ret;

	ret = vb_dev_open(&dev, env->dev_ops, env->dev_priv, env->device_path,
			  env->root);
	if (ret) {
		int absent = ret == -ENOENT || ret == -ENXIO || ret == -ENODEV;

		line(d, FAIL, "module", absent ? "make -C kmod && sudo insmod kmod/vmptrst_bench.ko" : ret == -EACCES || ret == -EPERM ?
		     "run as root" : "see dmesg", "%s%s: %s", absent ?
		     "not loaded: " : "", env->device_path, strerror(-ret));
		return;
	}
	ret = vb_dev_info(&dev, d->cpu, &d->info);
	if (ret) {
		char msg[512];

		vb_dev_explain(&dev, VB_OP_INFO, -ret, d->cpu, msg,
			       sizeof(msg));
		line(d, FAIL, "module", ret == -EPROTO || ret == -EINVAL ||
		     ret == -ENOTTY ? "rebuild module and driver from one checkout, then rmmod and insmod" : ret == -EPERM ||
		     ret == -EACCES ? "run as root" : "see dmesg", "%s", msg);
	} else {
		d->have_info = d->loaded = 1;
		line(d, PASS, "module", NULL, "loaded (%s), version %s, ABI %u as the driver's",
		     env->device_path,
		     d->info.module_version, (unsigned int)VB_ABI_VERSION);
	}
	vb_dev_close(&dev);
}

/* IA32_FEATURE_CONTROL through root/dev/cpu/N/msr: 0 or -errno. */
static int read_msr(const char *root, unsigned int cpu, uint64_t *v)
{
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/cpu/%u/msr", root, cpu);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, v, sizeof(*v), MSR_FEATURE_CONTROL);
	close(fd);
	if (n < 0)
		return -errno;
	return n == sizeof(*v) ? 0 : -EIO;
}

static void judge_feature_control(struct doctor *d, uint64_t fc,
				  const char *src)
{
	if ((fc & FEAT_LOCK) && (fc & FEAT_VMX))
		line(d, PASS, "vt-x firmware", NULL, "enabled: IA32_FEATURE_CONTROL = 0x%" PRIx64 " (locked, VMX outside SMX on; %s)",
		     fc, src);
	else if (fc & FEAT_LOCK)
		line(d, FAIL, "vt-x firmware", "enable Intel Virtualization Technology (VT-x) in the firmware setup",
		     "disabled by firmware: IA32_FEATURE_CONTROL = 0x%" PRIx64 " (locked, VMX outside SMX off; %s)",
		     fc, src);
	else
		line(d, FAIL, "vt-x firmware", "enable VT-x in the firmware setup; a kernel from 5.6 on locks the MSR at boot",
		     "IA32_FEATURE_CONTROL = 0x%" PRIx64 " is not locked (%s): VMXON would fault",
		     fc, src);
}

static void check_firmware(struct doctor *d)
{
	uint32_t fl = d->info.flags;
	uint64_t fc = d->info.feature_control;
	int ret;

	/*
	 * The kernel's verdict (X86_FEATURE_VMX) weighs SMX/TXT too: VMX
	 * outside SMX on and still off means the kernel runs in SMX.
	 */
	if (d->have_info && (fl & VB_INFO_VMX) && !(fl & VB_INFO_KERNEL_VMX) &&
	    (fc & FEAT_LOCK) && (fc & FEAT_VMX)) {
		line(d, FAIL, "vt-x firmware", "enable VT-x in the firmware setup (with Intel TXT: VT-x inside SMX too)", "firmware disabled VMX for the mode the kernel runs in: X86_FEATURE_VMX is clear though CPUID.1:ECX.VMX = 1 and IA32_FEATURE_CONTROL = 0x%" PRIx64 " allows VMX outside SMX (SMX/TXT considered; from the module's INFO)", fc);
		return;
	}
	if (d->have_info && (fl & VB_INFO_KERNEL_VMX) && (fc & FEAT_LOCK) &&
	    !(fc & FEAT_VMX)) {
		line(d, PASS, "vt-x firmware", NULL, "enabled for the kernel's mode: X86_FEATURE_VMX set, IA32_FEATURE_CONTROL = 0x%" PRIx64 " (locked, VMX outside SMX off: VMX inside SMX, Intel TXT; from the module's INFO)", fc);
		return;
	}
	if (d->have_info) {
		judge_feature_control(d, fc, "from the module's INFO");
		return;
	}
	ret = read_msr(d->root, d->cpu, &fc);
	if (!ret) {
		char src[64];

		snprintf(src, sizeof(src), "from /dev/cpu/%u/msr", d->cpu);
		judge_feature_control(d, fc, src);
		return;
	}
	line(d, WARN, "vt-x firmware", ret == -ENOENT || ret == -ENXIO ||
	     ret == -ENODEV ? "load the module and run 'vmptrst-bench info', or 'modprobe msr' and 'rdmsr 0x3a' (msr-tools): bits 0 and 2 must be set" : "as root: 'vmptrst-bench info' with the module loaded, or 'rdmsr 0x3a' (msr-tools): bits 0 and 2 must be set",
	     "unknown: no module INFO, and /dev/cpu/%u/msr: %s", d->cpu,
	     strerror(-ret));
}

#define KVM_FIX "'rmmod kvm_intel kvm' (no VM may run), or on Linux 6.12+ keep kvm with VMX off: 'modprobe kvm enable_virt_at_load=0' (kvm.enable_virt_at_load=0 at boot)"

static void check_kvm(struct doctor *d)
{
	enum vb_tri kvm = vb_kvm_intel_loaded(d->root);
	enum vb_tri at_load = vb_sys_bool(d->root, "/sys/module/kvm/parameters/enable_virt_at_load");
	enum vb_vmx_block b = d->have_info ? vb_vmx_block(&d->info) :
			      VB_BLOCK_NONE;
	enum vb_vmx_owner o = vb_vmx_owner(d->have_info ? &d->info : NULL,
					   d->root);

	if (b == VB_BLOCK_STUCK)
		line(d, FAIL, "vmx owner", "reboot before measuring on it", "CPU %u was left in VMX operation after VMXOFF failed (INFO: cpu_stuck): the module refuses RUNs there", d->cpu);
	else if (b == VB_BLOCK_IN_USE)
		line(d, FAIL, "vmx owner", vb_vmx_fix(b, o, 1), "VMX is already on on CPU %u (CR4.VMXE, from INFO): %s", d->cpu, vb_vmx_cause(b, o));
	else if (b == VB_BLOCK_NO_COVER)
		line(d, FAIL, "vmx owner", vb_vmx_fix(b, o, 1), "%s (INFO: no_cover on CPU %u)", vb_vmx_cause(b, o), d->cpu);
	else if (kvm == VB_YES && at_load == VB_YES && !d->have_info)
		line(d, FAIL, "vmx owner", KVM_FIX, "kvm_intel is loaded with enable_virt_at_load=Y (Linux 6.12+): VMX is on on every CPU");
	else if (kvm == VB_YES)
		line(d, WARN, "vmx owner", "unload it ('rmmod kvm_intel kvm'), start no VM during a run, or run with --wait-vmx SECONDS", "kvm_intel is loaded%s, VMX %s: a VM started during a run takes VMX and stops the run there", at_load == VB_NO ? " with enable_virt_at_load=N" : at_load == VB_UNKNOWN ? " (before 6.12: VMX on only while a VM exists)" : "", d->have_info ? "off on this CPU now (INFO)" : "off until a VM starts");
	else if (kvm == VB_UNKNOWN && !d->have_info)
		line(d, WARN, "vmx owner", "'lsmod | grep kvm_intel'; load the module and run 'vmptrst-bench info'", "unknown: neither /proc/modules nor /sys/module readable, and no module INFO");
	else
		line(d, PASS, "vmx owner", NULL, "kvm_intel not loaded%s",
		     d->have_info ? "; VMX off on this CPU (INFO)" : "");
}

/* serialize=cpuid ends its bracket in RDTSCP: without it, skipped. */
static void check_rdtscp(struct doctor *d)
{
	int have = d->have_info ? !!(d->info.flags & VB_INFO_RDTSCP) :
		   vb_cpu_has_rdtscp(d->env->cpuid);
	const char *src = d->have_info ? "the module's INFO" :
			  "CPUID.80000001H:EDX[27]";

	if (have)
		line(d, PASS, "rdtscp", NULL, "present (%s)", src);
	else
		line(d, WARN, "rdtscp", "use serialize=lfence or mfence", "absent (%s): serialize=cpuid points will be skipped", src);
}

static void check_headers(struct doctor *d)
{
	char rel[256], path[512];
	struct utsname un;

	if (vb_sys_read_line(d->root, "/proc/sys/kernel/osrelease", rel,
			     sizeof(rel)) || !rel[0]) {
		if (uname(&un))
			snprintf(rel, sizeof(rel), "unknown");
		else
			snprintf(rel, sizeof(rel), "%s", un.release);
	}
	snprintf(path, sizeof(path), "/lib/modules/%s/build/Makefile", rel);
	if (exists(d->root, path)) {
		line(d, PASS, "kernel headers", NULL, "/lib/modules/%s/build",
		     rel);
		return;
	}
	snprintf(path, sizeof(path), "apt-get install linux-headers-%s", rel);
	line(d, d->loaded ? WARN : FAIL, "kernel headers", path,
	     "/lib/modules/%s/build is missing%s", rel, d->loaded ?
	     ": not needed while the module is loaded, needed to rebuild it" :
	     ": the module cannot be built");
}

#define SIGN_FIX "sign kmod/vmptrst_bench.ko with a key enrolled through MOK (the kernel's scripts/sign-file), or disable Secure Boot in the firmware setup"

static void check_loading(struct doctor *d)
{
	enum vb_tri disabled = vb_sys_bool(d->root, "/proc/sys/kernel/modules_disabled");
	enum vb_tri enforce = vb_sys_bool(d->root, "/sys/module/module/parameters/sig_enforce");
	char lock[64], val[64];
	int lret = vb_lockdown(d->root, lock, sizeof(lock));

	if (enforce == VB_UNKNOWN &&
	    vb_cmdline_param(d->root, "module.sig_enforce", val,
			     sizeof(val)) >= 0) {
		/* no sysfs parameter: the command line says, default off */
		if (vb_cmdline_param(d->root, "module.sig_enforce", val,
				     sizeof(val)) == 0)
			enforce = VB_NO;
		else
			enforce = strcmp(val, "0") && strcasecmp(val, "n") ?
				  VB_YES : VB_NO;
	}
	if (d->loaded)
		line(d, PASS, "module loading", NULL, "the module is loaded: loading restrictions no longer matter");
	else if (disabled == VB_YES)
		line(d, FAIL, "module loading", "reboot: kernel.modules_disabled cannot be cleared", "kernel.modules_disabled = 1: no module can be loaded until reboot");
	else if (!lret && strcmp(lock, "none"))
		line(d, FAIL, "module loading", SIGN_FIX, "kernel lockdown is '%s' (Secure Boot?): unsigned modules are refused",
		     lock);
	else if (enforce == VB_YES)
		line(d, FAIL, "module loading", SIGN_FIX, "module.sig_enforce is on: unsigned modules are refused");
	else if (disabled == VB_UNKNOWN || lret || enforce == VB_UNKNOWN)
		line(d, WARN, "module loading", "try 'sudo insmod kmod/vmptrst_bench.ko' and read dmesg",
		     "unknown: modules_disabled %s, lockdown %s, sig_enforce %s",
		     vb_tri_name(disabled), lret ? "unknown" : lock,
		     vb_tri_name(enforce));
	else
		line(d, PASS, "module loading", NULL, "modules_disabled = 0, lockdown none, sig_enforce off");
}

static void check_secure_boot(struct doctor *d)
{
	char detail[256];
	enum vb_tri sb = vb_secure_boot(d->root, detail, sizeof(detail));

	if (sb == VB_NO)
		line(d, PASS, "secure boot", NULL, "off: %s", detail);
	else if (sb == VB_YES && d->loaded)
		line(d, PASS, "secure boot", NULL, "on (%s), but the module is loaded",
		     detail);
	else if (sb == VB_YES)
		line(d, WARN, "secure boot", SIGN_FIX, "on (%s): Debian's kernels then lock down and refuse unsigned modules",
		     detail);
	else
		line(d, WARN, "secure boot", "'mokutil --sb-state', or the firmware setup", "unknown: %s",
		     detail);
}

static void check_pmu(struct doctor *d)
{
	const struct vb_perf_ops *ops = d->env->perf_ops ? d->env->perf_ops
							 : &vb_perf_real_ops;
	struct vb_event ev = { .type = PERF_TYPE_HARDWARE,
			       .config = PERF_COUNT_HW_CPU_CYCLES };
	int sysfs = exists(d->root, "/sys/bus/event_source/devices/cpu") ||
		    exists(d->root, "/sys/bus/event_source/devices/cpu_core");
	int fd = ops->open(d->env->perf_priv, &ev, d->cpu);

	if (fd >= 0) {
		ops->close(d->env->perf_priv, fd);
		line(d, PASS, "pmu", NULL, "a hardware cycles counter opens on CPU %u (perf_event_open)",
		     d->cpu);
		return;
	}
	if (!sysfs)
		line(d, WARN, "pmu", "on a VM, give it a virtual PMU; runs still measure the TSC", "no core PMU (no /sys/bus/event_source/devices/cpu): %s; event columns would stay empty",
		     strerror(-fd));
	else
		line(d, WARN, "pmu", fd == -EACCES || fd == -EPERM ? "run as root, or lower /proc/sys/kernel/perf_event_paranoid" :
		     "free the counters (NMI watchdog, other perf users); runs still measure the TSC", "the core PMU is there but a cycles counter on CPU %u cannot be opened: %s",
		     d->cpu,
		     strerror(-fd));
}

static void check_watchdog(struct doctor *d)
{
	char v[32];

	if (vb_sys_read_line(d->root, "/proc/sys/kernel/nmi_watchdog", v,
			     sizeof(v)) == 0) {
		if (!strcmp(v, "0"))
			line(d, PASS, "nmi watchdog", NULL, "off");
		else
			line(d, WARN, "nmi watchdog", "'sysctl kernel.nmi_watchdog=0' for the run",
			     "on (%s): it holds a core counter and sends NMIs (rows flagged flag_nmi)",
			     v);
	} else if (exists(d->root, "/proc/sys/kernel")) {
		line(d, PASS, "nmi watchdog", NULL, "not built into this kernel (no /proc/sys/kernel/nmi_watchdog)");
	} else {
		line(d, WARN, "nmi watchdog", "'cat /proc/sys/kernel/nmi_watchdog'", "unknown: /proc/sys/kernel not readable");
	}
}

static void check_smt(struct doctor *d)
{
	enum vb_tri active = vb_sys_bool(d->root, "/sys/devices/system/cpu/smt/active");
	char sib[128], ctl[32], fix[256], self[16];

	if (vb_sys_read_line(d->root, "/sys/devices/system/cpu/smt/control",
			     ctl, sizeof(ctl)))
		snprintf(ctl, sizeof(ctl), "unknown");
	if (vb_cpu_sysfile(d->root, d->cpu, "topology/thread_siblings_list",
			   sib, sizeof(sib)))
		sib[0] = '\0';
	snprintf(self, sizeof(self), "%u", d->cpu);
	if (active == VB_NO)
		line(d, PASS, "smt", NULL, "not active (control %s)", ctl);
	else if (sib[0] && !strcmp(sib, self))
		line(d, PASS, "smt", NULL, "active (control %s), but CPU %u has its core to itself",
		     ctl, d->cpu);
	else if (active == VB_YES) {
		snprintf(fix, sizeof(fix), "'echo off > /sys/devices/system/cpu/smt/control', or take CPU %u's sibling offline (echo 0 > /sys/devices/system/cpu/cpuX/online)",
			 d->cpu);
		line(d, WARN, "smt", fix, "active: CPU %u shares its core (%s) with another thread", d->cpu, sib[0] ? sib : "siblings unknown");
	} else
		line(d, WARN, "smt", "'lscpu' (Thread(s) per core)",
		     "unknown: /sys/devices/system/cpu/smt/active not readable");
}

static void check_turbo(struct doctor *d)
{
	char src[64];
	enum vb_tri t = vb_turbo(d->root, src, sizeof(src));

	if (t == VB_NO)
		line(d, PASS, "turbo", NULL, "off (%s)", src);
	else if (t == VB_YES)
		line(d, WARN, "turbo", !strcmp(src, "intel_pstate/no_turbo") ?
		     "'echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo'"
		     : "'echo 0 > /sys/devices/system/cpu/cpufreq/boost'",
		     "on (%s): the clock moves with load and temperature (windows.csv freq_ratio shows it)",
		     src);
	else
		line(d, WARN, "turbo", "disable turbo in the firmware setup; windows.csv freq_ratio shows what the clock did",
		     "unknown: neither intel_pstate/no_turbo nor cpufreq/boost");
}

static void check_governor(struct doctor *d)
{
	char gov[64], lo[32], hi[32], fix[256];

	if (vb_cpu_sysfile(d->root, d->cpu, "cpufreq/scaling_governor", gov,
			   sizeof(gov))) {
		line(d, WARN, "governor", "nothing to set here; windows.csv freq_ratio shows what the clock did", "unknown: CPU %u has no cpufreq (the firmware or a hypervisor sets the frequency)",
		     d->cpu);
		return;
	}
	if (vb_cpu_sysfile(d->root, d->cpu, "cpufreq/scaling_min_freq", lo,
			   sizeof(lo)))
		snprintf(lo, sizeof(lo), "unknown");
	if (vb_cpu_sysfile(d->root, d->cpu, "cpufreq/scaling_max_freq", hi,
			   sizeof(hi)))
		snprintf(hi, sizeof(hi), "unknown");
	if (!strcmp(gov, "performance")) {
		line(d, PASS, "governor", NULL, "performance on CPU %u (%s..%s kHz)",
		     d->cpu, lo, hi);
		return;
	}
	snprintf(fix, sizeof(fix), "'cpupower -c %u frequency-set -g performance'",
		 d->cpu);
	line(d, WARN, "governor", fix, "%s on CPU %u (%s..%s kHz): the clock follows the load",
	     gov, d->cpu, lo, hi);
}

static void check_isolation(struct doctor *d)
{
	enum vb_tri iso = vb_cmdline_cpu_in(d->root, "isolcpus", d->cpu);
	enum vb_tri nohz = vb_cmdline_cpu_in(d->root, "nohz_full", d->cpu);
	enum vb_tri rcu = vb_cmdline_cpu_in(d->root, "rcu_nocbs", d->cpu);
	char fix[160];

	snprintf(fix, sizeof(fix), "boot with isolcpus=%u nohz_full=%u rcu_nocbs=%u, or pick an isolated CPU with --cpu",
		 d->cpu,
		 d->cpu, d->cpu);
	if (iso == VB_YES)
		line(d, PASS, "isolation", NULL, "CPU %u is in isolcpus (nohz_full %s, rcu_nocbs %s)",
		     d->cpu, vb_tri_name(nohz),
		     vb_tri_name(rcu));
	else if (iso == VB_NO)
		line(d, WARN, "isolation", fix, "CPU %u is not in isolcpus: other tasks may run on it between windows",
		     d->cpu);
	else
		line(d, WARN, "isolation", fix, "unknown: the kernel command line cannot be read or its isolcpus= parsed");
}

int vb_cmd_doctor(const struct vb_opts *o, const struct vb_env *env)
{
	struct doctor d;
	int ret;

	memset(&d, 0, sizeof(d));
	d.env = env;
	d.root = env->root;
	d.cpu = o->cpu;
	ret = env->pin_cpu(o->cpu);
	if (ret)
		line(&d, FAIL, "target cpu", "pick an online CPU with --cpu",
		     "CPU %u: cannot pin to it (%s)", o->cpu, strerror(-ret));
	else
		line(&d, PASS, "target cpu", NULL, "CPU %u (pinned)", o->cpu);
	check_cpu(&d);
	check_module(&d);
	check_firmware(&d);
	check_kvm(&d);
	check_rdtscp(&d);
	check_headers(&d);
	check_loading(&d);
	check_secure_boot(&d);
	check_pmu(&d);
	check_watchdog(&d);
	check_smt(&d);
	check_turbo(&d);
	check_governor(&d);
	check_isolation(&d);
	fprintf(env->out, "doctor: CPU %u: %u passed, %u warnings, %u failed: %s\n",
		o->cpu, d.n[PASS], d.n[WARN], d.n[FAIL], d.n[FAIL] ?
		"a native run cannot proceed until the FAIL lines are fixed" :
		d.n[WARN] ? "a native run can proceed; the warnings cost trustworthiness" : "ready for a native run");
	return d.n[FAIL] ? VB_EXIT_ERROR : VB_EXIT_OK;
}
