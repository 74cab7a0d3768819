// SPDX-License-Identifier: GPL-2.0
/*
 * A dataset after loading (az_dataset_finish): each group's rows in sample
 * order, a sample index twice refused, pairing with the baseline into the
 * net per instruction, and the statistics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dataset.h"
#include "datasetgroups.h"
#include "diag.h"

static const uint32_t *sort_key;

static int by_sample(const void *a, const void *b)
{
	uint32_t x = sort_key[*(const size_t *)a];
	uint32_t y = sort_key[*(const size_t *)b];

	return (x > y) - (x < y);
}

/* Row order by sample index (NULL when already in order). */
static size_t *sample_order(const struct az_group *g)
{
	size_t i, *ord;

	for (i = 1; i < g->n; i++)
		if (g->sample[i] < g->sample[i - 1])
			break;
	if (i >= g->n)
		return NULL;
	ord = az_malloc(g->n * sizeof(size_t));
	for (i = 0; i < g->n; i++)
		ord[i] = i;
	sort_key = g->sample;
	qsort(ord, g->n, sizeof(size_t), by_sample);
	return ord;
}

static void pair(struct az_group *g, const struct az_group *b,
		 const size_t *og, const size_t *ob, size_t m)
{
	size_t i = 0, j = 0, n = 0;
	size_t cap = (g->n < b->n ? g->n : b->n) + 1;
	double *out = az_malloc(cap * sizeof(double));

	if (m == 0) {	/* the TSC: also kept in sample order */
		g->seq = az_malloc(cap * sizeof(double));
		g->seq_sample = az_malloc(cap * sizeof(uint32_t));
		g->nseq = 0;
	}

	while (i < g->n && j < b->n) {
		size_t gi = og ? og[i] : i, bj = ob ? ob[j] : j;
		uint32_t sg = g->sample[gi], sb = b->sample[bj];

		if (sg < sb) {
			i++;
		} else if (sb < sg) {
			j++;
		} else {
			double x = g->val[m][gi], y = b->val[m][bj];

			if (!isnan(x) && !isnan(y))
				out[n++] = (x - y) / g->unroll;
			if (!isnan(x) && !isnan(y) && m == 0) {
				g->seq[g->nseq] = x - y;
				g->seq_sample[g->nseq++] = sg;
			}
			i++;
			j++;
		}
	}
	g->net[m] = out;
	g->nnet[m] = n;
}

static void net_of(struct az_dataset *ds, struct az_group *g)
{
	const struct az_point *p = &ds->points[g->point];
	const struct az_group *b = p->baseline == AZ_NO_GROUP ? NULL :
				   &ds->groups[p->baseline];
	size_t m, *og = NULL, *ob = NULL;
	const char *why = NULL;

	g->net = az_malloc(ds->nmetric * sizeof(double *));
	g->nnet = az_malloc(ds->nmetric * sizeof(size_t));
	g->dnet = az_malloc(ds->nmetric * sizeof(struct dist));
	g->net_reason = az_malloc(ds->nmetric * sizeof(char *));
	if (g->baseline)
		why = "baseline rows: no net estimate";
	else if (!b)
		why = "no baseline (instruction=none) rows in this point";
	else if (isnan(g->unroll))
		why = "no usable unroll axis";
	g->paired = !why;
	if (!why) {
		og = sample_order(g);
		ob = sample_order(b);
	}
	for (m = 0; m < ds->nmetric; m++) {
		g->net[m] = NULL;
		g->nnet[m] = 0;
		g->net_reason[m] = why;
		if (!why) {
			pair(g, b, og, ob, m);
			az_sort(g->net[m], g->nnet[m]);
			if (!g->nnet[m])
				g->net_reason[m] = "no measured sample pairs";
			else if (g->nnet[m] < AZ_MIN_CI_N)
				g->net_reason[m] = "fewer than 6 sample pairs: no 95% CI";
		}
		az_describe(g->net[m], g->nnet[m], &g->dnet[m]);
	}
	free(og);
	free(ob);
}

/* The line of the second row of group g with sample index s. */
static unsigned long dup_line(const struct az_dataset *ds,
			      const struct az_group *g, uint32_t s)
{
	struct csv_reader r;
	unsigned long line = 0;
	int seen = 0;
	char want[16];

	snprintf(want, sizeof(want), "%u", (unsigned)s);
	if (csv_open(&r, ds->path))
		return 0;
	if (csv_next(&r) > 0)
		while (csv_next(&r) > 0) {
			char **f = r.field;

			if (r.nfield != ds->ncol ||
			    strcmp(f[ds->point_col], az_group_point(ds, g)) ||
			    strcmp(az_group_pass(ds, f), az_group_pass(ds, g->axis)) ||
			    strcmp(f[ds->insn_col], g->instruction) ||
			    strtoul(f[ds->sample_col], NULL, 10) != s)
				continue;
			if (seen++) {
				line = r.line;
				break;
			}
		}
	csv_close(&r);
	return line;
}

/* A sample index twice in a group whose rows came out of order. */
static int check_unique(const struct az_dataset *ds, const struct az_group *g)
{
	size_t i, *ord;

	if (!g->unordered)
		return 0;
	ord = sample_order(g);
	for (i = 1; i < g->n; i++)
		if (g->sample[ord ? ord[i] : i] ==
		    g->sample[ord ? ord[i - 1] : i - 1])
			break;
	if (i < g->n) {
		uint32_t s = g->sample[ord ? ord[i] : i];

		free(ord);
		az_err(ds->path, dup_line(ds, g, s),
		       "point %s (%s): sample %u appears twice (a sample index must be unique within a point, pass and instruction)",
		       az_group_point(ds, g), g->instruction, (unsigned)s);
		return -1;
	}
	free(ord);
	return 0;
}

uint64_t az_dataset_point_rows(const struct az_dataset *ds, const char *id)
{
	uint64_t n = 0;
	size_t gi;

	for (gi = 0; gi < ds->ngroup; gi++)
		if (!strcmp(az_group_point(ds, &ds->groups[gi]), id))
			n += ds->groups[gi].rows;
	return n;
}

int az_dataset_finish(struct az_dataset *ds)
{
	size_t gi, m, p, i, k;

	for (gi = 0; gi < ds->ngroup; gi++)
		if (check_unique(ds, &ds->groups[gi]))
			return -1;

	/* Point membership: instruction groups first, the baseline last. */
	for (p = 0; p < ds->npoint; p++) {
		struct az_point *pt = &ds->points[p];

		pt->group = az_malloc((ds->ngroup + 1) * sizeof(size_t));
		for (k = 0; k < 2; k++)
			for (gi = 0; gi < ds->ngroup; gi++)
				if (ds->groups[gi].point == p &&
				    ds->groups[gi].baseline == (int)k) {
					pt->group[pt->ngroup++] = gi;
					if (k)
						pt->baseline = gi;
				}
	}
	for (gi = 0; gi < ds->ngroup; gi++)
		net_of(ds, &ds->groups[gi]);
	for (gi = 0; gi < ds->ngroup; gi++) {
		struct az_group *g = &ds->groups[gi];

		g->nval = az_malloc(ds->nmetric * sizeof(size_t));
		g->missing = az_malloc(ds->nmetric * sizeof(size_t));
		g->d = az_malloc(ds->nmetric * sizeof(struct dist));
		for (m = 0; m < ds->nmetric; m++) {
			double *v = g->val[m];
			size_t n = 0;

			for (i = 0; i < g->n; i++)
				if (!isnan(v[i]))
					v[n++] = v[i];
			g->nval[m] = n;
			g->missing[m] = g->n - n;
			az_sort(v, n);
			az_describe(v, n, &g->d[m]);
		}
		free(g->sample);
		g->sample = NULL;
	}
	return 0;
}

