/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meta.csv: the key,value rows that say what was measured, where and how.
 * Every key exists from the start with the value "unknown"; a source that
 * cannot be read leaves it so, never omitted.
 */
#ifndef VB_META_H
#define VB_META_H

#include <stdio.h>
#include <time.h>

#include "bench.h"
#include "platform.h"

#define VB_META_MAX	512	/* per event: event.NAME, cross_check.NAME */

struct vb_meta {
	char *key[VB_META_MAX];
	char *value[VB_META_MAX];
	unsigned int n;
};

void vb_meta_init(struct vb_meta *m);	/* every known key, "unknown" */
void vb_meta_free(struct vb_meta *m);
/* Replaces the value of a known key (or appends a new one). */
void vb_meta_set(struct vb_meta *m, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *vb_meta_get(const struct vb_meta *m, const char *key);

/*
 * Tool, host, kernel, CPU identity and microcode of `cpu` (call it pinned
 * there: CPUID runs on the current CPU), platform (override unless
 * VB_PLATFORM_AUTO) and its timing note.
 */
void vb_meta_collect_host(struct vb_meta *m, const struct vb_env *env,
			  unsigned int cpu, enum vb_platform override);
/*
 * Adds a note to timing_note: its value when it was unknown or "none",
 * else after "; " (a note already there is not repeated; "none" adds
 * nothing).  The platform's note and the backend's compose so.
 */
void vb_meta_add_note(struct vb_meta *m, const char *note);
/*
 * The state that decides whether the numbers are trustworthy, for the
 * target CPUs: kernel command line and isolation (isolcpus, nohz_full,
 * rcu_nocbs and whether the targets are in them), SMT, turbo, cpufreq
 * driver, governor and limits, NMI watchdog.  Per-CPU values as
 * vb_per_cpu() joins them.
 */
void vb_meta_collect_system(struct vb_meta *m, const char *root,
			    const unsigned int *cpus, unsigned int n);
/*
 * From INFO: abi_version, module_version, tsc_khz, vmcs_revision,
 * vmx_flags, feature_control, vmx_basic, online_cpus.
 */
void vb_meta_set_info(struct vb_meta *m, const struct vb_info *info);
/*
 * A space-separated list of numbers (the `unroll` axis) sorted ascending,
 * numerically: "16 64 256 1" becomes "1 16 64 256".  Words that are not
 * numbers sort as 0.
 */
void vb_meta_sort_numbers(struct vb_meta *m, const char *key);
void vb_meta_set_time(struct vb_meta *m, const char *key, time_t t);
/* argv joined by spaces (malloc'd; NULL on no memory). */
char *vb_join_argv(int argc, char **argv);

int vb_meta_write(const struct vb_meta *m, FILE *f);	/* 0 or -1 */

#endif /* VB_META_H */
