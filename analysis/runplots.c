// SPDX-License-Identifier: GPL-2.0
/* The plots of one run: per point and metric a histogram and a CDF (the
 * baseline overlaid), a box plot per swept axis, an offset x memtype
 * heatmap of the median net cost. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "plot.h"

/* The distribution a box stands for: net per instruction of the TSC. */
struct box {
	const struct az_group *g;
	const struct dist *d;
	const char *value;	/* of the axis being plotted */
};

static int num_or_str_cmp(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);

	if (!*ea && !*eb && ea != a && eb != b)
		return (x > y) - (x < y);
	return strcmp(a, b);
}

static int box_cmp(const void *pa, const void *pb)
{
	const struct box *a = pa, *b = pb;

	return num_or_str_cmp(a->value, b->value);
}

static void point_plots(struct az_plotdir *pd, const struct az_dataset *ds,
			const struct az_point *pt, int *rc)
{
	struct az_series *s = az_malloc(pt->ngroup * sizeof(*s));
	char name[300], sub[300], xl[200], id[100];
	size_t m, k;

	az_file_part(id, sizeof(id), pt->id);
	for (m = 0; m < ds->nmetric; m++) {
		const struct az_group *g0 = &ds->groups[pt->group[0]];
		int r;

		for (k = 0; k < pt->ngroup; k++) {
			const struct az_group *g = &ds->groups[pt->group[k]];

			s[k].label = g->baseline ? "baseline (none)" : g->instruction;
			s[k].v = g->val[m];
			s[k].n = g->nval[m];
		}
		snprintf(sub, sizeof(sub), "point %s: %s per window of %s instructions (%s)",
			 pt->id, az_metric_name(ds, m),
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
	free(s);
}

/* The boxes: instruction groups with a net estimate, or else baselines. */
static size_t collect(const struct az_dataset *ds, struct box *b, int *net)
{
	size_t gi, n = 0;

	*net = 0;
	for (gi = 0; gi < ds->ngroup; gi++)
		if (!ds->groups[gi].baseline && ds->groups[gi].dnet[0].n)
			*net = 1;
	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];
		const struct dist *d = *net ? &g->dnet[0] : &g->d[0];

		if ((*net && g->baseline) || !d->n)
			continue;
		b[n].g = g;
		b[n].d = d;
		n++;
	}
	return n;
}

/* Do boxes i and j agree on every axis but @axis (and the point number)? */
static int same_but(const struct az_dataset *ds, const struct box *b,
		    size_t i, size_t j, size_t axis)
{
	size_t k;

	for (k = 0; k < ds->naxis; k++)
		if (k != axis && k != ds->point_col &&
		    strcmp(b[i].g->axis[k], b[j].g->axis[k]))
			return 0;
	return 1;
}

/*
 * Across an axis, compare like with like: keep the largest set of boxes
 * that differ in this axis alone (the sweep group that varies it), so a
 * box is never a point that also differs in something else.  Returns the
 * number kept, moved to the front of b[].
 */
static size_t like_with_like(const struct az_dataset *ds, struct box *b,
			     size_t n, size_t axis)
{
	size_t i, j, best = 0, best_n = 0, kept = 0;
	struct box t;

	for (i = 0; i < n; i++) {
		size_t c = 0;

		for (j = 0; j < n; j++)
			c += same_but(ds, b, i, j, axis);
		if (c > best_n) {
			best_n = c;
			best = i;
		}
	}
	for (j = 0; j < n; j++) {
		if (same_but(ds, b, best, j, axis) && j != best) {
			t = b[kept];
			b[kept] = b[j];
			b[j] = t;
			if (best == kept)
				best = j;
			kept++;
		}
	}
	t = b[kept];
	b[kept] = b[best];
	b[best] = t;
	return kept + 1;
}

static int box_plot(struct az_plotdir *pd, const struct az_dataset *ds,
		    size_t axis, struct box *b, size_t n, int net)
{
	char name[200], sub[300], plot[600];
	const char *scope = "";
	size_t i, j, kept;
	FILE *d, *f;

	if (axis != ds->point_col && n) {
		/* like with like where the run has it; else every box, said so */
		kept = like_with_like(ds, b, n, axis);
		for (i = 1; i < kept; i++)
			if (strcmp(b[i].g->axis[axis], b[0].g->axis[axis]))
				break;
		if (i < kept) {
			n = kept;
			scope = " (all else equal)";
		} else {
			scope = " (points differ in other axes too)";
		}
	}
	for (i = 0; i < n; i++)
		b[i].value = b[i].g->axis[axis];
	if (axis != ds->point_col) {
		for (i = 1; i < n; i++)
			if (strcmp(b[i].value, b[0].value))
				break;
		if (i >= n)
			return 0;	/* not swept */
	}
	qsort(b, n, sizeof(*b), box_cmp);
	snprintf(name, sizeof(name), "box-%s", ds->col[axis]);
	az_file_part(name, sizeof(name), name);
	d = az_plot_open(pd, name, "dat");
	if (!d)
		return -1;
	fputs("# x, p05, p25, median, p75, p95, label\n", d);
	for (i = 0; i < n; i++) {
		int shared = 0;

		for (j = 0; j < n; j++)
			if (j != i && !strcmp(b[j].value, b[i].value))
				shared = 1;
		fprintf(d, "%zu %.17g %.17g %.17g %.17g %.17g \"%s%s%s%s\"\n", i,
			b[i].d->p05, b[i].d->p25, b[i].d->median, b[i].d->p75,
			b[i].d->p95, b[i].value, shared ? " (p" : "",
			shared ? b[i].g->axis[ds->point_col] : "",
			shared ? ")" : "");
	}
	fclose(d);
	snprintf(sub, sizeof(sub), "%s across %s%s: box p25..p75, line median, whiskers p05..p95",
		 net ? "net cost per instruction" : "baseline window", ds->col[axis],
		 scope);
	f = az_plot_script(pd, name, sub);
	if (!f)
		return -1;
	fprintf(f, "set xlabel \"%s\"\nset ylabel \"%s\"\n"
		"set xrange [-0.6:%zu.6]\nset boxwidth 0.5\nset style fill solid 0.3\n"
		"set xtics rotate by -30\n",
		ds->col[axis], net ? "TSC ticks per instruction (net of baseline)" :
				     "TSC ticks per window", n - 1);
	snprintf(plot, sizeof(plot),
		 "plot '%s.dat' using 1:3:2:6:5:xtic(7) with candlesticks whiskerbars lw 1.5 notitle, \\\n"
		 "     '' using 1:4:4:4:4 with candlesticks lt -1 lw 2 notitle", name);
	return az_plot_finish(pd, f, name, plot);
}

static int heatmap(struct az_plotdir *pd, const struct az_dataset *ds,
		   struct box *b, size_t n, int net)
{
	size_t off = AZ_NO_GROUP, mt = AZ_NO_GROUP, i, j, nx = 0, ny = 0;
	const char **xs, **ys;
	char sub[300];
	FILE *d, *f;

	for (i = 0; i < ds->naxis; i++) {
		if (!strcmp(ds->col[i], "offset"))
			off = i;
		if (!strcmp(ds->col[i], "memtype"))
			mt = i;
	}
	if (off == AZ_NO_GROUP || mt == AZ_NO_GROUP || !n)
		return 0;
	xs = az_malloc(n * sizeof(char *));
	ys = az_malloc(n * sizeof(char *));
	for (i = 0; i < n; i++) {
		for (j = 0; j < nx && strcmp(xs[j], b[i].g->axis[off]); j++)
			;
		if (j == nx)
			xs[nx++] = b[i].g->axis[off];
		for (j = 0; j < ny && strcmp(ys[j], b[i].g->axis[mt]); j++)
			;
		if (j == ny)
			ys[ny++] = b[i].g->axis[mt];
	}
	/* sort the offsets numerically, memtypes by name */
	for (i = 1; i < nx; i++)
		for (j = i; j > 0 && num_or_str_cmp(xs[j - 1], xs[j]) > 0; j--) {
			const char *t = xs[j];

			xs[j] = xs[j - 1];
			xs[j - 1] = t;
		}
	d = az_plot_open(pd, "heatmap-offset-memtype", "dat");
	if (!d) {
		free(xs);
		free(ys);
		return -1;
	}
	fputs("# x index, y index, median (median of the points' medians where other axes vary), offset, memtype\n", d);
	for (i = 0; i < nx; i++)
		for (j = 0; j < ny; j++) {
			double *med = az_malloc(n * sizeof(double));
			size_t k, c = 0;

			for (k = 0; k < n; k++)
				if (!strcmp(b[k].g->axis[off], xs[i]) &&
				    !strcmp(b[k].g->axis[mt], ys[j]))
					med[c++] = b[k].d->median;
			if (c) {
				az_sort(med, c);
				fprintf(d, "%zu %zu %.17g \"%s\" \"%s\"\n", i, j,
					az_quantile(med, c, 0.5), xs[i], ys[j]);
			}
			free(med);
		}
	fclose(d);
	snprintf(sub, sizeof(sub), "median %s over operand offset x memory type",
		 net ? "net cost per instruction" : "baseline window");
	f = az_plot_script(pd, "heatmap-offset-memtype", sub);
	if (!f) {
		free(xs);
		free(ys);
		return -1;
	}
	fprintf(f, "set xlabel \"offset (bytes)\"\nset ylabel \"memtype\"\n"
		"set cblabel \"%s\"\nset palette rgb 33,13,10\nset key off\n"
		"set xrange [-0.5:%zu.5]\nset yrange [-0.5:%zu.5]\n"
		"set style fill solid 1.0 noborder\n",
		net ? "TSC ticks per instruction" : "TSC ticks per window",
		nx - 1, ny - 1);
	fputs("set xtics (", f);
	for (i = 0; i < nx; i++)
		fprintf(f, "%s\"%s\" %zu", i ? ", " : "", xs[i], i);
	fputs(")\nset ytics (", f);
	for (j = 0; j < ny; j++)
		fprintf(f, "%s\"%s\" %zu", j ? ", " : "", ys[j], j);
	fputs(")\n", f);
	free(xs);
	free(ys);
	return az_plot_finish(pd, f, "heatmap-offset-memtype",
		"plot 'heatmap-offset-memtype.dat' using 1:2:(0.5):(0.5):3 with boxxyerror fc palette notitle, \\\n"
		"     '' using 1:2:(sprintf('%.1f', $3)) with labels notitle");
}

int az_plot_run(const struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	struct az_plotdir pd;
	struct box *b;
	char title[600], *dir;
	size_t p, a, n;
	int rc = 0, net;

	az_meta_title(&run->meta, title, sizeof(title));
	dir = az_path(run->dir, "plots");
	if (az_plotdir_open(&pd, dir, title, az_meta_emulated(&run->meta))) {
		free(dir);
		return -1;
	}
	free(dir);
	for (p = 0; p < ds->npoint; p++)
		point_plots(&pd, ds, &ds->points[p], &rc);
	b = az_malloc((ds->ngroup + 1) * sizeof(*b));
	n = collect(ds, b, &net);
	for (a = 0; a < ds->naxis && n; a++)
		if (a != ds->insn_col || !net)
			if (box_plot(&pd, ds, a, b, n, net))
				rc = -1;
	if (heatmap(&pd, ds, b, n, net))
		rc = -1;
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
		      "metric: hist-pPOINT-METRIC and cdf-pPOINT-METRIC (baseline overlaid);\n"
		      "box-AXIS for each swept axis and box-point (net TSC ticks per\n"
		      "instruction); heatmap-offset-memtype.  all.gp runs them all.\n"
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
