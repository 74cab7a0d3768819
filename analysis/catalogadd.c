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

static const char *const point_cols[] = { "point", "status", NULL };
static const char *const summary_cols[] = {
	"point", "instruction", "", "metric", "=n", "=median", "=net_per_insn",
	"=net_ci_low", "=net_ci_high", NULL };
/* The cycles columns, optional: a headline.csv written before them. */
#define CYCLES_COLS "~cycles_per_insn", "~cycles_ci_low", "~cycles_ci_high", \
	"?cycles_source", "~clock_moved_pct"
static const char *const headline_cols[] = {
	"instruction", "", "unroll", "points", "method", "=ticks_per_insn",
	"=ci_low", "=ci_high", "=ns_per_insn", "=ns_ci_low", "=ns_ci_high",
	"reason", CYCLES_COLS, NULL };
static const char *const cycles_cols[] = { "", CYCLES_COLS, NULL };

static const struct az_cat_csv tables[] = {
	{ "points.csv", "INSERT INTO point VALUES (?1, ?2, ?3)", point_cols,
	  NULL, NULL, 1 },
	{ "summary.csv", "INSERT INTO summary VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	  summary_cols, "metric", "point", 0 },
	{ "headline.csv", "INSERT INTO headline (run_id, instruction, setup, unroll, points, method, ticks, ci_low, ci_high, ns, ns_ci_low, ns_ci_high, reason, cycles, cycles_ci_low, cycles_ci_high, cycles_source, clock_moved_pct) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	  headline_cols, "points", "unroll", 0 },
};

/* A run added before the catalogue kept cycles (version 4): its headline
   rows' cycles, matched by setup. */
static const struct az_cat_csv cycles_fill = {
	"headline.csv", "UPDATE headline SET cycles = ?3, cycles_ci_low = ?4, cycles_ci_high = ?5, cycles_source = ?6, clock_moved_pct = ?7 WHERE run_id = ?1 AND setup = ?2",
	cycles_cols, "points", "unroll", 0,
};

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

/* run.headline_cycles: whether the run's headline.csv had the cycles
   columns; 0, or -1 reported. */
static int set_cycles_read(const struct az_cat *c, sqlite3_int64 id, int read)
{
	sqlite3_stmt *st = az_cat_prepare(c, "UPDATE run SET headline_cycles = ?2 WHERE id = ?1");
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, read);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = az_cat_fail(c, "cannot add the run");
	sqlite3_finalize(st);
	return rc;
}

/* A run catalogued before the catalogue kept cycles (or whose headline.csv
   was written before the cycles columns): its rows' cycles from the
   folder's headline.csv now, when it has them.  1 added, 0 nothing to
   add, -1 reported. */
static int fill_cycles(const struct az_cat *c, sqlite3_int64 id,
		       const char *dir)
{
	sqlite3_stmt *st = az_cat_prepare(c, "SELECT headline_cycles FROM run WHERE id = ?1");
	int read = 0, lacking;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		read = sqlite3_column_int(st, 0);	/* NULL reads 0 */
	sqlite3_finalize(st);
	if (read)
		return 0;
	if (az_cat_csv_import(c, id, dir, &cycles_fill, &lacking) ||
	    set_cycles_read(c, id, !lacking))
		return -1;
	return !lacking;
}

/* One run folder; 1 added, 0 already there, -1 reported. */
static int add_one(const struct az_cat *c, const char *dir)
{
	char *real, sha[65], *sp, *mp;
	struct az_meta m;
	struct az_conf conf;
	sqlite3_int64 id = 0;
	size_t i;
	int rc = -1, moved, filled = 0, cyc = 0, lacking = 0;

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
		cyc = filled < 0 ? -1 : fill_cycles(c, id, real);
		if (filled < 0 || cyc < 0)
			goto rollback;
		rc = 0;
		goto commit;
	}
	if (id < 0 || insert_run(c, real, sha, &m, &id))
		goto rollback;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (az_cat_csv_import(c, id, real, &tables[i], &lacking))
			goto rollback;
	if (set_cycles_read(c, id, !lacking))
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
		printf("already catalogued as run %lld: %s%s%s%s\n", (long long)id, real, moved ? " (path updated: the folder moved)" : "", filled ? " (its conformance.csv rows added)" : "", cyc ? " (its headline.csv cycles added)" : "");
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
