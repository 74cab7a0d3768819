// SPDX-License-Identifier: GPL-2.0
/*
 * catalog add DB DIR...: import run folders.  A run is known by the SHA-256
 * of its samples.csv: adding it again changes nothing (but the folder's
 * path, when it moved).  Each run goes in one write transaction, so two
 * processes adding at once wait for each other and lose nothing.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "conform.h"
#include "csv.h"
#include "diag.h"
#include "headline.h"
#include "rundir.h"
#include "summary.h"

/* Hex SHA-256 of a file; 0, or -1 reported. */
static int sha256_file(const char *path, char hex[65])
{
	struct sha256_ctx ctx;
	unsigned char buf[1 << 16], d[SHA256_DIGEST_SIZE];
	size_t n, i;
	FILE *f = fopen(path, "rb");

	if (!f) {
		az_syserr(path, "cannot open");
		return -1;
	}
	sha256_init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sha256_update(&ctx, n, buf);
	if (ferror(f)) {
		az_syserr(path, "read error");
		fclose(f);
		return -1;
	}
	fclose(f);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return 0;
}

/* summary.csv and headline.csv when either is missing, as summary would
   write them, without printing. */
static int summarise(const char *dir)
{
	char *s = az_path(dir, "summary.csv"), *h = az_path(dir, "headline.csv");
	struct az_run run;
	FILE *f;
	int rc = 0;

	if (!access(s, F_OK) && !access(h, F_OK))
		goto out;
	rc = -1;
	if (az_run_load(&run, dir))
		goto out;
	f = fopen(s, "wb");
	if (!f)
		az_syserr(s, "cannot create");
	else if (az_summary_write(f, &run) | fclose(f))
		az_syserr(s, "write error");
	else if (!(f = fopen(h, "wb")))
		az_syserr(h, "cannot create");
	else if (az_headline_write(f, &run) | fclose(f))
		az_syserr(h, "write error");
	else
		rc = 0;
	az_run_free(&run);
out:
	free(s);
	free(h);
	return rc;
}

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

/* One CSV file's rows into the catalogue.  cols names the fields to bind
   (after run_id), "" for the setup text; stop is the first column after
   the setup axes. */
struct table {
	const char *file, *insert, *const *cols;
	const char *stop;	/* first column after the setup axes */
	const char *skip;	/* an axis left out of the setup */
	int optional;		/* the file may be absent */
};

static const char *const point_cols[] = { "point", "status", NULL };
static const char *const summary_cols[] = {
	"point", "instruction", "", "metric", "=n", "=median", "=net_per_insn",
	"=net_ci_low", "=net_ci_high", NULL };
static const char *const headline_cols[] = {
	"instruction", "", "unroll", "points", "method", "=ticks_per_insn",
	"=ci_low", "=ci_high", "=ns_per_insn", "=ns_ci_low", "=ns_ci_high",
	"reason", NULL };

static const struct table tables[] = {
	{ "points.csv", "INSERT INTO point VALUES (?1, ?2, ?3)", point_cols,
	  NULL, NULL, 1 },
	{ "summary.csv", "INSERT INTO summary VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	  summary_cols, "metric", "point", 0 },
	{ "headline.csv", "INSERT INTO headline VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	  headline_cols, "points", "unroll", 0 },
};

/* "instruction=vmptrst cpu=0 ..." of the axes before t->stop. */
static void setup_text(char *buf, size_t len, char **head, char **field,
		       size_t stop, const struct table *t)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < stop && used < len; i++)
		if (strcmp(head[i], t->skip))
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s",
						 used ? " " : "", head[i], field[i]);
}

static int import_csv(const struct az_cat *c, sqlite3_int64 id,
		      const char *dir, const struct table *t)
{
	char *path = az_path(dir, t->file), **head = NULL, setup[2048];
	size_t ncol = 0, col[16], stop = 0, i, k, nk;
	const char *want[16];
	struct csv_reader r;
	sqlite3_stmt *st = NULL;
	int rc = -1, got;

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
	/* col[k]: where t->cols[k] is, col[nk] t->stop ("": no column) */
	for (nk = 0; t->cols[nk]; nk++)
		want[nk] = t->cols[nk] + (t->cols[nk][0] == '=');
	want[nk] = t->stop ? t->stop : "";
	for (k = 0; k <= nk; k++) {
		col[k] = *want[k] ? AZ_NO_GROUP : 0;
		for (i = 0; i < ncol && col[k] == AZ_NO_GROUP; i++)
			if (!strcmp(head[i], want[k]))
				col[k] = i;
		if (col[k] == AZ_NO_GROUP) {
			az_err(path, 1, "no column \"%s\" in the header", want[k]);
			goto out;
		}
	}
	stop = col[nk];
	st = az_cat_prepare(c, t->insert);
	if (!st)
		goto out;
	while ((got = csv_next(&r)) > 0) {
		if (r.nfield != ncol) {
			az_err(path, r.line, "expected %zu fields as in the header, found %zu", ncol, r.nfield);
			goto out;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		for (k = 0; t->cols[k]; k++) {
			if (!t->cols[k][0]) {
				setup_text(setup, sizeof(setup), head, r.field, stop, t);
				sqlite3_bind_text(st, (int)k + 2, setup, -1, SQLITE_TRANSIENT);
			} else {
				bind_field(st, (int)k + 2, r.field[col[k]], t->cols[k][0] == '=');
			}
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			az_err(path, r.line, "cannot add the row to %s: %s", c->path, sqlite3_errmsg(sqlite3_db_handle(st)));
			goto out;
		}
	}
	if (!got)
		rc = 0;
out:
	sqlite3_finalize(st);
	for (i = 0; head && i < ncol; i++)
		free(head[i]);
	free(head);
	csv_close(&r);
	free(path);
	return rc;
}

static const char *const run_keys[] = {
	"host", "cpu_model_name", "microcode", "kernel", "start_time", "config",
	"config_sha256", "platform",
};

/* The run row and its meta rows; *id set. */
static int insert_run(const struct az_cat *c, const char *path,
		      const char *sha, const struct az_meta *m,
		      sqlite3_int64 *id)
{
	sqlite3_stmt *st = az_cat_prepare(c, "INSERT INTO run (samples_sha256, path, host, cpu_model, microcode, kernel, start_time, config, config_sha256, platform, added, emulated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?11)");
	size_t i;
	int rc = -1;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
	for (i = 0; i < sizeof(run_keys) / sizeof(run_keys[0]); i++)
		sqlite3_bind_text(st, (int)i + 3, az_meta_get(m, run_keys[i]), -1,
				  SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 11, az_meta_emulated(m));
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	*id = sqlite3_last_insert_rowid(c->db);
	sqlite3_finalize(st);
	st = az_cat_prepare(c, "INSERT OR REPLACE INTO meta VALUES (?1, ?2, ?3)");
	if (!st)
		return -1;
	for (i = 0; i < m->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_text(st, 2, m->key[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, m->value[i], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
	}
	rc = 0;
out:
	if (rc)
		az_cat_fail(c, "cannot add the run");
	sqlite3_finalize(st);
	return rc;
}

/* The run already catalogued under sha: its id (and its path updated), or 0. */
static sqlite3_int64 known(const struct az_cat *c, const char *sha,
			   const char *path, int *moved)
{
	sqlite3_stmt *st = az_cat_prepare(c, "SELECT id, path FROM run WHERE samples_sha256 = ?1");
	sqlite3_int64 id = 0;

	*moved = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*moved = strcmp(az_cat_text(st, 1), path) != 0;
	}
	sqlite3_finalize(st);
	if (*moved) {
		st = az_cat_prepare(c, "UPDATE run SET path = ?1 WHERE id = ?2");
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			id = az_cat_fail(c, "cannot update the run's path");
		sqlite3_finalize(st);
	}
	return id;
}

/* A run catalogued before the catalogue kept conformance rows: add its
   rows now when it has none and its folder has the file.  1 added, 0
   nothing to add, -1 reported. */
static int fill_conformance(const struct az_cat *c, sqlite3_int64 id,
			    const struct az_conf *conf)
{
	struct az_conf had;
	int have;

	if (!conf->present || az_cat_conf_load(c, id, &had))
		return conf->present ? -1 : 0;
	have = had.present;
	az_conf_free(&had);
	if (have)
		return 0;
	return az_cat_conf_add(c, id, conf) ? -1 : 1;
}

/* One run folder; 1 added, 0 already there, -1 reported. */
static int add_one(const struct az_cat *c, const char *dir)
{
	char *real, sha[65], *sp, *mp;
	struct az_meta m;
	struct az_conf conf;
	sqlite3_int64 id = 0;
	size_t i;
	int rc = -1, moved, filled = 0;

	real = realpath(dir, NULL);
	if (!real) {
		az_syserr(dir, "not a run folder");
		return -1;
	}
	sp = az_path(real, "samples.csv");
	mp = az_path(real, "meta.csv");
	memset(&conf, 0, sizeof(conf));
	if (sha256_file(sp, sha) || az_meta_load(&m, mp))
		goto out_paths;
	if (az_conf_load(&conf, real) || summarise(real))
		goto out_meta;
	if (az_cat_exec(c, "BEGIN IMMEDIATE"))
		goto out_meta;
	id = known(c, sha, real, &moved);
	if (id > 0) {
		filled = fill_conformance(c, id, &conf);
		if (filled < 0)
			goto rollback;
		rc = 0;
		goto commit;
	}
	if (id < 0 || insert_run(c, real, sha, &m, &id))
		goto rollback;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (import_csv(c, id, real, &tables[i]))
			goto rollback;
	if (az_cat_conf_add(c, id, &conf))
		goto rollback;
	rc = 1;
commit:
	if (az_cat_exec(c, "COMMIT"))
		goto rollback;
	if (rc)
		printf("added run %lld: %s (host %s, microcode %s, %s)\n", (long long)id, real, az_meta_get(&m, "host"), az_meta_get(&m, "microcode"), az_meta_get(&m, "start_time"));
	else
		printf("already catalogued as run %lld: %s%s%s\n", (long long)id, real, moved ? " (path updated: the folder moved)" : "", filled ? " (its conformance.csv rows added)" : "");
	goto out_meta;
rollback:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	rc = -1;
out_meta:
	az_conf_free(&conf);
	az_meta_free(&m);
out_paths:
	free(sp);
	free(mp);
	free(real);
	return rc;
}

int az_cat_add(const struct az_cat *c, const struct az_cat_opts *o)
{
	int i, rc, added = 0, had = 0, bad = 0;

	for (i = 0; i < o->narg; i++) {
		rc = add_one(c, o->arg[i]);
		added += rc > 0;
		had += rc == 0;
		bad += rc < 0;
	}
	printf("catalog %s: %d added, %d already there, %d failed\n", o->db, added, had, bad);
	return bad ? AZ_EXIT_DATA : AZ_EXIT_OK;
}
