// SPDX-License-Identifier: GPL-2.0
/* The summary command and summary.csv. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "fit.h"
#include "headline.h"
#include "split.h"
#include "setup.h"
#include "summary.h"

static const char *const stat_cols[] = {
	"n", "min", "p01", "p05", "p25", "median", "mean", "p75", "p95",
	"p99", "max", "stddev", "mad", "outliers", "median_ci_low",
	"median_ci_high", "ci_reason", "net_per_insn", "net_ci_low",
	"net_ci_high", "net_pairs", "net_unit", "net_reason", "point_status",
};

static void put_dist(FILE *f, const struct dist *d)
{
	const double v[] = { d->min, d->p01, d->p05, d->p25, d->median,
			     d->mean, d->p75, d->p95, d->p99, d->max,
			     d->stddev, d->mad };
	size_t i;

	fprintf(f, "%zu", d->n);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CSV_SEP(f);
		csv_put_num(f, v[i]);
	}
	CSV_SEP(f);
	if (d->n)
		fprintf(f, "%zu", d->outliers);
}

static void put_row(FILE *f, const struct az_run *run,
		    const struct az_group *g, size_t m)
{
	const struct az_dataset *ds = &run->ds;
	const struct dist *d = &g->d[m], *dn = &g->dnet[m];
	char unit[64];
	size_t i;

	for (i = 0; i < ds->naxis; i++) {
		csv_put(f, g->axis[i]);
		CSV_SEP(f);
	}
	csv_put(f, az_metric_name(ds, m));
	fprintf(f, ",%s per window,%llu,%llu,%llu,%zu,", az_metric_unit(ds, m),
		(unsigned long long)g->rows,
		(unsigned long long)g->mismatches,
		(unsigned long long)g->flagged, g->missing[m]);
	put_dist(f, d);
	CSV_SEP(f);
	csv_put_num(f, d->med_lo);
	CSV_SEP(f);
	csv_put_num(f, d->med_hi);
	CSV_SEP(f);
	if (!d->n)
		fputs("no measured samples", f);
	else if (d->n < AZ_MIN_CI_N)
		fputs("fewer than 6 samples: no 95% CI", f);
	CSV_SEP(f);
	csv_put_num(f, dn->median);
	CSV_SEP(f);
	csv_put_num(f, dn->med_lo);
	CSV_SEP(f);
	csv_put_num(f, dn->med_hi);
	CSV_SEP(f);
	if (g->paired)
		fprintf(f, "%zu", g->nnet[m]);
	CSV_SEP(f);
	snprintf(unit, sizeof(unit), "%s per instruction", az_metric_unit(ds, m));
	if (!g->baseline)
		fputs(unit, f);
	CSV_SEP(f);
	if (g->net_reason[m])
		csv_put(f, g->net_reason[m]);
	CSV_SEP(f);
	csv_put(f, az_run_point_status(run, g->axis[ds->point_col]));
	CSV_EOL(f);
}

int az_summary_write(FILE *f, const struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	size_t i, p, k, m;

	for (i = 0; i < ds->naxis; i++) {
		csv_put(f, ds->col[i]);
		CSV_SEP(f);
	}
	fputs("metric,unit,rows,mismatches,flagged,missing", f);
	for (i = 0; i < sizeof(stat_cols) / sizeof(stat_cols[0]); i++)
		fprintf(f, ",%s", stat_cols[i]);
	CSV_EOL(f);
	for (p = 0; p < ds->npoint; p++)
		for (k = 0; k < ds->points[p].ngroup; k++)
			for (m = 0; m < ds->nmetric; m++)
				put_row(f, run, &ds->groups[ds->points[p].group[k]], m);
	return ferror(f) ? -1 : 0;
}

static void usage(FILE *f)
{
	fputs("usage: " AZ_TOOL " summary DIR\n"
	      "\n"
	      "Reads DIR/meta.csv and DIR/samples.csv and writes DIR/summary.csv:\n"
	      "one row per point, instruction and metric (tsc, then each event):\n"
	      "n, min, p01 ... p99, max, mean, stddev, MAD, outliers, the median's\n"
	      "95% order-statistic CI, and the per-instruction cost net of the\n"
	      "interleaved baseline, median of (x - baseline) / unroll over sample\n"
	      "pairs, with its 95% CI, and point_status (points.csv's status:\n"
	      "measured, interrupted, stopped; empty without points.csv).  Prints\n"
	      "one line per instruction.  Rows fewer or more than points.csv or\n"
	      "meta.csv's records say are an error, unless the run was interrupted\n"
	      "or stopped (a warning).\n", f);
}

/* One line per instruction group on stdout. */
static void print_brief(const struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	char words[2048];
	size_t gi;

	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];
		const struct dist *d = &g->d[0], *dn = &g->dnet[0];
		char label[128];

		az_group_insn_label(ds, g, label, sizeof(label));
		printf("point %s %-8s n=%zu", g->axis[ds->point_col], label,
		       d->n);
		if (d->n)
			printf(" median=%g TSC ticks/window", d->median);
		else
			printf(" (no measured samples)");
		if (g->mismatches || g->flagged)
			printf(" (excluded: %llu mismatch, %llu flagged)",
			       (unsigned long long)g->mismatches,
			       (unsigned long long)g->flagged);
		if (!g->baseline && dn->n)
			printf("  net=%g TSC ticks/insn", dn->median);
		if (!g->baseline && dn->n >= AZ_MIN_CI_N)
			printf(" [95%% CI %g, %g]", dn->med_lo, dn->med_hi);
		putchar('\n');
	}
	if (az_meta_emulated(&run->meta))
		puts("emulated run: these timings are not real");
	if (run->partial)
		puts("partial run (interrupted or stopped): statistics cover what was measured; point_status in summary.csv says which points");
	if (az_split_words(ds, az_tsc_step(ds), words, sizeof(words)))
		az_warn(ds->path, 0, "%s", words);
}

int az_cmd_summary(int argc, char **argv)
{
	struct az_run run;
	char *out;
	FILE *f;
	int rc = AZ_EXIT_OK;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return AZ_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		az_err(NULL, 0, "summary: expected one run directory (see summary --help)");
		return AZ_EXIT_USAGE;
	}
	if (az_run_load(&run, argv[1]))
		return AZ_EXIT_DATA;
	out = az_path(argv[1], "summary.csv");
	f = fopen(out, "wb");
	if (!f) {
		az_syserr(out, "cannot create");
		rc = AZ_EXIT_DATA;
	} else if (az_summary_write(f, &run) | fclose(f)) {
		az_syserr(out, "write error");
		rc = AZ_EXIT_DATA;
	} else {
		print_brief(&run);
		printf("wrote %s (%zu points, %llu rows)\n", out, run.ds.npoint,
		       (unsigned long long)run.ds.rows);
		if (az_headline_save(&run))
			rc = AZ_EXIT_DATA;
	}
	free(out);
	az_run_free(&run);
	return rc;
}
