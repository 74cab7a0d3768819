// SPDX-License-Identifier: GPL-2.0
/*
 * samples.csv into per-group arrays (the groups: datasetgroups.c; pairing
 * with the baseline and statistics: datasetfinish.c); a dataset freed and
 * described.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dataset.h"
#include "datasetgroups.h"
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
	ds->exit_col = find_col(ds, "exit_ticks");
	ds->entry_col = find_col(ds, "entry_ticks");
	if ((ds->exit_col == AZ_NO_GROUP) != (ds->entry_col == AZ_NO_GROUP) ||
	    (ds->exit_col != AZ_NO_GROUP && (ds->exit_col < ds->sample_col ||
					     ds->entry_col < ds->sample_col))) {
		az_err(ds->path, r->line,
		       "exit_ticks and entry_ticks come together, after sample");
		return -1;
	}
	ds->metric_col = az_malloc(ds->ncol * sizeof(size_t));
	ds->flag_col = az_malloc(ds->ncol * sizeof(size_t));
	/* tsc is metric 0 wherever it sits. */
	ds->metric_col[ds->nmetric++] = find_col(ds, "tsc");
	for (i = ds->sample_col + 1; i < ds->ncol; i++) {
		if (i == ds->check_col || !strcmp(ds->col[i], "tsc") ||
		    i == ds->exit_col || i == ds->entry_col)
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

static void grow(struct az_dataset *ds, struct az_group *g)
{
	size_t m;

	g->cap = g->cap ? g->cap * 2 : 1024;
	g->sample = az_realloc(g->sample, g->cap * sizeof(*g->sample));
	for (m = 0; m < ds->nmetric; m++)
		g->val[m] = az_realloc(g->val[m], g->cap * sizeof(double));
}

/* A kept row's exit_ticks and entry_ticks, beside its tsc; 0 or -1. */
static int split_row(struct az_dataset *ds, struct az_group *g,
		     struct csv_reader *r)
{
	const size_t col[2] = { ds->exit_col, ds->entry_col };
	double v[2];
	size_t k;
	int empty = 0;

	if (ds->exit_col == AZ_NO_GROUP)
		return 0;
	for (k = 0; k < 2; k++) {
		int rc = csv_number(r->field[col[k]], &v[k]);

		if (rc < 0) {
			az_err(ds->path, r->line, "%s is \"%s\", not a number",
			       ds->col[col[k]], r->field[col[k]]);
			return -1;
		}
		if (rc) {
			v[k] = NAN;
			empty++;
		}
	}
	if (empty == 2) {
		g->split_empty++;
		return 0;
	}
	if (g->nsplit == g->split_cap) {
		g->split_cap = g->split_cap ? 2 * g->split_cap : 256;
		g->split = az_realloc(g->split, g->split_cap * sizeof(*g->split));
	}
	g->split[g->nsplit].exit = v[0];
	g->split[g->nsplit].entry = v[1];
	g->split[g->nsplit++].tsc = g->val[0][g->n];
	return 0;
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
	gi = az_group_of(ds, f, r->line);
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
			       az_group_point(ds, g), g->instruction, f[ds->sample_col]);
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
	if (split_row(ds, g, r))
		return -1;
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
		free(g->split);
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
		/* an empty axis (no variant) is what a run without it had */
		if (!*g->axis[i])
			continue;
		if (s[0])
			strcat(s, " ");
		strcat(s, ds->col[i]);
		strcat(s, "=");
		strcat(s, g->axis[i]);
	}
	return s;
}
