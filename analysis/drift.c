// SPDX-License-Identifier: GPL-2.0
/* Drift across a run: see drift.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "drift.h"
#include "setup.h"
#include "stats.h"

static int same_setup(const struct az_dataset *ds, const struct az_group *a,
		      const struct az_group *b)
{
	size_t k;

	if (strcmp(a->instruction, b->instruction))
		return 0;
	for (k = 0; k < ds->naxis; k++)
		if (az_setup_axis(ds, k) && strcmp(a->axis[k], b->axis[k]))
			return 0;
	return 1;
}

const struct dist *az_repeat_dist(const struct az_repeat *r, size_t i)
{
	return r->net ? &r->g[i]->dnet[0] : &r->g[i]->d[0];
}

static void judge(struct az_repeat *r)
{
	double *m = az_malloc(r->n * sizeof(*m)), lo = INFINITY, hi = -INFINITY;
	size_t i;

	r->net = 1;
	for (i = 0; i < r->n; i++)
		if (!r->g[i]->paired || !r->g[i]->nnet[0])
			r->net = 0;
	r->overlap = 1;
	for (i = 0; i < r->n; i++) {
		const struct dist *d = az_repeat_dist(r, i);

		m[i] = d->median;
		lo = fmin(lo, d->med_hi);	/* the lowest upper end */
		hi = fmax(hi, d->med_lo);	/* the highest lower end */
		if (d->med_lo != d->med_lo)
			r->overlap = -1;	/* a CI unknown */
	}
	if (r->overlap == 1 && hi > lo)
		r->overlap = 0;
	az_sort(m, r->n);
	r->lo_med = m[0];
	r->hi_med = m[r->n - 1];
	r->spread_pct = az_quantile(m, r->n, 0.5) != 0 ?
		(r->hi_med - r->lo_med) / fabs(az_quantile(m, r->n, 0.5)) * 100 : NAN;
	free(m);
}

size_t az_repeats(const struct az_dataset *ds, struct az_repeat **out)
{
	struct az_repeat *r = NULL;
	char *done = az_malloc(ds->ngroup + 1);
	size_t gi, gj, n = 0;

	memset(done, 0, ds->ngroup + 1);
	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];
		struct az_repeat one = { 0 };

		if (done[gi] || g->baseline || !g->d[0].n)
			continue;
		one.g = az_malloc(ds->ngroup * sizeof(*one.g));
		for (gj = gi; gj < ds->ngroup; gj++) {
			const struct az_group *h = &ds->groups[gj];

			size_t k;

			if (done[gj] || h->baseline || !h->d[0].n ||
			    !same_setup(ds, g, h))
				continue;
			done[gj] = 1;
			for (k = 0; k < one.n && one.g[k]->point != h->point; k++)
				;
			if (k == one.n)	/* a point's later passes: not a repeat */
				one.g[one.n++] = h;
		}
		if (one.n < 2) {
			free(one.g);
			continue;
		}
		judge(&one);
		r = az_realloc(r, (n + 1) * sizeof(*r));
		r[n++] = one;
	}
	free(done);
	*out = r;
	return n;
}

void az_repeats_free(struct az_repeat *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].g);
	free(r);
}
