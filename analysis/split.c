// SPDX-License-Identifier: GPL-2.0
/* The exit/entry split of mode=guest records: see split.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasetgroups.h"
#include "diag.h"
#include "setup.h"
#include "split.h"
#include "stats.h"

int az_split_ok(const struct az_split_row *r, double step)
{
	/* NaN (a field empty) fails every comparison */
	return r->exit > 0 && r->entry > 0 &&
	       r->exit + r->entry <= r->tsc + step;
}

size_t az_split_failed(const struct az_group *g, double step)
{
	size_t k, n = 0;

	for (k = 0; k < g->nsplit; k++)
		n += !az_split_ok(&g->split[k], step);
	return n;
}

int az_split_group(const struct az_dataset *ds, const struct az_group *g)
{
	return ds->exit_col != AZ_NO_GROUP && ds->mode_col < ds->naxis &&
	       !strcmp(g->axis[ds->mode_col], "guest") &&
	       az_insn_exits(g->instruction);
}

size_t az_split_words(const struct az_dataset *ds, double step, char *buf,
		      size_t len)
{
	size_t gi, n = 0, bad = 0, o, k;
	uint64_t none = 0;
	char label[128];

	*buf = '\0';
	if (ds->exit_col == AZ_NO_GROUP)
		return 0;
	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];

		n += g->nsplit;
		bad += az_split_failed(g, step);
		if (az_split_group(ds, g))
			none += g->split_empty;
	}
	if (!bad && !none) {
		snprintf(buf, len, "exit/entry split: every record's split passed its check (%zu records; " AZ_SPLIT_RULE ")", n);
		return 0;
	}
	o = (size_t)snprintf(buf, len, "exit/entry split: %zu of %zu records failed its check (" AZ_SPLIT_RULE "), left out of the exit and entry rows", bad, n);
	for (gi = 0, k = 0; gi < ds->ngroup && o < len; gi++) {
		const struct az_group *g = &ds->groups[gi];
		size_t f = az_split_failed(g, step);

		if (!f)
			continue;
		az_group_insn_label(ds, g, label, sizeof(label));
		o += (size_t)snprintf(buf + o, len - o, "%s point %s (%s) %zu",
				      k++ ? "," : ":", az_group_point(ds, g),
				      label, f);
	}
	if (none && o < len)
		snprintf(buf + o, len - o, "; %" PRIu64 " record%s without a split (their readings out of order: meta.csv split_bad)",
			 none, none == 1 ? "" : "s");
	return bad + (size_t)none;
}

void az_split_of(const struct az_dataset *ds, const size_t *grp, size_t ngrp,
		 double u, double step, struct az_split *s)
{
	size_t i, k, cap = 1;

	s->n = s->failed = s->none = 0;
	for (i = 0; i < ngrp; i++)
		cap += ds->groups[grp[i]].nsplit;
	s->exit = az_malloc(cap * sizeof(double));
	s->entry = az_malloc(cap * sizeof(double));
	for (i = 0; i < ngrp; i++) {
		const struct az_group *g = &ds->groups[grp[i]];

		if (u == u && g->unroll != u)
			continue;
		s->none += g->split_empty;
		for (k = 0; k < g->nsplit; k++) {
			if (!az_split_ok(&g->split[k], step)) {
				s->failed++;
				continue;
			}
			s->exit[s->n] = g->split[k].exit;
			s->entry[s->n++] = g->split[k].entry;
		}
	}
	az_sort(s->exit, s->n);
	az_sort(s->entry, s->n);
}

void az_split_free(struct az_split *s)
{
	free(s->exit);
	free(s->entry);
	s->exit = s->entry = NULL;
}
