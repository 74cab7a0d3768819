/* SPDX-License-Identifier: GPL-2.0 */
/*
 * points.csv: one row per point of the plan, written as each point ends:
 * its axis values as asked for, what became of it (measured, skipped,
 * interrupted, not-run, failed) and why, the module's counters, in
 * mode=guest the last VM exit of its instruction, and the config's
 * section it comes from.  What
 * was not measured is an empty field, never 0.
 */
#ifndef VB_POINTS_H
#define VB_POINTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sweep.h"

enum vb_point_status {
	VB_PT_MEASURED,
	VB_PT_SKIPPED,		/* the module cannot set it up here */
	VB_PT_INTERRUPTED,	/* stopped early: its partial rows are kept */
	VB_PT_NOT_RUN,		/* the run stopped before it */
	VB_PT_FAILED,		/* its RUN failed: the run stopped there */
	VB_PT_STOPPED,		/* the module stopped it early (VMX taken,
				   or the crash-time cover lost): partial
				   rows kept, the run stopped there */
	VB_PT_COUNT
};

extern const char *const vb_point_status_names[VB_PT_COUNT + 1];

struct vb_point_result {
	enum vb_point_status status;
	char reason[320];
	uint32_t records, mismatches, windows, page_kib;
	uint32_t vmfails;		/* records in VMfail (in mismatches) */
	uint32_t split_bad;		/* records without their exit/entry
					   split (VB_SAMPLE_SPLIT_BAD) */
	uint64_t max_window_tsc;
	uint64_t vmx_wait_ms;		/* vb_run.vmx_wait_ms over its RUNs */
	int has_exit;			/* mode=guest: exit holds the last
					   VM exit of its instruction */
	struct vb_exit_rec exit;
};

/* Measured, interrupted or stopped: it has rows in samples.csv. */
int vb_point_ran(enum vb_point_status s);

/* The reason of a VB_RUN_SKIPPED, in words. */
const char *vb_skip_reason(const struct vb_run *run, char *buf, size_t len);

int vb_points_header(FILE *f);				/* 0 or -1 */
int vb_points_write(FILE *f, const struct vb_point *pt,
		    const struct vb_point_result *r);	/* 0 or -1 */

#endif /* VB_POINTS_H */
