// SPDX-License-Identifier: GPL-2.0
/*
 * The catalogue's database: opening (another lab's catalogue too, brought
 * up to this tool's schema in memory), the schema and its migrations, the
 * small helpers every catalog subcommand shares, and text tables.
 *
 * Versions (PRAGMA user_version):
 *   1  run, meta, point, summary, headline
 *   2  run.emulated (0/1): platform bochs/qemu or timing_note "emulated..."
 *   3  conformance: each run's conformance.csv rows (ABI 9 on)
 *   4  headline's cycles columns; run.headline_cycles (NULL: added before)
 * A new catalogue is created as version 1 and migrated, so the migration
 * path is the one every catalogue takes.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "diag.h"

/* Writers wait this long for one another (catalog add from several hosts). */
#define BUSY_MS 60000

/* Version 1: one statement per string. */
static const char *const schema_v1[] = {
	"CREATE TABLE run (id INTEGER PRIMARY KEY, samples_sha256 TEXT NOT NULL UNIQUE, path TEXT NOT NULL, host TEXT NOT NULL, cpu_model TEXT NOT NULL, microcode TEXT NOT NULL, kernel TEXT NOT NULL, start_time TEXT NOT NULL, config TEXT NOT NULL, config_sha256 TEXT NOT NULL, platform TEXT NOT NULL, added TEXT NOT NULL)",
	"CREATE TABLE meta (run_id INTEGER NOT NULL REFERENCES run(id), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key))",
	"CREATE TABLE point (run_id INTEGER NOT NULL REFERENCES run(id), point TEXT NOT NULL, status TEXT NOT NULL)",
	"CREATE TABLE summary (run_id INTEGER NOT NULL REFERENCES run(id), point TEXT NOT NULL, instruction TEXT NOT NULL, setup TEXT NOT NULL, metric TEXT NOT NULL, n INTEGER, median REAL, net_per_insn REAL, net_ci_low REAL, net_ci_high REAL)",
	"CREATE TABLE headline (run_id INTEGER NOT NULL REFERENCES run(id), instruction TEXT NOT NULL, setup TEXT NOT NULL, unroll TEXT NOT NULL, points TEXT NOT NULL, method TEXT NOT NULL, ticks REAL, ci_low REAL, ci_high REAL, ns REAL, ns_ci_low REAL, ns_ci_high REAL, reason TEXT NOT NULL)",
	"CREATE INDEX point_run ON point(run_id)",
	"CREATE INDEX summary_run ON summary(run_id)",
	"CREATE INDEX headline_setup ON headline(setup, run_id)",
	NULL
};

/* Version 1 -> 2: whether a run's timings are real, from its meta rows. */
static const char *const migrate_v2[] = {
	"ALTER TABLE run ADD COLUMN emulated INTEGER NOT NULL DEFAULT 0",
	"UPDATE run SET emulated = (platform IN ('bochs', 'qemu') OR EXISTS (SELECT 1 FROM meta WHERE meta.run_id = run.id AND meta.key = 'timing_note' AND meta.value LIKE 'emulated%'))",
	NULL
};

/* Version 2 -> 3: the behaviour on the reference page's branches, a row
   per branch (seq: its place in the file); NULL where the file's field is
   empty.  Runs added before have none: catalog add DIR again adds them. */
static const char *const migrate_v3[] = {
	"CREATE TABLE conformance (run_id INTEGER NOT NULL REFERENCES run(id), seq INTEGER NOT NULL, branch TEXT NOT NULL, cpl INTEGER NOT NULL, operation TEXT NOT NULL, condition TEXT NOT NULL, expected_vector TEXT NOT NULL, expected_error_code TEXT, observed_vector TEXT, observed_error_code TEXT, cr2 TEXT, memory_changed TEXT, flags_after TEXT, stored TEXT, verdict TEXT NOT NULL, reason TEXT, PRIMARY KEY (run_id, branch))",
	NULL
};

/* Version 3 -> 4: headline.csv's cycles columns (NULL where empty: not
   measured) and, per run, whether its headline.csv had them (NULL: added
   before version 4, 0: written before the cycles columns, 1: read).  Runs
   added before: catalog add DIR again fills them. */
static const char *const migrate_v4[] = {
	"ALTER TABLE headline ADD COLUMN cycles REAL",
	"ALTER TABLE headline ADD COLUMN cycles_ci_low REAL",
	"ALTER TABLE headline ADD COLUMN cycles_ci_high REAL",
	"ALTER TABLE headline ADD COLUMN cycles_source TEXT",
	"ALTER TABLE headline ADD COLUMN clock_moved_pct REAL",
	"ALTER TABLE run ADD COLUMN headline_cycles INTEGER",
	NULL
};

/* steps[v] takes version v to v + 1. */
static const char *const *const steps[AZ_CAT_VERSION] = {
	schema_v1, migrate_v2, migrate_v3, migrate_v4,
};

int az_cat_fail(const struct az_cat *c, const char *what)
{
	az_err(c->path, 0, "%s: %s", what, c->db ? sqlite3_errmsg(c->db) : "cannot open");
	return -1;
}

int az_cat_exec(const struct az_cat *c, const char *sql)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return az_cat_fail(c, "catalogue");
	return 0;
}

sqlite3_stmt *az_cat_prepare(const struct az_cat *c, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		az_cat_fail(c, "cannot read the catalogue");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

const char *az_cat_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

/* One integer from a query; 0, or -1 reported. */
static int query_int(const struct az_cat *c, const char *sql, int *v)
{
	sqlite3_stmt *st = az_cat_prepare(c, sql);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return az_cat_fail(c, "cannot read the catalogue");
	return 0;
}

/* Bring the schema from its version to ours, in one write transaction. */
static int migrate(struct az_cat *c)
{
	const char *const *sql_step;
	char sql[64];
	int v, tables;

	if (az_cat_exec(c, "BEGIN IMMEDIATE"))
		return -1;
	/* another process may have migrated while we waited */
	if (query_int(c, "PRAGMA user_version", &v) ||
	    query_int(c, "SELECT count(*) FROM sqlite_master", &tables))
		goto fail;
	if (v == 0 && tables) {
		az_err(c->path, 0, "an SQLite database but not a vmptrst-analyze catalogue (user_version 0 with tables of its own)");
		goto fail;
	}
	for (; v < AZ_CAT_VERSION; v++)
		for (sql_step = steps[v]; *sql_step; sql_step++)
			if (az_cat_exec(c, *sql_step))
				goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", AZ_CAT_VERSION);
	if (az_cat_exec(c, sql) || az_cat_exec(c, "COMMIT"))
		goto fail;
	return 0;
fail:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* *v the schema version; a newer one than ours refused.  0, or -1 reported. */
static int version(const struct az_cat *c, int *v)
{
	if (query_int(c, "PRAGMA user_version", v))
		return -1;
	if (*v > AZ_CAT_VERSION) {
		az_err(c->path, 0, "catalogue schema version %d is newer than this tool's (%d): use a newer vmptrst-analyze", *v, AZ_CAT_VERSION);
		return -1;
	}
	return 0;
}

/* sqlite3_open_v2 of path as c, waiting for writers; 0, or -1 reported. */
static int open_db(struct az_cat *c, const char *path, int flags)
{
	struct stat sb;

	c->path = path;
	c->db = NULL;
	if (!(flags & SQLITE_OPEN_CREATE) && stat(path, &sb)) {
		az_syserr(path, flags & SQLITE_OPEN_READONLY ? "no such catalogue" : "no such catalogue (catalog add DB DIR creates one)");
		return -1;
	}
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		az_cat_fail(c, "cannot open the catalogue");
		az_cat_close(c);
		return -1;
	}
	sqlite3_busy_timeout(c->db, BUSY_MS);
	sqlite3_extended_result_codes(c->db, 1);
	return 0;
}

int az_cat_open(struct az_cat *c, const char *path, int create)
{
	int v;

	if (open_db(c, path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)))
		return -1;
	if (version(c, &v))
		goto fail;
	if (v < AZ_CAT_VERSION && migrate(c))
		goto fail;
	if (az_cat_exec(c, "PRAGMA foreign_keys = ON"))
		goto fail;
	return 0;
fail:
	az_cat_close(c);
	return -1;
}

int az_cat_open_copy(struct az_cat *c, const char *path, int *from)
{
	struct az_cat f;
	sqlite3_backup *b;
	int rc;

	c->db = NULL;
	if (open_db(&f, path, SQLITE_OPEN_READONLY))
		return -1;
	if (version(&f, from))
		goto fail;
	if (*from == AZ_CAT_VERSION) {
		*c = f;
		return 0;
	}
	if (open_db(c, ":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
		goto fail;
	c->path = path;
	b = sqlite3_backup_init(c->db, "main", f.db, "main");
	rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		az_cat_fail(&f, "cannot read the catalogue");
		goto fail;
	}
	az_cat_close(&f);
	return migrate(c) ? (az_cat_close(c), -1) : 0;
fail:
	az_cat_close(c);
	az_cat_close(&f);
	return -1;
}

void az_cat_close(struct az_cat *c)
{
	if (c->db)
		sqlite3_close(c->db);
	c->db = NULL;
}

void az_table_init(struct az_table *t, size_t ncol, const char *const *head)
{
	t->ncol = ncol;
	t->nrow = 0;
	t->cell = NULL;
	az_table_row(t, head);
}

void az_table_row(struct az_table *t, const char *const *cells)
{
	size_t i;

	t->cell = az_realloc(t->cell, (t->nrow + 1) * t->ncol * sizeof(char *));
	for (i = 0; i < t->ncol; i++)
		t->cell[t->nrow * t->ncol + i] = az_strdup(cells[i] ? cells[i] : "");
	t->nrow++;
}

/* Display width: UTF-8 continuation bytes do not count. */
static int width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += (*s & 0xc0) != 0x80;
	return w;
}

void az_table_print(const struct az_table *t)
{
	size_t r, i;
	int *w = az_malloc(t->ncol * sizeof(int));

	for (i = 0; i < t->ncol; i++) {
		w[i] = 0;
		for (r = 0; r < t->nrow; r++) {
			int n = width(t->cell[r * t->ncol + i]);

			w[i] = n > w[i] ? n : w[i];
		}
	}
	for (r = 0; r < t->nrow; r++) {
		for (i = 0; i < t->ncol; i++) {
			const char *s = t->cell[r * t->ncol + i];

			if (i + 1 == t->ncol)
				printf("%s\n", s);
			else
				printf("%s%*s  ", s, w[i] - width(s), "");
		}
	}
	free(w);
}

void az_table_free(struct az_table *t)
{
	size_t i;

	for (i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->nrow = 0;
}
