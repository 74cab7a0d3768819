// SPDX-License-Identifier: GPL-2.0
/* The cycles interval from per-round slopes: cyclesround.h. */
#include <math.h>
#include <stdlib.h>

#include "cyclesround.h"
#include "diag.h"
#include "stats.h"

double az_t95(size_t df)
{
	static const double t[] = {
		NAN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
		2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
		2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
		2.052, 2.048, 2.045, 2.042,
	};

	if (df < sizeof(t) / sizeof(t[0]))
		return t[df];
	/* Cornish-Fisher's first term: within 0.001 from df 30 on */
	return AZ_Z95 + (AZ_Z95 * AZ_Z95 * AZ_Z95 + AZ_Z95) / (4.0 * (double)df);
}

/* mean and t half-width of x[n] (n >= 3, else NaN). */
static double t_half(const double *x, size_t n, double *mean)
{
	double s = 0, ss = 0;
	size_t i;

	*mean = NAN;
	if (n < 3)
		return NAN;
	for (i = 0; i < n; i++)
		s += x[i];
	*mean = s / (double)n;
	for (i = 0; i < n; i++)
		ss += (x[i] - *mean) * (x[i] - *mean);
	return az_t95(n - 1) * sqrt(ss / (double)(n - 1) / (double)n);
}

/*
 * Widen [*lo, *hi] to the order-statistic 95% interval of the median of
 * x[n] (n >= 6): distribution-free, so a minority of rounds moved one way
 * (the add chain slowed by a busy sibling, never sped up) cannot pull the
 * interval off the undisturbed rounds, as it can the mean's.
 */
static void median_ci(double *x, size_t n, double *lo, double *hi)
{
	size_t l = az_median_ci_rank(n);

	if (!l)
		return;
	az_sort(x, n);
	*lo = fmin(*lo, x[l - 1]);
	*hi = fmax(*hi, x[n - l]);
}

void az_cycles_widen(const double *add, const double *fam, size_t n,
		     double clo, double chi, struct az_cyc_interval *v)
{
	double *cal = az_malloc((n + 1) * sizeof(*cal));
	double *ratio = az_malloc((n + 1) * sizeof(*ratio));
	double m, half;
	size_t r, k = 0;
	int per_round = fam != NULL;

	v->rounds = 0;
	v->moved_pct = NAN;
	for (r = 0; r < n; r++) {	/* the calibration per round */
		if (!(add[r] > 0))
			continue;
		cal[k] = 1 / add[r];
		ratio[k] = fam ? fam[r] / add[r] : NAN;
		per_round &= ratio[k] == ratio[k];
		k++;
	}
	half = t_half(cal, k, &m);
	if (half == half) {
		v->rounds = (unsigned int)k;
		v->moved_pct = 100 * half / az_t95(k - 1) * sqrt((double)k) / m;
	}
	if (per_round) {	/* the family's slope over the add chain's */
		double samp = fmax(v->value - v->lo, v->hi - v->value);

		half = t_half(ratio, k, &m) + fabs(m - v->value);
		half = fmax(half == half ? half : 0, samp);
		v->lo = v->value - half;
		v->hi = v->value + half;
		median_ci(ratio, k, &v->lo, &v->hi);
	} else if (half == half) {	/* the clock's movement alone */
		double rel = half / m;

		v->lo = fmin(v->lo, clo * (1 - rel));
		v->hi = fmax(v->hi, chi * (1 + rel));
	}
	free(cal);
	free(ratio);
}
