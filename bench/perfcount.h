/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cross-check: the same events counted from user space with
 * perf_event_open(2) on the target CPU around a whole RUN (kernel mode),
 * behind a table of function pointers so tests can inject counts.
 */
#ifndef VB_PERFCOUNT_H
#define VB_PERFCOUNT_H

#include <stdint.h>

#include "vmptrst_bench_abi.h"

struct vb_perf_ops {
	/* A counting, enabled, kernel-mode-only event on cpu: fd or -errno. */
	int (*open)(void *priv, const struct vb_event *ev, unsigned int cpu);
	/* value, time enabled, time running: 0 or -errno. */
	int (*read)(void *priv, int fd, uint64_t v[3]);
	void (*close)(void *priv, int fd);
};

/* perf_event_open(2) with read_format TOTAL_TIME_ENABLED|RUNNING. */
extern const struct vb_perf_ops vb_perf_real_ops;

#endif /* VB_PERFCOUNT_H */
