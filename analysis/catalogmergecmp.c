// SPDX-License-Identifier: GPL-2.0
/*
 * catalog merge: a run both catalogues hold (the same samples.csv SHA-256),
 * compared table by table (a conflict when its rows differ: both runs
 * named, DB's rows kept), and what DB lacks of it filled from OTHER.
 */
#include <stdio.h>
#include <string.h>

#include "catalogmerge.h"

/* Whether run mid's rows of t (cols) differ from OTHER's run oid's. */
static long long differ(const struct az_cat *c, int t, const char *cols,
			long long mid, long long oid)
{
	const char *n = az_merge_tab[t];

	return az_merge_query(c, mid, oid, "SELECT (SELECT count(*) FROM main.%s WHERE run_id = ?1) <> (SELECT count(*) FROM temp.o_%s WHERE run_id = ?2) OR EXISTS (SELECT %s FROM main.%s WHERE run_id = ?1 EXCEPT SELECT %s FROM temp.o_%s WHERE run_id = ?2) OR EXISTS (SELECT %s FROM temp.o_%s WHERE run_id = ?2 EXCEPT SELECT %s FROM main.%s WHERE run_id = ?1)",
		      n, n, cols, n, cols, n, cols, n, cols, n);
}

/* The run columns that differ, "run (microcode, kernel)" into buf. */
static int differ_run(const struct az_cat *c, const struct az_merge_cols *k,
		      long long mid, long long oid, char *buf, size_t len)
{
	char list[2048], name[64];
	const char *p = k->cmp;
	int n, first = 1;

	for (; sscanf(p, " %63[^,]%n", name, &n) == 1; p += n + (p[n] == ',')) {
		long long d = az_merge_query(c, mid, oid, "SELECT m.%s IS NOT o.%s FROM main.run m, temp.o_run o WHERE m.id = ?1 AND o.id = ?2", name, name);

		if (d < 0)
			return -1;
		if (d && first)
			snprintf(list, sizeof(list), "%s", name);
		else if (d)
			az_merge_append(list, sizeof(list), name);
		first &= !d;
	}
	if (!first)
		snprintf(buf, len, "run (%s)", list);
	return 0;
}

/* What differs between DB's run mid and OTHER's oid, as "run (microcode),
   headline" into buf ("" when nothing); 0, or -1 reported. */
int az_merge_compare(const struct az_cat *c, const struct az_merge_cols *k,
		       long long mid, long long oid, char *buf, size_t len)
{
	long long both_cyc, d;
	int t;

	buf[0] = '\0';
	if (differ_run(c, &k[AZ_MT_RUN], mid, oid, buf, len))
		return -1;
	both_cyc = az_merge_query(c, mid, oid, "SELECT m.headline_cycles IS 1 AND o.headline_cycles IS 1 FROM main.run m, temp.o_run o WHERE m.id = ?1 AND o.id = ?2");
	for (t = AZ_MT_RUN + 1; t < AZ_MT_N && both_cyc >= 0; t++) {
		if (t == AZ_MT_CONF && !az_merge_query(c, mid, oid, "SELECT EXISTS (SELECT 1 FROM main.conformance WHERE run_id = ?1) AND EXISTS (SELECT 1 FROM temp.o_conformance WHERE run_id = ?2)"))
			continue;
		d = differ(c, t, k[t].cmp, mid, oid);
		if (!d && t == AZ_MT_HEADLINE && both_cyc)
			d = differ(c, t, k[t].all, mid, oid);
		if (d < 0)
			return -1;
		if (d)
			az_merge_append(buf, len, az_merge_tab[t]);
	}
	return both_cyc < 0 ? -1 : 0;
}

/* What DB's run mid lacks and OTHER's oid has: its conformance rows, its
   cycles.  Said on out; 0, or -1 reported. */
int az_merge_fill(const struct az_cat *c, const struct az_merge_cols *k, long long mid,
		long long oid, const char *path, FILE *out)
{
	long long conf = az_merge_query(c, mid, oid, "SELECT NOT EXISTS (SELECT 1 FROM main.conformance WHERE run_id = ?1) AND EXISTS (SELECT 1 FROM temp.o_conformance WHERE run_id = ?2)");
	long long cyc = az_merge_query(c, mid, oid, "SELECT m.headline_cycles IS NOT 1 AND o.headline_cycles IS 1 FROM main.run m, temp.o_run o WHERE m.id = ?1 AND o.id = ?2");

	if (conf < 0 || cyc < 0 || (conf && az_merge_copy_rows(c, AZ_MT_CONF, k, mid, oid)))
		return -1;
	if (cyc && (az_merge_query(c, mid, oid, "UPDATE main.headline SET (%s) = (SELECT %s FROM temp.o_headline o WHERE o.run_id = ?2 AND o.setup = main.headline.setup) WHERE run_id = ?1", k[AZ_MT_HEADLINE].cyc, k[AZ_MT_HEADLINE].cyc) < 0 ||
		    az_merge_query(c, mid, 0, "UPDATE main.run SET headline_cycles = 1 WHERE id = ?1") < 0))
		return -1;
	if (conf || cyc)
		fprintf(out, "run %lld (already present): %s%s%s from %s\n", mid, conf ? "its conformance rows" : "", conf && cyc ? " and " : "", cyc ? "its headline cycles" : "", path);
	return 0;
}

/* "run 7 of DB.db (folder /x)", or for a run this merge added "(folder
   /x, added from A.db by this merge)"; sha: its samples.csv SHA-256. */
static void name_run(const struct az_cat *c, long long id, const char *db,
		     const char *table, const struct az_merge_span *sp, size_t nsp,
		     char *buf, size_t len, char sha[65])
{
	sqlite3_stmt *st;
	char sql[128];
	size_t i;
	int u;

	snprintf(sql, sizeof(sql), "SELECT path, samples_sha256 FROM %s WHERE id = ?1", table);
	st = az_cat_prepare(c, sql);
	if (st)
		sqlite3_bind_int64(st, 1, id);
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		snprintf(buf, len, "run %lld of %s", id, db);
		return;
	}
	snprintf(sha, 65, "%s", az_cat_text(st, 1));
	u = snprintf(buf, len, "run %lld of %s (folder %s", id, db, az_cat_text(st, 0));
	sqlite3_finalize(st);
	for (i = 0; i < nsp && u > 0 && (size_t)u < len; i++)
		if (id >= sp[i].first && id <= sp[i].last)
			u += snprintf(buf + u, len - (size_t)u, ", added from %s by this merge", sp[i].path);
	if (u > 0 && (size_t)u < len)
		snprintf(buf + u, len - (size_t)u, ")");
}

/* The conflict's line: both runs, what differs, which is kept. */
void az_merge_conflict(const struct az_cat *c, long long mid, long long oid,
		     const char *path, const struct az_merge_span *sp, size_t nsp,
		     const char *what, FILE *out)
{
	char a[1200], b[1200], sha[65] = "";

	name_run(c, oid, path, "temp.o_run", NULL, 0, a, sizeof(a), sha);
	name_run(c, mid, c->path, "main.run", sp, nsp, b, sizeof(b), sha);
	fprintf(out, "%s: conflict: %s and %s are one run (samples.csv sha256 %.12s...) whose rows differ in %s: %s's kept\n", path, a, b, sha, what, c->path);
}
