/* SPDX-License-Identifier: GPL-2.0 */
/*
 * catalog merge's parts: catalogmerge.c reads each OTHER into temporary
 * tables o_TABLE (DB's columns) and adds the runs DB lacks;
 * catalogmergecmp.c compares a run both hold, names a conflict and fills
 * what DB lacks.
 */
#ifndef AZ_CATALOGMERGE_H
#define AZ_CATALOGMERGE_H

#include <stdio.h>

#include "catalog.h"

/* A run's tables (az_merge_tab[]): run (key id), then its rows' (key run_id). */
enum { AZ_MT_RUN, AZ_MT_META, AZ_MT_POINT, AZ_MT_SUMMARY, AZ_MT_HEADLINE,
       AZ_MT_CONF, AZ_MT_N };
extern const char *const az_merge_tab[AZ_MT_N];

/* run's columns about the catalogue, not the run: never compared. */
#define AZ_MT_RUN_LOCAL "id path added headline_cycles"
/* headline's cycles (version 4): compared when both runs have them. */
#define AZ_MT_CYCLES "cycles cycles_ci_low cycles_ci_high cycles_source clock_moved_pct"

/* A table's columns but its key, as SQL lists ("a, b, c"). */
struct az_merge_cols {
	char all[2048];		/* every one */
	char cmp[2048];		/* compared: AZ_MT_RUN_LOCAL, AZ_MT_CYCLES left out */
	char cyc[512];		/* headline: AZ_MT_CYCLES */
	char ph[512];		/* "?2, ?3, ..." for all, after the key */
};

/* Where runs this merge added came from: ids first..last, from path. */
struct az_merge_span {
	const char *path;
	long long first, last;
};

/* name appended to the SQL list list ("a, b" -> "a, b, name"). */
void az_merge_append(char *list, size_t len, const char *name);
/*
 * The SQL printf(fmt, ...) with ?1 and ?2 bound to a and b: the first
 * column of its first row (0 without one), or -1 reported.
 */
long long az_merge_query(const struct az_cat *c, long long a, long long b,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* OTHER's run oid's rows of table t (k: every table's columns) as DB's
   run nid's; 0, or -1 reported. */
int az_merge_copy_rows(const struct az_cat *c, int t,
		       const struct az_merge_cols *k, long long nid,
		       long long oid);

/*
 * What differs between DB's run mid and OTHER's run oid (k: every table's
 * columns), as "run (microcode), headline" into buf, "" when nothing; 0,
 * or -1 reported.
 */
int az_merge_compare(const struct az_cat *c, const struct az_merge_cols *k,
		     long long mid, long long oid, char *buf, size_t len);
/* What DB's run mid lacks and OTHER's (at path) has: its conformance rows,
   its cycles; said on out.  0, or -1 reported. */
int az_merge_fill(const struct az_cat *c, const struct az_merge_cols *k,
		  long long mid, long long oid, const char *path, FILE *out);
/* The conflict's line on out: both runs (sp[nsp]: the runs this merge
   added so far), what differs, which rows are kept. */
void az_merge_conflict(const struct az_cat *c, long long mid, long long oid,
		       const char *path, const struct az_merge_span *sp,
		       size_t nsp, const char *what, FILE *out);

#endif /* AZ_CATALOGMERGE_H */
