// SPDX-License-Identifier: GPL-2.0
/*
 * The report's headline: headline.csv's rows, net cost per setup in TSC
 * ticks, ns and core cycles with their 95% CIs, the resolved rows first;
 * and the warning line when the cycles carry a clock that moved.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"
#include "diag.h"
#include "headline.h"
#include "html.h"
#include "report.h"
#include "setup.h"
#include "split.h"

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
static int resolved(const struct az_rows *t, size_t i)
{
	return !az_why_unresolved(az_cell(t, i, "reason"));
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
		AZ_WHY_NO_CLOCK, AZ_WHY_NOT_ISOLATED, AZ_WHY_BASELINE_ONLY,
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
static void headline_row(FILE *f, const struct az_rows *t, size_t i,
			 const struct az_dataset *ds, const struct az_reference *ref)
{
	const char *m = az_cell(t, i, "method"), *src = az_cell(t, i, "cycles_source");
	const char *var[3];
	int o = 0, unres = !resolved(t, i);
	char label[128];
	size_t a;

	/* the instruction with its variant: "vmread field=guest-rip"; a
	   guest exit's part of the round trip: "vmcall: exit" */
	for (a = 0; a < 3; a++)
		var[a] = az_cell(t, i, az_variant_cols[a]);
	az_row_label(az_cell(t, i, "instruction"), var, az_cell(t, i, "mode"),
		     az_cell(t, i, "part"), label, sizeof(label));
	fputs("<tr><td>", f);
	az_html_esc(f, label);
	fputs("</td><td class=\"setup\">", f);
	for (a = 0; a < ds->naxis; a++)
		if (ref->val[a] && a != ds->unroll_col &&
		    !az_variant_col(ds->col[a]) &&
		    strcmp(az_cell(t, i, ds->col[a]), ref->val[a])) {
			fprintf(f, "%s", o++ ? " " : "");
			az_html_esc(f, ds->col[a]);
			fputc('=', f);
			az_html_esc(f, az_cell(t, i, ds->col[a]));
		}
	if (!o)
		fputs("reference", f);
	fputs("</td>", f);
	est(f, az_cellnum(t, i, "ticks_per_insn"), az_cellnum(t, i, "ci_low"),
	    az_cellnum(t, i, "ci_high"), unres ? "net unres" : "net");
	est(f, az_cellnum(t, i, "ns_per_insn"), az_cellnum(t, i, "ns_ci_low"),
	    az_cellnum(t, i, "ns_ci_high"), unres ? "unres" : "ns");
	est(f, az_cellnum(t, i, "cycles_per_insn"), az_cellnum(t, i, "cycles_ci_low"),
	    az_cellnum(t, i, "cycles_ci_high"), unres ? "unres" : "cyc");
	fputs("<td>", f);
	if (az_cellnum(t, i, "control_ticks_per_insn") == az_cellnum(t, i, "control_ticks_per_insn")) {
		fprintf(f, "%.4g ", az_cellnum(t, i, "control_ticks_per_insn"));
		az_html_esc(f, az_cell(t, i, "control"));
	} else if (strstr(az_cell(t, i, "reason"), AZ_WHY_BASELINE_ONLY)) {
		fputs("<span class=\"na\">net of the baseline only</span>", f);
	}
	fputs("</td><td>", f);
	if (az_cellnum(t, i, "ratio_to_control") == az_cellnum(t, i, "ratio_to_control"))
		fprintf(f, "%.3g", az_cellnum(t, i, "ratio_to_control"));
	fputs("</td><td class=\"note\" title=\"", f);
	az_html_esc(f, az_cell(t, i, "reason"));
	fputs("\">", f);
	if (!strcmp(m, "slope"))
		fputs("slope, unroll ", f);
	else if (!strcmp(m, "mean"))
		fputs("<span class=\"warn\">raw</span> mean of the records' halves, unroll ", f);
	else if (*m)
		fputs("pair median, unroll ", f);
	if (*m)
		az_html_esc(f, az_cell(t, i, "unroll"));
	if (*src) {
		fputs("; cycles: ", f);
		az_html_esc(f, src);
		if (strstr(az_cell(t, i, "reason"), AZ_WHY_NOT_ISOLATED))
			fputs(" <span class=\"warn\">(CPU not isolated: may read low)</span>", f);
		if (strstr(az_cell(t, i, "reason"), AZ_WHY_CLOCK_MOVED)) {
			fputs("; <span class=\"warn\">", f);
			az_html_esc(f, strstr(az_cell(t, i, "reason"), AZ_WHY_CLOCK_MOVED));
			fputs("</span>", f);
		}
	}
	if (unres)
		fputs("; <span class=\"warn\">unresolved: within one TSC step</span>", f);
	else if (more_to_say(az_cell(t, i, "reason")))
		fputs("; <span class=\"warn\">see note (hover)</span>", f);
	fputs("</td><td>", f);
	az_html_esc(f, az_cell(t, i, "points"));
	fputs("</td></tr>\n", f);
}

/*
 * The headline: one row per setup, net cost with its 95% CI; the resolved
 * rows first, the setups the TSC could not resolve after them, collapsed,
 * so the first screen holds answers.
 */
int az_report_headline(FILE *f, const struct az_run *run)
{
	char *path = az_path(run->dir, "headline.csv");
	const struct az_dataset *ds = &run->ds;
	struct az_reference ref;
	struct az_rows t;
	size_t i, a, nres = 0;
	FILE *x = fopen(path, "r");

	if (x)
		fclose(x);
	else if (az_headline_save(run)) {
		free(path);
		return -1;
	}
	if (az_rows_load(&t, path) < 0) {
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
	fputs("<p class=\"expl\">Net cost per instruction from <code>headline.csv</code>. <b>slope</b>: least-squares slope of the window's TSC (net of the interleaved baseline) over unroll, on per-unroll means of the readings within 6 TSC steps of their median; the bracket's fixed cost cancels and a coarse TSC is resolved by dithering. <b>pair median</b>: median over sample pairs of (window &minus; baseline) / unroll, when a setup was measured at one unroll only. ns from <code>tsc_khz</code>; core cycles from a <code>cycles</code> event, APERF/MPERF, or the add chain measured in the same run (1 cycle per add). VMPTRST's family is named with its target, field or type (<code>vmread field=guest-rip</code>) and is net of the baseline only: the MOV control pairs with vmptrst. In mode guest each instruction that exits is a <b>round trip</b> through the module's exit handler (its <code>field</code>, if any, the field the handler writes before every VMRESUME: the dirty-VMCS cost), and where the run has the split its <b>exit</b> and <b>entry</b> halves follow it: the <b>mean</b> of each record's last VM exit's half (the readings within 6 TSC steps or 6 MADs of their median), <b>raw, not net of the baseline</b>, per exit, at the family's longest unroll. <b>exit</b>: from the TSC the CPU stored during the exit (after it saved the guest's state) to the handler's first RDTSC: the host state loaded and the landing. <b>entry</b>: from the handler's last RDTSC to the guest's closing RDTSC: VMRESUME with its checks, the guest state loaded and the closing bracket. They do not add up to the round trip: it also holds the exit's first part and the handler's work between its two RDTSCs, and its bracket cancels against the baseline. A record whose halves fail the check (" AZ_SPLIT_RULE ") is left out of them and counted (conditions above). Setup: the axes that differ from the sweep's reference (", f);
	for (a = 0, i = 0; a < ds->naxis; a++)
		if (ref.val[a] && a != ds->unroll_col &&
		    !az_variant_col(ds->col[a])) {
			fprintf(f, "%s", i++ ? ", " : "");
			az_html_esc(f, ds->col[a]);
			fputc('=', f);
			az_html_esc(f, ref.val[a]);
		}
	fputs(").</p>\n", f);
	az_reference_free(&ref);
	az_rows_free(&t);
	return 0;
}

/*
 * When headline.csv's cycles are wider than ±1 %: a line saying how far
 * the core clock moved and how wide the cycles column is (the widest row's
 * words), with the fix.
 */
void az_report_clock_line(FILE *f, const struct az_run *run)
{
	char *path = az_path(run->dir, "headline.csv");
	struct az_rows t = { 0 };
	size_t i, w = 0;
	double wmax = 0;
	FILE *x = fopen(path, "r");

	if (x)
		fclose(x);
	if ((x || !az_headline_save(run)) && az_rows_load(&t, path) >= 0) {
		for (i = 1; i < t.n; i++) {
			double v = az_cellnum(&t, i, "cycles_per_insn");
			double h = (az_cellnum(&t, i, "cycles_ci_high") -
				    az_cellnum(&t, i, "cycles_ci_low")) / 2 / fabs(v);

			if (resolved(&t, i) &&
			    strstr(az_cell(&t, i, "reason"), AZ_WHY_CLOCK_MOVED) &&
			    h > wmax) {
				wmax = h;
				w = i;
			}
		}
		if (w) {
			fputs("<div class=\"warn\">cycles: ", f);
			az_html_esc(f, strstr(az_cell(&t, w, "reason"), AZ_WHY_CLOCK_MOVED));
			fputs(" (widest: ", f);
			az_html_esc(f, az_cell(&t, w, "instruction"));
			fputs("). TSC ticks and ns carry no calibration.</div>\n", f);
		}
		az_rows_free(&t);
	}
	free(path);
}
