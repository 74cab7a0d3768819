// SPDX-License-Identifier: GPL-2.0
/*
 * catalog history's DIR/history.csv: the table's rows with every value in
 * its own column, and each run's changes against the host's previous run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cataloghist.h"
#include "csv.h"
#include "diag.h"
#include "rundir.h"

/* DIR/history.csv: the table's rows, a column a value (headline.csv's
   names and units; empty when not measured, reason or cycles_reason says
   why); the change columns against the host's previous run. */
static const char hist_cols[] = "host,start_time,microcode,microcode_changed,run,platform,emulated,setup,method,ticks_per_insn,ci_low,ci_high,ns_per_insn,ns_ci_low,ns_ci_high,cycles_per_insn,cycles_ci_low,cycles_ci_high,cycles_source,clock_moved_pct,cycles_reason,previous_run,ticks_change,ticks_change_pct,cycles_change,cycles_change_pct,reason";

/* previous_run and the changes of ticks and cycles against it. */
static void put_changes(FILE *f, const struct az_hist_row *r)
{
	const struct az_cat_ci *a[2], *b[2];
	int k;

	CSV_SEP(f);
	if (!r->prev) {
		fputs(",,,,", f);
		return;
	}
	fprintf(f, "%lld", r->prev->id);
	a[0] = &r->prev->tk;
	b[0] = &r->tk;
	a[1] = &r->prev->cyc.c;
	b[1] = &r->cyc.c;
	for (k = 0; k < 2; k++) {
		CSV_SEP(f);
		fputs(az_cat_change_word(az_cat_change(a[k], b[k])), f);
		CSV_SEP(f);
		csv_put_num(f, az_cat_change_pct(a[k], b[k]));
	}
}

static int write_csv(FILE *f, const struct az_hist_row *h, size_t n)
{
	size_t i;

	fputs(hist_cols, f);
	CSV_EOL(f);
	for (i = 0; i < n; i++) {
		csv_put(f, h[i].host);
		CSV_SEP(f);
		csv_put(f, h[i].date);
		CSV_SEP(f);
		csv_put(f, h[i].microcode);
		fprintf(f, ",%s,%lld,", h[i].changed ? "yes" : "no", h[i].id);
		csv_put(f, h[i].platform);
		fprintf(f, ",%s,", h[i].emulated ? "yes" : "no");
		csv_put(f, h[i].setup);
		CSV_SEP(f);
		csv_put(f, h[i].method);
		az_cat_ci_csv(f, &h[i].tk);
		az_cat_ci_csv(f, &h[i].ns);
		az_cat_ci_csv(f, &h[i].cyc.c);
		CSV_SEP(f);
		if (!isnan(h[i].cyc.c.v))
			csv_put(f, h[i].cyc.source);
		CSV_SEP(f);
		csv_put_num(f, h[i].cyc.moved);
		CSV_SEP(f);
		csv_put(f, h[i].cyc.why);
		put_changes(f, &h[i]);
		CSV_SEP(f);
		csv_put(f, h[i].reason);
		CSV_EOL(f);
	}
	return ferror(f) ? -1 : 0;
}

int az_cat_history_csv(const char *dir, const struct az_hist_row *h, size_t n)
{
	char *out = az_path(dir, "history.csv");
	FILE *f = fopen(out, "wb");
	int rc = -1;

	if (!f)
		az_syserr(out, "cannot create");
	else if (write_csv(f, h, n) | fclose(f))
		az_syserr(out, "write error");
	else
		rc = 0;
	if (!rc)
		printf("wrote %s\n", out);
	free(out);
	return rc;
}
