// SPDX-License-Identifier: GPL-2.0
/*
 * The box plots, like with like: per swept axis the points that differ
 * from the reference in it alone (box-AXIS), and every point of an
 * instruction by its setup (box-point-INSN).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "headline.h"
#include "runplots.h"

/* The boxes of one instruction: net estimates, or else raw windows. */
size_t az_box_collect(const struct az_dataset *ds, const char *insn,
		      struct az_box *b, int *net)
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
size_t az_box_nearest_reference(const struct az_dataset *ds,
				const struct az_reference *r,
				const struct az_box *b, size_t n,
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
	const struct az_box *a = pa, *b = pb;
	int c = az_setup_value_cmp(sort_ds, sort_axis, a->value, b->value);

	return c ? c : (a->g->point > b->g->point) - (a->g->point < b->g->point);
}

static void sort_boxes(const struct az_dataset *ds, size_t axis,
		       struct az_box *b, size_t n)
{
	sort_ds = ds;
	sort_axis = axis;
	qsort(b, n, sizeof(*b), box_cmp);
}

/*
 * Are these boxes the TSC's step rather than a distribution: every box's
 * p05..p95 within two steps per window (the headline's "unresolved")?
 * Then the title says so, in words a reader sees first.
 */
static const char *below_step(const struct az_dataset *ds,
			      const struct az_box *b, size_t k, int net,
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
int az_plot_box_axis(struct az_plotdir *pd, const struct az_dataset *ds,
		     const struct az_reference *r, size_t axis,
		     const struct az_box *all, size_t n, int net)
{
	char name[200], sub[600], plot[600], unres[200];
	size_t i, k = 0, *sel = az_malloc((n + 1) * sizeof(*sel));
	struct az_box *b;
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
	i = az_box_nearest_reference(ds, r, all, n, sel, k);
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
		az_plot_points_line(d, ds, gs, k);
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
		"set xtics rotate by -30\n", ds->col[axis], az_plot_ylabel(net), k - 1);
	snprintf(plot, sizeof(plot),
		 "plot '%s.dat' using 1:3:2:6:5:xtic(7) with candlesticks whiskerbars lw 1.5 notitle, \\\n"
		 "     '' using 1:4:4:4:4 with candlesticks lt -1 lw 2 notitle", name);
	rc = az_plot_finish(pd, f, name, plot);
	free(b);
	return rc;
}

/* Every point of one instruction, labelled by its setup, coloured by the
 * axis it varies (the reference one colour, two or more axes another). */
int az_plot_box_points(struct az_plotdir *pd, const struct az_dataset *ds,
		       const struct az_reference *r, const char *insn,
		       struct az_box *b, size_t n, int net)
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
		"set xtics rotate by -45 font \",8\"\n", az_plot_ylabel(net), n - 1);
	snprintf(plot, sizeof(plot),
		 "plot '%s.dat' using 1:3:2:6:5:9:xtic(7) with candlesticks whiskerbars lw 1.5 lc variable notitle, \\\n"
		 "     '' using 1:4:4:4:4 with candlesticks lt -1 lw 2 notitle", name);
	rc = az_plot_finish(pd, f, name, plot);
	return rc;
}

