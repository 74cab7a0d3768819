/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The catalogue's numbers side by side (catalogcyc.c): a headline row's
 * ticks, ns and cycles with their 95% intervals as the catalogue holds
 * them, cycles "not measured" with the reason (never 0), and the rule by
 * which history and compare mark a change: two runs' intervals that do not
 * overlap.  A change in ticks whose cycles intervals overlap is the core
 * clock, not the instruction.  README.md, "Catalogue".
 */
#ifndef AZ_CATALOGCYC_H
#define AZ_CATALOGCYC_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

/* A value with its 95% interval (NaN: NULL in the catalogue). */
struct az_cat_ci {
	double v, lo, hi;
};

/* A headline row's cycles. */
struct az_cat_cyc {
	struct az_cat_ci c;	/* core cycles per instruction */
	double moved;		/* clock_moved_pct; NaN */
	char source[32];	/* cycles_source: add chain, APERF/MPERF, ... */
	char why[512];		/* c.v NaN: why there are no cycles */
};

/* The columns az_cat_cyc_read reads, of headline h and run r. */
#define AZ_CAT_CYC_COLS(h, r) h ".cycles, " h ".cycles_ci_low, " h ".cycles_ci_high, " h ".clock_moved_pct, " h ".cycles_source, " h ".reason, " r ".headline_cycles"
#define AZ_CAT_CYC_NCOL 7

/* Three REAL columns from col on: value, low, high. */
void az_cat_ci_read(sqlite3_stmt *st, int col, struct az_cat_ci *x);
/* AZ_CAT_CYC_COLS from col on. */
void az_cat_cyc_read(sqlite3_stmt *st, int col, struct az_cat_cyc *y);

/* CSV: ",v,lo,hi", a field empty where NaN (not measured). */
void az_cat_ci_csv(FILE *f, const struct az_cat_ci *x);
/* "v [lo, hi]", "v" without an interval, "" without a value; digits
   significant digits. */
void az_cat_ci_text(const struct az_cat_ci *x, int digits, char *buf,
		    size_t len);
/* The cycles cell: the value and interval, or "not measured: why". */
void az_cat_cyc_text(const struct az_cat_cyc *y, int digits, char *buf,
		     size_t len);
/* Where the cycles came from: "add chain, clock moved 0.69 %"; "". */
void az_cat_cyc_from(const struct az_cat_cyc *y, char *buf, size_t len);

enum az_cat_change {
	AZ_CAT_NONE,		/* a value or an interval missing */
	AZ_CAT_SAME,		/* the intervals overlap */
	AZ_CAT_HIGHER,		/* b's interval above a's */
	AZ_CAT_LOWER,
};

/* b against a. */
enum az_cat_change az_cat_change(const struct az_cat_ci *a,
				 const struct az_cat_ci *b);
/* "", "same", "higher", "lower". */
const char *az_cat_change_word(enum az_cat_change ch);
/* 100 (b - a) / |a|; NaN without both values. */
double az_cat_change_pct(const struct az_cat_ci *a, const struct az_cat_ci *b);

/*
 * Run b (ticks tb, cycles cb) against run a in words: "cycles same (+0.1
 * %), ticks higher (+2.0 %): the core clock moved, not the instruction",
 * "cycles CHANGED: higher (+5.0 %), ticks ...", "cycles not measured in
 * run 4, ticks ..." (ia, ib: the run ids).
 */
void az_cat_change_text(long long ia, const struct az_cat_ci *ta,
			const struct az_cat_cyc *ca, long long ib,
			const struct az_cat_ci *tb, const struct az_cat_cyc *cb,
			char *buf, size_t len);

/* Changes counted (the closing lines of history and compare). */
struct az_cat_tally {
	size_t same, higher, lower, none;
};

void az_cat_tally_add(struct az_cat_tally *t, const struct az_cat_ci *a,
		      const struct az_cat_ci *b);
/* "higher N, lower N, same N, not compared N" */
void az_cat_tally_text(const struct az_cat_tally *t, char *buf, size_t len);

#endif /* AZ_CATALOGCYC_H */
