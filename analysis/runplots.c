// SPDX-License-Identifier: GPL-2.0
/* The plots of one run: per point and metric a histogram and a CDF (the
 * baseline overlaid), a box plot per swept axis, an offset x memtype
 * heatmap of the median net cost. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"
#include "diag.h"
#include "headline.h"
#include "plot.h"
#include "setup.h"

/* The distribution a box stands for: net per instruction of the TSC. */
struct box {
	const struct az_group *g;
	const struct dist *d;
	const char *value;	/* of the axis being plotted */
};

/* First line of a plot's .dat: "# points: 3 4 5", the points it shows
   (the report files the plot under the config section holding most). */
static void points_line(FILE *d, const struct az_dataset *ds,
			const struct az_group *const *g, size_t n)
{
	size_t i;

	fputs("# points:", d);
	for (i = 0; i < n; i++)
		fprintf(d, " %s", g[i]->axis[ds->point_col]);
	fputc('\n', d);
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

/*
 * A family of points that differ only in unroll, against unroll: the
 * window TSC net of the baseline as the headline fits it (dithered means,
 * 95% CI bars, az_fit_family()) with its least-squares line, and the raw
 * window's median (p25..p75 bars); the line's residuals on the right axis.
 * A family without baseline pairs gets the line through the raw medians.
 */
static int unroll_plot(struct az_plotdir *pd, const struct az_run *run,
		       const struct az_reference *r, const size_t *fam,
		       size_t nf)
{
	const struct az_dataset *ds = &run->ds;
	const struct az_group *g0 = &ds->groups[fam[0]];
	char name[400], sub[900], setup[300], plot[1200], ci[80] = "";
	char cyc[200] = "";
	struct az_cycles cy;
	size_t i, j, *o = az_malloc(nf * sizeof(*o));
	double rmax = 0;
	struct az_fit fit;
	const char *why;
	int net;
	FILE *d, *f;

	for (i = 0; i < nf; i++)	/* by unroll */
		for (o[i] = fam[i], j = i; j > 0 &&
		     ds->groups[o[j - 1]].unroll > ds->groups[o[j]].unroll; j--) {
			size_t t = o[j];

			o[j] = o[j - 1];
			o[j - 1] = t;
		}
	net = !az_fit_family(ds, o, nf, az_tsc_step(ds), &fit, &why) && fit.n > 1;
	if (net) {	/* the headline's cycles, by the headline's estimator */
		az_cycles_of(run, o, nf, az_tsc_step(ds), fit.slope, fit.lo,
			     fit.hi, &cy);
		if (cy.value == cy.value)
			snprintf(cyc, sizeof(cyc), "\n= %.4g [%.4g, %.4g] core cycles/insn (%s, \u00b1%.2g %%%s)",
				 cy.value, cy.lo, cy.hi, cy.source, cy.half_pct,
				 cy.half_pct > AZ_CYCLES_WIDE_PCT ?
				 ": the core clock moved during the run" : "");
	}
	if (!net) {	/* the raw medians' line */
		double ub = 0, mb = 0, sxx = 0, sxy = 0;

		for (i = 0; i < nf; i++) {
			ub += ds->groups[o[i]].unroll / (double)nf;
			mb += ds->groups[o[i]].d[0].median / (double)nf;
		}
		for (i = 0; i < nf; i++) {
			double du = ds->groups[o[i]].unroll - ub;

			sxx += du * du;
			sxy += du * (ds->groups[o[i]].d[0].median - mb);
		}
		fit.slope = sxy / sxx;
		fit.icpt = mb - fit.slope * ub;
	} else if (fit.lo == fit.lo) {
		snprintf(ci, sizeof(ci), " [%.4g, %.4g]", fit.lo, fit.hi);
	}
	az_setup_label_but(ds, r, g0, ds->unroll_col, setup, sizeof(setup));
	if (strcmp(setup, "reference"))
		snprintf(name, sizeof(name), "unroll-%s-%s", g0->instruction, setup);
	else
		snprintf(name, sizeof(name), "unroll-%s", g0->instruction);
	az_file_part(name, sizeof(name), name);
	d = az_plot_open(pd, name, "dat");
	if (!d) {
		free(o);
		return -1;
	}
	{
		const struct az_group **gs = az_malloc(nf * sizeof(*gs));

		for (i = 0; i < nf; i++)
			gs[i] = &ds->groups[o[i]];
		points_line(d, ds, gs, nf);
		free(gs);
	}
	fprintf(d, "# unroll, %s, its 95%% CI low, high, residual from the line, raw window median, p25, p75, point\n",
		net ? "net window TSC (dithered mean)" : "raw window median");
	for (i = 0; i < nf; i++) {
		const struct az_group *g = &ds->groups[o[i]];
		double m = g->d[0].median, lo = NAN, hi = NAN, y = m;

		for (j = 0; net && j < fit.n && fit.unroll[j] != g->unroll; j++)
			;
		if (net) {
			y = fit.mean[j];
			lo = y - AZ_Z95 * fit.se[j];
			hi = y + AZ_Z95 * fit.se[j];
		}
		rmax = fmax(rmax, fabs(y - (fit.icpt + fit.slope * g->unroll)));
		rmax = fmax(rmax, net && hi == hi ? hi - y : 0);
		fprintf(d, "%.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g \"%s\"\n",
			g->unroll, y, lo, hi,
			y - (fit.icpt + fit.slope * g->unroll), m, g->d[0].p25,
			g->d[0].p75, g->axis[ds->point_col]);
	}
	fclose(d);
	free(o);
	snprintf(sub, sizeof(sub), net ? "%s %s: window TSC vs unroll; slope %.4g%s TSC ticks/insn (the headline's)%s" : "%s %s: median window TSC vs unroll; least-squares slope %.4g%s TSC ticks/insn%s",
		 g0->instruction, strcmp(setup, "reference") ? setup : "(reference setup)", fit.slope, ci, cyc);
	f = az_plot_script(pd, name, sub);
	if (!f)
		return -1;
	fprintf(f, "set xlabel \"unroll (instructions per window)\"\n"
		"set ylabel \"TSC ticks per window\"\nset key top left Left reverse\n"
		"slope = %.17g\nicpt = %.17g\n", fit.slope, fit.icpt);
	/* residuals on a symmetric right axis that holds them and their CIs */
	rmax = rmax > 0 ? rmax * 1.3 : 1;
	fprintf(f, "set y2label \"residual, TSC ticks\"\nset y2tics\nset ytics nomirror\nset y2range [%.6g:%.6g]\nset y2zeroaxis lt 0\n",
		-rmax, rmax);
	if (net)
		snprintf(plot, sizeof(plot),
			 "plot '%s.dat' using 1:2:3:4 with yerrorbars pt 7 title 'net of the baseline, dithered mean (bars 95%% CI)', \\\n"
			 "     icpt + slope * x with lines lw 2 title sprintf('least squares: %%.4g + %%.4g x unroll', icpt, slope), \\\n"
			 "     '' using 1:6:7:8 with yerrorbars pt 6 lc rgb 'gray50' title 'raw window, median (bars p25..p75)', \\\n"
			 "     '' using 1:5 axes x1y2 with impulses lw 2 lc rgb '#0072b2' notitle, \\\n"
			 "     '' using 1:5 axes x1y2 with points pt 5 ps 0.8 lc rgb '#0072b2' title 'residual (right axis)'", name);
	else
		snprintf(plot, sizeof(plot),
			 "plot '%s.dat' using 1:2:7:8 with yerrorbars pt 7 title 'median (bars p25..p75)', \\\n"
			 "     icpt + slope * x with lines lw 2 title sprintf('least squares: %%.4g + %%.4g x unroll', icpt, slope), \\\n"
			 "     '' using 1:5 axes x1y2 with impulses lw 2 lc rgb '#0072b2' notitle, \\\n"
			 "     '' using 1:5 axes x1y2 with points pt 5 ps 0.8 lc rgb '#0072b2' title 'residual (right axis)'", name);
	return az_plot_finish(pd, f, name, plot);
}

/* Every family of two or more unrolls, each plotted once. */
static int unroll_plots(struct az_plotdir *pd, const struct az_run *run,
			const struct az_reference *r)
{
	const struct az_dataset *ds = &run->ds;
	size_t gi, gj, a, nf, *fam, *done;
	int rc = 0;

	if (ds->unroll_col == AZ_NO_GROUP)
		return 0;
	fam = az_malloc((ds->ngroup + 1) * sizeof(*fam));
	done = az_malloc((ds->ngroup + 1) * sizeof(*done));
	memset(done, 0, (ds->ngroup + 1) * sizeof(*done));
	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];

		if (done[gi] || g->baseline || !g->d[0].n || g->unroll != g->unroll)
			continue;
		for (nf = 0, gj = gi; gj < ds->ngroup; gj++) {
			const struct az_group *h = &ds->groups[gj];

			if (h->baseline || !h->d[0].n ||
			    strcmp(h->instruction, g->instruction))
				continue;
			for (a = 0; a < ds->naxis; a++)
				if (az_setup_axis(ds, a) && a != ds->unroll_col &&
				    strcmp(g->axis[a], h->axis[a]))
					break;
			if (a == ds->naxis) {
				fam[nf++] = gj;
				done[gj] = 1;
			}
		}
		for (a = 1; a < nf; a++)	/* two unrolls at least */
			if (ds->groups[fam[a]].unroll != g->unroll)
				break;
		if (a < nf && unroll_plot(pd, run, r, fam, nf))
			rc = -1;
	}
	free(fam);
	free(done);
	return rc;
}

/* The boxes of one instruction: net estimates, or else raw windows. */
static size_t collect(const struct az_dataset *ds, const char *insn,
		      struct box *b, int *net)
{
	size_t gi, n = 0;

	*net = 0;
	for (gi = 0; gi < ds->ngroup; gi++)
		if (!strcmp(ds->groups[gi].instruction, insn) &&
		    !ds->groups[gi].baseline && ds->groups[gi].dnet[0].n)
			*net = 1;
	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];
		const struct dist *d = *net ? &g->dnet[0] : &g->d[0];

		if (strcmp(g->instruction, insn) || !d->n)
			continue;
		b[n].g = g;
		b[n].d = d;
		n++;
	}
	return n;
}

/*
 * Of the boxes at the reference setup (a reference point may be repeated
 * in every section), the one measured nearest to the boxes in sel[].
 */
static size_t nearest_reference(const struct az_dataset *ds,
				const struct az_reference *r,
				const struct box *b, size_t n,
				const size_t *sel, size_t nsel)
{
	double mid = 0, best_d = 0;
	size_t i, best = n;

	for (i = 0; i < nsel; i++)
		mid += (double)b[sel[i]].g->point / (double)nsel;
	for (i = 0; i < n; i++) {
		double dd = fabs((double)b[i].g->point - mid);

		if (az_setup_diff(ds, r, b[i].g, NULL) == 0 &&
		    (best == n || dd < best_d)) {
			best = i;
			best_d = dd;
		}
	}
	return best;
}

static const struct az_dataset *sort_ds;
static size_t sort_axis;

static int box_cmp(const void *pa, const void *pb)
{
	const struct box *a = pa, *b = pb;
	int c = az_setup_value_cmp(sort_ds, sort_axis, a->value, b->value);

	return c ? c : (a->g->point > b->g->point) - (a->g->point < b->g->point);
}

static void sort_boxes(const struct az_dataset *ds, size_t axis, struct box *b,
		       size_t n)
{
	sort_ds = ds;
	sort_axis = axis;
	qsort(b, n, sizeof(*b), box_cmp);
}

static const char *ylabel(int net)
{
	return net ? "TSC ticks per instruction (net of baseline)" :
		     "TSC ticks per window";
}

/*
 * Are these boxes the TSC's step rather than a distribution: every box's
 * p05..p95 within two steps per window (the headline's "unresolved")?
 * Then the title says so, in words a reader sees first.
 */
static const char *below_step(const struct az_dataset *ds,
			      const struct box *b, size_t k, int net,
			      char *buf, size_t len)
{
	double q = az_tsc_step(ds);
	size_t i, several = 0;

	*buf = 0;
	if (!(q > 0) || !k)
		return buf;
	for (i = 0; i < k; i++) {
		double u = net ? b[i].g->unroll : 1;

		if (!(u > 0) || (b[i].d->p95 - b[i].d->p05) * u > 2 * q)
			return buf;
		several |= b[i].g->unroll != b[0].g->unroll;
	}
	if (several)
		snprintf(buf, len, "Within the TSC's step (%g ticks per window): the boxes show the step; the slope over unroll (unroll-%s) resolves it. ",
			 q, b[0].g->instruction);
	else
		snprintf(buf, len, "UNRESOLVED: below the TSC's step (%g ticks per window): the boxes show the step, not a distribution; measure at several unrolls for a slope. ",
		 q);
	return buf;
}

/* One axis, like with like: the points that differ from the reference in
 * this axis alone, and the reference nearest them. */
static int box_plot(struct az_plotdir *pd, const struct az_dataset *ds,
		    const struct az_reference *r, size_t axis,
		    const struct box *all, size_t n, int net)
{
	char name[200], sub[600], plot[600], unres[200];
	size_t i, k = 0, *sel = az_malloc((n + 1) * sizeof(*sel));
	struct box *b;
	FILE *d, *f;
	int rc;

	for (i = 0; i < n; i++) {
		size_t which = AZ_NO_GROUP;

		if (az_setup_diff(ds, r, all[i].g, &which) == 1 && which == axis)
			sel[k++] = i;
	}
	if (!k) {
		free(sel);
		return 0;	/* not swept around the reference */
	}
	i = nearest_reference(ds, r, all, n, sel, k);
	if (i < n)
		sel[k++] = i;
	b = az_malloc(k * sizeof(*b));
	for (i = 0; i < k; i++) {
		b[i] = all[sel[i]];
		b[i].value = b[i].g->axis[axis];
	}
	free(sel);
	sort_boxes(ds, axis, b, k);
	snprintf(name, sizeof(name), "box-%s", ds->col[axis]);
	az_file_part(name, sizeof(name), name);
	d = az_plot_open(pd, name, "dat");
	if (!d) {
		free(b);
		return -1;
	}
	{
		const struct az_group **gs = az_malloc(k * sizeof(*gs));

		for (i = 0; i < k; i++)
			gs[i] = b[i].g;
		points_line(d, ds, gs, k);
		free(gs);
	}
	fputs("# x, p05, p25, median, p75, p95, label, point\n", d);
	for (i = 0; i < k; i++)
		fprintf(d, "%zu %.17g %.17g %.17g %.17g %.17g \"%s=%s%s\" \"%s\"\n",
			i, b[i].d->p05, b[i].d->p25, b[i].d->median,
			b[i].d->p75, b[i].d->p95, ds->col[axis], b[i].value,
			strcmp(b[i].value, r->val[axis]) ? "" : " (reference)",
			b[i].g->axis[ds->point_col]);
	fclose(d);
	snprintf(sub, sizeof(sub), "%s%s %s across %s, every other axis at its reference: box p25..p75, line median, whiskers p05..p95",
		 below_step(ds, b, k, net, unres, sizeof(unres)), r->insn, net ? "net cost per instruction" : "window", ds->col[axis]);
	f = az_plot_script(pd, name, sub);
	if (!f) {
		free(b);
		return -1;
	}
	fprintf(f, "set xlabel \"%s (in the order configured)\"\nset ylabel \"%s\"\n"
		"set xrange [-0.6:%zu.6]\nset boxwidth 0.5\nset style fill solid 0.3\n"
		"set xtics rotate by -30\n", ds->col[axis], ylabel(net), k - 1);
	snprintf(plot, sizeof(plot),
		 "plot '%s.dat' using 1:3:2:6:5:xtic(7) with candlesticks whiskerbars lw 1.5 notitle, \\\n"
		 "     '' using 1:4:4:4:4 with candlesticks lt -1 lw 2 notitle", name);
	rc = az_plot_finish(pd, f, name, plot);
	free(b);
	return rc;
}

/* Every point of one instruction, labelled by its setup, coloured by the
 * axis it varies (the reference one colour, two or more axes another). */
static int box_points(struct az_plotdir *pd, const struct az_dataset *ds,
		      const struct az_reference *r, const char *insn,
		      struct box *b, size_t n, int net)
{
	char name[200], sub[600], plot[700], *label, unres[200];
	size_t i, j, lab = 400;
	FILE *d, *f;
	int rc;

	if (!n)
		return 0;
	snprintf(name, sizeof(name), "box-point-%s", insn);
	az_file_part(name, sizeof(name), name);
	d = az_plot_open(pd, name, "dat");
	if (!d)
		return -1;
	label = az_malloc(n * lab);
	for (i = 0; i < n; i++)
		az_setup_label(ds, r, b[i].g, label + i * lab, lab);
	fputs("# x, p05, p25, median, p75, p95, setup, point, colour (axis varied + 1; 0 reference)\n", d);
	for (i = 0; i < n; i++) {
		size_t which = AZ_NO_GROUP, nd = az_setup_diff(ds, r, b[i].g, &which);
		int shared = 0;

		for (j = 0; j < n; j++)
			if (j != i && !strcmp(label + j * lab, label + i * lab))
				shared = 1;
		fprintf(d, "%zu %.17g %.17g %.17g %.17g %.17g \"%s%s%s\" \"%s\" %zu\n",
			i, b[i].d->p05, b[i].d->p25, b[i].d->median, b[i].d->p75,
			b[i].d->p95, label + i * lab, shared ? " p" : "",
			shared ? b[i].g->axis[ds->point_col] : "",
			b[i].g->axis[ds->point_col],
			nd == 0 ? (size_t)0 : nd == 1 ? which + 1 : ds->naxis + 1);
	}
	free(label);
	fclose(d);
	snprintf(sub, sizeof(sub), "%s%s, every point by setup (a repeated reference shows drift across the run): box p25..p75, line median, whiskers p05..p95",
		 below_step(ds, b, n, net, unres, sizeof(unres)), insn);
	f = az_plot_script(pd, name, sub);
	if (!f)
		return -1;
	fprintf(f, "set xlabel \"setup (axes that differ from the reference)\"\nset ylabel \"%s\"\n"
		"set xrange [-0.6:%zu.6]\nset boxwidth 0.5\nset style fill solid 0.3\n"
		"set xtics rotate by -45 font \",8\"\n", ylabel(net), n - 1);
	snprintf(plot, sizeof(plot),
		 "plot '%s.dat' using 1:3:2:6:5:9:xtic(7) with candlesticks whiskerbars lw 1.5 lc variable notitle, \\\n"
		 "     '' using 1:4:4:4:4 with candlesticks lt -1 lw 2 notitle", name);
	rc = az_plot_finish(pd, f, name, plot);
	return rc;
}

static size_t add_value(const char **v, size_t n, const char *s)
{
	size_t j;

	for (j = 0; j < n && strcmp(v[j], s); j++)
		;
	if (j == n)
		v[n++] = s;
	return n;
}

static void sort_values(const struct az_dataset *ds, size_t a, const char **v,
			size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && az_setup_value_cmp(ds, a, v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/*
 * Offset x memtype for one instruction, every other axis at its
 * reference: one point per cell, or "not measured".
 */
static int heatmap(struct az_plotdir *pd, const struct az_dataset *ds,
		   const struct az_reference *r, const struct box *b, size_t n,
		   int net)
{
	size_t off = AZ_NO_GROUP, mt = AZ_NO_GROUP, i, j, k, nx = 0, ny = 0, ns = 0;
	size_t *sel, ref;
	const char **xs, **ys;
	char sub[400];
	FILE *d, *f;
	int rc;

	for (i = 0; i < ds->naxis; i++) {
		if (!strcmp(ds->col[i], "offset"))
			off = i;
		if (!strcmp(ds->col[i], "memtype"))
			mt = i;
	}
	if (off == AZ_NO_GROUP || mt == AZ_NO_GROUP || !n)
		return 0;
	sel = az_malloc(n * sizeof(*sel));
	for (i = 0; i < n; i++) {
		size_t nd = az_setup_diff(ds, r, b[i].g, NULL);

		nd -= strcmp(b[i].g->axis[off], r->val[off]) != 0;
		nd -= strcmp(b[i].g->axis[mt], r->val[mt]) != 0;
		if (nd == 0 && az_setup_diff(ds, r, b[i].g, NULL))
			sel[ns++] = i;
	}
	ref = nearest_reference(ds, r, b, n, sel, ns);
	if (ref < n)
		sel[ns++] = ref;
	xs = az_malloc((ns + 1) * sizeof(char *));
	ys = az_malloc((ns + 1) * sizeof(char *));
	for (i = 0; i < ns; i++) {
		nx = add_value(xs, nx, b[sel[i]].g->axis[off]);
		ny = add_value(ys, ny, b[sel[i]].g->axis[mt]);
	}
	if (nx < 2 || ny < 2) {
		rc = 0;		/* not a grid: the axis plots show it */
		goto out;
	}
	sort_values(ds, off, xs, nx);
	sort_values(ds, mt, ys, ny);
	rc = -1;
	d = az_plot_open(pd, "heatmap-offset-memtype", "dat");
	if (!d)
		goto out;
	{
		const struct az_group **gs = az_malloc(ns * sizeof(*gs));

		for (i = 0; i < ns; i++)
			gs[i] = b[sel[i]].g;
		points_line(d, ds, gs, ns);
		free(gs);
	}
	fputs("# x index, y index, median (NaN: not measured), offset, memtype, point (- if none)\n", d);
	for (i = 0; i < nx; i++)
		for (j = 0; j < ny; j++) {
			for (k = 0; k < ns; k++)
				if (!strcmp(b[sel[k]].g->axis[off], xs[i]) &&
				    !strcmp(b[sel[k]].g->axis[mt], ys[j]))
					break;
			if (k < ns)
				fprintf(d, "%zu %zu %.17g \"%s\" \"%s\" \"%s\"\n", i, j,
					b[sel[k]].d->median, xs[i], ys[j],
					b[sel[k]].g->axis[ds->point_col]);
			else
				fprintf(d, "%zu %zu NaN \"%s\" \"%s\" \"-\"\n", i, j,
					xs[i], ys[j]);
		}
	fclose(d);
	snprintf(sub, sizeof(sub), "%s: median %s over operand offset x memory type, every other axis at its reference",
		 r->insn, net ? "net cost per instruction" : "window");
	f = az_plot_script(pd, "heatmap-offset-memtype", sub);
	if (!f)
		goto out;
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
	rc = az_plot_finish(pd, f, "heatmap-offset-memtype",
		"plot 'heatmap-offset-memtype.dat' using 1:2:(0.5):(0.5):3 with boxxyerror fc palette notitle, \\\n"
		"     '' using 1:2:(valid(3) ? sprintf('%.1f', $3) : 'not measured') with labels notitle");
out:
	free(sel);
	free(xs);
	free(ys);
	return rc;
}

int az_plot_run(const struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	struct az_plotdir pd;
	struct box *b;
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
		n = collect(ds, ref.insn, b, &net);
		for (a = 0; a < ds->naxis && n; a++)
			if (az_setup_axis(ds, a) &&
			    box_plot(&pd, ds, &ref, a, b, n, net))
				rc = -1;
		if (heatmap(&pd, ds, &ref, b, n, net))
			rc = -1;
	}
	if (unroll_plots(&pd, run, &ref))
		rc = -1;
	for (gi = 0; gi < ds->ngroup; gi++) {
		const char *in = ds->groups[gi].instruction;
		size_t gj;

		for (gj = 0; gj < gi; gj++)
			if (!strcmp(ds->groups[gj].instruction, in))
				break;
		if (gj < gi || ds->groups[gi].baseline)
			continue;	/* each instruction once */
		n = collect(ds, in, b, &net);
		if (box_points(&pd, ds, &ref, in, b, n, net))
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
