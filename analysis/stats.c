// SPDX-License-Identifier: GPL-2.0
/* Order statistics, dispersion, outliers, median intervals, rank test. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "stats.h"

#define RADIX_BITS 11
#define RADIX_PASSES 6		/* 6 * 11 >= 64 */
#define RADIX_SIZE (1u << RADIX_BITS)

static inline uint64_t key_of(const double *p)
{
	uint64_t u;

	memcpy(&u, p, sizeof(u));
	return (u >> 63) ? ~u : u | (1ull << 63);
}

static inline void put_key(double *p, uint64_t k)
{
	k = (k >> 63) ? k & ~(1ull << 63) : ~k;
	memcpy(p, &k, sizeof(k));
}

static inline uint64_t ld(const double *p)
{
	uint64_t u;

	memcpy(&u, p, sizeof(u));
	return u;
}

static inline void st(double *p, uint64_t u)
{
	memcpy(p, &u, sizeof(u));
}

static void insertion_sort(double *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		double x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * LSD radix sort on order-preserving integer keys.  Keys live in v's own
 * storage (through memcpy) and one scratch array; a pass in which every key
 * has the same digit is skipped, so small-integer data (TSC counts) costs
 * two or three passes.
 */
void az_sort(double *v, size_t n)
{
	static size_t count[RADIX_PASSES][RADIX_SIZE];
	double *src = v, *dst;
	double *tmp;
	size_t i, pass;

	if (n < 64) {
		insertion_sort(v, n);
		return;
	}
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++) {
		uint64_t k = key_of(&v[i]);

		st(&v[i], k);
		for (pass = 0; pass < RADIX_PASSES; pass++)
			count[pass][(k >> (pass * RADIX_BITS)) &
				    (RADIX_SIZE - 1)]++;
	}
	tmp = az_malloc(n * sizeof(*tmp));
	dst = tmp;
	for (pass = 0; pass < RADIX_PASSES; pass++) {
		size_t *c = count[pass], sum = 0, b;
		unsigned int shift = (unsigned int)(pass * RADIX_BITS);

		if (c[(ld(&src[0]) >> shift) & (RADIX_SIZE - 1)] == n)
			continue;
		for (b = 0; b < RADIX_SIZE; b++) {
			size_t t = c[b];

			c[b] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++) {
			uint64_t k = ld(&src[i]);

			st(&dst[c[(k >> shift) & (RADIX_SIZE - 1)]++], k);
		}
		double *t = src;

		src = dst;
		dst = t;
	}
	for (i = 0; i < n; i++)
		put_key(&v[i], ld(&src[i]));
	free(tmp);
}

double az_quantile(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* Median of |v[i] - med| by merging the two sorted sides: O(n). */
static double mad_of(const double *v, size_t n, double med)
{
	size_t j = 0, k, want_lo = (n - 1) / 2, want_hi = n / 2;
	size_t left, right;
	double lo = 0, cur = 0;

	while (j < n && v[j] <= med)
		j++;
	left = j;		/* v[left - 1] is the next on the left side */
	right = j;
	for (k = 0; k <= want_hi; k++) {
		double dl = left ? med - v[left - 1] : INFINITY;
		double dr = right < n ? v[right] - med : INFINITY;

		if (dl <= dr) {
			cur = dl;
			left--;
		} else {
			cur = dr;
			right++;
		}
		if (k == want_lo)
			lo = cur;
	}
	return (lo + cur) / 2;
}

/* Index of the first element > x (or >= x when !strict). */
static size_t bound(const double *v, size_t n, double x, int strict)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strict ? v[mid] <= x : v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t az_median_ci_rank(size_t n)
{
	double ln_n1, cdf = 0, half = (double)n / 2;
	size_t k, k0;

	if (n < AZ_MIN_CI_N)
		return 0;
	ln_n1 = lgamma((double)n + 1) - (double)n * log(2.0);
	/* Below n/2 - 20 sqrt(n) the binomial mass is < 1e-300. */
	k0 = half > 20 * sqrt((double)n) ? (size_t)(half - 20 *
						    sqrt((double)n)) : 0;
	for (k = k0; k < n; k++) {
		double pmf = exp(ln_n1 - lgamma((double)k + 1) -
				 lgamma((double)(n - k) + 1));

		/* P(B <= k) > 0.025: l - 1 = k - 1 is the last that fits. */
		if (cdf + pmf > (1 - AZ_CONF) / 2)
			return k;	/* l = k: P(B <= k - 1) = cdf */
		cdf += pmf;
	}
	return 0;
}

void az_describe(const double *v, size_t n, struct dist *d)
{
	double sum = 0, ss = 0, mean;
	size_t i, l;

	memset(d, 0, sizeof(*d));
	d->n = n;
	if (!n) {
		d->min = d->p01 = d->p05 = d->p25 = d->median = d->mean =
		d->p75 = d->p95 = d->p99 = d->max = d->stddev = d->mad =
		d->med_lo = d->med_hi = NAN;
		return;
	}
	d->min = v[0];
	d->max = v[n - 1];
	d->p01 = az_quantile(v, n, 0.01);
	d->p05 = az_quantile(v, n, 0.05);
	d->p25 = az_quantile(v, n, 0.25);
	d->median = az_quantile(v, n, 0.5);
	d->p75 = az_quantile(v, n, 0.75);
	d->p95 = az_quantile(v, n, 0.95);
	d->p99 = az_quantile(v, n, 0.99);
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / (double)n;
	for (i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	d->mean = mean;
	d->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
	d->mad = mad_of(v, n, d->median);
	if (d->mad > 0) {
		double w = AZ_OUTLIER_K * d->mad;

		d->outliers = bound(v, n, d->median - w, 0) +
			      (n - bound(v, n, d->median + w, 1));
	} else {
		d->outliers = bound(v, n, d->median, 0) +
			      (n - bound(v, n, d->median, 1));
	}
	l = az_median_ci_rank(n);
	d->med_lo = l ? v[l - 1] : NAN;
	d->med_hi = l ? v[n - l] : NAN;
}

double az_median_se(const struct dist *d)
{
	return (d->med_hi - d->med_lo) / (2 * AZ_Z95);
}

double az_mann_whitney(const double *a, size_t na, const double *b,
		       size_t nb, double *u)
{
	double ra = 0, ties = 0, nn = (double)na + (double)nb;
	double u1, mu, sigma, umax, z;
	size_t i = 0, j = 0, rank = 0;

	if (!na || !nb) {
		*u = NAN;
		return NAN;
	}
	/* Walk both in order; each run of equal values shares its midrank. */
	while (i < na || j < nb) {
		double x = (j >= nb || (i < na && a[i] <= b[j])) ? a[i] : b[j];
		size_t ca = 0, cb = 0;
		double t, mid;

		while (i < na && a[i] == x) {
			i++;
			ca++;
		}
		while (j < nb && b[j] == x) {
			j++;
			cb++;
		}
		t = (double)(ca + cb);
		mid = (double)rank + (t + 1) / 2;
		ra += (double)ca * mid;
		ties += t * t * t - t;
		rank += ca + cb;
	}
	u1 = ra - (double)na * ((double)na + 1) / 2;
	*u = u1;
	mu = (double)na * (double)nb / 2;
	sigma = sqrt((double)na * (double)nb / 12 *
		     ((nn + 1) - ties / (nn * (nn - 1))));
	if (!(sigma > 0))
		return 1.0;
	umax = fmax(u1, (double)na * (double)nb - u1);
	z = (umax - mu - 0.5) / sigma;
	return fmin(1.0, erfc(z / sqrt(2.0)));
}
