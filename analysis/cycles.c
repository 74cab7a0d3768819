// SPDX-License-Identifier: GPL-2.0
/* Core cycles with the calibration's movement in the interval: cycles.h;
   the interval from the per-round slopes is cyclesround.c's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cycles.h"
#include "diag.h"
#include "fit.h"
#include "setup.h"

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

/* az_cycles_of(), and with fitted 0 az_cycles_raw(): see cycles.h. */
static void cycles_of(const struct az_run *run, const size_t *grp, size_t ngrp,
		      double step, double ticks, double tlo, double thi,
		      int fitted, struct az_cycles *c)
{
	const struct az_dataset *ds = &run->ds;
	size_t *ag = az_malloc((ds->ngroup + 1) * sizeof(*ag)), nag;
	unsigned int R = rounds_of(run);
	double add[3] = { NAN, NAN, NAN }, *a = az_malloc(R * sizeof(*a));
	double *x = az_malloc(R * sizeof(*x));
	struct az_cyc_interval v;
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
		size_t nx = fitted ? slopes(ds, grp, ngrp, step, R, x) : 0;

		v.value = c->value;
		v.lo = c->lo;
		v.hi = c->hi;
		az_cycles_widen(a, nx ? x : NULL, R, tlo * clk.per_tick,
				thi * clk.per_tick, &v);
		c->lo = v.lo;
		c->hi = v.hi;
		c->rounds = v.rounds;
		c->moved_pct = v.moved_pct;
	}
	c->half_pct = 100 * (c->hi - c->lo) / 2 / fabs(c->value);
	free(ag);
	free(a);
	free(x);
}

void az_cycles_of(const struct az_run *run, const size_t *grp, size_t ngrp,
		  double step, double ticks, double tlo, double thi,
		  struct az_cycles *c)
{
	cycles_of(run, grp, ngrp, step, ticks, tlo, thi, 1, c);
}

void az_cycles_raw(const struct az_run *run, const size_t *grp, size_t ngrp,
		   double step, double ticks, double tlo, double thi,
		   struct az_cycles *c)
{
	cycles_of(run, grp, ngrp, step, ticks, tlo, thi, 0, c);
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
