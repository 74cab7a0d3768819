// SPDX-License-Identifier: GPL-2.0
/*
 * export DIR --format json|md [-o FILE]: a run for other tools and for
 * people.  JSON (written with json-c) in the shape users of Google Benchmark
 * and hyperfine expect: "context" from meta.csv, "benchmarks" one object per
 * summary.csv row, "headline" from headline.csv when the run has one.  The
 * schema is analysis/export.schema.json.  Markdown: pipe tables for wikis
 * and tickets.  summary.csv is made first when missing.  The output is built
 * in memory and written only when complete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "commands.h"
#include "conformexport.h"
#include "csv.h"
#include "diag.h"
#include "headline.h"
#include "mdtable.h"
#include "meta.h"
#include "rundir.h"
#include "summary.h"

#define EXPORT_VERSION 2	/* 2: "conformance" */

/* A CSV file held as text: header, rows, and each row's line number. */
struct table {
	const char *path;
	size_t ncol, nrow;
	char **col;
	char ***cell;		/* [row][col] */
	unsigned long *line;
};

static void table_free(struct table *t)
{
	size_t r, c;

	for (r = 0; r < t->nrow; r++) {
		for (c = 0; c < t->ncol; c++)
			free(t->cell[r][c]);
		free(t->cell[r]);
	}
	for (c = 0; c < t->ncol; c++)
		free(t->col[c]);
	free(t->col);
	free(t->cell);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

static char **dup_fields(const struct csv_reader *r)
{
	char **v = az_malloc(r->nfield * sizeof(char *));
	size_t i;

	for (i = 0; i < r->nfield; i++)
		v[i] = az_strdup(r->field[i]);
	return v;
}

/* 0, or -1 reported.  Every row must have as many fields as the header. */
static int table_load(struct table *t, const char *path)
{
	struct csv_reader r;
	int rc;

	memset(t, 0, sizeof(*t));
	t->path = path;
	if (csv_open(&r, path))
		return -1;
	while ((rc = csv_next(&r)) > 0) {
		if (!t->col) {
			t->ncol = r.nfield;
			t->col = dup_fields(&r);
			continue;
		}
		if (r.nfield != t->ncol) {
			az_err(path, r.line, "%zu fields where the header has %zu", r.nfield, t->ncol);
			rc = -1;
			break;
		}
		t->cell = az_realloc(t->cell, (t->nrow + 1) * sizeof(*t->cell));
		t->line = az_realloc(t->line, (t->nrow + 1) * sizeof(*t->line));
		t->cell[t->nrow] = dup_fields(&r);
		t->line[t->nrow++] = r.line;
	}
	csv_close(&r);
	if (!rc && !t->col) {
		az_err(path, 1, "empty file: expected a header row");
		rc = -1;
	}
	if (rc < 0)
		table_free(t);
	return rc < 0 ? -1 : 0;
}

static long col_index(const struct table *t, const char *name)
{
	size_t c;

	for (c = 0; c < t->ncol; c++)
		if (!strcmp(t->col[c], name))
			return (long)c;
	return -1;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and integer-only if asked. */
static int json_grammar(const char *s, int integer)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (integer)
		return !*s;
	if (*s == '.') {
		if (!(*++s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return !*s;
}

/*
 * A number field as JSON: *o NULL for an empty field (not measured), the
 * CSV text kept as it is when it is already a JSON number (summary.csv
 * writes the shortest form that reads back exactly).  0, or -1 when the
 * field is not a finite number.
 */
static int num_json(const char *s, struct json_object **o)
{
	double v;
	int rc = csv_number(s, &v);

	*o = NULL;
	if (rc == 1)
		return 0;
	if (rc < 0)
		return -1;
	if (json_grammar(s, 1) && strlen(s) < 16)
		*o = json_object_new_int64(strtoll(s, NULL, 10));
	else if (json_grammar(s, 0))
		*o = json_object_new_double_s(v, s);
	else
		*o = json_object_new_double(v);
	return 0;
}

/* A field of unknown type: null, a number, or the text. */
static struct json_object *any_json(const char *s)
{
	struct json_object *o;

	if (!*s)
		return NULL;
	if (!num_json(s, &o))
		return o;
	return json_object_new_string(s);
}

static struct json_object *text_json(const char *s)
{
	return *s ? json_object_new_string(s) : NULL;
}

/* summary.csv's columns after the axes, by kind. */
static const char *const count_cols[] = {
	"rows", "mismatches", "flagged", "missing", "n", "outliers", "net_pairs",
};
static const char *const num_cols[] = {
	"min", "p01", "p05", "p25", "median", "mean", "p75", "p95", "p99", "max",
	"stddev", "mad", "median_ci_low", "median_ci_high", "net_per_insn",
	"net_ci_low", "net_ci_high",
};
static const char *const text_cols[] = {
	"metric", "unit", "ci_reason", "net_unit", "net_reason",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return 1;
	return 0;
}

/* The summary's layout: axes are the columns before "metric". */
struct layout {
	size_t naxis;
	long point, instruction, metric, section;
};

static int summary_layout(const struct table *t, struct layout *l)
{
	const char *const *lists[] = { count_cols, num_cols, text_cols };
	const size_t nlist[] = { NELEM(count_cols), NELEM(num_cols), NELEM(text_cols) };
	size_t i, k;

	l->metric = col_index(t, "metric");
	l->point = col_index(t, "point");
	l->instruction = col_index(t, "instruction");
	l->section = col_index(t, "section");
	for (k = 0; k < NELEM(lists); k++)
		for (i = 0; i < nlist[k]; i++)
			if (col_index(t, lists[k][i]) < 0) {
				az_err(t->path, 1, "no column \"%s\": not a summary.csv of this version (rerun vmptrst-analyze summary)", lists[k][i]);
				return -1;
			}
	if (l->point < 0 || l->instruction < 0 || l->point > l->metric ||
	    l->instruction > l->metric) {
		az_err(t->path, 1, "the axes before \"metric\" must include point and instruction");
		return -1;
	}
	if (l->section > l->metric)
		l->section = -1;
	l->naxis = (size_t)l->metric;
	return 0;
}

/* Every typed field of every row: 0, or -1 with "PATH:LINE: what". */
static int summary_check(const struct table *t, const struct layout *l)
{
	size_t r, c;
	double v;

	for (r = 0; r < t->nrow; r++)
		for (c = l->naxis; c < t->ncol; c++) {
			const char *s = t->cell[r][c];
			int count = in_list(t->col[c], count_cols, NELEM(count_cols));

			if (!count && !in_list(t->col[c], num_cols, NELEM(num_cols)))
				continue;
			if (count ? *s && !json_grammar(s, 1) : csv_number(s, &v) < 0) {
				az_err(t->path, t->line[r], "column %s: \"%s\" is not %s", t->col[c], s, count ? "a count" : "a number");
				return -1;
			}
			if (count && *s == '-') {
				az_err(t->path, t->line[r], "column %s: \"%s\" is not a count", t->col[c], s);
				return -1;
			}
		}
	return 0;
}

/* ------------------------------------------------------------------ JSON */

static void put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/* A promoted meta key: null when absent, empty or "unknown". */
static struct json_object *meta_json(const struct az_meta *m, const char *key, int integer)
{
	const char *v = az_meta_get(m, key);
	struct json_object *o;

	if (!*v || !strcmp(v, "unknown"))
		return NULL;
	if (!integer)
		return json_object_new_string(v);
	if (!json_grammar(v, 1) || strlen(v) > 15)
		return NULL;
	o = json_object_new_int64(strtoll(v, NULL, 10));
	return o;
}

static struct json_object *context_json(const char *dir, const struct az_meta *m)
{
	static const struct {
		const char *name, *key;
		int integer;
	} promoted[] = {
		{ "date", "start_time", 0 },
		{ "end_date", "end_time", 0 },
		{ "host_name", "host", 0 },
		{ "executable", "tool", 0 },
		{ "tool_version", "tool_version", 0 },
		{ "tool_commit", "tool_commit", 0 },
		{ "cpu_vendor", "cpu_vendor", 0 },
		{ "cpu_model_name", "cpu_model_name", 0 },
		{ "microcode", "microcode", 0 },
		{ "kernel", "kernel", 0 },
		{ "tsc_khz", "tsc_khz", 1 },
		{ "num_cpus", "online_cpus", 1 },
		{ "target_cpu", "target_cpu", 1 },
		{ "platform", "platform", 0 },
		{ "backend", "backend", 0 },
		{ "config", "config", 0 },
		{ "config_sha256", "config_sha256", 0 },
	};
	struct json_object *c = json_object_new_object(), *all;
	size_t i;

	put(c, "run_dir", json_object_new_string(dir));
	for (i = 0; i < NELEM(promoted); i++)
		put(c, promoted[i].name, meta_json(m, promoted[i].key, promoted[i].integer));
	put(c, "emulated", json_object_new_boolean(az_meta_emulated(m)));
	put(c, "timing_note", meta_json(m, "timing_note", 0));
	put(c, "time_unit", json_object_new_string("tsc_ticks"));
	all = json_object_new_object();
	for (i = 0; i < m->n; i++)
		put(all, m->key[i], json_object_new_string(m->value[i]));
	put(c, "meta", all);
	return c;
}

/* "p3/vmptrst/offset:0/.../unroll:16/tsc" */
static char *bench_name(const struct table *t, const struct layout *l, size_t r)
{
	char *buf = NULL;
	size_t len = 0, c;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		az_err(NULL, 0, "out of memory");
		exit(AZ_EXIT_DATA);
	}
	fprintf(f, "p%s/%s", t->cell[r][l->point], t->cell[r][l->instruction]);
	for (c = 0; c < l->naxis; c++)
		if ((long)c != l->point && (long)c != l->instruction)
			fprintf(f, "/%s:%s", t->col[c], t->cell[r][c]);
	fprintf(f, "/%s", t->cell[r][l->metric]);
	fclose(f);
	return buf;
}

static struct json_object *bench_json(const struct table *t, const struct layout *l, size_t r)
{
	struct json_object *b = json_object_new_object(), *setup, *v;
	char *name = bench_name(t, l, r);
	const char **cell = (const char **)t->cell[r];
	size_t c;

	put(b, "name", json_object_new_string(name));
	free(name);
	setup = json_object_new_object();
	for (c = 0; c < l->naxis; c++)
		put(setup, t->col[c], json_grammar(cell[c], 1) && strlen(cell[c]) < 16 ?
		    json_object_new_int64(strtoll(cell[c], NULL, 10)) :
		    json_object_new_string(cell[c]));
	put(b, "setup", setup);
	put(b, "time_unit", json_object_new_string(strcmp(cell[l->metric], "tsc") ? "events" : "tsc_ticks"));
	for (c = l->naxis; c < t->ncol; c++) {
		if (in_list(t->col[c], text_cols, NELEM(text_cols)))
			v = text_json(cell[c]);
		else if (in_list(t->col[c], count_cols, NELEM(count_cols)) ||
			 in_list(t->col[c], num_cols, NELEM(num_cols)))
			num_json(cell[c], &v);	/* checked by summary_check */
		else
			v = any_json(cell[c]);
		put(b, t->col[c], v);
	}
	return b;
}

/* True when every non-empty field of column c is a number. */
static int numeric_col(const struct table *t, size_t c)
{
	size_t r;
	double v;

	for (r = 0; r < t->nrow; r++)
		if (csv_number(t->cell[r][c], &v) < 0)
			return 0;
	return 1;
}

/* One object per row; a column is numbers or strings throughout (null when
 * empty). */
static struct json_object *rows_json(const struct table *t)
{
	struct json_object *a = json_object_new_array(), *v;
	int *numeric = az_malloc((t->ncol + 1) * sizeof(int));
	size_t r, c;

	for (c = 0; c < t->ncol; c++)
		numeric[c] = numeric_col(t, c);
	for (r = 0; r < t->nrow; r++) {
		struct json_object *o = json_object_new_object();

		for (c = 0; c < t->ncol; c++) {
			if (numeric[c])
				num_json(t->cell[r][c], &v);
			else
				v = text_json(t->cell[r][c]);
			put(o, t->col[c], v);
		}
		json_object_array_add(a, o);
	}
	free(numeric);
	return a;
}

static int write_json(FILE *f, const char *dir, const struct az_meta *m,
		      const struct table *sum, const struct layout *l,
		      const struct table *head, const struct az_conf *conf)
{
	struct json_object *doc = json_object_new_object(), *a;
	size_t r;

	put(doc, "export_version", json_object_new_int(EXPORT_VERSION));
	put(doc, "context", context_json(dir, m));
	a = json_object_new_array();
	for (r = 0; r < sum->nrow; r++)
		json_object_array_add(a, bench_json(sum, l, r));
	put(doc, "benchmarks", a);
	if (head)
		put(doc, "headline", rows_json(head));
	put(doc, "conformance", az_conf_json(conf));
	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(doc);
	return 0;
}

/* -------------------------------------------------------------- Markdown */

/* Numbers to 6 significant digits; integers as they are. */
static char *md_num(const char *s)
{
	char buf[64];
	double v;

	if (csv_number(s, &v) || json_grammar(s, 1))
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
static void md_summary_table(FILE *f, const struct table *t, const struct layout *l,
			     const char *sec, const char *metric)
{
	long unit = col_index(t, "unit"), net_unit = col_index(t, "net_unit");
	long reason = col_index(t, "net_reason");
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
			cells[nax + k] = md_num(t->cell[r][col_index(t, md_stats[k].col)]);
		cells[nax + k] = az_md_cell(t->cell[r][reason]);
		az_mdt_row(&m, cells);
	}
	m.numeric[nax + k] = 0;
#undef IN
	az_mdt_write(f, &m);
	free(axes);
}

/* Distinct values of column c in order of first appearance. */
static size_t distinct(const struct table *t, long c, const char ***out)
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
static char *md_est(const struct table *t, size_t r, const char *v,
		    const char *lo, const char *hi)
{
	long cv = col_index(t, v), cl = col_index(t, lo), ch = col_index(t, hi);
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

static char *md_col(const struct table *t, size_t r, const char *name)
{
	long c = col_index(t, name);

	return c < 0 ? az_strdup("") : md_num(t->cell[r][c]);
}

/*
 * headline.csv for a reader: the setup axes that vary, the net cost with
 * its CI in ticks, ns and cycles, the MOV control; the resolved rows
 * first (as the report shows them), the unresolved after.
 */
static void md_headline(FILE *f, const struct table *t)
{
	long first = col_index(t, "instruction") + 1, last = col_index(t, "points");
	long rc = col_index(t, "reason");
	size_t keep[64], nkeep = 0, r, k, pass;
	int fixed = 0;
	struct az_mdt m;

	for (long c = first; last > first && c < last; c++) {
		int varies = 0;

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
			cells[0] = md_col(t, r, "instruction");
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
	fputs("Net cost per instruction (method `slope`: least-squares slope over unroll of the window net of the baseline; `pair-median`: median over sample pairs, one unroll); cycles from the `cycles_source` of headline.csv; control: what a vmptrst row is set against at the same setup, the MOV store in mode root, the VMCALL round trip in mode guest. Every column: headline.csv.\n\n", f);
}

static int write_md(FILE *f, const char *dir, const struct az_meta *m,
		    const struct table *sum, const struct layout *l,
		    const struct table *head, const struct az_conf *conf)
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

/* --------------------------------------------------------------- command */

/* DIR/headline.csv as the summary command writes it (quietly: stdout may
 * be the export). */
static int save_headline(const struct az_run *run)
{
	char *path = az_path(run->dir, "headline.csv");
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f) {
		az_syserr(path, "cannot create");
		rc = -1;
	} else if (az_headline_write(f, run) | fclose(f)) {
		az_syserr(path, "write error");
		remove(path);
		rc = -1;
	}
	free(path);
	return rc;
}

/* DIR/summary.csv (and headline.csv), made by the summary command's
 * writers when summary.csv is missing. */
static int ensure_summary(const char *dir, const char *path)
{
	struct stat st;
	struct az_run run;
	FILE *f;
	int rc = 0;

	if (!stat(path, &st))
		return 0;
	if (errno != ENOENT) {
		az_syserr(path, "cannot read");
		return -1;
	}
	if (az_run_load(&run, dir))
		return -1;
	f = fopen(path, "wb");
	if (!f) {
		az_syserr(path, "cannot create");
		rc = -1;
	} else if (az_summary_write(f, &run) | fclose(f)) {
		az_syserr(path, "write error");
		remove(path);
		rc = -1;
	} else {
		rc = save_headline(&run);
	}
	az_run_free(&run);
	return rc;
}

static int export(const char *dir, int md, const char *out)
{
	char *meta_path = az_path(dir, "meta.csv");
	char *sum_path = az_path(dir, "summary.csv");
	char *head_path = az_path(dir, "headline.csv");
	struct table sum, head;
	struct az_meta meta;
	struct az_conf conf;
	struct layout l;
	struct stat st;
	int have_head = 0, rc = -1;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&sum, 0, sizeof(sum));
	memset(&head, 0, sizeof(head));
	memset(&meta, 0, sizeof(meta));
	memset(&conf, 0, sizeof(conf));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		az_err(dir, 0, "not a run directory");
		goto out_paths;
	}
	if (az_meta_load(&meta, meta_path))
		goto out_paths;
	if (az_conf_load(&conf, dir))
		goto out_meta;
	if (ensure_summary(dir, sum_path) || table_load(&sum, sum_path))
		goto out_meta;
	if (summary_layout(&sum, &l) || summary_check(&sum, &l))
		goto out_sum;
	if (!stat(head_path, &st)) {
		if (table_load(&head, head_path))
			goto out_sum;
		have_head = 1;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		az_err(NULL, 0, "out of memory");
		goto out_head;
	}
	if (md)
		write_md(f, dir, &meta, &sum, &l, have_head ? &head : NULL, &conf);
	else
		write_json(f, dir, &meta, &sum, &l, have_head ? &head : NULL, &conf);
	fclose(f);
	f = out ? fopen(out, "wb") : stdout;
	if (!f) {
		az_syserr(out, "cannot create");
		goto out_buf;
	}
	fwrite(buf, 1, len, f);
	if (out ? fclose(f) : fflush(f)) {
		az_syserr(out ? out : "stdout", "write error");
		goto out_buf;
	}
	if (out)
		printf("wrote %s\n", out);
	rc = 0;
out_buf:
	free(buf);
out_head:
	if (have_head)
		table_free(&head);
out_sum:
	table_free(&sum);
out_meta:
	az_conf_free(&conf);
	az_meta_free(&meta);
out_paths:
	free(meta_path);
	free(sum_path);
	free(head_path);
	return rc;
}

static void usage(FILE *f)
{
	fputs("usage: " AZ_TOOL " export DIR [--format json|md] [-o FILE]\n"
	      "\n"
	      "Writes the run in DIR to stdout (or FILE):\n"
	      "  json  (default) {\"context\": meta.csv, \"benchmarks\": one object per\n"
	      "        summary.csv row, \"headline\": headline.csv rows when present,\n"
	      "        \"conformance\": conformance.csv (null before ABI 9)};\n"
	      "        schema: analysis/export.schema.json\n"
	      "  md    Markdown: run table, headline, behaviour, one summary table per metric\n"
	      "        (and section); starts with a warning line when emulated\n"
	      "Runs `summary` first when DIR/summary.csv is missing.\n", f);
}

int az_cmd_export(int argc, char **argv)
{
	const char *dir = NULL, *out = NULL, *fmt = "json";
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return AZ_EXIT_OK;
		} else if (!strcmp(a, "--format") || !strcmp(a, "-o")) {
			if (i + 1 == argc) {
				az_err(NULL, 0, "export: %s needs a value (see export --help)", a);
				return AZ_EXIT_USAGE;
			}
			*(a[1] == 'o' ? &out : &fmt) = argv[++i];
		} else if (!strncmp(a, "--format=", 9)) {
			fmt = a + 9;
		} else if (a[0] == '-' && a[1]) {
			az_err(NULL, 0, "export: unknown option \"%s\" (see export --help)", a);
			return AZ_EXIT_USAGE;
		} else if (dir) {
			az_err(NULL, 0, "export: expected one run directory, got \"%s\" and \"%s\"", dir, a);
			return AZ_EXIT_USAGE;
		} else {
			dir = a;
		}
	}
	if (!dir) {
		az_err(NULL, 0, "export: expected one run directory (see export --help)");
		return AZ_EXIT_USAGE;
	}
	if (strcmp(fmt, "json") && strcmp(fmt, "md")) {
		az_err(NULL, 0, "export: unknown format \"%s\" (json, md)", fmt);
		return AZ_EXIT_USAGE;
	}
	return export(dir, !strcmp(fmt, "md"), out) ? AZ_EXIT_DATA : AZ_EXIT_OK;
}
