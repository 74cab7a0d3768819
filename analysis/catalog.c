// SPDX-License-Identifier: GPL-2.0
/* catalog: dispatch to add, list, show, history, compare, table, merge;
   list and show. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "catalogcyc.h"
#include "commands.h"
#include "diag.h"

static int usage(FILE *f, int rc)
{
	fputs("usage: " AZ_TOOL " catalog add DB DIR...\n"
	      "       " AZ_TOOL " catalog list DB [--host H] [--cpu-model M] [--microcode X] [--kernel K] [--config C] [--since DATE] [--until DATE]\n"
	      "       " AZ_TOOL " catalog show DB RUN\n"
	      "       " AZ_TOOL " catalog history DB --setup \"instruction=vmptrst offset=0 ...\" [--host H] [-o DIR]\n"
	      "       " AZ_TOOL " catalog compare DB --microcode A --microcode B [--model M] [-o DIR]\n"
	      "       " AZ_TOOL " catalog table DB [--format md|csv|html] [--metric cycles|ticks|ns] [-o FILE]\n"
	      "       " AZ_TOOL " catalog merge DB OTHER.db...\n"
	      "\n"
	      "A run catalogue in one SQLite file DB: every run added stays findable\n"
	      "by host, CPU model, microcode, kernel, config and date.\n"
	      "\n"
	      "  add      imports run folders (meta.csv, points.csv, summary.csv and\n"
	      "           headline.csv, made first when missing; conformance.csv when\n"
	      "           present, also for a run added before); samples.csv stays\n"
	      "           in the folder, known by path and SHA-256.  The same run\n"
	      "           (same samples.csv SHA-256) twice is one row.\n"
	      "  list     one line per run; --cpu-model matches part of the name,\n"
	      "           the other filters whole values; DATE is a prefix of\n"
	      "           start_time (2024, 2024-05, 2024-05-17), both ends included\n"
	      "  show     a run (its id from list): meta.csv and headline rows (ticks,\n"
	      "           ns and cycles), the behaviour line (conformance.csv)\n"
	      "  history  one setup's headline cost per run, by host and date, in\n"
	      "           ticks, ns and cycles with their 95% intervals, each run\n"
	      "           against the host's previous one (a change only where the\n"
	      "           intervals do not overlap: a clock that moved changes ticks,\n"
	      "           not cycles), as DIR/history.csv and DIR/history.png and\n"
	      "           .svg (default DIR: catalog-history next to DB) with\n"
	      "           microcode changes marked; the --setup axes must pick one\n"
	      "           headline setup.  Then the same runs' behaviour\n"
	      "           (conformance.csv) per CPU model in date order, each branch\n"
	      "           that changed from the model's previous run marked, also as\n"
	      "           DIR/conformance-history.csv\n"
	      "  compare  every pair of runs of one CPU model, microcode A and B,\n"
	      "           sharing a headline setup: the catalogue's ticks, ns and\n"
	      "           cycles A -> B (changes as in history), then `compare` (B\n"
	      "           against A) into DIR/runA-runB (default DIR: catalog-compare\n"
	      "           next to DB); closing counts over all pairs, behaviour and\n"
	      "           cycles changes too\n"
	      "  table    the VMX cost table: a row per CPU model, microcode, kernel\n"
	      "           and platform (emulated rows say so), a column per headline\n"
	      "           instruction and setup (vmptrst first), each cell the net\n"
	      "           cost per instruction with its 95% interval in core cycles\n"
	      "           (the default; TSC ticks, said so, when no run has cycles),\n"
	      "           ticks or ns: the newest run of the row with a value (by\n"
	      "           start_time), named in a note when the row has several; a\n"
	      "           dash when none has one, the note says why.  Markdown (the\n"
	      "           default), CSV (a row per cell) or an HTML page, on stdout\n"
	      "           or FILE\n"
	      "  merge    other labs' catalogues into DB (created if missing) in one\n"
	      "           transaction: a run DB lacks is added with a new id and all\n"
	      "           its rows; the same run (samples.csv SHA-256) is kept once,\n"
	      "           and where its rows differ it is a conflict, named with both\n"
	      "           runs' folders, DB's rows kept (exit 4); an older OTHER is\n"
	      "           read through the schema migration in memory, a newer one\n"
	      "           refused.  A line per OTHER: N runs added, N already\n"
	      "           present, N conflicts\n"
	      "\n"
	      "Exit: 0 ok, 1 bad data, I/O or catalogue (merge: nothing merged),\n"
	      "2 bad command line, 4 merge found conflicts (the rest merged).\n", f);
	return rc;
}

/* The run table's columns: list's, and the head of show. */
#define RUN_COLS "r.id, r.start_time, r.host, r.cpu_model, r.microcode, r.kernel, r.config, r.platform, r.emulated, coalesce(nullif((SELECT count(*) FROM point p WHERE p.run_id = r.id), 0), (SELECT count(DISTINCT point) FROM summary s WHERE s.run_id = r.id))"

static const char *const list_head[] = {
	"run", "date", "host", "CPU model", "microcode", "kernel", "config",
	"platform", "points",
};

static void run_cells(sqlite3_stmt *st, char cells[][512])
{
	int i;

	for (i = 0; i < 8; i++)
		snprintf(cells[i], 512, "%s", az_cat_text(st, i));
	if (sqlite3_column_int(st, 8))
		snprintf(cells[7], 512, "%s (emulated)", az_cat_text(st, 7));
	snprintf(cells[8], 512, "%s", az_cat_text(st, 9));
}

static int list(const struct az_cat *c, const struct az_cat_opts *o)
{
	struct az_table t;
	sqlite3_stmt *st;
	char cells[9][512];
	const char *cp[9];
	int rc, i;

	st = az_cat_prepare(c, "SELECT " RUN_COLS " FROM run r WHERE (?1 IS NULL OR r.host = ?1) AND (?2 IS NULL OR instr(lower(r.cpu_model), lower(?2)) > 0) AND (?3 IS NULL OR r.microcode = ?3 COLLATE NOCASE) AND (?4 IS NULL OR r.kernel = ?4) AND (?5 IS NULL OR r.config = ?5) AND (?6 IS NULL OR substr(r.start_time, 1, length(?6)) >= ?6) AND (?7 IS NULL OR substr(r.start_time, 1, length(?7)) <= ?7) ORDER BY r.start_time, r.id");
	if (!st)
		return AZ_EXIT_DATA;
	sqlite3_bind_text(st, 1, o->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->microcode[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->kernel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->config, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, o->since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, o->until, -1, SQLITE_STATIC);
	for (i = 0; i < 9; i++)
		cp[i] = cells[i];
	az_table_init(&t, 9, list_head);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		run_cells(st, cells);
		az_table_row(&t, cp);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = az_cat_fail(c, "cannot read the catalogue");
	} else {
		az_table_print(&t);
		printf("%zu run%s\n", t.nrow - 1, t.nrow == 2 ? "" : "s");
		rc = 0;
	}
	az_table_free(&t);
	return rc ? AZ_EXIT_DATA : AZ_EXIT_OK;
}

/* A query with ?1 bound to a run id; NULL reported. */
static sqlite3_stmt *of_run(const struct az_cat *c, const char *sql,
			    sqlite3_int64 id)
{
	sqlite3_stmt *st = az_cat_prepare(c, sql);

	if (st)
		sqlite3_bind_int64(st, 1, id);
	return st;
}

/* The text columns of a query about run id as a table under a title;
   0, or -1 reported. */
static int query_table(const struct az_cat *c, const char *title,
		       const char *sql, sqlite3_int64 id,
		       const char *const *head, size_t ncol)
{
	sqlite3_stmt *st = of_run(c, sql, id);
	const char *cells[8];
	struct az_table t;
	size_t i;
	int rc;

	if (!st)
		return -1;
	printf("\n%s\n", title);
	az_table_init(&t, ncol, head);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncol; i++)
			cells[i] = az_cat_text(st, (int)i);
		az_table_row(&t, cells);
	}
	sqlite3_finalize(st);
	az_table_print(&t);
	az_table_free(&t);
	return rc == SQLITE_DONE ? 0 : az_cat_fail(c, "cannot read the catalogue");
}

/* show's headline rows: ticks, ns and cycles with their intervals (cycles
   not measured: why); 0, or -1 reported. */
static int show_headline(const struct az_cat *c, sqlite3_int64 id)
{
	static const char *const hh[] = {
		"setup", "unroll", "method", "ticks/insn [95% CI]",
		"ns/insn [95% CI]", "cycles/insn [95% CI]", "cycles from",
		"reason",
	};
	sqlite3_stmt *st = of_run(c, "SELECT h.setup, h.unroll, h.method, h.ticks, h.ci_low, h.ci_high, h.ns, h.ns_ci_low, h.ns_ci_high, " AZ_CAT_CYC_COLS("h", "r") " FROM headline h JOIN run r ON r.id = h.run_id WHERE h.run_id = ?1 ORDER BY h.rowid", id);
	char tk[128], ns[128], cy[600], fr[128];
	const char *cells[8] = { NULL, NULL, NULL, tk, ns, cy, fr, NULL };
	struct az_cat_ci x;
	struct az_cat_cyc y;
	struct az_table t;
	int rc, i;

	if (!st)
		return -1;
	printf("\nheadline.csv:\n");
	az_table_init(&t, 8, hh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < 3; i++)
			cells[i] = az_cat_text(st, i);
		az_cat_ci_read(st, 3, &x);
		az_cat_ci_text(&x, 4, tk, sizeof(tk));
		az_cat_ci_read(st, 6, &x);
		az_cat_ci_text(&x, 4, ns, sizeof(ns));
		az_cat_cyc_read(st, 9, &y);
		az_cat_cyc_text(&y, 4, cy, sizeof(cy));
		az_cat_cyc_from(&y, fr, sizeof(fr));
		cells[7] = az_cat_text(st, 14);	/* AZ_CAT_CYC_COLS' reason */
		az_table_row(&t, cells);
	}
	sqlite3_finalize(st);
	az_table_print(&t);
	az_table_free(&t);
	return rc == SQLITE_DONE ? 0 : az_cat_fail(c, "cannot read the catalogue");
}

/* show: the run's row, meta.csv and headline rows. */
static int show(const struct az_cat *c, sqlite3_int64 id)
{
	static const char *const mh[] = { "key", "value" };
	sqlite3_stmt *st = of_run(c, "SELECT path, samples_sha256, added, emulated FROM run WHERE id = ?1", id);

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		az_err(c->path, 0, "no run %lld in the catalogue (catalog list shows the ids)", (long long)id);
		return -1;
	}
	printf("run %lld\nfolder %s\nsamples.csv sha256 %s\nadded %s\n%s", (long long)id, az_cat_text(st, 0), az_cat_text(st, 1), az_cat_text(st, 2), sqlite3_column_int(st, 3) ? "EMULATED: not real timing\n" : "");
	sqlite3_finalize(st);
	if (query_table(c, "meta.csv:", "SELECT key, value FROM meta WHERE run_id = ?1 ORDER BY rowid", id, mh, 2))
		return -1;
	if (show_headline(c, id))
		return -1;
	return az_cat_conf_show(c, id);
}

static int show_args(const struct az_cat_opts *o)
{
	char *e;

	if (strtoll(o->arg[0], &e, 10) <= 0 || *e) {
		az_err(NULL, 0, "catalog show: RUN \"%s\": expected a run id (a number, from catalog list)", o->arg[0]);
		return -1;
	}
	return 0;
}

static int show_run(const struct az_cat *c, const struct az_cat_opts *o)
{
	return show(c, strtoll(o->arg[0], NULL, 10)) ? AZ_EXIT_DATA : AZ_EXIT_OK;
}

static const struct {
	const char *name, *allowed, *synopsis;
	int nargs;		/* positional arguments after DB; -1: one or more */
	int create;		/* a missing DB is created */
	int (*args)(const struct az_cat_opts *o);
	int (*run)(const struct az_cat *c, const struct az_cat_opts *o);
} sub[] = {
	{ "add", "", "DB DIR...", -1, 1, NULL, az_cat_add },
	{ "list", "host cpu-model microcode kernel config since until", "DB [--host H] ...", 0, 0, NULL, list },
	{ "show", "", "DB RUN (a run id from catalog list)", 1, 0, show_args, show_run },
	{ "history", "setup host o", "DB --setup \"axis=value ...\"", 0, 0, az_cat_history_args, az_cat_history },
	{ "compare", "microcode microcode2 model o", "DB --microcode A --microcode B", 0, 0, az_cat_compare_args, az_cat_compare },
	{ "table", "format metric o", "DB [--format md|csv|html] [--metric cycles|ticks|ns] [-o FILE]", 0, 0, az_cat_table_args, az_cat_table },
	{ "merge", "", "DB OTHER.db...", -1, 1, NULL, az_cat_merge },
};

/* Parse, check, open, run one subcommand; its exit code. */
static int run_sub(size_t k, int argc, char **argv)
{
	struct az_cat_opts o;
	struct az_cat c;
	int rc = az_cat_parse(argc, argv, sub[k].allowed, &o);

	if (!rc && (sub[k].nargs < 0 ? !o.narg : o.narg != sub[k].nargs)) {
		az_err(NULL, 0, "catalog %s: expected %s (see catalog --help)", sub[k].name, sub[k].synopsis);
		rc = -1;
	}
	if (!rc && sub[k].args)
		rc = sub[k].args(&o);
	if (rc > 0)
		rc = usage(stdout, AZ_EXIT_OK);
	else if (rc < 0)
		rc = AZ_EXIT_USAGE;
	else if (az_cat_open(&c, o.db, sub[k].create))
		rc = AZ_EXIT_DATA;
	else {
		rc = sub[k].run(&c, &o);
		az_cat_close(&c);
	}
	free(o.arg);
	return rc;
}

int az_cmd_catalog(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		az_err(NULL, 0, "catalog: expected add, list, show, history, compare, table or merge (see catalog --help)");
		return AZ_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout, AZ_EXIT_OK);
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (!strcmp(argv[1], sub[i].name))
			return run_sub(i, argc - 1, argv + 1);
	az_err(NULL, 0, "catalog: unknown subcommand \"%s\" (add, list, show, history, compare, table, merge)", argv[1]);
	return AZ_EXIT_USAGE;
}
