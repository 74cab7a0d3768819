// SPDX-License-Identifier: GPL-2.0
/* The plots of one run: per point and metric a histogram and a CDF (the
 * baseline overlaid), a box plot per swept axis, an offset x memtype
 * heatmap of the median net cost. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "runplots.h"

/* First line of a plot's .dat: "# points: 3 4 5", the points it shows
   (the report files the plot under the config section holding most). */
void az_plot_points_line(FILE *d, const struct az_dataset *ds,
			 const struct az_group *const *g, size_t n)
{
	size_t i;

	fputs("# points:", d);
	for (i = 0; i < n; i++)
		fprintf(d, " %s", g[i]->axis[ds->point_col]);
	fputc('\n', d);
}

const char *az_plot_ylabel(int net)
{
	return net ? "TSC ticks per instruction (net of baseline)" :
		     "TSC ticks per window";
}

static void point_plots(struct az_plotdir *pd, const struct az_dataset *ds,
			const struct az_reference *r,
			const struct az_point *pt, int *rc)
{
	struct az_series *s = az_malloc(pt->ngroup * sizeof(*s));
	char name[300], sub[700], xl[200], id[100], setup[300];
	size_t m, k, n;

	az_file_part(id, sizeof(id), pt->id);
	az_setup_label(ds, r, &ds->groups[pt->group[0]], setup, sizeof(setup));
	for (m = 0; m < ds->nmetric; m++) {
		const struct az_group *g0 = &ds->groups[pt->group[0]];
		int r;

		for (k = 0; k < pt->ngroup; k++) {
			const struct az_group *g = &ds->groups[pt->group[k]];

			s[k].label = g->baseline ? "baseline (none)" : g->instruction;
			s[k].v = g->val[m];
			s[k].n = g->nval[m];
		}
		snprintf(sub, sizeof(sub), "%s %s (point %s): %s per window of %s instructions (%s)",
			 g0->instruction, setup, pt->id, az_metric_name(ds, m),
			 ds->unroll_col == AZ_NO_GROUP ? "?" : g0->axis[ds->unroll_col],
			 g0->baseline ? "baseline only" : "baseline overlaid");
		snprintf(xl, sizeof(xl), "%s per window (%s)", az_metric_name(ds, m),
			 az_metric_unit(ds, m));
		snprintf(name, sizeof(name), "hist-p%s-%s", id, az_metric_name(ds, m));
		az_file_part(name, sizeof(name), name);
		r = az_plot_hist(pd, name, sub, xl, s, pt->ngroup);
		if (r == 1 && m == 0)
			printf("point %s: no measured samples, no plots\n", pt->id);
		if (r < 0)
			*rc = -1;
		snprintf(name, sizeof(name), "cdf-p%s-%s", id, az_metric_name(ds, m));
		az_file_part(name, sizeof(name), name);
		if (az_plot_cdf(pd, name, sub, xl, s, pt->ngroup) < 0)
			*rc = -1;
	}
	/* the per-pair net value d = (x - baseline) / unroll, the quantity
	   summary.csv's net_per_insn is the median of */
	for (k = n = 0; k < pt->ngroup; k++) {
		const struct az_group *g = &ds->groups[pt->group[k]];

		if (g->baseline || !g->paired || !g->nnet[0])
			continue;
		s[n].label = g->instruction;
		s[n].v = g->net[0];
		s[n].n = g->nnet[0];
		n++;
	}
	if (n) {
		snprintf(sub, sizeof(sub), "%s %s (point %s): per sample pair, (window - baseline window) / unroll",
			 ds->groups[pt->group[0]].instruction, setup, pt->id);
		snprintf(xl, sizeof(xl), "net TSC ticks per instruction (one sample pair)");
		snprintf(name, sizeof(name), "hist-net-p%s", id);
		az_file_part(name, sizeof(name), name);
		if (az_plot_hist(pd, name, sub, xl, s, n) < 0)
			*rc = -1;
		snprintf(name, sizeof(name), "cdf-net-p%s", id);
		az_file_part(name, sizeof(name), name);
		if (az_plot_cdf(pd, name, sub, xl, s, n) < 0)
			*rc = -1;
	}
	free(s);
}

int az_plot_run(const struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	struct az_plotdir pd;
	struct az_box *b;
	char title[600], *dir;
	struct az_reference ref;
	size_t p, a, n, gi;
	int rc = 0, net;

	az_meta_title(&run->meta, title, sizeof(title));
	dir = az_path(run->dir, "plots");
	if (az_plotdir_open(&pd, dir, title, az_meta_emulated(&run->meta))) {
		free(dir);
		return -1;
	}
	free(dir);
	az_reference_find(ds, &ref);
	for (p = 0; p < ds->npoint; p++)
		point_plots(&pd, ds, &ref, &ds->points[p], &rc);
	b = az_malloc((ds->ngroup + 1) * sizeof(*b));
	if (ref.insn) {
		n = az_box_collect(ds, ref.insn, b, &net);
		for (a = 0; a < ds->naxis && n; a++)
			if (az_setup_axis(ds, a) &&
			    az_plot_box_axis(&pd, ds, &ref, a, b, n, net))
				rc = -1;
		if (az_plot_heatmap(&pd, ds, &ref, b, n, net))
			rc = -1;
	}
	if (az_plot_unrolls(&pd, run, &ref))
		rc = -1;
	for (gi = 0; gi < ds->ngroup; gi++) {
		const char *in = ds->groups[gi].instruction;
		size_t gj;

		for (gj = 0; gj < gi; gj++)
			if (!strcmp(ds->groups[gj].instruction, in))
				break;
		if (gj < gi || ds->groups[gi].baseline)
			continue;	/* each instruction once */
		n = az_box_collect(ds, in, b, &net);
		if (az_plot_box_points(&pd, ds, &ref, in, b, n, net))
			rc = -1;
	}
	az_reference_free(&ref);
	free(b);
	printf("%zu plots in %s/plots\n", pd.nplots, run->dir);
	if (az_plotdir_run(&pd))
		rc = -1;
	return rc;
}

int az_cmd_plot(int argc, char **argv)
{
	struct az_run run;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("usage: " AZ_TOOL " plot DIR\n"
		      "\n"
		      "Writes DIR/plots/: for each plot NAME.gp (gnuplot script, edit and\n"
		      "rerun it there), NAME.dat, NAME.png and NAME.svg.  Per point and\n"
		      "metric: hist-pPOINT-METRIC and cdf-pPOINT-METRIC (baseline overlaid),\n"
		      "hist-net-pPOINT and cdf-net-pPOINT (per-pair net value).  Like with\n"
		      "like (one instruction, every other axis at the sweep's reference):\n"
		      "box-AXIS per axis swept around the reference, heatmap-offset-memtype;\n"
		      "box-point-INSN (every point of INSN, by setup); unroll-INSN[-SETUP]\n"
		      "(median window TSC against unroll, least-squares line).  all.gp runs\n"
		      "them all.\n"
		      "Needs gnuplot (Debian: gnuplot-nox).\n", stdout);
		return AZ_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		az_err(NULL, 0, "plot: expected one run directory (see plot --help)");
		return AZ_EXIT_USAGE;
	}
	if (az_run_load(&run, argv[1]))
		return AZ_EXIT_DATA;
	rc = az_plot_run(&run) ? AZ_EXIT_DATA : AZ_EXIT_OK;
	az_run_free(&run);
	return rc;
}
