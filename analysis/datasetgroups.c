// SPDX-License-Identifier: GPL-2.0
/* A dataset's groups while samples.csv is read: see datasetgroups.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "datasetgroups.h"
#include "diag.h"

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

const char *az_group_point(const struct az_dataset *ds,
			   const struct az_group *g)
{
	return g->axis[ds->point_col];
}

const char *az_group_pass(const struct az_dataset *ds, char **axis)
{
	return ds->pass_col == AZ_NO_GROUP ? "" : axis[ds->pass_col];
}

static void hash_insert(struct az_dataset *ds, size_t gi)
{
	const struct az_group *g = &ds->groups[gi];
	size_t h = hash_of(az_group_point(ds, g), az_group_pass(ds, g->axis), g->instruction) &
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

		if (!strcmp(az_group_point(ds, g), point) &&
		    !strcmp(az_group_pass(ds, g->axis), pass) &&
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
	       az_group_point(ds, g), g->instruction, ds->col[i], field[i], g->axis[i]);
}

size_t az_group_of(struct az_dataset *ds, char **field, unsigned long line)
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
	gi = hash_find(ds, field[ds->point_col], az_group_pass(ds, field),
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
