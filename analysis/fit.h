/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slope estimator over unroll that headline.csv reports and the unroll
 * plots draw: per unroll, the pooled pairs' window TSC net of the
 * baseline, their dithered mean; the least-squares slope of the means.
 * Its definition: analysis/README.md, "headline.csv".
 */
#ifndef AZ_FIT_H
#define AZ_FIT_H

#include <stddef.h>

#include "dataset.h"

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

/*
 * The mean of sorted v[n] within max(6 TSC steps q, 6 x 1.4826 MAD) of the
 * median, *se its standard error (NaN with fewer than 2 kept), *kept how
 * many.
 */
double az_dithered_mean(const double *v, size_t n, double q, double *se,
			size_t *kept);
/* The least-squares line of fit->mean over fit->unroll (n >= 2): slope,
   icpt and the slope's 95% CI (NaN when a mean has no standard error). */
void az_fit_line(struct az_fit *fit);
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
/*
 * Pooled values of the family's groups at unroll u, sorted (malloc'd):
 * (x - baseline) per instruction with per_insn, else per window.
 */
double *az_fit_values(const struct az_dataset *ds, const size_t *grp,
		      size_t ngrp, double u, int per_insn, size_t *n);

#endif /* AZ_FIT_H */
