// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench doctor`: the kernel (headers to build the module, what may
 * keep it from loading, Secure Boot) and the machine's noise (PMU, NMI
 * watchdog, SMT, turbo, governor, isolation).  See doctor.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <linux/perf_event.h>

#include "doctor.h"
#include "sysfs.h"
#include "sysstate.h"

static int exists(const char *root, const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return access(full, F_OK) == 0;
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
		vb_doctor_line(d, PASS, "kernel headers", NULL,
			       "/lib/modules/%s/build", rel);
		return;
	}
	snprintf(path, sizeof(path), "apt-get install linux-headers-%s", rel);
	vb_doctor_line(d, d->loaded ? WARN : FAIL, "kernel headers", path,
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
		vb_doctor_line(d, PASS, "module loading", NULL, "the module is loaded: loading restrictions no longer matter");
	else if (disabled == VB_YES)
		vb_doctor_line(d, FAIL, "module loading", "reboot: kernel.modules_disabled cannot be cleared", "kernel.modules_disabled = 1: no module can be loaded until reboot");
	else if (!lret && strcmp(lock, "none"))
		vb_doctor_line(d, FAIL, "module loading", SIGN_FIX, "kernel lockdown is '%s' (Secure Boot?): unsigned modules are refused",
			       lock);
	else if (enforce == VB_YES)
		vb_doctor_line(d, FAIL, "module loading", SIGN_FIX, "module.sig_enforce is on: unsigned modules are refused");
	else if (disabled == VB_UNKNOWN || lret || enforce == VB_UNKNOWN)
		vb_doctor_line(d, WARN, "module loading", "try 'sudo insmod kmod/vmptrst_bench.ko' and read dmesg",
			       "unknown: modules_disabled %s, lockdown %s, sig_enforce %s",
			       vb_tri_name(disabled), lret ? "unknown" : lock,
			       vb_tri_name(enforce));
	else
		vb_doctor_line(d, PASS, "module loading", NULL, "modules_disabled = 0, lockdown none, sig_enforce off");
}

static void check_secure_boot(struct doctor *d)
{
	char detail[256];
	enum vb_tri sb = vb_secure_boot(d->root, detail, sizeof(detail));

	if (sb == VB_NO)
		vb_doctor_line(d, PASS, "secure boot", NULL, "off: %s", detail);
	else if (sb == VB_YES && d->loaded)
		vb_doctor_line(d, PASS, "secure boot", NULL, "on (%s), but the module is loaded",
			       detail);
	else if (sb == VB_YES)
		vb_doctor_line(d, WARN, "secure boot", SIGN_FIX, "on (%s): Debian's kernels then lock down and refuse unsigned modules",
			       detail);
	else
		vb_doctor_line(d, WARN, "secure boot", "'mokutil --sb-state', or the firmware setup", "unknown: %s",
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
		vb_doctor_line(d, PASS, "pmu", NULL, "a hardware cycles counter opens on CPU %u (perf_event_open)",
			       d->cpu);
		return;
	}
	if (!sysfs)
		vb_doctor_line(d, WARN, "pmu", "on a VM, give it a virtual PMU; runs still measure the TSC", "no core PMU (no /sys/bus/event_source/devices/cpu): %s; event columns would stay empty",
			       strerror(-fd));
	else
		vb_doctor_line(d, WARN, "pmu", fd == -EACCES || fd == -EPERM ? "run as root, or lower /proc/sys/kernel/perf_event_paranoid" :
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
			vb_doctor_line(d, PASS, "nmi watchdog", NULL, "off");
		else
			vb_doctor_line(d, WARN, "nmi watchdog", "'sysctl kernel.nmi_watchdog=0' for the run",
				       "on (%s): it holds a core counter and sends NMIs (rows flagged flag_nmi)",
				       v);
	} else if (exists(d->root, "/proc/sys/kernel")) {
		vb_doctor_line(d, PASS, "nmi watchdog", NULL, "not built into this kernel (no /proc/sys/kernel/nmi_watchdog)");
	} else {
		vb_doctor_line(d, WARN, "nmi watchdog", "'cat /proc/sys/kernel/nmi_watchdog'", "unknown: /proc/sys/kernel not readable");
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
		vb_doctor_line(d, PASS, "smt", NULL, "not active (control %s)",
			       ctl);
	else if (sib[0] && !strcmp(sib, self))
		vb_doctor_line(d, PASS, "smt", NULL, "active (control %s), but CPU %u has its core to itself",
			       ctl, d->cpu);
	else if (active == VB_YES) {
		snprintf(fix, sizeof(fix), "'echo off > /sys/devices/system/cpu/smt/control', or take CPU %u's sibling offline (echo 0 > /sys/devices/system/cpu/cpuX/online)",
			 d->cpu);
		vb_doctor_line(d, WARN, "smt", fix, "active: CPU %u shares its core (%s) with another thread", d->cpu, sib[0] ? sib : "siblings unknown");
	} else
		vb_doctor_line(d, WARN, "smt", "'lscpu' (Thread(s) per core)",
			       "unknown: /sys/devices/system/cpu/smt/active not readable");
}

static void check_turbo(struct doctor *d)
{
	char src[64];
	enum vb_tri t = vb_turbo(d->root, src, sizeof(src));

	if (t == VB_NO)
		vb_doctor_line(d, PASS, "turbo", NULL, "off (%s)", src);
	else if (t == VB_YES)
		vb_doctor_line(d, WARN, "turbo",
			       !strcmp(src, "intel_pstate/no_turbo") ?
			       "'echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo'"
			       : "'echo 0 > /sys/devices/system/cpu/cpufreq/boost'",
			       "on (%s): the clock moves with load and temperature (windows.csv freq_ratio shows it)",
			       src);
	else
		vb_doctor_line(d, WARN, "turbo", "disable turbo in the firmware setup; windows.csv freq_ratio shows what the clock did",
			       "unknown: neither intel_pstate/no_turbo nor cpufreq/boost");
}

static void check_governor(struct doctor *d)
{
	char gov[64], lo[32], hi[32], fix[256];

	if (vb_cpu_sysfile(d->root, d->cpu, "cpufreq/scaling_governor", gov,
			   sizeof(gov))) {
		vb_doctor_line(d, WARN, "governor", "nothing to set here; windows.csv freq_ratio shows what the clock did", "unknown: CPU %u has no cpufreq (the firmware or a hypervisor sets the frequency)",
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
		vb_doctor_line(d, PASS, "governor", NULL, "performance on CPU %u (%s..%s kHz)",
			       d->cpu, lo, hi);
		return;
	}
	snprintf(fix, sizeof(fix), "'cpupower -c %u frequency-set -g performance'",
		 d->cpu);
	vb_doctor_line(d, WARN, "governor", fix, "%s on CPU %u (%s..%s kHz): the clock follows the load",
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
		vb_doctor_line(d, PASS, "isolation", NULL, "CPU %u is in isolcpus (nohz_full %s, rcu_nocbs %s)",
			       d->cpu, vb_tri_name(nohz),
			       vb_tri_name(rcu));
	else if (iso == VB_NO)
		vb_doctor_line(d, WARN, "isolation", fix, "CPU %u is not in isolcpus: other tasks may run on it between windows",
			       d->cpu);
	else
		vb_doctor_line(d, WARN, "isolation", fix, "unknown: the kernel command line cannot be read or its isolcpus= parsed");
}

void vb_doctor_host(struct doctor *d)
{
	check_headers(d);
	check_loading(d);
	check_secure_boot(d);
	check_pmu(d);
	check_watchdog(d);
	check_smt(d);
	check_turbo(d);
	check_governor(d);
	check_isolation(d);
}
