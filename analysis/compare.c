// SPDX-License-Identifier: GPL-2.0
/*
 * compare DIR_A DIR_B: B against A, point by point, matched by axis values.
 * Compared per point: the net cost per instruction (TSC, sample pairs), or
 * the TSC per window of a baseline-only point.  Difference = B - A.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compare.h"
#include "compareconf.h"
#include "comparecyc.h"
#include "diag.h"
#include "plot.h"

static void cdf_plot(struct az_plotdir *pd, const struct az_cmp_unit *ua,
		     const struct az_cmp_unit *ub, const struct az_run *a,
		     const struct az_run *b, int *rc)
{
	struct az_series s[2];
	char name[300], la[200], lb[200], id[200];

	snprintf(la, sizeof(la), "A: microcode %s, point %s",
		 az_meta_get(&a->meta, "microcode"), ua->g->axis[a->ds.point_col]);
	snprintf(lb, sizeof(lb), "B: microcode %s, point %s",
		 az_meta_get(&b->meta, "microcode"), ub->g->axis[b->ds.point_col]);
	s[0] = (struct az_series){ la, ua->v, ua->d->n };
	s[1] = (struct az_series){ lb, ub->v, ub->d->n };
	snprintf(id, sizeof(id), "cdf-a%s-b%s", ua->g->axis[a->ds.point_col],
		 ub->g->axis[b->ds.point_col]);
	az_file_part(name, sizeof(name), id);
	if (az_plot_cdf(pd, name, ua->key, ua->net ?
			"TSC ticks per instruction (net of baseline)" :
			"TSC ticks per window", s, 2) < 0)
		*rc = -1;
}

/* 0, 1 when --fail-on matched, -1 on error (reported). */
static int compare(const struct az_cmp_opts *o, const struct az_run *a,
		   const struct az_run *b, const struct az_conf *ca,
		   const struct az_conf *cb, const char *out)
{
	struct az_cmp_unit *ua, *ub;
	struct az_plotdir pd;
	struct az_cmp_setup su;
	struct az_cmp_tally t = { 0, 0, 0, 0, 0, 0 };
	struct az_cyc_tally ct;
	struct az_cmp_warn w;
	size_t na, nb, i, j, *match;
	char title[1400], ta[600], tb[600], *path, *pdir;
	char changed_names[512];
	FILE *f;
	int rc = 0, changed;

	ua = az_cmp_units(&a->ds, &na);
	ub = az_cmp_units(&b->ds, &nb);
	match = az_malloc((na + 1) * sizeof(size_t));
	if (!az_cmp_match(ua, na, ub, nb, match)) {
		az_err(b->samples_path, 0, "no point in common with %s (points match by every axis but point and cpu): nothing to compare", a->samples_path);
		rc = -1;
		goto out_units;
	}
	if (az_mkdir(out) || az_cmp_meta_diff(a, b, out)) {
		rc = -1;
		goto out_units;
	}
	az_cmp_warnings(a, b, &w);
	path = az_path(out, "compare.csv");
	f = fopen(path, "wb");
	if (!f) {
		az_syserr(path, "cannot create");
		free(path);
		rc = -1;
		goto out_units;
	}
	az_meta_title(&a->meta, ta, sizeof(ta));
	az_meta_title(&b->meta, tb, sizeof(tb));
	snprintf(title, sizeof(title), "%sA: %s\nB: %s",
		 az_meta_emulated(&a->meta) || az_meta_emulated(&b->meta) ?
		 "EMULATED: these verdicts say nothing about a CPU\n" : "",
		 ta, tb);
	pdir = az_path(out, "plots");
	if (az_plotdir_open(&pd, pdir, title, az_meta_emulated(&a->meta) ||
			    az_meta_emulated(&b->meta))) {
		fclose(f);
		free(path);
		free(pdir);
		rc = -1;
		goto out_units;
	}
	az_cmp_setup_of(&su, &a->ds, &b->ds, ua, na, ub, nb);
	az_cmp_csv_head(f, &su);
	az_cmp_table_head(&su);
	for (i = 0; i < na; i++) {
		j = match[i];
		az_cmp_row(f, o, a, b, &su, &w, &ua[i], j == AZ_NO_GROUP ? NULL : &ub[j], &t);
		if (j != AZ_NO_GROUP)
			cdf_plot(&pd, &ua[i], &ub[j], a, b, &rc);
	}
	for (j = 0; j < nb; j++)
		if (!ub[j].used)
			az_cmp_row(f, o, a, b, &su, &w, NULL, &ub[j], &t);
	az_cmp_setup_free(&su);
	if (fclose(f)) {
		az_syserr(path, "write error");
		rc = -1;
	}
	changed = az_conf_compare(ca, cb, out, changed_names, sizeof(changed_names));
	if (changed < 0)
		rc = -1;
	if ((o->fail_on & AZ_FAIL_BEHAVIOUR) && (!ca->present || !cb->present))
		az_warn(NULL, 0, "compare --fail-on %s: run %s has no conformance table (recorded from ABI 9 on): behaviour not gated", o->fail_on_arg, !ca->present ? "A" : "B");
	if (az_plotdir_run(&pd))
		rc = -1;
	if (!rc)
		printf("wrote %s, meta-diff.csv and plots/ (verdict threshold %g%% of A's median, alpha %g)\n",
		       path, o->threshold_pct, o->alpha);
	if (w.csv[0])
		printf("WARNING: %s\n", w.csv);
	if (az_compare_cycles(a, b, out, o->threshold_pct, &ct))
		rc = -1;
	printf("cycles per instruction (compare-cycles.csv; each run's interval carries its calibration's movement): faster %zu, slower %zu, same %zu, no cycles %zu\n",
	       ct.faster, ct.slower, ct.same, ct.none);
	if (t.none)
		printf("no verdict (too few samples): %zu\n", t.none);
	printf("faster %zu, slower %zu, same %zu, only-A %zu, only-B %zu\n",
	       t.faster, t.slower, t.same, t.only_a, t.only_b);
	free(path);
	free(pdir);
	if (!rc && az_cmp_gate(o, &t, changed, changed_names))
		rc = 1;
out_units:
	free(match);
	az_cmp_units_free(ua, na);
	az_cmp_units_free(ub, nb);
	return rc;
}

int az_cmd_compare(int argc, char **argv)
{
	struct az_conf ca, cb;
	struct az_run a, b;
	struct az_cmp_opts o;
	char *out;
	int rc = az_cmp_parse(argc, argv, &o);

	if (rc > 0)
		return az_cmp_usage(stdout, AZ_EXIT_OK);
	if (rc < 0)
		return AZ_EXIT_USAGE;
	if (az_run_load(&a, o.a))
		return AZ_EXIT_DATA;
	if (az_run_load(&b, o.b)) {
		az_run_free(&a);
		return AZ_EXIT_DATA;
	}
	if (az_conf_load(&ca, o.a) || az_conf_load(&cb, o.b)) {
		az_conf_free(&ca);
		az_run_free(&a);
		az_run_free(&b);
		return AZ_EXIT_DATA;
	}
	out = o.out ? az_strdup(o.out) : az_path(o.b, "compare");
	rc = compare(&o, &a, &b, &ca, &cb, out);
	rc = rc < 0 ? AZ_EXIT_DATA : rc > 0 ? AZ_EXIT_GATE : AZ_EXIT_OK;
	free(out);
	az_conf_free(&ca);
	az_conf_free(&cb);
	az_run_free(&a);
	az_run_free(&b);
	return rc;
}
