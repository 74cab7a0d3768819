// SPDX-License-Identifier: GPL-2.0
/* samples.csv into per-group arrays; pairing with the baseline; statistics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dataset.h"
#include "diag.h"

static size_t find_col(const struct az_dataset *ds, const char *name)
{
	size_t i;

	for (i = 0; i < ds->ncol; i++)
		if (!strcmp(ds->col[i], name))
			return i;
	return AZ_NO_GROUP;
}

static int header(struct az_dataset *ds, struct csv_reader *r)
{
	static const char *const need[] = { "point", "instruction", "sample",
					    "tsc", "check" };
	size_t i;

	ds->ncol = r->nfield;
	ds->col = az_malloc(ds->ncol * sizeof(char *));
	for (i = 0; i < ds->ncol; i++)
		ds->col[i] = az_strdup(r->field[i]);
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (find_col(ds, need[i]) == AZ_NO_GROUP) {
			az_err(ds->path, r->line, "no column \"%s\" in the header",
			       need[i]);
			return -1;
		}
	ds->sample_col = find_col(ds, "sample");
	ds->check_col = find_col(ds, "check");
	ds->point_col = find_col(ds, "point");
	ds->insn_col = find_col(ds, "instruction");
	ds->cpu_col = find_col(ds, "cpu");
	ds->unroll_col = find_col(ds, "unroll");
	ds->pass_col = find_col(ds, "pass");
	ds->mode_col = find_col(ds, "mode");
	ds->naxis = ds->sample_col;
	if (ds->pass_col != AZ_NO_GROUP && ds->pass_col > ds->sample_col)
		ds->pass_col = AZ_NO_GROUP;
	if (ds->point_col > ds->sample_col || ds->insn_col > ds->sample_col ||
	    find_col(ds, "tsc") < ds->sample_col ||
	    ds->check_col < ds->sample_col) {
		az_err(ds->path, r->line,
		       "point and instruction must come before sample, tsc and check after it");
		return -1;
	}
	if (ds->unroll_col != AZ_NO_GROUP && ds->unroll_col > ds->sample_col)
		ds->unroll_col = AZ_NO_GROUP;
	ds->metric_col = az_malloc(ds->ncol * sizeof(size_t));
	ds->flag_col = az_malloc(ds->ncol * sizeof(size_t));
	/* tsc is metric 0 wherever it sits. */
	ds->metric_col[ds->nmetric++] = find_col(ds, "tsc");
	for (i = ds->sample_col + 1; i < ds->ncol; i++) {
		if (i == ds->check_col || !strcmp(ds->col[i], "tsc"))
			continue;
		if (!strncmp(ds->col[i], "flag_", 5))
			ds->flag_col[ds->nflag++] = i;
		else
			ds->metric_col[ds->nmetric++] = i;
	}
	ds->hash_cap = 64;
	ds->hash = az_malloc(ds->hash_cap * sizeof(size_t));
	memset(ds->hash, 0xff, ds->hash_cap * sizeof(size_t));
	for (i = 0; i < 4; i++)
		ds->mru[i] = AZ_NO_GROUP;
	return 0;
}

static size_t hash_str(size_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull;
}

/* A group is one instruction's rows of one pass of one point. */
static size_t hash_of(const char *point, const char *pass, const char *insn)
{
	return hash_str(hash_str(hash_str(1469598103934665603ull, point), pass),
			insn);
}

static const char *gpoint(const struct az_dataset *ds, const struct az_group *g)
{
	return g->axis[ds->point_col];
}

static const char *pass_of(const struct az_dataset *ds, char **axis)
{
	return ds->pass_col == AZ_NO_GROUP ? "" : axis[ds->pass_col];
}

static void hash_insert(struct az_dataset *ds, size_t gi)
{
	const struct az_group *g = &ds->groups[gi];
	size_t h = hash_of(gpoint(ds, g), pass_of(ds, g->axis), g->instruction) &
		   (ds->hash_cap - 1);

	while (ds->hash[h] != AZ_NO_GROUP)
		h = (h + 1) & (ds->hash_cap - 1);
	ds->hash[h] = gi;
}

static size_t hash_find(const struct az_dataset *ds, const char *point,
			const char *pass, const char *insn)
{
	size_t h = hash_of(point, pass, insn) & (ds->hash_cap - 1), gi;

	while ((gi = ds->hash[h]) != AZ_NO_GROUP) {
		const struct az_group *g = &ds->groups[gi];

		if (!strcmp(gpoint(ds, g), point) &&
		    !strcmp(pass_of(ds, g->axis), pass) &&
		    !strcmp(g->instruction, insn))
			return gi;
		h = (h + 1) & (ds->hash_cap - 1);
	}
	return AZ_NO_GROUP;
}

static size_t find_point(struct az_dataset *ds, const char *id)
{
	size_t i;

	/* Points are few next to rows, and a new group is rare. */
	for (i = ds->npoint; i-- > 0;)
		if (!strcmp(ds->points[i].id, id))
			return i;
	ds->points = az_realloc(ds->points, (ds->npoint + 1) *
				sizeof(*ds->points));
	memset(&ds->points[ds->npoint], 0, sizeof(*ds->points));
	ds->points[ds->npoint].id = az_strdup(id);
	ds->points[ds->npoint].baseline = AZ_NO_GROUP;
	return ds->npoint++;
}

static size_t new_group(struct az_dataset *ds, char **field, size_t span)
{
	struct az_group *g;
	size_t gi = ds->ngroup, i;
	char *e;

	ds->groups = az_realloc(ds->groups, (gi + 1) * sizeof(*ds->groups));
	g = &ds->groups[gi];
	memset(g, 0, sizeof(*g));
	g->axes = az_malloc(span);
	memcpy(g->axes, field[0], span);
	g->axes_len = span;
	g->axis = az_malloc(ds->naxis * sizeof(char *));
	for (i = 0; i < ds->naxis; i++)
		g->axis[i] = g->axes + (field[i] - field[0]);
	g->instruction = g->axis[ds->insn_col];
	g->baseline = !strcmp(g->instruction, "none");
	g->unroll = NAN;
	if (ds->unroll_col != AZ_NO_GROUP) {
		double u = strtod(g->axis[ds->unroll_col], &e);

		if (!*e && u >= 1)
			g->unroll = u;
	}
	g->val = az_malloc(ds->nmetric * sizeof(double *));
	for (i = 0; i < ds->nmetric; i++)
		g->val[i] = NULL;
	if (ds->pass_col == AZ_NO_GROUP || !strcmp(g->axis[ds->pass_col], "0")) {
		g->point = find_point(ds, g->axis[ds->point_col]);
	} else {	/* a later pass of a point: its own point, "3/p1" */
		char id[160];

		snprintf(id, sizeof(id), "%s/p%s", g->axis[ds->point_col],
			 g->axis[ds->pass_col]);
		g->point = find_point(ds, id);
	}
	if ((ds->ngroup + 1) * 2 > ds->hash_cap) {
		ds->hash_cap *= 2;
		ds->hash = az_realloc(ds->hash, ds->hash_cap * sizeof(size_t));
		memset(ds->hash, 0xff, ds->hash_cap * sizeof(size_t));
		ds->ngroup++;
		for (i = 0; i < ds->ngroup; i++)
			hash_insert(ds, i);
	} else {
		ds->ngroup++;
		hash_insert(ds, gi);
	}
	return gi;
}

/* Name the first axis in which the row differs from its group. */
static void axis_conflict(const struct az_dataset *ds, unsigned long line,
			  const struct az_group *g, char **field)
{
	size_t i;

	for (i = 0; i < ds->naxis; i++)
		if (strcmp(g->axis[i], field[i]))
			break;
	if (i == ds->naxis)
		i = 0;
	az_err(ds->path, line,
	       "point %s (%s): column %s is \"%s\" here but \"%s\" in the point's first row",
	       gpoint(ds, g), g->instruction, ds->col[i], field[i], g->axis[i]);
}

static size_t group_of(struct az_dataset *ds, char **field, unsigned long line)
{
	size_t span = (size_t)(field[ds->sample_col] - field[0]);
	size_t i, gi;

	for (i = 0; i < 4; i++) {
		gi = ds->mru[i];
		if (gi == AZ_NO_GROUP)
			break;
		if (ds->groups[gi].axes_len == span &&
		    !memcmp(ds->groups[gi].axes, field[0], span))
			goto hit;
	}
	gi = hash_find(ds, field[ds->point_col], pass_of(ds, field),
		       field[ds->insn_col]);
	if (gi == AZ_NO_GROUP)
		gi = new_group(ds, field, span);
	else if (ds->groups[gi].axes_len != span ||
		 memcmp(ds->groups[gi].axes, field[0], span)) {
		axis_conflict(ds, line, &ds->groups[gi], field);
		return AZ_NO_GROUP;
	}
	i = 3;
hit:
	for (; i > 0; i--)
		ds->mru[i] = ds->mru[i - 1];
	ds->mru[0] = gi;
	return gi;
}

static void grow(struct az_dataset *ds, struct az_group *g)
{
	size_t m;

	g->cap = g->cap ? g->cap * 2 : 1024;
	g->sample = az_realloc(g->sample, g->cap * sizeof(*g->sample));
	for (m = 0; m < ds->nmetric; m++)
		g->val[m] = az_realloc(g->val[m], g->cap * sizeof(double));
}

static int row(struct az_dataset *ds, struct csv_reader *r)
{
	char **f = r->field;
	const char *chk = f[ds->check_col];
	struct az_group *g;
	size_t gi, m, i;
	uint32_t sample;
	double v;

	if (r->nfield != ds->ncol) {
		az_err(ds->path, r->line, "%zu fields, the header has %zu",
		       r->nfield, ds->ncol);
		return -1;
	}
	gi = group_of(ds, f, r->line);
	if (gi == AZ_NO_GROUP)
		return -1;
	g = &ds->groups[gi];
	if (csv_number(f[ds->sample_col], &v) || v < 0 || v != floor(v) ||
	    v > UINT32_MAX) {
		az_err(ds->path, r->line, "sample is \"%s\", not a sample index",
		       f[ds->sample_col]);
		return -1;
	}
	/* rows come in sample order: a repeat of the last index is caught
	   here, one out of order after loading (az_dataset_finish) */
	if (g->rows && (uint32_t)v <= g->last) {
		if ((uint32_t)v == g->last) {
			az_err(ds->path, r->line,
			       "point %s (%s): sample %s appears twice (a sample index must be unique within a point, pass and instruction)",
			       gpoint(ds, g), g->instruction, f[ds->sample_col]);
			return -1;
		}
		g->unordered = 1;
	}
	g->last = (uint32_t)v;
	sample = (uint32_t)v;
	g->rows++;
	ds->rows++;
	ds->last_line = r->line;
	if (strcmp(chk, "ok")) {
		if (strcmp(chk, "mismatch")) {
			az_err(ds->path, r->line,
			       "check is \"%s\", not ok or mismatch", chk);
			return -1;
		}
		g->mismatches++;
		return 0;
	}
	for (i = 0; i < ds->nflag; i++) {
		const char *fl = f[ds->flag_col[i]];

		if (!strcmp(fl, "1")) {
			g->flagged++;
			return 0;
		}
		if (strcmp(fl, "0") && *fl) {
			az_err(ds->path, r->line, "%s is \"%s\", not 0 or 1",
			       ds->col[ds->flag_col[i]], fl);
			return -1;
		}
	}
	if (g->n == g->cap)
		grow(ds, g);
	g->sample[g->n] = sample;
	for (m = 0; m < ds->nmetric; m++) {
		const char *s = f[ds->metric_col[m]];
		int rc = csv_number(s, &v);

		if (rc < 0) {
			az_err(ds->path, r->line, "%s is \"%s\", not a number",
			       ds->col[ds->metric_col[m]], s);
			return -1;
		}
		if (m == 0 && !rc && v < 0) {
			az_err(ds->path, r->line,
			       "tsc is %s: a window cannot take negative TSC ticks",
			       s);
			return -1;
		}
		g->val[m][g->n] = rc ? NAN : v;
	}
	g->n++;
	return 0;
}

int az_dataset_load(struct az_dataset *ds, const char *path)
{
	struct csv_reader r;
	int rc;

	memset(ds, 0, sizeof(*ds));
	ds->path = path;
	ds->last_line = 1;
	if (csv_open(&r, path))
		return -1;
	rc = csv_next(&r);
	if (rc == 0)
		az_err(path, 1, "empty file: no header");
	if (rc <= 0 || header(ds, &r)) {
		csv_close(&r);
		return -1;
	}
	while ((rc = csv_next(&r)) > 0)
		if (row(ds, &r)) {
			rc = -1;
			break;
		}
	csv_close(&r);
	return rc;
}

/* ---- after loading ---- */

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
			    strcmp(f[ds->point_col], gpoint(ds, g)) ||
			    strcmp(pass_of(ds, f), pass_of(ds, g->axis)) ||
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
		       gpoint(ds, g), g->instruction, (unsigned)s);
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
		if (!strcmp(gpoint(ds, &ds->groups[gi]), id))
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

void az_dataset_free(struct az_dataset *ds)
{
	size_t i, m;

	for (i = 0; i < ds->ngroup; i++) {
		struct az_group *g = &ds->groups[i];

		for (m = 0; m < ds->nmetric; m++) {
			free(g->val[m]);
			if (g->net)
				free(g->net[m]);
		}
		free(g->val);
		free(g->net);
		free(g->nnet);
		free(g->dnet);
		free(g->net_reason);
		free(g->seq);
		free(g->seq_sample);
		free(g->nval);
		free(g->missing);
		free(g->d);
		free(g->sample);
		free(g->axes);
		free(g->axis);
	}
	for (i = 0; i < ds->npoint; i++) {
		free(ds->points[i].id);
		free(ds->points[i].group);
	}
	for (i = 0; i < ds->ncol; i++)
		free(ds->col[i]);
	free(ds->col);
	free(ds->groups);
	free(ds->points);
	free(ds->metric_col);
	free(ds->flag_col);
	free(ds->hash);
	memset(ds, 0, sizeof(*ds));
}

const char *az_metric_name(const struct az_dataset *ds, size_t m)
{
	return ds->col[ds->metric_col[m]];
}

const char *az_metric_unit(const struct az_dataset *ds, size_t m)
{
	(void)ds;
	return m == 0 ? "TSC ticks" : "events";
}

char *az_group_key(const struct az_dataset *ds, const struct az_group *g)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < ds->naxis; i++)
		len += strlen(ds->col[i]) + strlen(g->axis[i]) + 2;
	s = az_malloc(len);
	s[0] = '\0';
	for (i = 0; i < ds->naxis; i++) {
		if (i == ds->point_col || i == ds->cpu_col)
			continue;
		/* a run from before the mode axis measured in mode root */
		if (i == ds->mode_col && !strcmp(g->axis[i], "root"))
			continue;
		if (s[0])
			strcat(s, " ");
		strcat(s, ds->col[i]);
		strcat(s, "=");
		strcat(s, g->axis[i]);
	}
	return s;
}
