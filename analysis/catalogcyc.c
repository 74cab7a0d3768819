// SPDX-License-Identifier: GPL-2.0
/* The catalogue's ticks, ns and cycles side by side: catalogcyc.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "catalogcyc.h"
#include "csv.h"
#include "headline.h"

/* Why a run has no cycles in the catalogue, by run.headline_cycles. */
#define WHY_BEFORE_V4 "the run was catalogued before the catalogue kept cycles (schema version 4): catalog add DB DIR again fills them"
#define WHY_OLD_HEADLINE "its headline.csv has no cycles columns (written before them): vmptrst-analyze summary DIR rewrites it, then catalog add DB DIR again"

static double col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	       sqlite3_column_double(st, i);
}

void az_cat_ci_read(sqlite3_stmt *st, int col, struct az_cat_ci *x)
{
	x->v = col_num(st, col);
	x->lo = col_num(st, col + 1);
	x->hi = col_num(st, col + 2);
}

/* The clause of headline.csv's reason that says why there are no cycles:
   the one beginning "core clock unknown", else the whole reason. */
static void why_not(const char *reason, char *buf, size_t len)
{
	const char *p = strstr(reason, AZ_WHY_NO_CLOCK), *e;

	if (!p) {
		snprintf(buf, len, "%s", *reason ? reason : "headline.csv gives no cycles and no reason");
		return;
	}
	e = strchr(p, ';');
	snprintf(buf, len, "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
}

void az_cat_cyc_read(sqlite3_stmt *st, int col, struct az_cat_cyc *y)
{
	az_cat_ci_read(st, col, &y->c);
	y->moved = col_num(st, col + 3);
	snprintf(y->source, sizeof(y->source), "%s", az_cat_text(st, col + 4));
	y->why[0] = '\0';
	if (y->c.v == y->c.v)
		return;
	if (sqlite3_column_type(st, col + 6) == SQLITE_NULL)
		snprintf(y->why, sizeof(y->why), "%s", WHY_BEFORE_V4);
	else if (!sqlite3_column_int(st, col + 6))
		snprintf(y->why, sizeof(y->why), "%s", WHY_OLD_HEADLINE);
	else
		why_not(az_cat_text(st, col + 5), y->why, sizeof(y->why));
}

void az_cat_ci_csv(FILE *f, const struct az_cat_ci *x)
{
	CSV_SEP(f);
	csv_put_num(f, x->v);
	CSV_SEP(f);
	csv_put_num(f, x->lo);
	CSV_SEP(f);
	csv_put_num(f, x->hi);
}

void az_cat_ci_text(const struct az_cat_ci *x, int digits, char *buf,
		    size_t len)
{
	if (isnan(x->v))
		snprintf(buf, len, "%s", "");
	else if (isnan(x->lo) || isnan(x->hi))
		snprintf(buf, len, "%.*g", digits, x->v);
	else
		snprintf(buf, len, "%.*g [%.*g, %.*g]", digits, x->v, digits,
			 x->lo, digits, x->hi);
}

void az_cat_cyc_text(const struct az_cat_cyc *y, int digits, char *buf,
		     size_t len)
{
	if (isnan(y->c.v))
		snprintf(buf, len, "not measured: %s", y->why);
	else
		az_cat_ci_text(&y->c, digits, buf, len);
}

void az_cat_cyc_from(const struct az_cat_cyc *y, char *buf, size_t len)
{
	if (isnan(y->c.v) || !*y->source)
		snprintf(buf, len, "%s", "");
	else if (isnan(y->moved))
		snprintf(buf, len, "%s", y->source);
	else
		snprintf(buf, len, "%s, clock moved %.2g %%", y->source, y->moved);
}

enum az_cat_change az_cat_change(const struct az_cat_ci *a,
				 const struct az_cat_ci *b)
{
	if (isnan(a->v) || isnan(a->lo) || isnan(a->hi) || isnan(b->v) ||
	    isnan(b->lo) || isnan(b->hi))
		return AZ_CAT_NONE;
	if (b->lo > a->hi)
		return AZ_CAT_HIGHER;
	if (b->hi < a->lo)
		return AZ_CAT_LOWER;
	return AZ_CAT_SAME;
}

const char *az_cat_change_word(enum az_cat_change ch)
{
	static const char *const w[] = { "", "same", "higher", "lower" };

	return w[ch];
}

double az_cat_change_pct(const struct az_cat_ci *a, const struct az_cat_ci *b)
{
	return 100 * (b->v - a->v) / fabs(a->v);
}

/* "higher (+2.0 %)", "same (+0.1 %)", "not compared: no interval". */
static int one(char *buf, size_t len, const struct az_cat_ci *a,
	       const struct az_cat_ci *b, int shout)
{
	enum az_cat_change ch = az_cat_change(a, b);
	double pct = az_cat_change_pct(a, b);

	if (ch == AZ_CAT_NONE)
		return snprintf(buf, len, "not compared (no 95%% interval)");
	return snprintf(buf, len, "%s%s (%+.1f %%)",
			shout && ch != AZ_CAT_SAME ? "CHANGED: " : "",
			az_cat_change_word(ch), isfinite(pct) ? pct : 0.0);
}

void az_cat_change_text(long long ia, const struct az_cat_ci *ta,
			const struct az_cat_cyc *ca, long long ib,
			const struct az_cat_ci *tb, const struct az_cat_cyc *cb,
			char *buf, size_t len)
{
	size_t u;
	enum az_cat_change ct = az_cat_change(ta, tb), cc = az_cat_change(&ca->c, &cb->c);

	u = (size_t)snprintf(buf, len, "cycles ");
	if (isnan(ca->c.v) || isnan(cb->c.v))
		u += (size_t)(isnan(ca->c.v) && isnan(cb->c.v) ?
			snprintf(buf + u, len > u ? len - u : 0, "not measured in either run") :
			snprintf(buf + u, len > u ? len - u : 0, "not measured in run %lld",
				 isnan(ca->c.v) ? ia : ib));
	else
		u += (size_t)one(buf + u, len > u ? len - u : 0, &ca->c, &cb->c, 1);
	u += (size_t)snprintf(buf + u, len > u ? len - u : 0, ", ticks ");
	if (isnan(ta->v) || isnan(tb->v))
		u += (size_t)snprintf(buf + u, len > u ? len - u : 0, "not measured");
	else
		u += (size_t)one(buf + u, len > u ? len - u : 0, ta, tb, 0);
	if (cc == AZ_CAT_SAME && (ct == AZ_CAT_HIGHER || ct == AZ_CAT_LOWER))
		snprintf(buf + u, len > u ? len - u : 0, ": the core clock moved, not the instruction");
}

void az_cat_tally_add(struct az_cat_tally *t, const struct az_cat_ci *a,
		      const struct az_cat_ci *b)
{
	switch (az_cat_change(a, b)) {
	case AZ_CAT_SAME:
		t->same++;
		break;
	case AZ_CAT_HIGHER:
		t->higher++;
		break;
	case AZ_CAT_LOWER:
		t->lower++;
		break;
	default:
		t->none++;
	}
}

void az_cat_tally_text(const struct az_cat_tally *t, char *buf, size_t len)
{
	snprintf(buf, len, "higher %zu, lower %zu, same %zu, not compared %zu",
		 t->higher, t->lower, t->same, t->none);
}
