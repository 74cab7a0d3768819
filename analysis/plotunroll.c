// SPDX-License-Identifier: GPL-2.0
/*
 * The unroll plots: a family of points that differ only in unroll, the
 * window TSC against unroll with the headline's least-squares line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"
#include "diag.h"
#include "headline.h"
#include "runplots.h"

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
		az_plot_points_line(d, ds, gs, nf);
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
int az_plot_unrolls(struct az_plotdir *pd, const struct az_run *run,
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

