// SPDX-License-Identifier: GPL-2.0
/*
 * report DIR: DIR/report.html, one self-contained page — the run's meta,
 * the summary table (sortable by a few lines of inline script, no CDN) and
 * every plot inlined as SVG.  Plots are made first if DIR/plots has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "plot.h"
#include "rundir.h"

static void esc(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

static void num(FILE *f, double v)
{
	if (v == v)
		fprintf(f, "<td>%.6g</td>", v);
	else
		fputs("<td></td>", f);
}

static void table(FILE *f, const struct az_dataset *ds)
{
	static const char *const head[] = {
		"metric", "n", "excluded", "min", "p05", "median", "mean", "p95",
		"p99", "max", "stddev", "MAD", "outliers", "net per insn",
		"net 95% CI low", "net 95% CI high", "note" };
	size_t i, p, k, m;

	fputs("<table class=\"sortable\"><thead><tr>", f);
	for (i = 0; i < ds->naxis; i++) {
		fputs("<th>", f);
		esc(f, ds->col[i]);
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
					esc(f, g->axis[i]);
					fputs("</td>", f);
				}
				fputs("<td>", f);
				esc(f, az_metric_name(ds, m));
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
					esc(f, g->net_reason[m]);
				fputs("</td></tr>\n", f);
			}
	fputs("</tbody></table>\n", f);
}

/* Inline PLOTS/NAME.svg for every "load 'NAME.gp'" line of all.gp. */
static int plots(FILE *f, const char *pdir)
{
	char *all = az_path(pdir, "all.gp"), line[600], name[520];
	FILE *a = fopen(all, "r");
	int rc = 0;

	free(all);
	if (!a)
		return 0;
	while (fgets(line, sizeof(line), a)) {
		char *svg, buf[65536];
		FILE *s;
		size_t n;
		int skip = 1;

		if (sscanf(line, "load '%511[^']", name) != 1)
			continue;
		n = strlen(name);
		if (n > 3 && !strcmp(name + n - 3, ".gp"))
			name[n - 3] = '\0';
		strcat(name, ".svg");
		svg = az_path(pdir, name);
		s = fopen(svg, "r");
		if (!s) {
			az_syserr(svg, "cannot read");
			rc = -1;
			free(svg);
			continue;
		}
		fputs("<figure>", f);
		/* drop the XML declaration and doctype: start at "<svg" */
		while ((n = fread(buf, 1, sizeof(buf) - 1, s)) > 0) {
			char *start = buf;

			buf[n] = '\0';
			if (skip) {
				start = strstr(buf, "<svg");
				if (!start)
					continue;
				skip = 0;
			}
			fwrite(start, 1, n - (size_t)(start - buf), f);
		}
		fprintf(f, "<figcaption>%s</figcaption></figure>\n", name);
		fclose(s);
		free(svg);
	}
	fclose(a);
	return rc;
}

static const char script[] =
"<script>\n"
"document.querySelectorAll('table.sortable th').forEach(function (th, col) {\n"
"  th.title = 'click to sort';\n"
"  th.addEventListener('click', function () {\n"
"    var tb = th.closest('table').tBodies[0], asc = th.dataset.asc !== '1';\n"
"    th.dataset.asc = asc ? '1' : '0';\n"
"    var rows = Array.prototype.slice.call(tb.rows);\n"
"    rows.sort(function (a, b) {\n"
"      var x = a.cells[col].textContent, y = b.cells[col].textContent;\n"
"      var nx = parseFloat(x), ny = parseFloat(y), r;\n"
"      if (!isNaN(nx) && !isNaN(ny)) r = nx - ny;\n"
"      else if (x === '' || y === '') r = (x === '') - (y === '');\n"
"      else r = x.localeCompare(y);\n"
"      return asc ? r : -r;\n"
"    });\n"
"    rows.forEach(function (r) { tb.appendChild(r); });\n"
"  });\n"
"});\n"
"</script>\n";

static int report(const struct az_run *run)
{
	char *out = az_path(run->dir, "report.html");
	char *pdir = az_path(run->dir, "plots");
	char *all = az_path(pdir, "all.gp"), title[600];
	FILE *f, *t;
	size_t i;
	int rc = 0;

	t = fopen(all, "r");
	if (t)
		fclose(t);
	else if (az_plot_run(run))
		rc = -1;
	free(all);
	f = fopen(out, "wb");
	if (!f) {
		az_syserr(out, "cannot create");
		free(out);
		free(pdir);
		return -1;
	}
	az_meta_title(&run->meta, title, sizeof(title));
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>vmptrst-bench: ", f);
	esc(f, title);
	fputs("</title>\n<style>body{font-family:sans-serif;margin:1.5em;max-width:1100px}"
	      "table{border-collapse:collapse;font-size:90%;margin-bottom:1.5em}"
	      "td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}"
	      "th{background:#eee;cursor:pointer}td:first-child,th:first-child{text-align:left}"
	      ".emu{background:#c00;color:#fff;padding:.5em 1em;font-weight:bold}"
	      "figure{margin:1em 0}svg{max-width:100%;height:auto}</style>\n</head><body>\n", f);
	fputs("<h1>VMPTRST latency: ", f);
	esc(f, title);
	fputs("</h1>\n", f);
	if (az_meta_emulated(&run->meta))
		fputs("<p class=\"emu\">Emulated run — not real timing. These numbers show that the "
		      "pipeline works, never what VMPTRST costs.</p>\n", f);
	fputs("<p>Run folder: ", f);
	esc(f, run->dir);
	fputs(". TSC values are TSC ticks per timed window; net per insn is the median over "
	      "sample pairs of (window &minus; baseline window) / unroll, in TSC ticks per "
	      "instruction, with its 95% order-statistic CI.</p>\n<h2>Summary</h2>\n", f);
	table(f, &run->ds);
	fputs("<h2>Run</h2>\n<table><tbody>\n", f);
	for (i = 0; i < run->meta.n; i++) {
		fputs("<tr><th>", f);
		esc(f, run->meta.key[i]);
		fputs("</th><td style=\"text-align:left\">", f);
		esc(f, run->meta.value[i]);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n<h2>Plots</h2>\n", f);
	if (plots(f, pdir))
		rc = -1;
	fputs(script, f);
	fputs("</body></html>\n", f);
	if (fclose(f)) {
		az_syserr(out, "write error");
		rc = -1;
	}
	if (!rc)
		printf("wrote %s\n", out);
	free(out);
	free(pdir);
	return rc;
}

int az_cmd_report(int argc, char **argv)
{
	struct az_run run;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("usage: " AZ_TOOL " report DIR\n"
		      "\n"
		      "Writes DIR/report.html: one self-contained page (no network needed)\n"
		      "with the run's meta.csv, the summary table (click a column to sort)\n"
		      "and every plot of DIR/plots inlined as SVG; runs `plot` first when\n"
		      "DIR/plots/all.gp is missing.\n", stdout);
		return AZ_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		az_err(NULL, 0, "report: expected one run directory (see report --help)");
		return AZ_EXIT_USAGE;
	}
	if (az_run_load(&run, argv[1]))
		return AZ_EXIT_DATA;
	rc = report(&run) ? AZ_EXIT_DATA : AZ_EXIT_OK;
	az_run_free(&run);
	return rc;
}
