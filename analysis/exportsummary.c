// SPDX-License-Identifier: GPL-2.0
/*
 * export's input: summary.csv and headline.csv held as text, summary.csv's
 * layout and every typed field checked before anything is written.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "export.h"

void az_csvtext_free(struct az_csvtext *t)
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
int az_csvtext_load(struct az_csvtext *t, const char *path)
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
		az_csvtext_free(t);
	return rc < 0 ? -1 : 0;
}

long az_csvtext_col(const struct az_csvtext *t, const char *name)
{
	size_t c;

	for (c = 0; c < t->ncol; c++)
		if (!strcmp(t->col[c], name))
			return (long)c;
	return -1;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and integer-only if asked. */
int az_json_grammar(const char *s, int integer)
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

static int in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return 1;
	return 0;
}

int az_summary_layout(const struct az_csvtext *t, struct az_layout *l)
{
	const char *const *lists[] = { count_cols, num_cols, text_cols };
	const size_t nlist[] = { NELEM(count_cols), NELEM(num_cols), NELEM(text_cols) };
	size_t i, k;

	l->metric = az_csvtext_col(t, "metric");
	l->point = az_csvtext_col(t, "point");
	l->instruction = az_csvtext_col(t, "instruction");
	l->section = az_csvtext_col(t, "section");
	for (k = 0; k < NELEM(lists); k++)
		for (i = 0; i < nlist[k]; i++)
			if (az_csvtext_col(t, lists[k][i]) < 0) {
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
int az_summary_check(const struct az_csvtext *t, const struct az_layout *l)
{
	size_t r, c;
	double v;

	for (r = 0; r < t->nrow; r++)
		for (c = l->naxis; c < t->ncol; c++) {
			const char *s = t->cell[r][c];
			int count = in_list(t->col[c], count_cols, NELEM(count_cols));

			if (!count && !in_list(t->col[c], num_cols, NELEM(num_cols)))
				continue;
			if (count ? *s && !az_json_grammar(s, 1) : csv_number(s, &v) < 0) {
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

enum az_col_kind az_summary_col_kind(const char *name)
{
	if (in_list(name, count_cols, NELEM(count_cols)))
		return AZ_COL_COUNT;
	if (in_list(name, num_cols, NELEM(num_cols)))
		return AZ_COL_NUM;
	if (in_list(name, text_cols, NELEM(text_cols)))
		return AZ_COL_TEXT;
	return AZ_COL_OTHER;
}
