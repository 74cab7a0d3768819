/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `run` inside: the runner that run.c sets up (device, buffers, output
 * files), runloop.c drives point by point and runpass.c a pass at a time,
 * filling its result.
 */
#ifndef VB_RUNNER_H
#define VB_RUNNER_H

#include <stdint.h>

#include "cli.h"
#include "device.h"
#include "outdir.h"
#include "progress.h"
#include "runresult.h"
#include "userdev.h"

struct runner {
	const struct vb_opts *o;
	const struct vb_env *env;	/* for the user backend, a copy with
					   its device ops (bench/userdev.c) */
	struct vb_env user_env;
	struct vb_user_machine user_machine;	/* env's CPUID, for its skips */
	int user;			/* --backend user */
	enum vb_platform platform;
	const struct vb_plan *plan;
	struct vb_dev dev;
	struct vb_sample *buf;
	uint64_t *pmc;			/* records x events of one RUN */
	struct vb_exit_rec *exits;	/* one RUN's VM exits per record, for
					   mode=guest; NULL without guest points */
	struct vb_window_stat *win;	/* one RUN's window descriptions */
	uint32_t win_cap;		/* entries win holds */
	struct vb_outfile samples, points, windows;
	struct vb_progress progress;
	struct vb_run_result result;
	unsigned int round;		/* of plan->rounds, being measured */
	unsigned int *rounds_done;	/* per point */
	uint32_t *win_seen;		/* per point and pass: windows so far */
	char msg[512];
};

/* How a pass ended (vb_run_pass), and then its point. */
enum vb_pass_end {
	VB_PASS_NEXT,		/* its rows are out: the next pass or point */
	VB_PASS_SKIPPED,	/* the module cannot set the point up */
	VB_PASS_STOP,		/* failed, interrupted or stopped: the run
				   stops at this point (vb_stop_here) */
	VB_PASS_WRITE_FAILED,	/* a row could not be written: errno */
};

/* How the point loop ended (vb_run_points). */
enum vb_loop_end {
	VB_LOOP_DONE,		/* every point measured, skipped, or not run
				   after an interruption or a stop: report */
	VB_LOOP_FAILED,		/* a point failed: r->msg, exit 1 */
	VB_LOOP_WRITE_FAILED,	/* a file could not be written: r->msg */
};

/*
 * Every point of the plan in turn, pinned to its CPU, Ctrl-C caught: its
 * passes, rows and points.csv row; r->result filled (runloop.c).  The
 * output files are open, r->buf, r->win (and r->pmc, r->result.ev with
 * events) allocated.
 */
enum vb_loop_end vb_run_points(struct runner *r);

/* runpass.c: pass `pass` of point i, its result so far in *res. */
enum vb_pass_end vb_run_pass(struct runner *r, unsigned int i,
			     unsigned int pass, struct vb_point_result *res);
/*
 * The run stops at point i: the point's status and reason (fmt), and for
 * the report where it stopped and how far the point got (records of
 * needed).  A failed or interrupted point is counted as such.
 */
void vb_stop_here(struct runner *r, unsigned int i,
		  struct vb_point_result *res, enum vb_point_status status,
		  uint32_t records, uint32_t needed, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#endif /* VB_RUNNER_H */
