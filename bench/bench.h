/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the driver shares: its name and version, the exit
 * codes, and the environment a command runs in (device, /proc and /sys
 * root, CPU pinning, CPUID, output streams), so tests can replace each.
 */
#ifndef VB_BENCH_H
#define VB_BENCH_H

#include <stdio.h>

#include "device.h"
#include "perfcount.h"

#define VB_TOOL_NAME		"vmptrst-bench"
#define VB_TOOL_VERSION		"0.1.0"
#ifndef VB_GIT_COMMIT
#define VB_GIT_COMMIT		"unknown"
#endif

/* Exit codes: documented in `vmptrst-bench --help` and bench/README.md. */
enum vb_exit {
	VB_EXIT_OK = 0,
	VB_EXIT_ERROR = 1,	/* device, system or output error; a run the
				   module stopped (VMX taken): rows kept */
	VB_EXIT_USAGE = 2,	/* bad command line or config file */
	VB_EXIT_CHECK = 3,	/* results failed validation, or selftest failed */
	VB_EXIT_INTERRUPTED = 130, /* SIGINT/SIGTERM: partial results written */
};

typedef void (*vb_cpuid_fn)(unsigned int leaf, unsigned int sub,
			    unsigned int regs[4]);

struct vb_env {
	const struct vb_dev_ops *dev_ops;
	void *dev_priv;
	const char *device_path;
	const char *root;	/* prefix for /proc and /sys: "" on a real system */
	int (*pin_cpu)(unsigned int cpu);	/* 0 or -errno */
	vb_cpuid_fn cpuid;
	FILE *out;
	FILE *err;
	int progress;	/* err is a terminal: show progress on it */
	const struct vb_perf_ops *perf_ops;	/* the cross-check; NULL: real */
	void *perf_priv;
};

/* The whole command line: returns an exit code (enum vb_exit). */
int vb_main(int argc, char **argv, const struct vb_env *env);

#endif /* VB_BENCH_H */
