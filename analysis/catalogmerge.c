// SPDX-License-Identifier: GPL-2.0
/*
 * catalog merge DB OTHER...: other labs' catalogues into DB, all in one
 * write transaction (an error leaves DB as it was).  A run is known by its
 * samples.csv SHA-256.  A run DB lacks is added with a new id and the rows
 * of every table of it; a run DB has is compared with it table by table:
 * rows that differ are a conflict (both named, DB's rows kept); rows that
 * agree leave it as it is, but for what DB lacks and OTHER has (conformance
 * rows, cycles: catalogued before the schema kept them), filled as catalog
 * add fills them from a folder.  Each OTHER is read into temporary tables
 * o_TABLE first, an older schema brought up to ours in memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogmerge.h"
#include "diag.h"

const char *const az_merge_tab[AZ_MT_N] = {
	"run", "meta", "point", "summary", "headline", "conformance",
};

void az_merge_append(char *list, size_t len, const char *name)
{
	size_t u = strlen(list);

	snprintf(list + u, len - u, "%s%s", u ? ", " : "", name);
}

/* DB's columns of table t (this tool's schema). */
static int columns(const struct az_cat *c, int t, struct az_merge_cols *k)
{
	char sql[128], p[16];
	sqlite3_stmt *st;
	int rc, n = 1;

	snprintf(sql, sizeof(sql), "PRAGMA main.table_info(%s)", az_merge_tab[t]);
	st = az_cat_prepare(c, sql);
	if (!st)
		return -1;
	memset(k, 0, sizeof(*k));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = az_cat_text(st, 1);

		if (!strcmp(name, t == AZ_MT_RUN ? "id" : "run_id"))
			continue;
		az_merge_append(k->all, sizeof(k->all), name);
		snprintf(p, sizeof(p), "?%d", ++n);
		az_merge_append(k->ph, sizeof(k->ph), p);
		if (t == AZ_MT_HEADLINE && az_cat_listed(AZ_MT_CYCLES, name))
			az_merge_append(k->cyc, sizeof(k->cyc), name);
		else if (t != AZ_MT_RUN || !az_cat_listed(AZ_MT_RUN_LOCAL, name))
			az_merge_append(k->cmp, sizeof(k->cmp), name);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : az_cat_fail(c, "cannot read the catalogue");
}

/* The SQL printf(fmt, ap) prepared on c, or NULL reported. */
static sqlite3_stmt *vprep(const struct az_cat *c, const char *fmt, va_list ap)
{
	char sql[16384];

	vsnprintf(sql, sizeof(sql), fmt, ap);
	return az_cat_prepare(c, sql);
}

static sqlite3_stmt *prep(const struct az_cat *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static sqlite3_stmt *prep(const struct az_cat *c, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprep(c, fmt, ap);
	va_end(ap);
	return st;
}

long long az_merge_query(const struct az_cat *c, long long a, long long b,
			 const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	long long v = 0;
	int rc;

	va_start(ap, fmt);
	st = vprep(c, fmt, ap);
	va_end(ap);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return az_cat_fail(c, "cannot merge");
	return v;
}

/* Every row of OTHER's table t into temp.o_t. */
static int load_table(const struct az_cat *c, const struct az_cat *o,
		      int t, const struct az_merge_cols *k)
{
	const char *key = t == AZ_MT_RUN ? "id" : "run_id";
	sqlite3_stmt *rd, *wr;
	int rc, i, n;

	rd = prep(o, "SELECT %s, %s FROM %s ORDER BY rowid", key, k->all, az_merge_tab[t]);
	wr = rd ? prep(c, "INSERT INTO temp.o_%s (%s, %s) VALUES (?1, %s)", az_merge_tab[t], key, k->all, k->ph) : NULL;
	if (!wr) {
		sqlite3_finalize(rd);
		return -1;
	}
	n = sqlite3_column_count(rd);
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
		if (sqlite3_step(wr) != SQLITE_DONE)
			break;
		sqlite3_reset(wr);
	}
	sqlite3_finalize(wr);
	sqlite3_finalize(rd);
	if (rc == SQLITE_ROW)
		return az_cat_fail(c, "cannot merge");
	return rc == SQLITE_DONE ? 0 : az_cat_fail(o, "cannot read the catalogue");
}

/* OTHER at path into the temporary tables; *from its schema version. */
static int load(const struct az_cat *c, const char *path,
		const struct az_merge_cols *k, int *from)
{
	struct az_cat o;
	int t, rc = 0;

	if (az_cat_open_copy(&o, path, from))
		return -1;
	for (t = 0; t < AZ_MT_N && !rc; t++)
		rc = az_merge_query(c, 0, 0, "DELETE FROM temp.o_%s", az_merge_tab[t]) < 0 ||
		     load_table(c, &o, t, &k[t]) ? -1 : 0;
	az_cat_close(&o);
	return rc;
}

/* OTHER's run oid's rows of table t as run nid's. */
int az_merge_copy_rows(const struct az_cat *c, int t, const struct az_merge_cols *k,
		     long long nid, long long oid)
{
	return az_merge_query(c, nid, oid, "INSERT INTO main.%s (run_id, %s) SELECT ?1, %s FROM temp.o_%s WHERE run_id = ?2 ORDER BY rowid", az_merge_tab[t], k[t].all, k[t].all, az_merge_tab[t]) < 0 ? -1 : 0;
}

/* A run DB lacks: the run row (a new id, added now), then its rows. */
static long long add_run(const struct az_cat *c, const struct az_merge_cols *k,
			 long long oid)
{
	long long nid;
	int t;

	if (az_merge_query(c, oid, 0, "INSERT INTO main.run (%s) SELECT %s FROM temp.o_run WHERE id = ?1", k[AZ_MT_RUN].all, k[AZ_MT_RUN].all) < 0)
		return -1;
	nid = sqlite3_last_insert_rowid(c->db);
	if (az_merge_query(c, nid, 0, "UPDATE main.run SET added = strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now') WHERE id = ?1") < 0)
		return -1;
	for (t = AZ_MT_RUN + 1; t < AZ_MT_N; t++)
		if (az_merge_copy_rows(c, t, k, nid, oid))
			return -1;
	return nid;
}

/* OTHER's runs (loaded) into DB; counts said on out.  0, or -1 reported. */
static int merge_runs(const struct az_cat *c, const struct az_merge_cols *k,
		      const char *path, struct az_merge_span *sp, size_t nsp, FILE *out,
		      size_t *conflicts)
{
	sqlite3_stmt *st = az_cat_prepare(c, "SELECT o.id, coalesce(m.id, 0) FROM temp.o_run o LEFT JOIN main.run m ON m.samples_sha256 = o.samples_sha256 ORDER BY o.start_time, o.id");
	long long (*id)[2] = NULL, nid;
	char what[1024];
	size_t n = 0, i, added = 0, conf = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = az_realloc(id, (n + 1) * sizeof(*id));
		id[n][0] = sqlite3_column_int64(st, 0);
		id[n++][1] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE ? 0 : az_cat_fail(c, "cannot merge");
	sp[nsp].path = path;
	sp[nsp].first = sp[nsp].last = 0;
	for (i = 0; i < n && !rc; i++) {
		if (!id[i][1]) {
			nid = add_run(c, k, id[i][0]);
			rc = nid < 0 ? -1 : 0;
			sp[nsp].first = sp[nsp].first ? sp[nsp].first : nid;
			sp[nsp].last = nid;
			added++;
			continue;
		}
		rc = az_merge_compare(c, k, id[i][1], id[i][0], what, sizeof(what));
		if (!rc && !*what) {
			rc = az_merge_fill(c, k, id[i][1], id[i][0], path, out);
			continue;
		}
		if (!rc) {
			az_merge_conflict(c, id[i][1], id[i][0], path, sp, nsp, what, out);
			conf++;
		}
	}
	free(id);
	*conflicts += conf;
	if (!rc)
		fprintf(out, "%s: %zu runs added, %zu already present, %zu conflicts\n", path, added, n - added, conf);
	return rc;
}

/* The temporary tables o_TABLE, DB's columns, empty. */
static int temp_tables(const struct az_cat *c)
{
	char sql[160];
	int t;

	for (t = 0; t < AZ_MT_N; t++) {
		snprintf(sql, sizeof(sql), "CREATE TEMP TABLE o_%s AS SELECT * FROM main.%s WHERE 0", az_merge_tab[t], az_merge_tab[t]);
		if (az_cat_exec(c, sql))
			return -1;
	}
	return 0;
}

/* Every OTHER, in one transaction; the report into out. */
static int merge(const struct az_cat *c, const struct az_cat_opts *o,
		 FILE *out, size_t *conflicts)
{
	struct az_merge_cols k[AZ_MT_N];
	struct az_merge_span *sp = az_malloc((size_t)o->narg * sizeof(*sp));
	int t;
	int i, from, rc = 0;

	for (t = 0; t < AZ_MT_N && !rc; t++)
		rc = columns(c, t, &k[t]);
	if (rc || temp_tables(c) || az_cat_exec(c, "BEGIN IMMEDIATE")) {
		free(sp);
		return -1;
	}
	for (i = 0; i < o->narg && !rc; i++) {
		rc = load(c, o->arg[i], k, &from);
		if (!rc && from < AZ_CAT_VERSION)
			fprintf(out, "%s: schema version %d, brought up to %d in memory (the file is not changed)\n", o->arg[i], from, AZ_CAT_VERSION);
		if (!rc)
			rc = merge_runs(c, k, o->arg[i], sp, (size_t)i, out, conflicts);
	}
	if (!rc)
		rc = az_cat_exec(c, "COMMIT");
	if (rc)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	free(sp);
	return rc;
}

int az_cat_merge(const struct az_cat *c, const struct az_cat_opts *o)
{
	char *text = NULL;
	size_t len = 0, conflicts = 0;
	FILE *out = open_memstream(&text, &len);
	int rc;

	if (!out) {
		az_syserr(NULL, "catalog merge");
		return AZ_EXIT_DATA;
	}
	rc = merge(c, o, out, &conflicts);
	fclose(out);
	if (!rc)
		fputs(text, stdout);
	free(text);
	if (rc)
		return AZ_EXIT_DATA;
	if (conflicts)
		az_err(c->path, 0, "%zu conflict%s (listed above): the same run with other rows in another catalogue; this catalogue's rows kept, the rest merged", conflicts, conflicts == 1 ? "" : "s");
	return conflicts ? AZ_EXIT_GATE : AZ_EXIT_OK;
}
