// SPDX-License-Identifier: GPL-2.0
/*
 * The heatmap: offset x memtype of one instruction's median cost, every
 * other axis at its reference (heatmap-offset-memtype).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "runplots.h"

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
int az_plot_heatmap(struct az_plotdir *pd, const struct az_dataset *ds,
		    const struct az_reference *r, const struct az_box *b, size_t n,
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
	ref = az_box_nearest_reference(ds, r, b, n, sel, ns);
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
		az_plot_points_line(d, ds, gs, ns);
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

