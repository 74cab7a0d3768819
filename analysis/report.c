// SPDX-License-Identifier: GPL-2.0
/*
 * report DIR: DIR/report.html, one self-contained page — the run's meta,
 * the summary table (sortable by a few lines of inline script, no CDN) and
 * every plot inlined as SVG.  Plots are made first if DIR/plots has none.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "conformhtml.h"
#include "csv.h"
#include "diag.h"
#include "drift.h"
#include "headline.h"
#include "cycles.h"
#include "html.h"
#include "setup.h"
#include "plot.h"
#include "rundir.h"

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

/* Per-point plots (hist-, cdf-) or the others. */
static int per_point(const char *name)
{
	return !strncmp(name, "hist-", 5) || !strncmp(name, "cdf-", 4);
}

/* Plots already inlined, each shown once. */
struct shown {
	char **name;
	size_t n;
};

static int shown_has(const struct shown *sh, const char *name)
{
	size_t i;

	for (i = 0; i < sh->n; i++)
		if (!strcmp(sh->name[i], name))
			return 1;
	return 0;
}

static void shown_free(struct shown *sh)
{
	size_t i;

	for (i = 0; i < sh->n; i++)
		free(sh->name[i]);
	free(sh->name);
}

/* Which plots a part of the report wants: NAME without ".gp". */
typedef int (*want_fn)(const char *name, const void *ctx);

/*
 * Inline PLOTS/NAME.svg, in all.gp's order, for every plot not shown yet
 * that want() accepts.
 */
static int plots(FILE *f, const char *pdir, want_fn want, const void *ctx,
		 struct shown *sh)
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
		if (shown_has(sh, name) || !want(name, ctx))
			continue;
		sh->name = az_realloc(sh->name, (sh->n + 1) * sizeof(char *));
		sh->name[sh->n++] = az_strdup(name);
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

static int want_across(const char *name, const void *ctx)
{
	(void)ctx;
	return !per_point(name);
}

static int want_point(const char *name, const void *ctx)
{
	(void)ctx;
	return per_point(name);
}

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

/* A CSV file's rows: header in rows[0]; fields malloc'd. */
struct rows {
	char ***row;
	size_t n, *nf;
};

static int rows_load(struct rows *t, const char *path)
{
	struct csv_reader r;
	int k;

	memset(t, 0, sizeof(*t));
	if (csv_open(&r, path))
		return -1;
	while ((k = csv_next(&r)) == 1) {
		size_t i;

		t->row = az_realloc(t->row, (t->n + 1) * sizeof(*t->row));
		t->nf = az_realloc(t->nf, (t->n + 1) * sizeof(*t->nf));
		t->row[t->n] = az_malloc((r.nfield + 1) * sizeof(char *));
		for (i = 0; i < r.nfield; i++)
			t->row[t->n][i] = az_strdup(r.field[i]);
		t->nf[t->n++] = r.nfield;
	}
	csv_close(&r);
	return k;
}

static void rows_free(struct rows *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->nf[i]; j++)
			free(t->row[i][j]);
		free(t->row[i]);
	}
	free(t->row);
	free(t->nf);
}

/* Field of row i in column name; "" when absent. */
static const char *cell(const struct rows *t, size_t i, const char *name)
{
	size_t c;

	for (c = 0; t->n && c < t->nf[0]; c++)
		if (!strcmp(t->row[0][c], name))
			return c < t->nf[i] ? t->row[i][c] : "";
	return "";
}

static double cellnum(const struct rows *t, size_t i, const char *name)
{
	double v;

	return csv_number(cell(t, i, name), &v) ? NAN : v;
}

/* "v [lo, hi]" with 3 significant digits beyond the integer part, or "". */
static void est(FILE *f, double v, double lo, double hi, const char *cls)
{
	fprintf(f, "<td class=\"%s\">", cls);
	if (v == v) {
		fprintf(f, "<b>%.4g</b>", v);
		if (lo == lo && hi == hi)
			fprintf(f, " <span class=\"ci\">[%.4g, %.4g]</span>", lo, hi);
	} else {
		fputs("<span class=\"na\">not known</span>", f);
	}
	fputs("</td>", f);
}

/* headline.csv row i: resolved (its CI wider than one TSC step, or a slope). */
static int resolved(const struct rows *t, size_t i)
{
	return !az_why_unresolved(cell(t, i, "reason"));
}

static const char headline_head[] = "<table class=\"sortable headline\"><thead><tr><th>instruction</th><th>setup</th><th>net TSC ticks/insn [95% CI]</th><th>ns/insn [95% CI]</th><th>core cycles/insn [95% CI]</th><th>control (root: MOV; guest: VMCALL), ticks</th><th>ratio to control</th><th>estimator</th><th>points</th></tr></thead><tbody>\n";

/*
 * Does a headline reason hold more than the row already shows: a clause
 * other than the cycles cell's own "core clock unknown" and the isolation
 * note printed next to the cycles source?
 */
static int more_to_say(const char *reason)
{
	static const char *const shown[] = {
		AZ_WHY_NO_CLOCK, AZ_WHY_NOT_ISOLATED,
	};

	while (*reason) {
		size_t n = strcspn(reason, ";"), k, said = 0;

		while (*reason == ' ') {
			reason++;
			n--;
		}
		if (!strncmp(reason, AZ_WHY_CLOCK_MOVED, strlen(AZ_WHY_CLOCK_MOVED)))
			break;	/* the last clause, shown in the cell */
		for (k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
			said |= !strncmp(reason, shown[k], strlen(shown[k]));
		if (n && !said)
			return 1;
		reason += n;
		if (*reason == ';')
			reason++;
	}
	return 0;
}

/* One row of the headline table. */
static void headline_row(FILE *f, const struct rows *t, size_t i,
			 const struct az_dataset *ds, const struct az_reference *ref)
{
	const char *m = cell(t, i, "method"), *src = cell(t, i, "cycles_source");
	int o = 0, unres = !resolved(t, i);
	size_t a;

	fputs("<tr><td>", f);
	az_html_esc(f, cell(t, i, "instruction"));
	fputs("</td><td class=\"setup\">", f);
	for (a = 0; a < ds->naxis; a++)
		if (ref->val[a] && a != ds->unroll_col &&
		    strcmp(cell(t, i, ds->col[a]), ref->val[a])) {
			fprintf(f, "%s", o++ ? " " : "");
			az_html_esc(f, ds->col[a]);
			fputc('=', f);
			az_html_esc(f, cell(t, i, ds->col[a]));
		}
	if (!o)
		fputs("reference", f);
	fputs("</td>", f);
	est(f, cellnum(t, i, "ticks_per_insn"), cellnum(t, i, "ci_low"),
	    cellnum(t, i, "ci_high"), unres ? "net unres" : "net");
	est(f, cellnum(t, i, "ns_per_insn"), cellnum(t, i, "ns_ci_low"),
	    cellnum(t, i, "ns_ci_high"), unres ? "unres" : "ns");
	est(f, cellnum(t, i, "cycles_per_insn"), cellnum(t, i, "cycles_ci_low"),
	    cellnum(t, i, "cycles_ci_high"), unres ? "unres" : "cyc");
	fputs("<td>", f);
	if (cellnum(t, i, "control_ticks_per_insn") == cellnum(t, i, "control_ticks_per_insn")) {
		fprintf(f, "%.4g ", cellnum(t, i, "control_ticks_per_insn"));
		az_html_esc(f, cell(t, i, "control"));
	}
	fputs("</td><td>", f);
	if (cellnum(t, i, "ratio_to_control") == cellnum(t, i, "ratio_to_control"))
		fprintf(f, "%.3g", cellnum(t, i, "ratio_to_control"));
	fputs("</td><td class=\"note\" title=\"", f);
	az_html_esc(f, cell(t, i, "reason"));
	fputs("\">", f);
	if (!strcmp(m, "slope"))
		fputs("slope, unroll ", f);
	else if (*m)
		fputs("pair median, unroll ", f);
	if (*m)
		az_html_esc(f, cell(t, i, "unroll"));
	if (*src) {
		fputs("; cycles: ", f);
		az_html_esc(f, src);
		if (strstr(cell(t, i, "reason"), AZ_WHY_NOT_ISOLATED))
			fputs(" <span class=\"warn\">(CPU not isolated: may read low)</span>", f);
		if (strstr(cell(t, i, "reason"), AZ_WHY_CLOCK_MOVED)) {
			fputs("; <span class=\"warn\">", f);
			az_html_esc(f, strstr(cell(t, i, "reason"), AZ_WHY_CLOCK_MOVED));
			fputs("</span>", f);
		}
	}
	if (unres)
		fputs("; <span class=\"warn\">unresolved: within one TSC step</span>", f);
	else if (more_to_say(cell(t, i, "reason")))
		fputs("; <span class=\"warn\">see note (hover)</span>", f);
	fputs("</td><td>", f);
	az_html_esc(f, cell(t, i, "points"));
	fputs("</td></tr>\n", f);
}

/*
 * The headline: one row per setup, net cost with its 95% CI; the resolved
 * rows first, the setups the TSC could not resolve after them, collapsed,
 * so the first screen holds answers.
 */
static int headline(FILE *f, const struct az_run *run)
{
	char *path = az_path(run->dir, "headline.csv");
	const struct az_dataset *ds = &run->ds;
	struct az_reference ref;
	struct rows t;
	size_t i, a, nres = 0;
	FILE *x = fopen(path, "r");

	if (x)
		fclose(x);
	else if (az_headline_save(run)) {
		free(path);
		return -1;
	}
	if (rows_load(&t, path) < 0) {
		free(path);
		return -1;
	}
	free(path);
	az_reference_find(ds, &ref);
	fputs("<h2 id=\"headline\">Headline: net cost per instruction</h2>\n", f);
	for (i = 1; i < t.n; i++)
		nres += resolved(&t, i);
	if (nres) {
		fputs(headline_head, f);
		for (i = 1; i < t.n; i++)
			if (resolved(&t, i))
				headline_row(f, &t, i, ds, &ref);
		fputs("</tbody></table>\n", f);
	}
	if (nres + 1 < t.n) {
		fprintf(f, "<details%s><summary>%zu setup%s unresolved: the net cost per window is within one TSC step (measure at several unrolls for a slope)</summary>\n",
			nres ? "" : " open", t.n - 1 - nres, t.n - 1 - nres == 1 ? "" : "s");
		fputs(headline_head, f);
		for (i = 1; i < t.n; i++)
			if (!resolved(&t, i))
				headline_row(f, &t, i, ds, &ref);
		fputs("</tbody></table></details>\n", f);
	}
	if (t.n < 2)
		fputs("<p>No setup in headline.csv.</p>\n", f);
	fputs("<p class=\"expl\">Net cost per instruction from <code>headline.csv</code>. <b>slope</b>: least-squares slope of the window's TSC (net of the interleaved baseline) over unroll, on per-unroll means of the readings within 6 TSC steps of their median; the bracket's fixed cost cancels and a coarse TSC is resolved by dithering. <b>pair median</b>: median over sample pairs of (window &minus; baseline) / unroll, when a setup was measured at one unroll only. ns from <code>tsc_khz</code>; core cycles from a <code>cycles</code> event, APERF/MPERF, or the add chain measured in the same run (1 cycle per add). Setup: the axes that differ from the sweep's reference (", f);
	for (a = 0, i = 0; a < ds->naxis; a++)
		if (ref.val[a] && a != ds->unroll_col) {
			fprintf(f, "%s", i++ ? ", " : "");
			az_html_esc(f, ds->col[a]);
			fputc('=', f);
			az_html_esc(f, ref.val[a]);
		}
	fputs(").</p>\n", f);
	az_reference_free(&ref);
	rows_free(&t);
	return 0;
}

static int warn_meta(const struct az_meta *m, const char *key, const char *bad)
{
	return !strcmp(az_meta_get(m, key), bad);
}

/*
 * When headline.csv's cycles are wider than ±1 %: a line saying how far
 * the core clock moved and how wide the cycles column is (the widest row's
 * words), with the fix.
 */
static void clock_line(FILE *f, const struct az_run *run)
{
	char *path = az_path(run->dir, "headline.csv");
	struct rows t = { 0 };
	size_t i, w = 0;
	double wmax = 0;
	FILE *x = fopen(path, "r");

	if (x)
		fclose(x);
	if ((x || !az_headline_save(run)) && rows_load(&t, path) >= 0) {
		for (i = 1; i < t.n; i++) {
			double v = cellnum(&t, i, "cycles_per_insn");
			double h = (cellnum(&t, i, "cycles_ci_high") -
				    cellnum(&t, i, "cycles_ci_low")) / 2 / fabs(v);

			if (resolved(&t, i) &&
			    strstr(cell(&t, i, "reason"), AZ_WHY_CLOCK_MOVED) &&
			    h > wmax) {
				wmax = h;
				w = i;
			}
		}
		if (w) {
			fputs("<div class=\"warn\">cycles: ", f);
			az_html_esc(f, strstr(cell(&t, w, "reason"), AZ_WHY_CLOCK_MOVED));
			fputs(" (widest: ", f);
			az_html_esc(f, cell(&t, w, "instruction"));
			fputs("). TSC ticks and ns carry no calibration.</div>\n", f);
		}
		rows_free(&t);
	}
	free(path);
}

/* Six lines under the title: what the numbers were measured under, and
   the behaviour on the reference page's branches. */
static void conditions(FILE *f, const struct az_run *run, size_t skipped,
		       const struct az_conf *conf)
{
	const struct az_meta *m = &run->meta;
	const char *smi = az_meta_get(m, "windows_smi");
	const char *nmi = az_meta_get(m, "windows_nmi");
	int bad, note_set;

	fputs("<div class=\"cond\" id=\"conditions\">\n<div>kernel ", f);
	az_html_esc(f, az_meta_get(m, "kernel"));
	fputs(" &middot; host ", f);
	az_html_esc(f, az_meta_get(m, "host"));
	fputs(" &middot; measured ", f);
	az_html_esc(f, az_meta_get(m, "start_time"));
	fputs(" &middot; platform ", f);
	az_html_esc(f, az_meta_get(m, "platform"));
	if (strcmp(az_meta_get(m, "rounds"), "unknown") &&
	    strcmp(az_meta_get(m, "rounds"), "1")) {
		fputs(" &middot; in ", f);
		az_html_esc(f, az_meta_get(m, "rounds"));
		fputs(" interleaved rounds", f);
	}
	fputs("</div>\n", f);
	bad = !warn_meta(m, "target_isolated", "yes");
	fprintf(f, "<div class=\"%s\">target CPU ", bad ? "warn" : "ok");
	az_html_esc(f, az_meta_get(m, "target_cpu"));
	fputs(bad ? " not isolated" : " isolated", f);
	fputs(" (isolcpus ", f);
	az_html_esc(f, az_meta_get(m, "isolcpus"));
	fputs(", nohz_full ", f);
	az_html_esc(f, az_meta_get(m, "nohz_full"));
	fputs(", SMT active ", f);
	az_html_esc(f, az_meta_get(m, "smt_active"));
	fputs(")</div>\n", f);
	bad = !warn_meta(m, "turbo", "off") ||
	      !warn_meta(m, "governor", "performance");
	fprintf(f, "<div class=\"%s\">turbo ", bad ? "warn" : "ok");
	az_html_esc(f, az_meta_get(m, "turbo"));
	fputs(" &middot; governor ", f);
	az_html_esc(f, az_meta_get(m, "governor"));
	fputs(" &middot; TSC ", f);
	az_html_esc(f, az_meta_get(m, "tsc_khz"));
	fputs(" kHz</div>\n", f);
	bad = (strcmp(smi, "0") && strcmp(smi, "unknown")) ||
	      (strcmp(nmi, "0") && strcmp(nmi, "unknown"));
	fprintf(f, "<div class=\"%s\">windows with an SMI: ", bad ? "warn" : "ok");
	az_html_esc(f, smi);
	fputs(" &middot; with an NMI: ", f);
	az_html_esc(f, nmi);
	fputs(" &middot; mismatches: ", f);
	az_html_esc(f, az_meta_get(m, "mismatches"));
	fputs("</div>\n", f);
	note_set = strcmp(az_meta_get(m, "timing_note"), "unknown") &&
		   strcmp(az_meta_get(m, "timing_note"), "none");
	bad = az_meta_emulated(m) || skipped || note_set;
	fprintf(f, "<div class=\"%s\">", bad ? "warn" : "ok");
	if (az_meta_emulated(m))
		fputs("EMULATED: not real timing. ", f);
	if (skipped)
		fprintf(f, "%zu point%s skipped (<a href=\"#skipped\">why</a>). ",
			skipped, skipped == 1 ? "" : "s");
	if (note_set) {
		/* the first clause on the line, all of it on hover */
		const char *note = az_meta_get(m, "timing_note");
		char first[160];
		size_t k = strcspn(note, ";");

		snprintf(first, sizeof(first), "%.*s", (int)(k < 150 ? k : 150), note);
		fputs("<span title=\"", f);
		az_html_esc(f, note);
		fputs("\">", f);
		az_html_esc(f, first);
		fputs(note[k] ? "; &hellip;</span>" : "</span>", f);
	}
	else if (!bad)
		fputs("no warnings", f);
	fputs("</div>\n", f);
	clock_line(f, run);
	az_conf_html_line(f, conf);
	fputs("</div>\n", f);
}

/* points.csv's rows that were not measured, with their reasons. */
static void skipped_points(FILE *f, const struct rows *p)
{
	size_t i, n = 0;

	for (i = 1; i < p->n; i++)
		if (strcmp(cell(p, i, "status"), "measured"))
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
		if (!strcmp(cell(p, i, "status"), "measured"))
			continue;
		fputs("<tr><td>", f);
		az_html_esc(f, cell(p, i, "point"));
		fputs("</td><td>", f);
		az_html_esc(f, cell(p, i, "instruction"));
		fputs("</td><td>", f);
		az_html_esc(f, cell(p, i, "status"));
		fputs("</td><td style=\"text-align:left\">", f);
		az_html_esc(f, cell(p, i, "reason"));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/* Setups measured at several points (r[n], az_repeats()): their medians
   in run order. */
static void drift(FILE *f, const struct az_run *run, const struct rows *pts,
		  const struct az_repeat *r, size_t n)
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
			for (j = 1; j < pts->n && strcmp(cell(pts, j, "point"), id); j++)
				;
			if (j < pts->n) {
				fputs(" (", f);
				az_html_esc(f, cell(pts, j, "section"));
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

/* One config section of points.csv: what its plots are. */
struct section {
	const struct rows *pts;
	const char *name;
	const char *pdir;
};

static int in_section(const struct section *sc, size_t i)
{
	return !strcmp(cell(sc->pts, i, "section"), sc->name);
}

static size_t sections(const struct rows *pts, const char **name, size_t max);

/* The section holding most of the points NAME.dat's "# points:" line
   lists (ties: the one configured first); NULL when there is none. */
static const char *owner(const struct section *sc, const char *name)
{
	char path[600], line[8192], *tok, *save = NULL;
	const char *sec[256];
	size_t ns = sections(sc->pts, sec, 256), cnt[256] = { 0 }, i, k, best = 0;
	FILE *d;

	snprintf(path, sizeof(path), "%s/%s.dat", sc->pdir, name);
	d = fopen(path, "r");
	if (!d)
		return NULL;
	if (!fgets(line, sizeof(line), d) || strncmp(line, "# points:", 9)) {
		fclose(d);
		return NULL;
	}
	fclose(d);
	for (tok = strtok_r(line + 9, " \r\n", &save); tok;
	     tok = strtok_r(NULL, " \r\n", &save))
		for (i = 1; i < sc->pts->n; i++)
			if (!strcmp(cell(sc->pts, i, "point"), tok))
				for (k = 0; k < ns; k++)
					if (!strcmp(sec[k], cell(sc->pts, i, "section")))
						cnt[k]++;
	for (k = 1; k < ns; k++)
		if (cnt[k] > cnt[best])
			best = k;
	return ns && cnt[best] ? sec[best] : NULL;
}

/* Axis plots, unroll lines and the heatmap: under the section holding
   most of their points. */
static int want_section(const char *name, const void *ctx)
{
	const struct section *sc = ctx;
	const char *o;

	if (per_point(name) || !strncmp(name, "box-point", 9))
		return 0;
	o = owner(sc, name);
	return o && !strcmp(o, sc->name);
}

/* hist-[net-]pP..., cdf-[net-]pP...: point P in the section. */
static int want_section_point(const char *name, const void *ctx)
{
	const struct section *sc = ctx;
	const char *p = strstr(name, "-p");
	char id[64];
	size_t i;

	if (!per_point(name) || !p || sscanf(p + 2, "%63[^-]", id) != 1)
		return 0;
	for (i = 1; i < sc->pts->n; i++)
		if (in_section(sc, i) && !strcmp(cell(sc->pts, i, "point"), id))
			return 1;
	return 0;
}

/* The sections of points.csv in the order configured; count returned. */
static size_t sections(const struct rows *pts, const char **name, size_t max)
{
	size_t i, j, n = 0;

	for (i = 1; i < pts->n; i++) {
		const char *s = cell(pts, i, "section");

		if (!*s)
			continue;
		for (j = 0; j < n && strcmp(name[j], s); j++)
			;
		if (j == n && n < max)
			name[n++] = s;
	}
	return n;
}

/* Plots across setups: per section as configured, then the rest. */
static int section_plots(FILE *f, const char *pdir, const struct rows *pts,
			 struct shown *sh)
{
	const char *name[256];
	size_t n = sections(pts, name, 256), k, i;
	int rc = 0;

	for (k = 0; k < n; k++) {
		struct section sc = { pts, name[k], pdir };
		size_t np = 0;

		for (i = 1; i < pts->n; i++)
			np += in_section(&sc, i);
		fputs("<h3>[", f);
		az_html_esc(f, name[k]);
		fprintf(f, "] <span class=\"ci\">%zu point%s", np, np == 1 ? "" : "s");
		for (i = 1; i < pts->n; i++)
			if (in_section(&sc, i)) {
				fputs(i == 1 || !in_section(&sc, i - 1) ? ": " : ", ", f);
				az_html_esc(f, cell(pts, i, "point"));
			}
		fputs("</span></h3>\n", f);
		if (plots(f, pdir, want_section, &sc, sh))
			rc = -1;
	}
	if (n)
		fputs("<h3>Every point, per instruction</h3>\n", f);
	if (plots(f, pdir, want_across, NULL, sh))
		rc = -1;
	return rc;
}

/* Per-point plots, collapsed, one <details> per section. */
static int section_point_plots(FILE *f, const char *pdir,
			       const struct rows *pts, struct shown *sh)
{
	const char *name[256];
	size_t n = sections(pts, name, 256), k;
	int rc = 0;

	for (k = 0; k < n; k++) {
		struct section sc = { pts, name[k], pdir };

		fputs("<details><summary>[", f);
		az_html_esc(f, name[k]);
		fputs("]: histograms and CDFs per point (window TSC with the baseline; per-pair net value)</summary>\n", f);
		if (plots(f, pdir, want_section_point, &sc, sh))
			rc = -1;
		fputs("</details>\n", f);
	}
	fputs("<details><summary>", f);
	fputs(n ? "other points" : "histograms and CDFs of every point (window TSC with the baseline; per-pair net value)", f);
	fputs("</summary>\n", f);
	if (plots(f, pdir, want_point, NULL, sh))
		rc = -1;
	fputs("</details>\n", f);
	return rc;
}

static int report(const struct az_run *run, const struct az_conf *conf)
{
	char *out = az_path(run->dir, "report.html");
	char *pdir = az_path(run->dir, "plots");
	char *all = az_path(pdir, "all.gp"), title[600], *pts_path;
	struct rows pts = { 0 };
	struct shown sh = { 0 };
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
		if (rows_load(&pts, pts_path) < 0)
			rc = -1;
	}
	free(pts_path);
	for (i = 1; i < pts.n; i++)
		skipped += !!strcmp(cell(&pts, i, "status"), "measured");
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
	conditions(f, run, skipped, conf);
	fputs("<nav><a href=\"#headline\">Headline</a>", f);
	if (nrep)
		fputs("<a href=\"#drift\">Drift</a>", f);
	fputs("<a href=\"#behaviour\">Behaviour</a><a href=\"#skipped\">Points not measured</a><a href=\"#plots\">Plots across setups</a><a href=\"#summary\">Summary per point</a><a href=\"#pointplots\">Per-point distributions</a><a href=\"#run\">Run (meta.csv)</a></nav>\n", f);
	if (headline(f, run))
		rc = -1;
	drift(f, run, &pts, rep, nrep);
	az_conf_html_section(f, conf);
	skipped_points(f, &pts);
	fputs("<h2 id=\"plots\">Plots across setups</h2>\n", f);
	if (section_plots(f, pdir, &pts, &sh))
		rc = -1;
	fputs("<h2 id=\"summary\">Summary per point</h2>\n<p class=\"expl\">Run folder: ", f);
	az_html_esc(f, run->dir);
	fputs(". TSC values are TSC ticks per timed window; net per insn is the median over sample pairs of (window &minus; baseline window) / unroll, in TSC ticks per instruction, with its 95% order-statistic CI. Click a column to sort.</p>\n", f);
	fputs("<div style=\"overflow-x:auto\">", f);
	table(f, &run->ds);
	fputs("</div>\n<h2 id=\"pointplots\">Per-point distributions</h2>\n", f);
	if (section_point_plots(f, pdir, &pts, &sh))
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
	rows_free(&pts);
	shown_free(&sh);
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
