// SPDX-License-Identifier: GPL-2.0
/*
 * export's Markdown: pipe tables for wikis and tickets — the run, the
 * headline, the behaviour, one summary table per metric (and section).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformexport.h"
#include "csv.h"
#include "diag.h"
#include "export.h"
#include "headline.h"
#include "mdtable.h"
#include "setup.h"

/* Numbers to 6 significant digits; integers as they are. */
static char *md_num(const char *s)
{
	char buf[64];
	double v;

	if (csv_number(s, &v) || az_json_grammar(s, 1))
		return az_md_cell(s);
	snprintf(buf, sizeof(buf), "%.6g", v);
	return az_strdup(buf);
}

/* The summary's statistics shown in Markdown, with their headers. */
static const struct {
	const char *col, *head;
	int unit;		/* 1: the row's unit, 2: its net_unit */
} md_stats[] = {
	{ "n", "n", 0 },
	{ "median", "median (%s)", 1 },
	{ "p05", "p05", 0 },
	{ "p95", "p95", 0 },
	{ "mean", "mean", 0 },
	{ "stddev", "stddev", 0 },
	{ "net_per_insn", "net per insn (%s)", 2 },
	{ "net_ci_low", "net 95%% CI low", 0 },
	{ "net_ci_high", "net 95%% CI high", 0 },
};

/* One table: the rows of section sec (NULL: all) and metric; constant axes
 * are listed above it. */
static void md_summary_table(FILE *f, const struct az_csvtext *t,
			     const struct az_layout *l, const char *sec,
			     const char *metric)
{
	long unit = az_csvtext_col(t, "unit"), net_unit = az_csvtext_col(t, "net_unit");
	long reason = az_csvtext_col(t, "net_reason");
	const char *u = "", *nu = "";
	size_t r, c, k, *axes = az_malloc(l->naxis * sizeof(size_t)), nax = 0;
	size_t first = t->nrow;
	int fixed = 0;
	struct az_mdt m;

#define IN(r) ((!sec || !strcmp(t->cell[r][l->section], sec)) && !strcmp(t->cell[r][l->metric], metric))
	for (r = 0; r < t->nrow; r++)
		if (IN(r)) {
			if (first == t->nrow)
				first = r;
			if (!*u)
				u = t->cell[r][unit];
			if (!*nu)
				nu = t->cell[r][net_unit];
		}
	/* point and instruction always; other axes when they vary */
	for (c = 0; c < l->naxis; c++) {
		int varies = (long)c == l->point || (long)c == l->instruction;

		if ((long)c == l->section)
			continue;
		for (r = first; r < t->nrow && !varies; r++)
			if (IN(r) && strcmp(t->cell[r][c], t->cell[first][c]))
				varies = 1;
		if (varies) {
			axes[nax++] = c;
		} else {
			fprintf(f, "%s%s%s%s", fixed ? ", " : "Same in every row: ", t->col[c], *t->cell[first][c] ? "=" : " empty", t->cell[first][c]);
			fixed = 1;
		}
	}
	if (fixed)
		fputs(".\n\n", f);
	az_mdt_init(&m, nax + NELEM(md_stats) + 1);
	for (c = 0; c < nax; c++)
		m.head[c] = az_md_cell(t->col[axes[c]]);
	for (k = 0; k < NELEM(md_stats); k++) {
		char buf[200];

		snprintf(buf, sizeof(buf), md_stats[k].head, md_stats[k].unit == 1 ? u : nu);
		m.head[nax + k] = az_md_cell(buf);
	}
	m.head[nax + k] = az_strdup("note");
	for (r = first; r < t->nrow; r++) {
		char **cells;

		if (!IN(r))
			continue;
		cells = az_malloc(m.ncol * sizeof(char *));
		for (c = 0; c < nax; c++)
			cells[c] = az_md_cell(t->cell[r][axes[c]]);
		for (k = 0; k < NELEM(md_stats); k++)
			cells[nax + k] = md_num(t->cell[r][az_csvtext_col(t, md_stats[k].col)]);
		cells[nax + k] = az_md_cell(t->cell[r][reason]);
		az_mdt_row(&m, cells);
	}
	m.numeric[nax + k] = 0;
#undef IN
	az_mdt_write(f, &m);
	free(axes);
}

/* Distinct values of column c in order of first appearance. */
static size_t distinct(const struct az_csvtext *t, long c, const char ***out)
{
	size_t n = 0, r, i;

	*out = az_malloc((t->nrow + 1) * sizeof(char *));
	for (r = 0; r < t->nrow; r++) {
		for (i = 0; i < n; i++)
			if (!strcmp((*out)[i], t->cell[r][c]))
				break;
		if (i == n)
			(*out)[n++] = t->cell[r][c];
	}
	return n;
}

/* "v [lo, hi]" to 4 significant digits, "v" without a CI, "" without v. */
static char *md_est(const struct az_csvtext *t, size_t r, const char *v,
		    const char *lo, const char *hi)
{
	long cv = az_csvtext_col(t, v), cl = az_csvtext_col(t, lo), ch = az_csvtext_col(t, hi);
	double x, a, b;
	char buf[96];

	if (cv < 0 || csv_number(t->cell[r][cv], &x))
		return az_strdup("");
	if (cl >= 0 && ch >= 0 && !csv_number(t->cell[r][cl], &a) &&
	    !csv_number(t->cell[r][ch], &b))
		snprintf(buf, sizeof(buf), "%.4g [%.4g, %.4g]", x, a, b);
	else
		snprintf(buf, sizeof(buf), "%.4g", x);
	return az_strdup(buf);
}

static char *md_col(const struct az_csvtext *t, size_t r, const char *name)
{
	long c = az_csvtext_col(t, name);

	return c < 0 ? az_strdup("") : md_num(t->cell[r][c]);
}

/* Row r's cell of column name, or NULL without the column. */
static const char *md_cell_of(const struct az_csvtext *t, size_t r,
			      const char *name)
{
	long c = az_csvtext_col(t, name);

	return c < 0 ? NULL : t->cell[r][c];
}

/* "vmread field=guest-rip", "vmcall: exit": row r's name (az_row_label). */
static char *md_insn(const struct az_csvtext *t, size_t r)
{
	const char *val[3], *insn = md_cell_of(t, r, "instruction");
	char label[128];
	size_t k;

	for (k = 0; k < 3; k++)
		val[k] = md_cell_of(t, r, az_variant_cols[k]);
	az_row_label(insn ? insn : "", val, md_cell_of(t, r, "mode"),
		     md_cell_of(t, r, "part"), label, sizeof(label));
	return az_md_cell(label);
}

/*
 * headline.csv for a reader: the setup axes that vary, the net cost with
 * its CI in ticks, ns and cycles, the MOV control; the resolved rows
 * first (as the report shows them), the unresolved after.
 */
static void md_headline(FILE *f, const struct az_csvtext *t)
{
	long first = az_csvtext_col(t, "instruction") + 1, last = az_csvtext_col(t, "points");
	long rc = az_csvtext_col(t, "reason");
	size_t keep[64], nkeep = 0, r, k, pass;
	int fixed = 0;
	struct az_mdt m;

	for (long c = first; last > first && c < last; c++) {
		int varies = 0;

		if (az_variant_col(t->col[c]) || !strcmp(t->col[c], "part"))
			continue;	/* in the instruction's cell */
		for (r = 1; r < t->nrow && !varies; r++)
			varies = strcmp(t->cell[r][c], t->cell[0][c]) != 0;
		if (varies && nkeep < 64) {
			keep[nkeep++] = (size_t)c;
		} else if (t->nrow) {
			fprintf(f, "%s%s=%s", fixed ? ", " : "Every row: ", t->col[c], t->cell[0][c]);
			fixed = 1;
		}
	}
	if (fixed)
		fputs(".\n\n", f);
	az_mdt_init(&m, nkeep + 10);
	m.head[0] = az_strdup("instruction");
	for (k = 0; k < nkeep; k++)
		m.head[k + 1] = az_md_cell(t->col[keep[k]]);
	m.head[nkeep + 1] = az_strdup("TSC ticks/insn [95% CI]");
	m.head[nkeep + 2] = az_strdup("ns/insn [95% CI]");
	m.head[nkeep + 3] = az_strdup("cycles/insn [95% CI]");
	m.head[nkeep + 4] = az_strdup("control");
	m.head[nkeep + 5] = az_strdup("control, ticks");
	m.head[nkeep + 6] = az_strdup("ratio to control");
	m.head[nkeep + 7] = az_strdup("method");
	m.head[nkeep + 8] = az_strdup("points");
	m.head[nkeep + 9] = az_strdup("note");
	for (pass = 0; pass < 2; pass++)
		for (r = 0; r < t->nrow; r++) {
			const char *why = rc >= 0 ? t->cell[r][rc] : "";
			int unres = az_why_unresolved(why);
			char **cells;

			if (unres != (int)pass)
				continue;
			cells = az_malloc((nkeep + 11) * sizeof(char *));
			cells[0] = md_insn(t, r);
			for (k = 0; k < nkeep; k++)
				cells[k + 1] = az_md_cell(t->cell[r][keep[k]]);
			cells[nkeep + 1] = md_est(t, r, "ticks_per_insn", "ci_low", "ci_high");
			cells[nkeep + 2] = md_est(t, r, "ns_per_insn", "ns_ci_low", "ns_ci_high");
			cells[nkeep + 3] = md_est(t, r, "cycles_per_insn", "cycles_ci_low", "cycles_ci_high");
			cells[nkeep + 4] = md_col(t, r, "control");
			cells[nkeep + 5] = md_col(t, r, "control_ticks_per_insn");
			cells[nkeep + 6] = md_col(t, r, "ratio_to_control");
			cells[nkeep + 7] = md_col(t, r, "method");
			cells[nkeep + 8] = md_col(t, r, "points");
			cells[nkeep + 9] = az_md_cell(unres ? "unresolved: within one TSC step" : why);
			az_mdt_row(&m, cells);
		}
	m.numeric[nkeep + 1] = m.numeric[nkeep + 2] = m.numeric[nkeep + 3] = 1;
	az_mdt_write(f, &m);
	fputs("Net cost per instruction (method `slope`: least-squares slope over unroll of the window net of the baseline; `pair-median`: median over sample pairs, one unroll); cycles from the `cycles_source` of headline.csv; control: what a vmptrst row is set against at the same setup, the MOV store in mode root, the VMCALL round trip in mode guest; VMPTRST's family, named with its target, field or type, is net of the baseline only. In mode guest an instruction that exits is a round trip through the module's exit handler (with a field: the field it writes before every VMRESUME); its `exit` and `entry` rows (method `mean`) are the raw halves of each record's last VM exit, not net of the baseline and per exit: exit from the TSC the CPU stored at the exit to the handler's first RDTSC, entry from the handler's last RDTSC to the guest's closing RDTSC; they do not add up to the round trip. Every column: headline.csv.\n\n", f);
}

int az_export_md(FILE *f, const char *dir, const struct az_meta *m,
		 const struct az_csvtext *sum, const struct az_layout *l,
		 const struct az_csvtext *head, const struct az_conf *conf)
{
	static const char *const keys[] = {
		"host", "cpu_model_name", "microcode", "kernel", "tsc_khz",
		"platform", "backend", "start_time", "config", "config_sha256",
		"tool_version", "tool_commit",
	};
	const char **metrics, **secs, *none = NULL;
	size_t nmet, nsec, i, j;
	char title[600];
	struct az_mdt kv;

	if (az_meta_emulated(m))
		fprintf(f, "> **Emulated run: not real timing.** %s\n\n", az_meta_get(m, "timing_note"));
	az_meta_title(m, title, sizeof(title));
	fprintf(f, "# VMPTRST latency: %s\n\n", title);
	az_mdt_init(&kv, 2);
	kv.head[0] = az_strdup("run");
	kv.head[1] = az_md_cell(dir);
	for (i = 0; i < NELEM(keys); i++) {
		char **cells = az_malloc(2 * sizeof(char *));

		cells[0] = az_strdup(keys[i]);
		cells[1] = az_md_cell(az_meta_get(m, keys[i]));
		az_mdt_row(&kv, cells);
	}
	kv.numeric[0] = kv.numeric[1] = 0;
	az_mdt_write(f, &kv);
	if (head) {
		fputs("## Headline (from headline.csv)\n\n", f);
		md_headline(f, head);
	}
	az_conf_md(f, conf);
	nmet = distinct(sum, l->metric, &metrics);
	if (l->section >= 0) {
		nsec = distinct(sum, l->section, &secs);
	} else {
		secs = &none;
		nsec = 1;
	}
	for (i = 0; i < nsec; i++)
		for (j = 0; j < nmet; j++) {
			if (secs[i])
				fprintf(f, "## Summary: %s, %s\n\n", secs[i], metrics[j]);
			else
				fprintf(f, "## Summary: %s\n\n", metrics[j]);
			md_summary_table(f, sum, l, secs[i], metrics[j]);
		}
	if (!sum->nrow)
		fputs("No points in summary.csv.\n", f);
	fputs("Quantiles, mean and stddev per timed window of `unroll` instructions; net per insn: median over sample pairs of (window - baseline window) / unroll, with its 95% order-statistic CI. Empty: not measured.\n", f);
	free(metrics);
	if (l->section >= 0)
		free(secs);
	return 0;
}
