/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core cycles per instruction of a family of points, with an interval
 * that carries the calibration's movement during the run, not only its
 * sampling error: the one estimator behind headline.csv's cycles columns
 * (and so the report, export, compare and the catalogue) and the unroll
 * plots' titles.  Definition: analysis/README.md, "headline.csv", cycles.
 */
#ifndef AZ_CYCLES_H
#define AZ_CYCLES_H

#include <stddef.h>

#include "cyclesround.h"
#include "rundir.h"

/* How a reason clause about a wide cycles interval begins. */
#define AZ_WHY_CLOCK_MOVED	"the core clock moved"
/* Without rounds (meta.csv rounds < 2) the samples are cut into this many
   blocks by sample index: the movement within each point only. */
#define AZ_CYCLES_BLOCKS	10
/* Above this half-width (% of the value) the report says so in words. */
#define AZ_CYCLES_WIDE_PCT	1.0

struct az_cycles {
	double value, lo, hi;	/* core cycles per instruction, 95% interval;
				   NaN: the core clock is unknown */
	double per_tick;	/* the run's cycles per TSC tick */
	const char *source;	/* "cycles event", "APERF/MPERF", "add chain"
				   or "" */
	unsigned int rounds;	/* rounds (or blocks) the spread came from;
				   0: none */
	double moved_pct;	/* the add chain's per-round slopes, relative
				   standard deviation in %; NaN: none */
	double half_pct;	/* the interval's half-width, % of value */
};

/*
 * Cycles of the family grp[ngrp] of run (one instruction and setup, any
 * unroll) whose net cost is ticks [tlo, thi] TSC ticks per instruction;
 * step is the TSC's step (az_tsc_step).  With the add chain as the
 * clock and the family fitted over several unrolls: the ratio of the
 * family's slope to the add chain's in each round; the interval is the
 * larger of the t interval of those ratios (plus the distance of their mean
 * from the value) and the sampling interval (both ends of the ticks' CI
 * scaled by both ends of the add chain's).  One unroll: the ticks' CI
 * scaled by the clock's, widened by the per-round calibrations' t interval.
 */
void az_cycles_of(const struct az_run *run, const size_t *grp, size_t ngrp,
		  double step, double ticks, double tlo, double thi,
		  struct az_cycles *c);

/*
 * The same for a quantity of those groups that is no slope over unroll (a
 * half of mode=guest's round trip, split.h): the clock of the groups, the
 * interval the ticks' CI scaled by the clock's, widened by the per-round
 * calibrations' t interval (the family's per-round slopes, which are not
 * this quantity's, left out).
 */
void az_cycles_raw(const struct az_run *run, const size_t *grp, size_t ngrp,
		   double step, double ticks, double tlo, double thi,
		   struct az_cycles *c);

/*
 * When c's interval is wider than AZ_CYCLES_WIDE_PCT: the words for the
 * report ("the core clock moved by X % during this run; the cycles column
 * is ±Y % ...", with the fix) in buf, and 1; else 0 and buf "".
 */
int az_cycles_words(const struct az_cycles *c, char *buf, size_t len);

#endif /* AZ_CYCLES_H */
