// SPDX-License-Identifier: GPL-2.0
/*
 * report DIR: DIR/report.html, one self-contained page — the run's meta,
 * the summary table (sortable by a few lines of inline script, no CDN) and
 * every plot inlined as SVG.  Plots are made first if DIR/plots has none.
 * The page's parts: report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "conformhtml.h"
#include "diag.h"
#include "html.h"
#include "plot.h"
#include "report.h"

static const char script[] =
"<script>\n"
"document.querySelectorAll('table.sortable th').forEach(function (th, col) {\n"
"  th.title = 'click to sort';\n"
"  th.addEventListener('click', function () {\n"
"    var tb = th.closest('table').tBodies[0], asc = th.dataset.asc !== '1';\n"
"    th.closest('tr').querySelectorAll('th').forEach(function (o) { delete o.dataset.asc; });\n"
"    th.dataset.asc = asc ? '1' : '0';\n"
"    var rows = Array.prototype.slice.call(tb.rows);\n"
"    rows.sort(function (a, b) {\n"
"      var x = a.cells[col].textContent, y = b.cells[col].textContent;\n"
"      var nx = parseFloat(x), ny = parseFloat(y), r;\n"
"      var bx = x === '' || x === 'not known', by = y === '' || y === 'not known';\n"
"      if (bx || by) return bx - by;  /* blanks last, either way */\n"
"      if (!isNaN(nx) && !isNaN(ny)) r = nx - ny;\n"
"      else r = x.localeCompare(y);\n"
"      return asc ? r : -r;\n"
"    });\n"
"    rows.forEach(function (r) { tb.appendChild(r); });\n"
"  });\n"
"});\n"
"</script>\n";

static int report(const struct az_run *run, const struct az_conf *conf)
{
	char *out = az_path(run->dir, "report.html");
	char *pdir = az_path(run->dir, "plots");
	char *all = az_path(pdir, "all.gp"), title[600], *pts_path;
	struct az_rows pts = { 0 };
	struct az_shown sh = { 0 };
	struct stat sa, ss;
	FILE *f, *t;
	size_t i, skipped = 0;
	struct az_repeat *rep;
	size_t nrep;
	int rc = 0;

	/* plots missing, or older than the samples or the plotting tool */
	if (stat(all, &sa) || stat(run->samples_path, &ss) ||
	    sa.st_mtime < ss.st_mtime) {
		if (az_plot_run(run))
			rc = -1;
	}
	free(all);
	f = fopen(out, "wb");
	if (!f) {
		az_syserr(out, "cannot create");
		free(out);
		free(pdir);
		return -1;
	}
	pts_path = az_path(run->dir, "points.csv");
	t = fopen(pts_path, "r");
	if (t) {
		fclose(t);
		if (az_rows_load(&pts, pts_path) < 0)
			rc = -1;
	}
	free(pts_path);
	for (i = 1; i < pts.n; i++)
		skipped += !!strcmp(az_cell(&pts, i, "status"), "measured");
	nrep = az_repeats(&run->ds, &rep);
	az_meta_title(&run->meta, title, sizeof(title));
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>vmptrst-bench: ", f);
	az_html_esc(f, title);
	fputs("</title>\n<style>body{font-family:sans-serif;margin:1em 1.5em;max-width:1340px}h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.2em;margin:1em 0 .4em}table{border-collapse:collapse;font-size:90%;margin-bottom:1em}td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}th{background:#eee;cursor:pointer}td:first-child,th:first-child{text-align:left}table.headline td.setup,table.headline td.note{text-align:left}table.headline td.note{font-size:85%;color:#444;max-width:24em}table.headline td.net{background:#eef6ff}table.headline td.unres b{color:#b00}table.headline .warn{color:#b00}.ci{color:#555;font-size:85%}.na{color:#888}.expl{font-size:85%;color:#333;max-width:1300px}.cond{border:1px solid #999;padding:.3em .6em;margin:.4em 0;font-size:90%;line-height:1.35}.cond .warn{color:#b00}.cond .ok{color:#060}.warn{color:#b00}.ok{color:#060}th[data-asc='1']::after{content:' \\25B2'}th[data-asc='0']::after{content:' \\25BC'}.emu{background:#c00;color:#fff;padding:.3em 1em;font-weight:bold}h3{font-size:1.05em;margin:1em 0 .3em}nav{font-size:90%}nav a{margin-right:1em}figure{margin:1em 0}svg{max-width:100%;height:auto}", f);
	fputs(az_conf_css, f);
	fputs("</style>\n</head><body>\n", f);
	fputs("<h1>VMPTRST latency: ", f);
	az_html_esc(f, title);
	fputs("</h1>\n", f);
	if (az_meta_emulated(&run->meta))
		fputs("<p class=\"emu\">Emulated run — not real timing. These numbers show that the pipeline works, never what VMPTRST costs.</p>\n", f);
	az_report_conditions(f, run, skipped, conf);
	fputs("<nav><a href=\"#headline\">Headline</a>", f);
	if (nrep)
		fputs("<a href=\"#drift\">Drift</a>", f);
	fputs("<a href=\"#behaviour\">Behaviour</a><a href=\"#skipped\">Points not measured</a><a href=\"#plots\">Plots across setups</a><a href=\"#summary\">Summary per point</a><a href=\"#pointplots\">Per-point distributions</a><a href=\"#run\">Run (meta.csv)</a></nav>\n", f);
	if (az_report_headline(f, run))
		rc = -1;
	az_report_drift(f, run, &pts, rep, nrep);
	az_conf_html_section(f, conf);
	az_report_skipped(f, &pts);
	fputs("<h2 id=\"plots\">Plots across setups</h2>\n", f);
	if (az_report_plots(f, pdir, &pts, &sh))
		rc = -1;
	fputs("<h2 id=\"summary\">Summary per point</h2>\n<p class=\"expl\">Run folder: ", f);
	az_html_esc(f, run->dir);
	fputs(". TSC values are TSC ticks per timed window; net per insn is the median over sample pairs of (window &minus; baseline window) / unroll, in TSC ticks per instruction, with its 95% order-statistic CI. Click a column to sort.</p>\n", f);
	fputs("<div style=\"overflow-x:auto\">", f);
	az_report_summary_table(f, &run->ds);
	fputs("</div>\n<h2 id=\"pointplots\">Per-point distributions</h2>\n", f);
	if (az_report_point_plots(f, pdir, &pts, &sh))
		rc = -1;
	fputs("<h2 id=\"run\">Run (meta.csv)</h2>\n<details><summary>every key of meta.csv</summary>\n<table><tbody>\n", f);
	for (i = 0; i < run->meta.n; i++) {
		fputs("<tr><th>", f);
		az_html_esc(f, run->meta.key[i]);
		fputs("</th><td style=\"text-align:left\">", f);
		az_html_esc(f, run->meta.value[i]);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n</details>\n", f);
	fputs(script, f);
	fputs("</body></html>\n", f);
	if (fclose(f)) {
		az_syserr(out, "write error");
		rc = -1;
	}
	az_repeats_free(rep, nrep);
	az_rows_free(&pts);
	az_shown_free(&sh);
	if (!rc)
		printf("wrote %s\n", out);
	free(out);
	free(pdir);
	return rc;
}

int az_cmd_report(int argc, char **argv)
{
	struct az_conf conf;
	struct az_run run;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("usage: " AZ_TOOL " report DIR\n"
		      "\n"
		      "Writes DIR/report.html: one self-contained page (no network needed):\n"
		      "the headline (DIR/headline.csv, made first if missing: net cost per\n"
		      "setup in TSC ticks, ns and core cycles, the MOV control), the\n"
		      "conditions, the behaviour on the reference page's branches\n"
		      "(DIR/conformance.csv, from ABI 9 on; a bad file is an error),\n"
		      "points not measured, the plots per config section, the\n"
		      "summary table (click a column to sort), per-point distributions and\n"
		      "meta.csv; plots inlined as SVG.  Runs `plot` first when\n"
		      "DIR/plots/all.gp is missing or older than samples.csv.\n", stdout);
		return AZ_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		az_err(NULL, 0, "report: expected one run directory (see report --help)");
		return AZ_EXIT_USAGE;
	}
	if (az_run_load(&run, argv[1]))
		return AZ_EXIT_DATA;
	if (az_conf_load(&conf, argv[1])) {
		az_run_free(&run);
		return AZ_EXIT_DATA;
	}
	rc = report(&run, &conf) ? AZ_EXIT_DATA : AZ_EXIT_OK;
	az_conf_free(&conf);
	az_run_free(&run);
	return rc;
}
