/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics, on sorted arrays of doubles.  Definitions (README.md,
 * "Statistics"): quantiles are type 7 (numpy's default, linear); stddev
 * is the sample standard deviation (n - 1); MAD is the raw median absolute
 * deviation (not scaled); outliers are |x - median| > AZ_OUTLIER_K * MAD
 * (any x != median when MAD is 0); the median's 95% interval is the exact
 * distribution-free order-statistic interval (binomial, p = 1/2).
 */
#ifndef AZ_STATS_H
#define AZ_STATS_H

#include <stddef.h>

/* Iglewicz and Hoaglin: modified z-score 0.6745 |x - med| / MAD > 3.5. */
#define AZ_OUTLIER_K (3.5 / 0.6745)
#define AZ_CONF 0.95
#define AZ_Z95 1.959963984540054
/* Fewest samples for which a 95% order-statistic interval exists. */
#define AZ_MIN_CI_N 6

struct dist {
	size_t n;
	double min, p01, p05, p25, median, mean, p75, p95, p99, max;
	double stddev;		/* NaN for n < 2 */
	double mad;
	size_t outliers;
	double med_lo, med_hi;	/* 95% CI of the median; NaN if n < 6 */
};

/* Sort ascending (LSD radix on the IEEE bits; NaN must not be present). */
void az_sort(double *v, size_t n);
/* Type 7 quantile of sorted v (n > 0), 0 <= p <= 1. */
double az_quantile(const double *v, size_t n, double p);
/* Everything in struct dist from sorted v; all NaN/0 when n == 0. */
void az_describe(const double *v, size_t n, struct dist *d);
/*
 * 1-based rank l of the lower end of the 95% order-statistic interval for
 * the median of n samples: the largest l with P(B <= l - 1) <= 0.025 for
 * B ~ Binomial(n, 1/2); the interval is [x(l), x(n + 1 - l)].  0 if
 * n < AZ_MIN_CI_N.
 */
size_t az_median_ci_rank(size_t n);
/*
 * Mann-Whitney U, two-sided, normal approximation with tie correction and
 * continuity correction (scipy.stats.mannwhitneyu, method="asymptotic").
 * a and b sorted.  Returns p; *u gets U of a.  p = 1 when every value ties.
 */
double az_mann_whitney(const double *a, size_t na, const double *b,
		       size_t nb, double *u);
/* Standard error of a median from its 95% interval: (hi - lo) / (2 z). */
double az_median_se(const struct dist *d);

#endif /* AZ_STATS_H */
