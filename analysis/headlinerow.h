/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One row of headline.csv as the writer (headline.c) holds it: a family of
 * groups (one instruction and setup, any unroll) and its estimate; the
 * exit and entry rows of a mode=guest round trip (headlinesplit.c) are
 * rows too.
 */
#ifndef AZ_HEADLINEROW_H
#define AZ_HEADLINEROW_H

#include <stddef.h>

#include "cycles.h"
#include "fit.h"
#include "rundir.h"

struct az_hl_row {
	const struct az_group *g0;
	size_t *grp, ngrp;
	char *key;		/* setup but unroll, NUL-separated */
	size_t key_len;
	const char *part;	/* NULL, or "exit", "entry": a half of the
				   round trip (headline.csv's part) */
	const char *method;	/* "slope", "pair-median", "mean", NULL: none */
	double ticks, lo, hi, pair_median;
	struct az_cycles cyc;	/* core cycles per instruction */
	const char *reason;
	char why[600];
	size_t n, nunroll;
	double unrolls[AZ_FIT_MAX];
};

/*
 * The exit and entry rows of round trip h (a mode=guest family of an
 * instruction that exits, az_insn_exits()) into half[0] and half[1]: the
 * dithered mean of its records' raw halves at its longest unroll, the
 * records failing the split's check left out and counted (split.h);
 * step: az_tsc_step.  2, or 0 when the run has no split columns or h is
 * not such a family.  Their grp is malloc'd.
 */
size_t az_hl_split(const struct az_run *run, const struct az_hl_row *h,
		   double step, struct az_hl_row *half);

#endif /* AZ_HEADLINEROW_H */
