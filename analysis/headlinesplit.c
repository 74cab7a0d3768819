// SPDX-License-Identifier: GPL-2.0
/*
 * headline.csv's exit and entry rows: the halves of a mode=guest round
 * trip, from samples.csv's exit_ticks and entry_ticks (split.h), each
 * with the estimator of the slope's per-unroll means (fit.h) and the
 * cycles of cycles.h.  See headlinerow.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "headlinerow.h"
#include "setup.h"
#include "split.h"
#include "stats.h"

/* What each half holds (the ABI's vb_exit_split()), for its reason. */
static const char *const holds[2] = {
	"raw, not net of the baseline: the exit half of each record's last VM exit, from the TSC the CPU stored during the exit to the handler's first RDTSC (the host state loaded, the landing; not the guest state's save before it)",
	"raw, not net of the baseline: the entry half of each record's last VM exit, from the handler's last RDTSC to the guest's closing RDTSC (VMRESUME with its checks, the guest state loaded, the guest's closing bracket)",
};

/* Half k of s into r: its dithered mean and 95% CI, its reason. */
static void half_of(const struct az_split *s, int k, double step,
		    struct az_hl_row *r)
{
	const double *v = k ? s->entry : s->exit;
	size_t used = 0, kept;
	double se = NAN;

	r->ticks = r->lo = r->hi = r->pair_median = NAN;
	r->n = s->n;
	r->method = s->n ? "mean" : NULL;
	if (s->n)
		r->ticks = az_dithered_mean(v, s->n, step, &se, &kept);
	if (se == se) {
		r->lo = r->ticks - AZ_Z95 * se;
		r->hi = r->ticks + AZ_Z95 * se;
	}
	used = (size_t)snprintf(r->why, sizeof(r->why), "%s", holds[k]);
	if (!s->n)
		used += (size_t)snprintf(r->why + used, sizeof(r->why) - used, "; no record with a split that passes the check");
	else if (se != se)
		used += (size_t)snprintf(r->why + used, sizeof(r->why) - used, "; fewer than 2 records with a split: no 95%% CI");
	if (s->failed && used < sizeof(r->why))
		used += (size_t)snprintf(r->why + used, sizeof(r->why) - used, "; %zu of %zu records failed the split check (" AZ_SPLIT_RULE "): left out",
					 s->failed, s->failed + s->n);
	if (s->none && used < sizeof(r->why))
		snprintf(r->why + used, sizeof(r->why) - used, "; %zu record%s without a split (their readings out of order: meta.csv split_bad)",
			 s->none, s->none == 1 ? "" : "s");
	r->reason = r->why;
}

size_t az_hl_split(const struct az_run *run, const struct az_hl_row *h,
		   double step, struct az_hl_row *half)
{
	const struct az_dataset *ds = &run->ds;
	double u = h->nunroll ? h->unrolls[h->nunroll - 1] : NAN;
	struct az_split s;
	size_t i;
	int k;

	if (h->part || !az_split_group(ds, h->g0))
		return 0;
	az_split_of(ds, h->grp, h->ngrp, u, step, &s);
	for (k = 0; k < 2; k++) {
		struct az_hl_row *r = &half[k];

		memset(r, 0, sizeof(*r));
		r->g0 = h->g0;
		r->part = k ? "entry" : "exit";
		r->grp = az_malloc((h->ngrp + 1) * sizeof(size_t));
		for (i = 0; i < h->ngrp; i++)	/* the groups at that unroll */
			if (u != u || ds->groups[h->grp[i]].unroll == u)
				r->grp[r->ngrp++] = h->grp[i];
		r->nunroll = u == u;
		r->unrolls[0] = u;
		half_of(&s, k, step, r);
		az_cycles_raw(run, r->grp, r->ngrp, step, r->ticks, r->lo,
			      r->hi, &r->cyc);
	}
	az_split_free(&s);
	return 2;
}
