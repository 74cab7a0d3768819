// SPDX-License-Identifier: GPL-2.0
/*
 * The catalogue's behaviour part: each run's conformance.csv rows (table
 * conformance, schema version 3), a run's summary line for show, and the
 * behaviour section of history: per CPU model in date order, each run's
 * branches against the previous run's of that model that has a table,
 * changes marked, also as conformance-history.csv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "conform.h"
#include "csv.h"
#include "diag.h"
#include "rundir.h"

#define COLS "branch, cpl, operation, condition, expected_vector, expected_error_code, observed_vector, observed_error_code, cr2, memory_changed, flags_after, stored, verdict, reason"

int az_cat_conf_add(const struct az_cat *c, long long id, const struct az_conf *conf)
{
	sqlite3_stmt *st;
	size_t i;
	int k, rc = 0;

	if (!conf->present)
		return 0;
	st = az_cat_prepare(c, "INSERT INTO conformance (run_id, seq, " COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
	if (!st)
		return -1;
	for (i = 0; i < conf->nrow && !rc; i++) {
		const struct az_conf_row *r = &conf->row[i];

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i);
		for (k = 0; k < AZ_CF_NCOL; k++) {
			if (k == AZ_CF_CPL)
				sqlite3_bind_int(st, k + 3, atoi(r->f[k]));
			else if (*r->f[k])
				sqlite3_bind_text(st, k + 3, r->f[k], -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, k + 3);	/* empty: not measured */
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = az_cat_fail(c, "cannot add the run's conformance rows");
	}
	sqlite3_finalize(st);
	return rc;
}

int az_cat_conf_load(const struct az_cat *c, long long id, struct az_conf *conf)
{
	sqlite3_stmt *st = az_cat_prepare(c, "SELECT " COLS " FROM conformance WHERE run_id = ?1 ORDER BY seq");
	const char *f[AZ_CF_NCOL];
	int k, rc;

	memset(conf, 0, sizeof(*conf));
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < AZ_CF_NCOL; k++)
			f[k] = az_cat_text(st, k);
		az_conf_add(conf, f);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		az_conf_free(conf);
		return az_cat_fail(c, "cannot read the catalogue");
	}
	return 0;
}

int az_cat_conf_show(const struct az_cat *c, long long id)
{
	struct az_conf conf;
	char line[1024];

	if (az_cat_conf_load(c, id, &conf))
		return -1;
	az_conf_summary(&conf, line, sizeof(line));
	printf("\n%s\n", line);
	az_conf_free(&conf);
	return 0;
}

/* A run of history's behaviour section. */
struct brun {
	long long id;
	char *model, *date, *host, *microcode, *platform;
	int emulated;
	struct az_conf conf;
	const struct brun *prev;	/* the model's previous run with a table */
};

static int by_model_date(const void *x, const void *y)
{
	const struct brun *a = x, *b = y;
	int d = strcmp(a->model, b->model);

	if (!d)
		d = strcmp(a->date, b->date);
	return d ? d : (a->id > b->id) - (a->id < b->id);
}

/* The runs ids[n] with their rows, sorted; -1 reported. */
static int load_runs(const struct az_cat *c, const long long *ids, size_t n,
		     struct brun *r)
{
	sqlite3_stmt *st = az_cat_prepare(c, "SELECT cpu_model, start_time, host, microcode, platform, emulated FROM run WHERE id = ?1");
	const struct brun *last = NULL;
	size_t i;

	if (!st)
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return az_cat_fail(c, "cannot read the catalogue");
		}
		r[i].id = ids[i];
		r[i].model = az_strdup(az_cat_text(st, 0));
		r[i].date = az_strdup(az_cat_text(st, 1));
		r[i].host = az_strdup(az_cat_text(st, 2));
		r[i].microcode = az_strdup(az_cat_text(st, 3));
		r[i].platform = az_strdup(az_cat_text(st, 4));
		r[i].emulated = sqlite3_column_int(st, 5);
		if (az_cat_conf_load(c, ids[i], &r[i].conf)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	qsort(r, n, sizeof(*r), by_model_date);
	for (i = 0; i < n; i++) {
		if (last && strcmp(last->model, r[i].model))
			last = NULL;
		r[i].prev = last;
		if (r[i].conf.present)
			last = &r[i];
	}
	return 0;
}

/* What changed from the previous run, for the table's last column. */
static void change_text(const struct brun *r, char *buf, size_t len)
{
	char what[1024];
	size_t i, used = 0;

	if (!r->conf.present) {
		snprintf(buf, len, "%s", AZ_CONF_ABSENT);
		return;
	}
	if (!r->prev) {
		snprintf(buf, len, "(the model's first run with a table)");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < r->conf.nrow && used < len; i++) {
		const struct az_conf_row *a = &r->prev->conf.row[i], *b = &r->conf.row[i];
		int ch = az_conf_cmp(a, b);

		if (ch == AZ_CC_SAME || ch == AZ_CC_NEITHER)
			continue;
		if (ch == AZ_CC_CHANGED)
			az_conf_diff(a, b, what, sizeof(what));
		else
			snprintf(what, sizeof(what), "%s", ch == AZ_CC_ONLY_A ? "not executed now" : "executed now");
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s: %s",
					 used ? " | " : "", ch == AZ_CC_CHANGED ? "CHANGED " : "",
					 b->f[AZ_CF_BRANCH], what);
	}
	if (!used)
		snprintf(buf, len, "same as run %lld", r->prev->id);
}

static void print_table(const struct brun *r, size_t n)
{
	static const char *const head[] = {
		"run", "date", "host", "microcode", "platform", "as documented",
		"differ", "not reachable", "behaviour against the model's previous run",
	};
	char id[32], cnt[3][24], pl[300], ch[4096];
	const char *cells[9] = { id, NULL, NULL, NULL, pl, cnt[0], cnt[1], cnt[2], ch };
	struct az_table t = { 0, 0, NULL };
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (!i || strcmp(r[i].model, r[i - 1].model)) {
			if (i) {
				az_table_print(&t);
				az_table_free(&t);
			}
			printf("CPU model %s\n", r[i].model);
			az_table_init(&t, 9, head);
		}
		snprintf(id, sizeof(id), "%lld", r[i].id);
		cells[1] = r[i].date;
		cells[2] = r[i].host;
		cells[3] = r[i].microcode;
		snprintf(pl, sizeof(pl), "%s%s", r[i].platform, r[i].emulated ? " (emulated)" : "");
		for (k = 0; k < 3; k++)
			snprintf(cnt[k], sizeof(cnt[k]), r[i].conf.present ? "%zu" : "", r[i].conf.count[k]);
		change_text(&r[i], ch, sizeof(ch));
		az_table_row(&t, cells);
	}
	if (n) {
		az_table_print(&t);
		az_table_free(&t);
	}
}

static const char hist_head[] = "cpu_model,run,start_time,host,microcode,platform,emulated,branch,observed_vector,observed_error_code,memory_changed,flags_after,verdict,changed,previous_run,note\r\n";

static void csv_row(FILE *f, const struct brun *r, const struct az_conf_row *b)
{
	static const int col[] = {
		AZ_CF_BRANCH, AZ_CF_OBS_VEC, AZ_CF_OBS_ERR, AZ_CF_MEMORY, AZ_CF_FLAGS,
		AZ_CF_VERDICT,
	};
	const struct az_conf_row *a = r->prev && b ? &r->prev->conf.row[b - r->conf.row] : NULL;
	int ch = a ? az_conf_cmp(a, b) : AZ_CC_SAME;
	char note[1024] = "";
	size_t k;

	csv_put(f, r->model);
	fprintf(f, ",%lld,", r->id);
	csv_put(f, r->date);
	CSV_SEP(f);
	csv_put(f, r->host);
	CSV_SEP(f);
	csv_put(f, r->microcode);
	CSV_SEP(f);
	csv_put(f, r->platform);
	fprintf(f, ",%s", r->emulated ? "yes" : "no");
	for (k = 0; k < sizeof(col) / sizeof(col[0]); k++) {
		CSV_SEP(f);
		csv_put(f, b ? b->f[col[k]] : "");
	}
	if (!b)
		snprintf(note, sizeof(note), "%s", AZ_CONF_ABSENT);
	else if (ch == AZ_CC_CHANGED)
		az_conf_diff(a, b, note, sizeof(note));
	else if (ch == AZ_CC_ONLY_A || ch == AZ_CC_ONLY_B)
		snprintf(note, sizeof(note), "%s in this run, %s in run %lld", ch == AZ_CC_ONLY_A ? "not executed" : "executed", ch == AZ_CC_ONLY_A ? "executed" : "not executed", r->prev->id);
	fprintf(f, ",%s,", b ? (ch == AZ_CC_CHANGED ? "yes" : "no") : "");
	if (a)
		fprintf(f, "%lld", r->prev->id);
	CSV_SEP(f);
	csv_put(f, note);
	CSV_EOL(f);
}

/* DIR/conformance-history.csv: a row per run and branch (one row, branch
   empty, for a run without a table); 0, or -1 reported. */
static int save_csv(const char *dir, const struct brun *r, size_t n)
{
	char *path = az_path(dir, "conformance-history.csv");
	FILE *f = fopen(path, "wb");
	size_t i, k;
	int rc = -1;

	if (!f) {
		az_syserr(path, "cannot create");
		free(path);
		return -1;
	}
	fputs(hist_head, f);
	for (i = 0; i < n; i++) {
		if (!r[i].conf.present)
			csv_row(f, &r[i], NULL);
		for (k = 0; k < r[i].conf.nrow; k++)
			csv_row(f, &r[i], &r[i].conf.row[k]);
	}
	if (ferror(f) | fclose(f))
		az_syserr(path, "write error");
	else
		rc = 0;
	if (!rc)
		printf("wrote %s\n", path);
	free(path);
	return rc;
}

int az_cat_conf_history(const struct az_cat *c, const long long *ids, size_t n,
			const char *dir)
{
	struct brun *r = az_malloc((n + 1) * sizeof(*r));
	size_t i;
	int rc;

	memset(r, 0, (n + 1) * sizeof(*r));
	rc = load_runs(c, ids, n, r);
	if (!rc) {
		printf("\nbehaviour on the reference page's branches (conformance.csv), per CPU model in date order:\n");
		print_table(r, n);
		rc = save_csv(dir, r, n);
	}
	for (i = 0; i < n; i++) {
		free(r[i].model);
		free(r[i].date);
		free(r[i].host);
		free(r[i].microcode);
		free(r[i].platform);
		az_conf_free(&r[i].conf);
	}
	free(r);
	return rc;
}
