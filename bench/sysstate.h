/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine's state that decides whether numbers are trustworthy: SMT,
 * turbo, cpufreq governor and limits, the NMI watchdog, CPU isolation on
 * the kernel command line, KVM, module-loading restrictions.  Everything is
 * read below a root prefix ("" on a real system, a fixture tree in tests);
 * meta.csv records it and `doctor` judges it.
 */
#ifndef VB_SYSSTATE_H
#define VB_SYSSTATE_H

#include <stddef.h>

/* Tri-state answers: yes, no, could not tell. */
enum vb_tri { VB_NO = 0, VB_YES = 1, VB_UNKNOWN = -1 };

const char *vb_tri_name(enum vb_tri t);		/* "yes", "no", "unknown" */

/*
 * A kernel cpulist ("0-3,8", "2-15:2/4", "all"; isolcpus's leading flags
 * such as "nohz,domain," skipped): whether cpu is in it.  VB_UNKNOWN when
 * the list cannot be parsed ("N", a typo).
 */
enum vb_tri vb_cpu_in_list(const char *list, unsigned int cpu);

/*
 * The kernel command line (root/proc/cmdline), up to a lone "--" (what
 * follows goes to init): 0, or -errno.
 */
int vb_cmdline(const char *root, char *buf, size_t len);
/*
 * Parameter `name` in it: 1 with its value in buf ("" when given bare),
 * 0 when absent, -errno when the command line cannot be read.
 */
int vb_cmdline_param(const char *root, const char *name, char *buf,
		     size_t len);
/* Whether cpu is in parameter `name`'s cpulist (NO when absent). */
enum vb_tri vb_cmdline_cpu_in(const char *root, const char *name,
			      unsigned int cpu);

/* root/sys/devices/system/cpu/cpuN/<rel>, first line: 0 or -errno. */
int vb_cpu_sysfile(const char *root, unsigned int cpu, const char *rel,
		   char *buf, size_t len);

/*
 * Turbo: intel_pstate's no_turbo (1 = off) first, else cpufreq's boost
 * (1 = on).  source gets the file used, or "unknown".
 */
enum vb_tri vb_turbo(const char *root, char *source, size_t len);

/* A sysfs boolean ("1", "Y", "on" / "0", "N", "off"); UNKNOWN otherwise. */
enum vb_tri vb_sys_bool(const char *root, const char *path);

/* kvm_intel in root/proc/modules or root/sys/module/kvm_intel. */
enum vb_tri vb_kvm_intel_loaded(const char *root);

/*
 * The active LSM lockdown mode ("none", "integrity", "confidentiality":
 * the bracketed word of root/sys/kernel/security/lockdown): 0 or -errno.
 */
int vb_lockdown(const char *root, char *buf, size_t len);

/* Secure Boot from the EFI variable SecureBoot-8be4df61-...: YES/NO, or
 * UNKNOWN when efivars cannot be read; NO on a non-EFI boot. */
enum vb_tri vb_secure_boot(const char *root, char *detail, size_t len);

/*
 * Per-CPU values joined the way meta.csv shows them: one value when every
 * CPU agrees, else "cpuN:value" per CPU; "unknown" for a CPU whose file is
 * missing.  get() returns 0 with the value, or -errno.
 */
typedef int (*vb_cpu_value_fn)(const char *root, unsigned int cpu,
			       const char *arg, char *buf, size_t len);
void vb_per_cpu(const char *root, const unsigned int *cpus, unsigned int n,
		vb_cpu_value_fn get, const char *arg, char *buf, size_t len);
/* vb_cpu_value_fn for vb_cpu_sysfile with arg the relative path. */
int vb_cpu_sysfile_fn(const char *root, unsigned int cpu, const char *arg,
		      char *buf, size_t len);

#endif /* VB_SYSSTATE_H */
