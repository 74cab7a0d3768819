// SPDX-License-Identifier: GPL-2.0
/* The core clock of a headline row: see clock.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "csv.h"
#include "diag.h"

size_t az_clock_metric(const struct az_dataset *ds)
{
	size_t m;

	for (m = 1; m < ds->nmetric; m++)
		if (!strcmp(az_metric_name(ds, m), "cycles") ||
		    !strcmp(az_metric_name(ds, m), "cpu-cycles"))
			return m;
	return AZ_NO_GROUP;
}

/* Mean APERF/MPERF ratio of windows.csv's windows of the groups' points;
   NaN when none is known. */
static double freq_ratio(const struct az_run *run, const size_t *grp,
			 size_t ngrp)
{
	char *path = az_path(run->dir, "windows.csv");
	struct csv_reader r;
	size_t pc = AZ_NO_GROUP, fc = AZ_NO_GROUP, i;
	double s = 0, v;
	size_t c = 0;
	FILE *t = fopen(path, "r");

	if (!t) {
		free(path);
		return NAN;
	}
	fclose(t);
	if (csv_open(&r, path)) {
		free(path);
		return NAN;
	}
	if (csv_next(&r) == 1)
		for (i = 0; i < r.nfield; i++) {
			if (!strcmp(r.field[i], "point"))
				pc = i;
			if (!strcmp(r.field[i], "freq_ratio"))
				fc = i;
		}
	while (pc != AZ_NO_GROUP && fc != AZ_NO_GROUP && csv_next(&r) == 1) {
		if (r.nfield <= fc || r.nfield <= pc ||
		    csv_number(r.field[fc], &v) || !(v > 0))
			continue;
		for (i = 0; i < ngrp; i++)
			if (!strcmp(run->ds.groups[grp[i]].axis[run->ds.point_col],
				    r.field[pc]))
				break;
		if (i < ngrp) {
			s += v;
			c++;
		}
	}
	csv_close(&r);
	free(path);
	return c ? s / (double)c : NAN;
}

void az_clock_of(const struct az_run *run, const size_t *grp, size_t ngrp,
		 size_t cyc_m, const double add[3], struct az_clock *c)
{
	const struct az_dataset *ds = &run->ds;
	double r, s = 0, t = 0;
	size_t i;

	c->per_tick = c->lo = c->hi = NAN;
	c->source = "";
	if (cyc_m != AZ_NO_GROUP) {
		for (i = 0; i < ngrp; i++) {
			const struct az_group *g = &ds->groups[grp[i]];

			if (g->d[cyc_m].n && g->d[0].n) {
				s += g->d[cyc_m].mean;
				t += g->d[0].mean;
			}
		}
		if (t > 0) {
			c->per_tick = c->lo = c->hi = s / t;
			c->source = "cycles event";
			return;
		}
	}
	r = freq_ratio(run, grp, ngrp);
	if (r == r) {
		c->per_tick = c->lo = c->hi = r;
		c->source = "APERF/MPERF";
		return;
	}
	if (add[0] > 0) {
		c->per_tick = 1 / add[0];
		c->lo = add[2] > 0 ? 1 / add[2] : NAN;
		c->hi = add[1] > 0 ? 1 / add[1] : NAN;
		c->source = "add chain";
	}
}
