// SPDX-License-Identifier: GPL-2.0
/* Core cycles with the calibration's movement in the interval: cycles.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cycles.h"
#include "diag.h"
#include "fit.h"
#include "setup.h"

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

/* meta.csv's rounds; below 2 (or unknown), AZ_CYCLES_BLOCKS blocks. */
static unsigned int rounds_of(const struct az_run *run)
{
	const char *s = az_meta_get(&run->meta, "rounds");
	char *e;
	unsigned long r = strtoul(s, &e, 10);

	return e != s && !*e && r >= 2 && r < 100000 ? (unsigned int)r :
	       AZ_CYCLES_BLOCKS;
}

/* The add chain's groups: those of the run's first add group's setup. */
static size_t add_family(const struct az_dataset *ds, size_t *grp)
{
	const struct az_group *g0 = NULL;
	size_t gi, a, n = 0;

	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];

		if (g->baseline || strcmp(g->instruction, "add"))
			continue;
		if (!g0)
			g0 = g;
		for (a = 0; a < ds->naxis; a++)
			if (az_setup_axis(ds, a) && a != ds->unroll_col &&
			    strcmp(g->axis[a], g0->axis[a]))
				break;
		if (a == ds->naxis)
			grp[n++] = gi;
	}
	return n;
}

/*
 * The family's slope in round r of R: per unroll of fit (the family's own),
 * the dithered mean of the pairs whose sample index falls in round r of
 * its point (a point's samples are numbered on from round to round, the
 * first samples % R rounds taking one more); NaN when an unroll has fewer
 * than 2 pairs in it.
 */
static double round_slope(const struct az_dataset *ds, const size_t *grp,
			  size_t ngrp, double step, const struct az_fit *all,
			  unsigned int R, unsigned int r)
{
	struct az_fit f = *all;
	size_t i, u, k, n, kept;
	double *v = NULL;

	for (u = 0; u < f.n; u++) {
		for (i = 0, n = 0; i < ngrp; i++) {
			const struct az_group *g = &ds->groups[grp[i]];
			size_t s = 0, q, e, first;

			if (g->unroll != f.unroll[u])
				continue;
			for (k = 0; k < g->nseq; k++)
				s = g->seq_sample[k] + 1 > s ? g->seq_sample[k] + 1 : s;
			q = s / R;
			e = s % R;
			first = r * q + (r < e ? r : e);
			v = az_realloc(v, (n + g->nseq + 1) * sizeof(*v));
			for (k = 0; k < g->nseq; k++)
				if (g->seq_sample[k] >= first &&
				    g->seq_sample[k] < first + q + (r < e))
					v[n++] = g->seq[k];
		}
		if (n < 2) {
			free(v);
			return NAN;
		}
		az_sort(v, n);
		f.mean[u] = az_dithered_mean(v, n, step, &f.se[u], &kept);
	}
	free(v);
	az_fit_line(&f);
	return f.slope;
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

/* Per-round slopes of family grp (fitted over its own unrolls) in a[]. */
static size_t slopes(const struct az_dataset *ds, const size_t *grp,
		     size_t ngrp, double step, unsigned int R, double *a)
{
	struct az_fit fit;
	const char *why;
	unsigned int r;

	if (az_fit_family(ds, grp, ngrp, step, &fit, &why) || fit.n < 2)
		return 0;
	for (r = 0; r < R; r++)
		a[r] = round_slope(ds, grp, ngrp, step, &fit, R, r);
	return R;
}

void az_cycles_of(const struct az_run *run, const size_t *grp, size_t ngrp,
		  double step, double ticks, double tlo, double thi,
		  struct az_cycles *c)
{
	const struct az_dataset *ds = &run->ds;
	size_t *ag = az_malloc((ds->ngroup + 1) * sizeof(*ag)), nag, r, n = 0;
	unsigned int R = rounds_of(run);
	double add[3] = { NAN, NAN, NAN }, *a = az_malloc(R * sizeof(*a));
	double *x = az_malloc(R * sizeof(*x)), *ratio = az_malloc(R * sizeof(*x));
	double *cal = az_malloc(R * sizeof(*cal));
	double m, half, samp;
	struct az_fit fit;
	struct az_clock clk;
	const char *why;

	memset(c, 0, sizeof(*c));
	c->moved_pct = NAN;
	nag = add_family(ds, ag);
	if (nag && !az_fit_family(ds, ag, nag, step, &fit, &why) && fit.n > 1) {
		add[0] = fit.slope;
		add[1] = fit.lo;
		add[2] = fit.hi;
	}
	az_clock_of(run, grp, ngrp, az_clock_metric(ds), add, &clk);
	c->per_tick = clk.per_tick;
	c->source = clk.per_tick == clk.per_tick ? clk.source : "";
	c->value = ticks * clk.per_tick;
	/* sampling: both ends of the ticks' CI by both ends of the clock's */
	c->lo = fmin(tlo * clk.lo, tlo * clk.hi);
	c->hi = fmax(thi * clk.lo, thi * clk.hi);
	if (!strcmp(c->source, "add chain") && slopes(ds, ag, nag, step, R, a)) {
		size_t nx = slopes(ds, grp, ngrp, step, R, x);

		for (r = 0; r < R; r++) {	/* the calibration per round */
			if (!(a[r] > 0))
				continue;
			cal[n] = 1 / a[r];
			ratio[n++] = nx && x[r] == x[r] ? x[r] / a[r] : NAN;
		}
		half = t_half(cal, n, &m);
		if (half == half) {
			c->rounds = (unsigned int)n;
			c->moved_pct = 100 * half / az_t95(n - 1) * sqrt((double)n) / m;
		}
		for (r = 0; nx && r < n; r++)
			if (ratio[r] != ratio[r])
				nx = 0;
		if (nx) {	/* the family's slope over the add chain's */
			half = t_half(ratio, n, &m) + fabs(m - c->value);
			samp = fmax(c->value - c->lo, c->hi - c->value);
			half = fmax(half == half ? half : 0, samp);
			c->lo = c->value - half;
			c->hi = c->value + half;
			median_ci(ratio, n, &c->lo, &c->hi);
		} else if (half == half) {	/* the clock's movement alone */
			double rel = half / m;

			c->lo = fmin(c->lo, tlo * clk.per_tick * (1 - rel));
			c->hi = fmax(c->hi, thi * clk.per_tick * (1 + rel));
		}
	}
	c->half_pct = 100 * (c->hi - c->lo) / 2 / fabs(c->value);
	free(ag);
	free(a);
	free(x);
	free(ratio);
	free(cal);
}

int az_cycles_words(const struct az_cycles *c, char *buf, size_t len)
{
	*buf = 0;
	if (!(c->half_pct > AZ_CYCLES_WIDE_PCT) || strcmp(c->source, "add chain"))
		return 0;
	snprintf(buf, len, AZ_WHY_CLOCK_MOVED " by %.2g %% during this run (the add chain's calibration across %u rounds); the cycles column is \u00b1%.2g %%: for \u00b11 %%, measure on an isolated CPU (isolcpus, its SMT sibling idle) or on a host with APERF/MPERF or a `cycles` event",
		 c->moved_pct, c->rounds, c->half_pct);
	return 1;
}
