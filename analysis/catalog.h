/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run catalogue: an SQLite database (libsqlite3) that keeps every run
 * findable by host, CPU model, microcode, kernel, config and date.  It holds
 * each run's meta.csv, points, summary.csv and headline.csv rows; the raw
 * samples stay in the run folder, known by path and samples.csv's SHA-256
 * (the run's identity: adding the same run twice is one row).  Schema and
 * versions: analysis/README.md, "Catalogue".
 */
#ifndef AZ_CATALOG_H
#define AZ_CATALOG_H

#include <sqlite3.h>
#include <stddef.h>

/* The schema version this tool writes (PRAGMA user_version). */
#define AZ_CAT_VERSION 4

struct az_cat {
	sqlite3 *db;
	const char *path;
};

/*
 * Open the catalogue at path, creating it when create is set (else a
 * missing file is an error), and bring an older schema up to
 * AZ_CAT_VERSION; a newer one is refused.  0, or -1 reported.
 */
int az_cat_open(struct az_cat *c, const char *path, int create);
/*
 * Open another catalogue at path to read (catalog merge): as it is when its
 * schema is ours, else a copy in memory brought up to AZ_CAT_VERSION (the
 * file is not changed); *from its version.  A newer one is refused.  0,
 * or -1 reported.
 */
int az_cat_open_copy(struct az_cat *c, const char *path, int *from);
void az_cat_close(struct az_cat *c);
/* Report the database's last error ("DB: what: sqlite's message"); -1. */
int az_cat_fail(const struct az_cat *c, const char *what);
/* Run SQL without results; 0, or -1 reported. */
int az_cat_exec(const struct az_cat *c, const char *sql);
/* A prepared statement, or NULL reported. */
sqlite3_stmt *az_cat_prepare(const struct az_cat *c, const char *sql);
/* Column text, "" for NULL. */
const char *az_cat_text(sqlite3_stmt *st, int col);

/* The options of the catalog subcommands (NULL when not given). */
struct az_cat_opts {
	const char *db;
	const char *host, *model, *kernel, *config, *since, *until;
	const char *setup, *out;
	const char *format, *metric;	/* catalog table */
	const char *microcode[2];
	int nmicrocode;
	char **arg;		/* positional arguments after DB */
	int narg;
};

/*
 * Parse argv (argv[0] the subcommand) allowing the long options named in
 * allowed ("host cpu-model microcode ..."); 0, 1 for --help, -1 reported.
 */
int az_cat_parse(int argc, char **argv, const char *allowed,
		 struct az_cat_opts *o);
/* Whether word is one of the space-separated names of list. */
int az_cat_listed(const char *list, const char *word);

/* A text table on stdout: columns sized to their widest cell. */
struct az_table {
	size_t ncol, nrow;
	char **cell;		/* nrow x ncol, the first row the header */
};

void az_table_init(struct az_table *t, size_t ncol, const char *const *head);
/* Append a row of ncol cells (copied). */
void az_table_row(struct az_table *t, const char *const *cells);
void az_table_print(const struct az_table *t);
void az_table_free(struct az_table *t);

/*
 * A CSV file of a run folder into the catalogue (catalogcsv.c): per row,
 * sql (an INSERT, or an UPDATE) with ?1 the run id and ?2 on the fields
 * named by cols: "name" text, "=name" a number (NULL when empty), "~name" a
 * number and "?name" text the file may lack (NULL then), "" the row's setup
 * text ("instruction=vmptrst cpu=0 ...": the columns before stop but skip).
 */
struct az_cat_csv {
	const char *file, *sql, *const *cols;
	const char *stop;	/* first column after the setup axes */
	const char *skip;	/* an axis left out of the setup */
	int optional;		/* the file may be absent */
};

/* 0 (*lacking, when not NULL: the optional columns the file lacks), or -1
   reported. */
int az_cat_csv_import(const struct az_cat *c, long long id, const char *dir,
		      const struct az_cat_csv *t, int *lacking);

/* --setup's words (catalogsetup.c). */
/* Whether want is one or more "axis=value" words. */
int az_cat_setup_valid(const char *want);
/* Whether every "axis=value" word of want is one of setup's words. */
int az_cat_setup_matches(const char *want, const char *setup);
/* Whether setup has a word "axis=...". */
int az_cat_has_axis(const char *setup, const char *axis);
/* setup's words but "mode=root" (malloc'd): a run from before the mode axis
   measured in mode root and has no mode word. */
char *az_cat_root_as_before(const char *setup);
/* The same without "cpu=N" too: the setup a column of the cost table (catalog
   table) stands for, whichever CPU each host measured on (malloc'd). */
char *az_cat_setup_key(const char *setup);

/*
 * The subcommands, run by catalog.c once the options are parsed and checked
 * and the catalogue is open: each returns the exit code, 0, 1 (bad data,
 * reported) or 2 (bad command line, reported).  *_args: the checks beyond
 * the option names, 0 or -1 reported.
 */
int az_cat_add(const struct az_cat *c, const struct az_cat_opts *o);
int az_cat_history_args(const struct az_cat_opts *o);
int az_cat_history(const struct az_cat *c, const struct az_cat_opts *o);
int az_cat_compare_args(const struct az_cat_opts *o);
int az_cat_compare(const struct az_cat *c, const struct az_cat_opts *o);
int az_cat_merge(const struct az_cat *c, const struct az_cat_opts *o);
int az_cat_table_args(const struct az_cat_opts *o);
int az_cat_table(const struct az_cat *c, const struct az_cat_opts *o);

/*
 * compare's pair from the catalogue (catalogpair.c): per headline setup of
 * both runs, ticks, ns and cycles, A -> B, with the change; each setup's
 * cycles change counted in t; 0, or -1 reported.
 */
struct az_cat_tally;
int az_cat_pair_table(const struct az_cat *c, long long ia, long long ib,
		      struct az_cat_tally *t);

/* The behaviour part (catalogconf.c): conformance.csv's rows of run id. */
struct az_conf;
/* Store them (none when the run has no table); 0, or -1 reported. */
int az_cat_conf_add(const struct az_cat *c, long long id, const struct az_conf *conf);
/* Read them back (conf->present 0 when there are none); 0, or -1 reported. */
int az_cat_conf_load(const struct az_cat *c, long long id, struct az_conf *conf);
/* show: the run's "Behaviour: ..." line; 0, or -1 reported. */
int az_cat_conf_show(const struct az_cat *c, long long id);
/*
 * history: the runs ids[n] per CPU model in date order, each run's branches
 * against the model's previous run with a table (changes marked), on
 * stdout and as DIR/conformance-history.csv; 0, or -1 reported.
 */
int az_cat_conf_history(const struct az_cat *c, const long long *ids, size_t n,
			const char *dir);

#endif /* AZ_CATALOG_H */
