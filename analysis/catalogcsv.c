// SPDX-License-Identifier: GPL-2.0
/*
 * A run folder's CSV file into the catalogue, row by row: the fields
 * catalog add binds to its INSERT (or, for a run added before the
 * catalogue kept a column, to an UPDATE), the setup text of each row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "csv.h"
#include "dataset.h"
#include "diag.h"
#include "rundir.h"

#define MAX_COLS 32

/* Bind a CSV field: for a number column NULL when empty and a REAL when
   numeric; else text. */
static void bind_field(sqlite3_stmt *st, int i, const char *s, int real)
{
	double v;

	if (real && !*s)
		sqlite3_bind_null(st, i);
	else if (real && !csv_number(s, &v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/*
 * "instruction=vmptrst cpu=0 ..." of the axes before stop; an empty one
 * (a target, field or type the instruction does not take) left out, as a
 * run from before those axes has it.
 */
static void setup_text(char *buf, size_t len, char **head, char **field,
		       size_t stop, const struct az_cat_csv *t)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < stop && used < len; i++)
		if (strcmp(head[i], t->skip) && *field[i])
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s",
						 used ? " " : "", head[i], field[i]);
}

/* A column spec's name, past its kind ('=', '~' or '?'). */
static const char *spec_name(const char *spec)
{
	return spec + (spec[0] == '=' || spec[0] == '~' || spec[0] == '?');
}

static int spec_optional(const char *spec)
{
	return spec[0] == '~' || spec[0] == '?';
}

static int spec_real(const char *spec)
{
	return spec[0] == '=' || spec[0] == '~';
}

/* col[k]: where spec k is in head[ncol] (AZ_NO_GROUP: absent and
   optional), col[nk] the stop column; 0, or -1 reported. */
static int find_cols(const struct az_cat_csv *t, char **head, size_t ncol,
		     const char *path, size_t *col, int *lacking)
{
	size_t i, k, nk;

	for (nk = 0; t->cols[nk]; nk++)
		;
	if (nk >= MAX_COLS) {
		az_err(path, 1, "more than %d columns to catalogue", MAX_COLS - 1);
		return -1;
	}
	for (k = 0; k <= nk; k++) {
		const char *want = k < nk ? spec_name(t->cols[k]) : t->stop ? t->stop : "";
		col[k] = *want ? AZ_NO_GROUP : 0;
		for (i = 0; i < ncol && col[k] == AZ_NO_GROUP; i++)
			if (!strcmp(head[i], want))
				col[k] = i;
		if (col[k] != AZ_NO_GROUP)
			continue;
		if (k < nk && spec_optional(t->cols[k])) {
			(*lacking)++;
			continue;
		}
		az_err(path, 1, "no column \"%s\" in the header", want);
		return -1;
	}
	return 0;
}

int az_cat_csv_import(const struct az_cat *c, long long id, const char *dir,
		      const struct az_cat_csv *t, int *lacking)
{
	char *path = az_path(dir, t->file), **head = NULL, setup[2048];
	size_t ncol = 0, col[MAX_COLS], i, k, nk;
	struct csv_reader r;
	sqlite3_stmt *st = NULL;
	int rc = -1, got, miss = 0;

	if (t->optional && access(path, F_OK)) {
		free(path);
		return 0;
	}
	if (csv_open(&r, path)) {
		free(path);
		return -1;
	}
	if ((got = csv_next(&r)) <= 0) {
		if (!got)
			az_err(path, 1, "empty file: no header");
		goto out;
	}
	ncol = r.nfield;
	head = az_malloc(ncol * sizeof(char *));
	for (i = 0; i < ncol; i++)
		head[i] = az_strdup(r.field[i]);
	if (find_cols(t, head, ncol, path, col, &miss))
		goto out;
	for (nk = 0; t->cols[nk]; nk++)
		;
	st = az_cat_prepare(c, t->sql);
	if (!st)
		goto out;
	while ((got = csv_next(&r)) > 0) {
		if (r.nfield != ncol) {
			az_err(path, r.line, "expected %zu fields as in the header, found %zu", ncol, r.nfield);
			goto out;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		for (k = 0; k < nk; k++) {
			const char *spec = t->cols[k];

			if (!spec[0]) {
				setup_text(setup, sizeof(setup), head, r.field, col[nk], t);
				sqlite3_bind_text(st, (int)k + 2, setup, -1, SQLITE_TRANSIENT);
			} else if (col[k] == AZ_NO_GROUP) {
				sqlite3_bind_null(st, (int)k + 2);	/* not in this file */
			} else {
				bind_field(st, (int)k + 2, r.field[col[k]], spec_real(spec));
			}
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			az_err(path, r.line, "cannot add the row to %s: %s", c->path, sqlite3_errmsg(sqlite3_db_handle(st)));
			goto out;
		}
	}
	if (!got)
		rc = 0;
	if (lacking)
		*lacking = miss;
out:
	sqlite3_finalize(st);
	for (i = 0; head && i < ncol; i++)
		free(head[i]);
	free(head);
	csv_close(&r);
	free(path);
	return rc;
}
