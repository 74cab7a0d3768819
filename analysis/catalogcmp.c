// SPDX-License-Identifier: GPL-2.0
/*
 * catalog compare DB --microcode A --microcode B [--model M]: every pair of
 * catalogued runs of one CPU model, A's run on microcode A and B's on B,
 * sharing at least one headline setup, compared by `compare` (the same
 * verdicts and effect sizes) on their folders; a folder that is gone is
 * one line and the pair is skipped.  Closing line: the counts over all
 * pairs, and the pairs whose behaviour (conformance.csv) changed.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "catalogcyc.h"
#include "commands.h"
#include "csv.h"
#include "diag.h"
#include "rundir.h"

struct counts {
	size_t pairs, compared, gone, failed;
	size_t faster, slower, same, none, only_a, only_b;
	size_t beh_branches, beh_pairs, beh_absent;	/* behaviour */
	struct az_cat_tally cyc;	/* cycles, from the catalogue */
};

/* Add the pair's conformance-diff.csv (compare writes it when both runs
   have a table) to k; 0, or -1 reported. */
static int tally_behaviour(const char *dir, struct counts *k)
{
	char *path = az_path(dir, "conformance-diff.csv");
	struct csv_reader r;
	size_t n = 0;
	int rc;

	if (access(path, F_OK)) {
		k->beh_absent++;
		free(path);
		return 0;
	}
	if (csv_open(&r, path)) {
		free(path);
		return -1;
	}
	while ((rc = csv_next(&r)) > 0)
		n += r.nfield > 1 && !strcmp(r.field[1], "changed");
	csv_close(&r);
	free(path);
	k->beh_branches += n;
	k->beh_pairs += n > 0;
	return rc < 0 ? -1 : 0;
}

/* Add compare.csv's verdicts to k; 0, or -1 reported. */
static int tally(const char *dir, struct counts *k)
{
	char *path = az_path(dir, "compare.csv");
	struct csv_reader r;
	size_t cs = AZ_NO_GROUP, cv = AZ_NO_GROUP, i;
	int rc;

	if (csv_open(&r, path)) {
		free(path);
		return -1;
	}
	while ((rc = csv_next(&r)) > 0) {
		if (cv == AZ_NO_GROUP) {
			for (i = 0; i < r.nfield; i++) {
				if (!strcmp(r.field[i], "status"))
					cs = i;
				if (!strcmp(r.field[i], "verdict"))
					cv = i;
			}
			if (cv == AZ_NO_GROUP || cs == AZ_NO_GROUP) {
				az_err(path, r.line, "no status and verdict columns");
				rc = -1;
				break;
			}
			continue;
		}
		if (r.nfield <= cv)
			continue;
		if (!strcmp(r.field[cs], "only_a"))
			k->only_a++;
		else if (!strcmp(r.field[cs], "only_b"))
			k->only_b++;
		else if (!strcmp(r.field[cv], "faster"))
			k->faster++;
		else if (!strcmp(r.field[cv], "slower"))
			k->slower++;
		else if (!strcmp(r.field[cv], "same"))
			k->same++;
		else
			k->none++;
	}
	csv_close(&r);
	free(path);
	return rc < 0 ? -1 : 0;
}

/* Whether a run's samples.csv is still in its folder; if not, one line. */
static int present(long long id, const char *dir)
{
	char *s = az_path(dir, "samples.csv");
	int ok = !access(s, R_OK);

	if (!ok)
		printf("run %lld: folder %s is gone (no samples.csv): pair skipped\n", id, dir);
	free(s);
	return ok;
}

static int pair(const struct az_cat *c, sqlite3_stmt *st, const char *out,
		struct counts *k)
{
	long long ia = sqlite3_column_int64(st, 0), ib = sqlite3_column_int64(st, 5);
	char name[64], *dir, *pa, *pb;
	char *av[6];
	int rc;

	k->pairs++;
	printf("== pair %zu: %s: run %lld (%s, %s, microcode %s) -> run %lld (%s, %s, microcode %s)\n",
	       k->pairs, az_cat_text(st, 10), ia, az_cat_text(st, 2),
	       az_cat_text(st, 3), az_cat_text(st, 4), ib, az_cat_text(st, 7),
	       az_cat_text(st, 8), az_cat_text(st, 9));
	pa = az_strdup(az_cat_text(st, 1));
	pb = az_strdup(az_cat_text(st, 6));
	if (az_cat_pair_table(c, ia, ib, &k->cyc)) {
		k->failed++;
		free(pa);
		free(pb);
		return -1;
	}
	if (!present(ia, pa) || !present(ib, pb)) {
		k->gone++;
		free(pa);
		free(pb);
		return 0;
	}
	snprintf(name, sizeof(name), "run%lld-run%lld", ia, ib);
	dir = az_path(out, name);
	av[0] = "compare";
	av[1] = pa;
	av[2] = pb;
	av[3] = "-o";
	av[4] = dir;
	av[5] = NULL;
	fflush(stdout);
	rc = az_cmd_compare(5, av);
	if (rc == AZ_EXIT_OK && !tally(dir, k) && !tally_behaviour(dir, k)) {
		k->compared++;
	} else {
		printf("pair %zu (run %lld -> run %lld): compare failed (its message above)\n", k->pairs, ia, ib);
		k->failed++;
	}
	free(dir);
	free(pa);
	free(pb);
	return 0;
}

static int compare_all(const struct az_cat *c, const struct az_cat_opts *o)
{
	sqlite3_stmt *st = az_cat_prepare(c, "SELECT a.id, a.path, a.host, a.start_time, a.microcode, b.id, b.path, b.host, b.start_time, b.microcode, a.cpu_model FROM run a JOIN run b ON b.cpu_model = a.cpu_model AND b.id != a.id WHERE a.microcode = ?1 COLLATE NOCASE AND b.microcode = ?2 COLLATE NOCASE AND (?3 IS NULL OR instr(lower(a.cpu_model), lower(?3)) > 0) AND EXISTS (SELECT 1 FROM headline ha JOIN headline hb ON replace(hb.setup, ' mode=root', '') = replace(ha.setup, ' mode=root', '') WHERE ha.run_id = a.id AND hb.run_id = b.id) ORDER BY a.cpu_model, a.start_time, a.id, b.start_time, b.id");
	struct counts k;
	char *dbcopy, *out, cyc[128];
	int rc;

	if (!st)
		return -1;
	memset(&k, 0, sizeof(k));
	dbcopy = az_strdup(c->path);
	out = o->out ? az_strdup(o->out) : az_path(dirname(dbcopy), "catalog-compare");
	sqlite3_bind_text(st, 1, o->microcode[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->microcode[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->model, -1, SQLITE_STATIC);
	if (az_mkdir(out)) {
		rc = SQLITE_ERROR;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (pair(c, st, out, &k))
			break;	/* reported */
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		az_cat_fail(c, "cannot read the catalogue");
	else if (!k.pairs)
		printf("no pair of runs of one CPU model%s with microcode %s and %s sharing a headline setup\n", o->model ? " matching --model" : "", o->microcode[0], o->microcode[1]);
	az_cat_tally_text(&k.cyc, cyc, sizeof(cyc));
	printf("catalog compare %s -> %s: %zu pairs (%zu compared, %zu skipped: folder gone, %zu failed); faster %zu, slower %zu, same %zu, no verdict %zu, only-A %zu, only-B %zu; behaviour changed on %zu branches in %zu pairs (%zu compared pairs without both conformance tables); cycles per setup from the catalogue, every pair (intervals that do not overlap): %s\n",
	       o->microcode[0], o->microcode[1], k.pairs, k.compared, k.gone,
	       k.failed, k.faster, k.slower, k.same, k.none, k.only_a, k.only_b,
	       k.beh_branches, k.beh_pairs, k.beh_absent, cyc);
out:
	sqlite3_finalize(st);
	free(out);
	free(dbcopy);
	return rc != SQLITE_DONE || k.failed ? -1 : 0;
}

int az_cat_compare_args(const struct az_cat_opts *o)
{
	if (o->nmicrocode == 2)
		return 0;
	az_err(NULL, 0, "catalog compare: expected --microcode A --microcode B (the revisions compared, B against A)");
	return -1;
}

int az_cat_compare(const struct az_cat *c, const struct az_cat_opts *o)
{
	return compare_all(c, o) ? AZ_EXIT_DATA : AZ_EXIT_OK;
}
