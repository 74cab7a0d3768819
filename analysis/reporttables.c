// SPDX-License-Identifier: GPL-2.0
/*
 * The report's tables below the headline: the summary per point, the
 * points not measured (points.csv) and the drift of setups measured more
 * than once.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "report.h"
#include "setup.h"

static void num(FILE *f, double v)
{
	if (v == v)
		fprintf(f, "<td>%.6g</td>", v);
	else
		fputs("<td></td>", f);
}

void az_report_summary_table(FILE *f, const struct az_dataset *ds)
{
	static const char *const head[] = {
		"metric", "n", "excluded", "min", "p05", "median", "mean", "p95",
		"p99", "max", "stddev", "MAD", "outliers", "net per insn",
		"net 95% CI low", "net 95% CI high", "note" };
	size_t i, p, k, m;

	fputs("<table class=\"sortable\"><thead><tr>", f);
	for (i = 0; i < ds->naxis; i++) {
		fputs("<th>", f);
		az_html_esc(f, ds->col[i]);
		fputs("</th>", f);
	}
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		fprintf(f, "<th>%s</th>", head[i]);
	fputs("</tr></thead><tbody>\n", f);
	for (p = 0; p < ds->npoint; p++)
		for (k = 0; k < ds->points[p].ngroup; k++)
			for (m = 0; m < ds->nmetric; m++) {
				const struct az_group *g = &ds->groups[ds->points[p].group[k]];
				const struct dist *d = &g->d[m], *dn = &g->dnet[m];

				fputs("<tr>", f);
				for (i = 0; i < ds->naxis; i++) {
					fputs("<td>", f);
					az_html_esc(f, g->axis[i]);
					fputs("</td>", f);
				}
				fputs("<td>", f);
				az_html_esc(f, az_metric_name(ds, m));
				fprintf(f, "</td><td>%zu</td><td>%llu</td>", d->n,
					(unsigned long long)(g->mismatches + g->flagged));
				num(f, d->min);
				num(f, d->p05);
				num(f, d->median);
				num(f, d->mean);
				num(f, d->p95);
				num(f, d->p99);
				num(f, d->max);
				num(f, d->stddev);
				num(f, d->mad);
				fprintf(f, "<td>%zu</td>", d->outliers);
				num(f, dn->median);
				num(f, dn->med_lo);
				num(f, dn->med_hi);
				fputs("<td>", f);
				if (!g->baseline && g->net_reason[m])
					az_html_esc(f, g->net_reason[m]);
				fputs("</td></tr>\n", f);
			}
	fputs("</tbody></table>\n", f);
}

/* points.csv's rows that were not measured, with their reasons. */
void az_report_skipped(FILE *f, const struct az_rows *p)
{
	size_t i, n = 0;

	for (i = 1; i < p->n; i++)
		if (strcmp(az_cell(p, i, "status"), "measured"))
			n++;
	fputs("<h2 id=\"skipped\">Points not measured</h2>\n", f);
	if (!p->n) {
		fputs("<p>No points.csv in the run folder: not known.</p>\n", f);
		return;
	}
	if (!n) {
		fputs("<p>Every planned point was measured.</p>\n", f);
		return;
	}
	fputs("<table><thead><tr><th>point</th><th>instruction</th><th>status</th><th>reason</th></tr></thead><tbody>\n", f);
	for (i = 1; i < p->n; i++) {
		if (!strcmp(az_cell(p, i, "status"), "measured"))
			continue;
		fputs("<tr><td>", f);
		az_html_esc(f, az_cell(p, i, "point"));
		fputs("</td><td>", f);
		az_html_esc(f, az_cell(p, i, "instruction"));
		fputs("</td><td>", f);
		az_html_esc(f, az_cell(p, i, "status"));
		fputs("</td><td style=\"text-align:left\">", f);
		az_html_esc(f, az_cell(p, i, "reason"));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/* Setups measured at several points (r[n], az_repeats()): their medians
   in run order. */
void az_report_drift(FILE *f, const struct az_run *run,
		     const struct az_rows *pts, const struct az_repeat *r,
		     size_t n)
{
	const struct az_dataset *ds = &run->ds;
	struct az_reference ref;
	size_t i, k, j;
	char label[300];

	if (!n)
		return;
	az_reference_find(ds, &ref);
	fputs("<h3 id=\"drift\">Drift: setups measured more than once</h3>\n<table class=\"sortable\"><thead><tr><th>instruction</th><th>setup</th><th>points in run order (section): median [95% CI]</th><th>spread of the medians</th><th>verdict</th></tr></thead><tbody>\n", f);
	for (i = 0; i < n; i++) {
		fputs("<tr><td>", f);
		az_html_esc(f, r[i].g[0]->instruction);
		fputs("</td><td style=\"text-align:left\">", f);
		az_setup_label(ds, &ref, r[i].g[0], label, sizeof(label));
		az_html_esc(f, label);
		fputs("</td><td style=\"text-align:left\">", f);
		for (k = 0; k < r[i].n; k++) {
			const struct dist *d = az_repeat_dist(&r[i], k);
			const char *id = r[i].g[k]->axis[ds->point_col];

			fprintf(f, "%s%s", k ? "<br>" : "", "point ");
			az_html_esc(f, id);
			for (j = 1; j < pts->n && strcmp(az_cell(pts, j, "point"), id); j++)
				;
			if (j < pts->n) {
				fputs(" (", f);
				az_html_esc(f, az_cell(pts, j, "section"));
				fputc(')', f);
			}
			fprintf(f, ": <b>%.4g</b>", d->median);
			if (d->med_lo == d->med_lo)
				fprintf(f, " <span class=\"ci\">[%.4g, %.4g]</span>", d->med_lo, d->med_hi);
		}
		fprintf(f, "</td><td>%.4g &ndash; %.4g", r[i].lo_med, r[i].hi_med);
		if (r[i].spread_pct == r[i].spread_pct)
			fprintf(f, " (%.2f%%)", r[i].spread_pct);
		fputs("</td><td style=\"text-align:left\">", f);
		if (r[i].overlap > 0)
			fputs("<span class=\"ok\">CIs overlap: within the noise</span>", f);
		else if (r[i].overlap == 0)
			fputs("<span class=\"warn\">CIs apart: the machine drifted during the run; compare its points with care</span>", f);
		else
			fputs("a CI unknown (fewer than 6 values)", f);
		fputs("</td></tr>\n", f);
	}
	fprintf(f, "</tbody></table>\n<p class=\"expl\">The same setup measured at several points of the run, in the order measured: %s. The medians should agree within their CIs; when they do not, something changed during the run (clock, temperature, another load).</p>\n",
		r[0].net ? "net per insn (median over sample pairs of (window &minus; baseline) / unroll), TSC ticks" : "window TSC, ticks");
	az_reference_free(&ref);
}
