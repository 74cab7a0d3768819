// SPDX-License-Identifier: GPL-2.0
/*
 * catalog compare's view of a pair from the catalogue itself: per headline
 * setup the two runs share, ticks, ns and cycles per instruction with their
 * 95% intervals, A -> B, and the change by the catalogue's rule (intervals
 * that do not overlap: catalogcyc.h), so that a pair whose clocks differ
 * shows a change in ticks and none in cycles.  Needs no run folder.
 */
#include <stdio.h>

#include "catalog.h"
#include "catalogcyc.h"

/* Both runs' rows of each setup they share (a setup without mode matching
   the mode=root setup of a newer run). */
#define PAIR_SQL "SELECT ha.setup, ha.ticks, ha.ci_low, ha.ci_high, ha.ns, ha.ns_ci_low, ha.ns_ci_high, " AZ_CAT_CYC_COLS("ha", "ra") ", hb.ticks, hb.ci_low, hb.ci_high, hb.ns, hb.ns_ci_low, hb.ns_ci_high, " AZ_CAT_CYC_COLS("hb", "rb") " FROM headline ha JOIN run ra ON ra.id = ha.run_id JOIN headline hb ON replace(hb.setup, ' mode=root', '') = replace(ha.setup, ' mode=root', '') JOIN run rb ON rb.id = hb.run_id WHERE ha.run_id = ?1 AND hb.run_id = ?2 ORDER BY ha.rowid"
#define SIDE (6 + AZ_CAT_CYC_NCOL)	/* columns per run */

/* One run's side of a row. */
struct side {
	struct az_cat_ci tk, ns;
	struct az_cat_cyc cyc;
};

static void side_read(sqlite3_stmt *st, int col, struct side *s)
{
	az_cat_ci_read(st, col, &s->tk);
	az_cat_ci_read(st, col + 3, &s->ns);
	az_cat_cyc_read(st, col + 6, &s->cyc);
}

/* "    what  A -> B" */
static void line(const char *what, const struct az_cat_ci *a,
		 const struct az_cat_ci *b)
{
	char ta[128], tb[128];

	az_cat_ci_text(a, 4, ta, sizeof(ta));
	az_cat_ci_text(b, 4, tb, sizeof(tb));
	printf("    %-12s %s -> %s\n", what, *ta ? ta : "not measured",
	       *tb ? tb : "not measured");
}

static void cycles_line(long long ia, long long ib, const struct side *a,
			const struct side *b)
{
	char ta[600], tb[600], fa[128], fb[128];

	az_cat_cyc_text(&a->cyc, 4, ta, sizeof(ta));
	az_cat_cyc_text(&b->cyc, 4, tb, sizeof(tb));
	az_cat_cyc_from(&a->cyc, fa, sizeof(fa));
	az_cat_cyc_from(&b->cyc, fb, sizeof(fb));
	printf("    %-12s %s -> %s", "cycles/insn", ta, tb);
	if (*fa || *fb)
		printf(" (run %lld: %s; run %lld: %s)", ia, *fa ? fa : "none",
		       ib, *fb ? fb : "none");
	putchar('\n');
}

int az_cat_pair_table(const struct az_cat *c, long long ia, long long ib,
		      struct az_cat_tally *t)
{
	sqlite3_stmt *st = az_cat_prepare(c, PAIR_SQL);
	struct side a, b;
	char what[800];
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, ia);
	sqlite3_bind_int64(st, 2, ib);
	printf("catalogue: run %lld -> run %lld, per shared setup (95%% intervals; a change only where they do not overlap):\n", ia, ib);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		side_read(st, 1, &a);
		side_read(st, 1 + SIDE, &b);
		az_cat_change_text(ia, &a.tk, &a.cyc, ib, &b.tk, &b.cyc, what,
				   sizeof(what));
		printf("  %s: %s\n", az_cat_text(st, 0), what);
		line("ticks/insn", &a.tk, &b.tk);
		line("ns/insn", &a.ns, &b.ns);
		cycles_line(ia, ib, &a, &b);
		az_cat_tally_add(t, &a.cyc.c, &b.cyc.c);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : az_cat_fail(c, "cannot read the catalogue");
}
