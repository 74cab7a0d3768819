// SPDX-License-Identifier: GPL-2.0
/*
 * compare's verdicts: per pair the difference B - A in TSC ticks, ns and
 * percent of A with its 95% CI and the Mann-Whitney p, the verdict, one
 * row of compare.csv and one line on stdout.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "csv.h"

static int col_width(const char *name)
{
	return strlen(name) > 8 ? (int)strlen(name) : 8;
}

static void put_num(FILE *f, double v)
{
	CSV_SEP(f);
	csv_put_num(f, v);
}

/* The run's TSC frequency in kHz from meta.csv, NaN when unknown. */
static double tsc_khz(const struct az_run *r)
{
	double v;

	if (csv_number(az_meta_get(&r->meta, "tsc_khz"), &v) || !(v > 0))
		return NAN;
	return v;
}

struct effect {
	double diff, lo, hi;		/* TSC ticks, B - A */
	double ns, ns_lo, ns_hi;	/* nanoseconds; NaN without tsc_khz */
	double pct, pct_lo, pct_hi;	/* percent of |median A| */
	double p;
};

static void effect_of(const struct az_cmp_unit *ua,
		      const struct az_cmp_unit *ub,
		      double khz_a, double khz_b, struct effect *e)
{
	double sa, sb, na, nb, ma = ua->d->median, mb = ub->d->median, uu;

	e->diff = mb - ma;
	e->p = az_mann_whitney(ua->v, ua->d->n, ub->v, ub->d->n, &uu);
	e->lo = e->hi = e->ns_lo = e->ns_hi = e->pct_lo = e->pct_hi = NAN;
	e->ns = mb * 1e6 / khz_b - ma * 1e6 / khz_a;	/* NaN if unknown */
	e->pct = ma != 0 ? 100 * e->diff / fabs(ma) : NAN;
	if (ua->d->n < AZ_MIN_CI_N || ub->d->n < AZ_MIN_CI_N)
		return;
	sa = az_median_se(ua->d);
	sb = az_median_se(ub->d);
	e->lo = e->diff - AZ_Z95 * sqrt(sa * sa + sb * sb);
	e->hi = e->diff + AZ_Z95 * sqrt(sa * sa + sb * sb);
	na = sa * 1e6 / khz_a;
	nb = sb * 1e6 / khz_b;
	e->ns_lo = e->ns - AZ_Z95 * sqrt(na * na + nb * nb);
	e->ns_hi = e->ns + AZ_Z95 * sqrt(na * na + nb * nb);
	if (ma != 0) {
		e->pct_lo = 100 * e->lo / fabs(ma);
		e->pct_hi = 100 * e->hi / fabs(ma);
	}
}

void az_cmp_row(FILE *f, const struct az_cmp_opts *o, const struct az_run *a,
		const struct az_run *b, const struct az_cmp_setup *su,
		const struct az_cmp_warn *w, const struct az_cmp_unit *ua,
		const struct az_cmp_unit *ub, struct az_cmp_tally *t)
{
	const struct az_cmp_unit *u = ua ? ua : ub;
	struct effect e = { NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
	const char *verdict = "", *reason = "", *shown;
	size_t k;

	if (!ua || !ub) {
		reason = ua ? "point only in run A" : "point only in run B";
	} else if (!ua->d->n || !ub->d->n) {
		reason = "no measured samples in one run";
	} else {
		effect_of(ua, ub, tsc_khz(a), tsc_khz(b), &e);
		if (isnan(e.lo)) {
			reason = "fewer than 6 samples in one run: no 95% CI, no verdict";
		} else {
			double thr = o->threshold_pct / 100 * fabs(ua->d->median);

			if (e.lo > 0 && e.p < o->alpha && e.diff >= thr)
				verdict = "slower";
			else if (e.hi < 0 && e.p < o->alpha && -e.diff >= thr)
				verdict = "faster";
			else
				verdict = "same";
		}
	}
	fprintf(f, "%s,", ua && ub ? "both" : ua ? "only_a" : "only_b");
	if (ua)
		csv_put(f, ua->g->axis[a->ds.point_col]);
	CSV_SEP(f);
	if (ub)
		csv_put(f, ub->g->axis[b->ds.point_col]);
	for (k = 0; k < su->n; k++) {
		CSV_SEP(f);
		csv_put(f, az_cmp_setup_value(su, k, ua, ub));
	}
	fprintf(f, ",%s,%s,", u->net ? "net_per_insn" : "tsc",
		u->net ? "TSC ticks per instruction" : "TSC ticks per window");
	if (ua)
		fprintf(f, "%zu", ua->d->n);
	CSV_SEP(f);
	if (ub)
		fprintf(f, "%zu", ub->d->n);
	put_num(f, ua ? ua->d->median : NAN);
	put_num(f, ub ? ub->d->median : NAN);
	put_num(f, e.diff);
	put_num(f, e.pct);
	put_num(f, e.lo);
	put_num(f, e.hi);
	put_num(f, e.ns);
	put_num(f, e.ns_lo);
	put_num(f, e.ns_hi);
	put_num(f, e.pct_lo);
	put_num(f, e.pct_hi);
	put_num(f, e.p);
	fprintf(f, ",%s,", verdict);
	csv_put(f, reason);
	CSV_SEP(f);
	csv_put(f, w->csv);
	CSV_EOL(f);

	shown = !ua ? "only-B" : !ub ? "only-A" : *verdict ? verdict : "-";
	if (!ua)
		t->only_b++;
	else if (!ub)
		t->only_a++;
	else if (!strcmp(verdict, "slower"))
		t->slower++;
	else if (!strcmp(verdict, "faster"))
		t->faster++;
	else if (!strcmp(verdict, "same"))
		t->same++;
	else
		t->none++;
	printf("%-7s %5s %5s", shown, ua ? ua->g->axis[a->ds.point_col] : "-",
	       ub ? ub->g->axis[b->ds.point_col] : "-");
	for (k = 0; k < su->n; k++)
		if (su->varies[k])
			printf(" %*s", col_width(su->name[k]),
			       az_cmp_setup_value(su, k, ua, ub));
	if (!isnan(e.diff))
		printf("  %g -> %g %s, B-A %+g", ua->d->median, ub->d->median,
		       u->net ? "ticks/insn" : "ticks/window", e.diff);
	if (!isnan(e.lo))
		printf(" [%+g, %+g]", e.lo, e.hi);
	if (!isnan(e.ns))
		printf(", %+.3g ns", e.ns);
	if (!isnan(e.ns_lo))
		printf(" [%+.3g, %+.3g]", e.ns_lo, e.ns_hi);
	if (!isnan(e.pct))
		printf(", %+.3g%%", e.pct);
	if (!isnan(e.pct_lo))
		printf(" [%+.3g, %+.3g]", e.pct_lo, e.pct_hi);
	if (!isnan(e.p))
		printf(", p=%.3g", e.p);
	if (*reason && ua && ub)
		printf("  (%s)", reason);
	putchar('\n');
}

/* The table's head on stdout: setup values common to every point once,
   then the names of the columns that vary. */
void az_cmp_table_head(const struct az_cmp_setup *su)
{
	size_t k;
	int any = 0;

	for (k = 0; k < su->n; k++)
		if (!su->varies[k]) {
			printf("%s%s=%s", any ? " " : "every point: ", su->name[k],
			       su->value[k]);
			any = 1;
		}
	if (any)
		putchar('\n');
	printf("%-7s %5s %5s", "verdict", "pt_A", "pt_B");
	for (k = 0; k < su->n; k++)
		if (su->varies[k])
			printf(" %*s", col_width(su->name[k]), su->name[k]);
	puts("  median A -> B, B-A [95% CI] ticks, ns [CI], % of A [CI], Mann-Whitney p");
}

void az_cmp_csv_head(FILE *f, const struct az_cmp_setup *su)
{
	size_t k;

	fputs("status,point_a,point_b", f);
	for (k = 0; k < su->n; k++) {
		CSV_SEP(f);
		csv_put(f, su->name[k]);
	}
	fputs(",metric,unit,n_a,n_b,median_a,median_b,diff,diff_pct,diff_ci_low,diff_ci_high,diff_ns,diff_ns_ci_low,diff_ns_ci_high,diff_pct_ci_low,diff_pct_ci_high,p_mannwhitney,verdict,reason,warning\r\n", f);
}
