// SPDX-License-Identifier: GPL-2.0
/*
 * The fleet command (fleet.h): a fleet run read (fleetload.c), its outliers
 * marked, its rows sorted, written (fleetwrite.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fleet.h"
#include "fleetrun.h"
#include "rundir.h"
#include "stats.h"

/*
 * The outlier rule, per setup and CPU model with 3 hosts or more: a host is
 * marked when its net cost lies outside every other host's 95% CI (below
 * the lowest ci_low or above the highest ci_high of the others) and more
 * than 3 scaled MADs (1.4826 x MAD of the model's costs) from the model's
 * median.  Two hosts cannot say which one is off: not marked.
 */
static void mark_outliers(struct az_fleet *fl)
{
	double *v = az_malloc((fl->nrow + 1) * sizeof(*v));
	size_t i, j, n;

	for (i = 0; i < fl->nrow; i++) {
		struct az_fleet_row *w = &fl->row[i];
		const char *model = fl->host[w->host].model;
		double med, mad, lo = INFINITY, hi = -INFINITY;

		if (isnan(w->ticks))
			continue;
		for (j = n = 0; j < fl->nrow; j++) {
			const struct az_fleet_row *o = &fl->row[j];

			if (o->setup != w->setup || isnan(o->ticks) ||
			    strcmp(fl->host[o->host].model, model))
				continue;
			v[n++] = o->ticks;
			if (j != i) {
				lo = fmin(lo, isnan(o->lo) ? o->ticks : o->lo);
				hi = fmax(hi, isnan(o->hi) ? o->ticks : o->hi);
			}
		}
		if (n < 3)
			continue;
		az_sort(v, n);
		med = az_quantile(v, n, 0.5);
		for (j = 0; j < n; j++)
			v[j] = fabs(v[j] - med);
		az_sort(v, n);
		mad = 1.4826 * az_quantile(v, n, 0.5);
		w->outlier = (w->ticks < lo || w->ticks > hi) &&
			     fabs(w->ticks - med) > 3 * mad;
	}
	free(v);
}

static const struct az_fleet *sort_fl;

static int by_setup_model_host(const void *a, const void *b)
{
	const struct az_fleet_row *x = a, *y = b;
	const struct az_fleet_host *hx = &sort_fl->host[x->host], *hy = &sort_fl->host[y->host];
	int c;

	if (x->setup != y->setup)
		return x->setup < y->setup ? -1 : 1;
	c = strcmp(hx->model, hy->model);
	return c ? c : strcmp(hx->name, hy->name);
}

static void fleet_free(struct az_fleet *fl)
{
	size_t i, k;

	for (i = 0; i < fl->nhost; i++) {
		struct az_fleet_host *h = &fl->host[i];
		char *owned[] = { h->name, h->model, h->microcode, h->kernel,
				  h->platform, h->status, h->reason };

		for (k = 0; k < sizeof(owned) / sizeof(owned[0]); k++)
			free(owned[k]);
	}
	for (i = 0; i < fl->nrow; i++) {
		free(fl->row[i].method);
		free(fl->row[i].reason);
	}
	for (i = 0; i < fl->nsetup || i < fl->naxis; i++) {
		if (i < fl->nsetup)
			free(fl->setup[i].key);
		if (i < fl->naxis)
			free(fl->axis[i]);
	}
	free(fl->axis);
	free(fl->host);
	free(fl->row);
	free(fl->setup);
}

static void usage(FILE *f)
{
	fputs("usage: " AZ_TOOL " fleet DIR\n"
	      "\n"
	      "DIR is a fleet run (make fleet): DIR/<host>/ run folders and\n"
	      "DIR/fleet-summary.csv.  Per setup, a row per host with its CPU\n"
	      "model, microcode, kernel and net cost with its 95% CI (the host's\n"
	      "headline.csv, made first when missing), hosts grouped by CPU model;\n"
	      "outliers marked (outside every other host's CI of that model and\n"
	      "setup, and more than 3 scaled MADs from the model's median; 3 hosts\n"
	      "of a model or more).  Hosts without a run are listed with the\n"
	      "reason fleet-summary.csv gives.  Prints the table, writes\n"
	      "DIR/fleet.csv.\n", f);
}

/* Load DIR, mark, print, write DIR/fleet.csv: an exit code. */
static int fleet_report(const char *dir)
{
	struct az_fleet fl = { .dir = dir };
	char *out = az_path(dir, "fleet.csv");
	FILE *f = NULL;
	int rc = AZ_EXIT_DATA;

	if (az_fleet_load_summary(&fl) || az_fleet_load_hosts(&fl))
		goto out;
	mark_outliers(&fl);
	sort_fl = &fl;
	if (fl.nrow)
		qsort(fl.row, fl.nrow, sizeof(*fl.row), by_setup_model_host);
	az_fleet_print(&fl);
	f = fopen(out, "wb");
	if (!f)
		az_syserr(out, "cannot create");
	else if (az_fleet_write_csv(&fl, f) | fclose(f))
		az_syserr(out, "write error");
	else
		rc = AZ_EXIT_OK;
	if (!rc)
		printf("wrote %s\n", out);
out:
	free(out);
	fleet_free(&fl);
	return rc;
}

int az_cmd_fleet(int argc, char **argv)
{
	const char *dir = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return AZ_EXIT_OK;
		}
		if (argv[i][0] == '-' || dir)
			break;
		dir = argv[i];
	}
	if (i < argc || !dir) {
		az_err(NULL, 0, "fleet: expected one fleet folder (see fleet --help)");
		return AZ_EXIT_USAGE;
	}
	return fleet_report(dir);
}
