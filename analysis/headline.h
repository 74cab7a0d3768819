/* SPDX-License-Identifier: GPL-2.0 */
/*
 * headline.csv: what one instruction costs per setup, the answer a report
 * leads with.  One row per setup of vmptrst, mov, add, imul and chase (a
 * setup: every axis but point, pass and unroll).  Per family of points
 * that differ only in unroll, the least-squares slope of window TSC (net
 * of the interleaved baseline) over unroll, on per-unroll means of the
 * dithered readings; a family with one unroll falls back to the per-pair
 * median.  Columns and units: analysis/README.md, "headline.csv".
 */
#ifndef AZ_HEADLINE_H
#define AZ_HEADLINE_H

#include <stdio.h>
#include <string.h>

#include "dataset.h"
#include "rundir.h"

/*
 * How the reason clauses of headline.csv that readers act on begin: the
 * writer (headline.c) puts them there, the report and the export look for
 * them.
 */
#define AZ_WHY_UNRESOLVED	"unresolved"
#define AZ_WHY_NO_CLOCK		"core clock unknown"
#define AZ_WHY_NOT_ISOLATED	"cycles from the add chain on a target CPU that is not isolated"

/* Is a headline row's reason "unresolved" (its CI within one TSC step)? */
static inline int az_why_unresolved(const char *reason)
{
	return !strncmp(reason, AZ_WHY_UNRESOLVED, sizeof(AZ_WHY_UNRESOLVED) - 1);
}

/* The most unrolls a family's fit takes (more are left out). */
#define AZ_FIT_MAX 64

/* A family's fit: window TSC net of the baseline against unroll. */
struct az_fit {
	size_t n;			/* distinct unrolls, ascending */
	double unroll[AZ_FIT_MAX];
	double mean[AZ_FIT_MAX];	/* net window TSC: mean of the readings
					   within max(6 steps, 6 MADs) of the
					   median (dithered), in ticks */
	double se[AZ_FIT_MAX];		/* its standard error; NaN below 2 */
	size_t pairs;			/* sample pairs in all */
	double slope, lo, hi;		/* ticks per instruction, 95% CI */
	double icpt;			/* ticks at unroll 0 */
};

/* The TSC's step: the GCD of the baselines' windows (0 if not integral). */
double az_tsc_step(const struct az_dataset *ds);
/*
 * The least-squares slope of a family's groups (one instruction and setup,
 * any unroll, all paired with their baseline) over unroll, on the dithered
 * means: headline.csv's "slope".  With one unroll, only fit->n and
 * fit->unroll are set.  0, or -1 with *why set; *why may also be set on 0
 * (no CI).
 */
int az_fit_family(const struct az_dataset *ds, const size_t *grp, size_t ngrp,
		  double step, struct az_fit *fit, const char **why);
/* Write headline.csv of a loaded run to f; 0, or -1 on a write error. */
int az_headline_write(FILE *f, const struct az_run *run);
/* DIR/headline.csv; 0, or -1 reported. */
int az_headline_save(const struct az_run *run);

#endif /* AZ_HEADLINE_H */
