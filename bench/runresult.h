/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a `run` found: one struct that the point loop (runloop.c) and the
 * event accounting (runevents.c) fill as the RUNs come back, and that the
 * writers read when the loop is over: meta.csv's results (runmeta.c) and
 * the lines on the terminal with the exit code (runreport.c).
 */
#ifndef VB_RUNRESULT_H
#define VB_RUNRESULT_H

#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "config.h"
#include "meta.h"
#include "points.h"
#include "sweep.h"
#include "vmxowner.h"
#include "windows.h"

/* Run totals, over every point. */
struct vb_run_totals {
	unsigned int measured, skipped, interrupted, not_run, failed;
	uint64_t records, needed, mismatches, module_mismatches;
	uint64_t windows, max_window_tsc;
	uint32_t bad_records, flag_disagree, tsc_backwards, wrong_page;
	int overflow, short_run, inconsistent;
	int first_bad;			/* point of the first wrong stored
					   value, -1 */
	uint64_t bad_expected, bad_poison;
	uint64_t exit_mismatches;	/* records whose VM exits were wrong */
	int first_exit;			/* point of the first, -1 */
	uint32_t first_exit_record;	/* its record in the RUN ... */
	uint32_t first_exit_sample;	/* ... and sample (samples.csv's) */
	char first_exit_why[256];	/* "qualification 0x1230, expected ..." */
	uint64_t vmfails;		/* records in VMfail (mismatches too) */
	int first_vmfail;		/* point of the first, -1 */
	uint32_t first_vmfail_sample;	/* its sample (samples.csv's) */
	uint64_t split_records;		/* mode=guest records with an exit */
	uint64_t split_bad;		/* ... without its exit/entry split */
	int first_split_bad;		/* point of the first, -1 */
	uint32_t first_split_bad_sample; /* its sample (samples.csv's) */
	unsigned int split_bad_points;	/* points with any */
	int stopped_at;			/* point interrupted, stopped or failed, -1 */
	uint32_t stop_records, stop_needed;
	/* a RUN the module stopped early: VB_RUN_VMX_TAKEN or _NO_COVER */
	uint32_t stop_flag;
	unsigned int stop_cpu, stop_wait;	/* its CPU, its --wait-vmx */
	enum vb_vmx_owner stop_owner;		/* who took VMX, as /sys says */
	uint64_t vmx_wait_ms;			/* over every RUN */
};

/* Per event column of samples.csv, over the run. */
struct vb_event_result {
	int hw;			/* needs a hardware counter */
	int module_err;		/* first event_err (-errno) of a RUN, or 0 */
	int reported;		/* the why line is out */
	int counted;		/* the module counted it in some RUN */
	uint64_t samples_sum;	/* over the records with a value */
	uint64_t module_total;	/* event_total over those RUNs */
	/* the cross-check, over the RUNs it was asked for */
	int xc_asked, xc_err;	/* first -errno of perf_event_open/read */
	int xc_multiplexed;	/* ran less than it was enabled */
	uint64_t xc_samples, xc_total, xc_perf;
};

struct vb_run_result {
	const struct vb_plan *plan;
	struct vb_point_result *point;	/* plan->n: points.csv's rows */
	struct vb_run_totals t;
	struct vb_event_result *ev;	/* plan->n_evcol; NULL without events */
	int hw_asked, hw_counted;	/* hardware counters over the run */
	int pmu_err, pmu_reported;	/* first hardware event_err; its line */
	uint64_t pmc_invalid;		/* records with VB_SAMPLE_PMC_INVALID */
	struct vb_noise noise;		/* NMIs, SMIs, frequency, over the run */
	int interrupted;		/* a point cut short or a signal: meta
					   interrupted=yes, exit 130 */
};

/* runevents.c: the PMU events of one RUN, and the cross-check around it. */

/* One pass of a point's events and the records its RUN brought back. */
struct vb_pass_events {
	const struct vb_evset *es;
	unsigned int pass;
	const struct vb_sample *rec;	/* the RUN's records */
	const uint64_t *pmc;		/* record x run->nevents counts */
};

/* What an event_err (errno) means here, after strerror: " (...)" or "". */
const char *vb_pmc_hint(int err);
/*
 * After a RUN with events: what the module counted, the why lines on
 * env->err (once per event; once for the whole PMU when no hardware
 * counter could be created, unless quiet), the sums for the cross-check.
 * Returns 1 when the RUN asked for hardware counters and got none.
 */
int vb_events_account(struct vb_run_result *res, const struct vb_env *env,
		      const struct vb_pass_events *pe,
		      const struct vb_run *run, uint32_t nrec, int quiet);
/* The cross-check: perf_event_open per event before the RUN on cpu ... */
void vb_xc_open(struct vb_run_result *res, const struct vb_env *env,
		const struct vb_pass_events *pe, unsigned int cpu, int *fd);
/* ... read and closed after it; measured 0: nothing to compare. */
void vb_xc_close(struct vb_run_result *res, const struct vb_env *env,
		 const struct vb_pass_events *pe, const struct vb_run *run,
		 uint32_t nrec, const int *fd, int measured);

/* runmeta.c: meta.csv. */

/* What the plan says before anything runs: config, axes, events. */
void vb_run_meta_plan(struct vb_meta *m, const struct vb_plan *p,
		      const struct vb_config *cfg, const char *root,
		      const unsigned int *cpus, unsigned int ncpus);
/* What the run found: totals, stop, events, cross-check, noise. */
void vb_run_meta_result(struct vb_meta *m, const struct vb_run_result *res);
/* dir/meta.csv, replaced whole: 0, or -1 and msg. */
int vb_run_meta_write(const struct vb_meta *m, const char *dir, char *msg,
		      size_t len);

/*
 * runreport.c: the lines on env->err (warnings, failed checks, a stop, an
 * interruption), or the one line on env->out; returns the exit code.
 */
int vb_run_report(const struct vb_run_result *res, const char *outdir,
		  const struct vb_env *env);

#endif /* VB_RUNRESULT_H */
