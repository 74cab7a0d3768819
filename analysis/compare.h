/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of compare (compare.c: the command): the command line
 * (compareopts.c), the runs' comparable distributions paired by setup
 * (compareunits.c), meta.csv's differences and the warnings they raise
 * (comparemeta.c), and one verdict per pair in compare.csv and on stdout
 * (comparerow.c).
 */
#ifndef AZ_COMPARE_H
#define AZ_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "rundir.h"

struct az_cmp_unit {
	const struct az_group *g;
	char *key;
	const double *v;	/* sorted */
	const struct dist *d;
	int net;
	int used;
};

/* --fail-on: a set of kinds (any = slower | faster) */
enum {
	AZ_FAIL_SLOWER = 1, AZ_FAIL_FASTER = 2, AZ_FAIL_ANY = 3,
	AZ_FAIL_BEHAVIOUR = 4
};

struct az_cmp_opts {
	const char *a, *b, *out;
	double threshold_pct, alpha;
	int fail_on;
	const char *fail_on_arg;
};

/* Verdict counts, the closing line. */
struct az_cmp_tally {
	size_t faster, slower, same, only_a, only_b, none;
};

/* The setup columns: every axis of either run but point and cpu. */
struct az_cmp_setup {
	size_t n;
	const char **name;
	size_t *col_a, *col_b;	/* AZ_NO_GROUP where a run lacks it */
	int *varies;		/* not the same in every unit */
	const char **value;	/* the value when it does not vary */
};

/* What makes the verdicts doubtful, for stdout and compare.csv. */
struct az_cmp_warn {
	char csv[1024];		/* the `warning` column, "" when none */
};
/* 1 for --help, 0, or -1 reported (a bad command line). */
int az_cmp_parse(int argc, char **argv, struct az_cmp_opts *o);
/* The usage on f; returns rc. */
int az_cmp_usage(FILE *f, int rc);
/* Did --fail-on match?  Says why on stderr (one line). */
int az_cmp_gate(const struct az_cmp_opts *o, const struct az_cmp_tally *t,
		int changed, const char *names);

/* The comparable distributions of a run; *n of them (az_cmp_units_free). */
struct az_cmp_unit *az_cmp_units(const struct az_dataset *ds, size_t *n);
void az_cmp_units_free(struct az_cmp_unit *u, size_t n);
/* Pair A's units with B's: match[i] is B's index or AZ_NO_GROUP; the
   number of pairs. */
size_t az_cmp_match(struct az_cmp_unit *ua, size_t na, struct az_cmp_unit *ub,
		    size_t nb, size_t *match);
/* The setup columns of both runs' units (az_cmp_setup_free). */
void az_cmp_setup_of(struct az_cmp_setup *s, const struct az_dataset *da,
		     const struct az_dataset *db, const struct az_cmp_unit *ua,
		     size_t na, const struct az_cmp_unit *ub, size_t nb);
void az_cmp_setup_free(struct az_cmp_setup *s);
/* Setup column i of the pair (either unit may be NULL), "" if neither. */
const char *az_cmp_setup_value(const struct az_cmp_setup *s, size_t i,
			       const struct az_cmp_unit *ua,
			       const struct az_cmp_unit *ub);

/* Differences of meta.csv on stdout first, and in OUT/meta-diff.csv; 0,
   or -1 reported. */
int az_cmp_meta_diff(const struct az_run *a, const struct az_run *b,
		     const char *out);
/* The loud block on stdout, above the verdicts; its summary for the csv. */
void az_cmp_warnings(const struct az_run *a, const struct az_run *b,
		     struct az_cmp_warn *w);

/* compare.csv's head row. */
void az_cmp_csv_head(FILE *f, const struct az_cmp_setup *su);
/* The table's head on stdout: setup values common to every point once,
   then the names of the columns that vary. */
void az_cmp_table_head(const struct az_cmp_setup *su);
/* One pair (or a unit of one run alone): its compare.csv row, its line on
   stdout, counted in t. */
void az_cmp_row(FILE *f, const struct az_cmp_opts *o, const struct az_run *a,
		const struct az_run *b, const struct az_cmp_setup *su,
		const struct az_cmp_warn *w, const struct az_cmp_unit *ua,
		const struct az_cmp_unit *ub, struct az_cmp_tally *t);

#endif /* AZ_COMPARE_H */
