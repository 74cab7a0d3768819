// SPDX-License-Identifier: GPL-2.0
/* The slope estimator of headline.csv and the unroll plots: see fit.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fit.h"

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

double az_tsc_step(const struct az_dataset *ds)
{
	uint64_t q = 0;
	size_t gi, k;

	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];

		if (!g->baseline)
			continue;
		for (k = 0; k < g->nval[0]; k++) {
			double v = g->val[0][k];

			if (v != floor(v) || v < 0 || v > 1e15)
				return 0;
			if (v > 0)
				q = gcd(q, (uint64_t)v);
		}
	}
	return (double)q;
}

/*
 * Readings of a chain that starts at a random phase of the TSC's step are
 * dithered, so their mean resolves what one step hides; the window of
 * max(6 steps, 6 MADs) drops interrupts, never a neighbouring step.
 */
double az_dithered_mean(const double *v, size_t n, double q, double *se,
			size_t *kept)
{
	double m = az_quantile(v, n, 0.5), w, s = 0, ss = 0, mean;
	double *dev = az_malloc(n * sizeof(*dev));
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		dev[i] = fabs(v[i] - m);
	az_sort(dev, n);
	w = fmax(6 * q, 6 * 1.4826 * az_quantile(dev, n, 0.5));
	free(dev);
	for (i = 0; i < n; i++)
		if (fabs(v[i] - m) <= w) {
			s += v[i];
			c++;
		}
	mean = s / (double)c;
	for (i = 0; i < n; i++)
		if (fabs(v[i] - m) <= w)
			ss += (v[i] - mean) * (v[i] - mean);
	*se = c > 1 ? sqrt(ss / (double)(c - 1) / (double)c) : NAN;
	*kept = c;
	return mean;
}

double *az_fit_values(const struct az_dataset *ds, const size_t *grp,
		      size_t ngrp, double u, int per_insn, size_t *n)
{
	double *v = NULL;
	size_t i, k, c = 0, cap = 0;

	for (i = 0; i < ngrp; i++) {
		const struct az_group *g = &ds->groups[grp[i]];

		if (g->unroll != u)
			continue;
		cap += g->nnet[0];
		v = az_realloc(v, (cap + 1) * sizeof(*v));
		for (k = 0; k < g->nnet[0]; k++)
			v[c++] = per_insn ? g->net[0][k] : g->net[0][k] * u;
	}
	az_sort(v, c);
	*n = c;
	return v;
}

int az_fit_family(const struct az_dataset *ds, const size_t *grp, size_t ngrp,
		  double step, struct az_fit *fit, const char **why)
{
	size_t i, j, n, kept;
	double *v;

	memset(fit, 0, sizeof(*fit));
	fit->slope = fit->lo = fit->hi = fit->icpt = NAN;
	*why = NULL;
	for (i = 0; i < ngrp; i++) {
		const struct az_group *g = &ds->groups[grp[i]];

		if (!g->paired || !g->nnet[0]) {
			*why = g->net_reason[0] ? g->net_reason[0] :
			       "no sample pairs with the baseline";
			return -1;
		}
		if (g->unroll != g->unroll) {
			*why = "no unroll column";
			return -1;
		}
		for (j = 0; j < fit->n && fit->unroll[j] != g->unroll; j++)
			;
		if (j == fit->n && j < AZ_FIT_MAX)
			fit->unroll[fit->n++] = g->unroll;
	}
	for (i = 1; i < fit->n; i++)	/* sort the unrolls */
		for (j = i; j > 0 && fit->unroll[j - 1] > fit->unroll[j]; j--) {
			double t = fit->unroll[j];

			fit->unroll[j] = fit->unroll[j - 1];
			fit->unroll[j - 1] = t;
		}
	if (fit->n < 2)
		return 0;
	for (i = 0; i < fit->n; i++) {
		v = az_fit_values(ds, grp, ngrp, fit->unroll[i], 0, &n);
		fit->mean[i] = az_dithered_mean(v, n, step, &fit->se[i], &kept);
		fit->pairs += n;
		free(v);
	}
	az_fit_line(fit);
	if (fit->lo != fit->lo)
		*why = "an unroll with fewer than 2 pairs: no 95% CI";
	return 0;
}

void az_fit_line(struct az_fit *fit)
{
	double ub = 0, mb = 0, sxx = 0, sxy = 0, var = 0;
	size_t i;

	for (i = 0; i < fit->n; i++) {
		ub += fit->unroll[i] / (double)fit->n;
		mb += fit->mean[i] / (double)fit->n;
	}
	for (i = 0; i < fit->n; i++) {
		double du = fit->unroll[i] - ub;

		sxx += du * du;
		sxy += du * (fit->mean[i] - mb);
		var += du * du * fit->se[i] * fit->se[i];
	}
	fit->slope = sxy / sxx;
	fit->icpt = mb - fit->slope * ub;
	var /= sxx * sxx;
	fit->lo = fit->hi = NAN;
	if (var == var) {
		fit->lo = fit->slope - AZ_Z95 * sqrt(var);
		fit->hi = fit->slope + AZ_Z95 * sqrt(var);
	}
}
