// SPDX-License-Identifier: GPL-2.0
/*
 * compare DIR_A DIR_B: B against A, point by point, matched by axis values.
 * Compared per point: the net cost per instruction (TSC, sample pairs), or
 * the TSC per window of a baseline-only point.  Difference = B - A.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "csv.h"
#include "diag.h"
#include "plot.h"
#include "rundir.h"

struct unit {
	const struct az_group *g;
	char *key;
	const double *v;	/* sorted */
	const struct dist *d;
	int net;
	int used;
};

struct opts {
	const char *a, *b, *out;
	double threshold_pct, alpha;
};

/* The comparable distributions of a run. */
static struct unit *units_of(const struct az_dataset *ds, size_t *n)
{
	struct unit *u = az_malloc((ds->ngroup + 1) * sizeof(*u));
	size_t gi;

	*n = 0;
	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];
		const struct az_point *p = &ds->points[g->point];

		if (g->baseline && p->ngroup > 1)
			continue;	/* the baseline of instruction rows */
		u[*n].g = g;
		u[*n].key = az_group_key(ds, g);
		u[*n].net = !g->baseline;
		u[*n].v = u[*n].net ? g->net[0] : g->val[0];
		u[*n].d = u[*n].net ? &g->dnet[0] : &g->d[0];
		u[*n].used = 0;
		(*n)++;
	}
	return u;
}

static void free_units(struct unit *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(u[i].key);
	free(u);
}

static const char *const meta_first[] = {
	"microcode", "kernel", "host", "cpu_model_name", "tsc_khz", "platform",
	"timing_note", "cpu_family", "cpu_model", "cpu_stepping", "tool_commit",
	"module_version",
};

static int meta_skip(const char *k)
{
	return !strcmp(k, "start_time") || !strcmp(k, "end_time") ||
	       !strcmp(k, "command_line");
}

static void meta_line(FILE *csv, const char *k, const char *va, const char *vb)
{
	if (!strcmp(va, vb))
		return;
	printf("meta differs: %-16s A: %s\n%16s %-16s B: %s\n", k, va, "", "", vb);
	csv_put(csv, k);
	CSV_SEP(csv);
	csv_put(csv, va);
	CSV_SEP(csv);
	csv_put(csv, vb);
	CSV_EOL(csv);
}

/* Differences of meta.csv on stdout first, and in meta-diff.csv. */
static int meta_diff(const struct az_run *a, const struct az_run *b,
		     const char *out)
{
	char *p = az_path(out, "meta-diff.csv");
	FILE *f = fopen(p, "wb");
	size_t i, j, nf = sizeof(meta_first) / sizeof(meta_first[0]);
	int rc = 0;

	if (!f) {
		az_syserr(p, "cannot create");
		free(p);
		return -1;
	}
	printf("A: %s\nB: %s\n", a->dir, b->dir);
	fputs("key,a,b\r\n", f);
	for (i = 0; i < nf; i++)
		meta_line(f, meta_first[i], az_meta_get(&a->meta, meta_first[i]),
			  az_meta_get(&b->meta, meta_first[i]));
	for (i = 0; i < a->meta.n + b->meta.n; i++) {
		const char *k = i < a->meta.n ? a->meta.key[i] :
				b->meta.key[i - a->meta.n];

		for (j = 0; j < nf && strcmp(k, meta_first[j]); j++)
			;
		if (j < nf || meta_skip(k))
			continue;
		/* keys only in B: once, and not again if A has them too */
		if (i >= a->meta.n && strcmp(az_meta_get(&a->meta, k), "unknown"))
			continue;
		meta_line(f, k, az_meta_get(&a->meta, k), az_meta_get(&b->meta, k));
	}
	if (fclose(f)) {
		az_syserr(p, "write error");
		rc = -1;
	}
	free(p);
	return rc;
}

static void put_num(FILE *f, double v)
{
	CSV_SEP(f);
	csv_put_num(f, v);
}

static void row(FILE *f, const struct opts *o, const struct az_dataset *da,
		const struct az_dataset *db, const struct unit *ua,
		const struct unit *ub)
{
	const struct unit *u = ua ? ua : ub;
	double diff = NAN, lo = NAN, hi = NAN, p = NAN, uu, thr;
	const char *verdict = "", *reason = "";

	csv_put(f, u->key);
	fprintf(f, ",%s,", ua && ub ? "both" : ua ? "only_a" : "only_b");
	if (ua)
		csv_put(f, ua->g->axis[da->point_col]);
	CSV_SEP(f);
	if (ub)
		csv_put(f, ub->g->axis[db->point_col]);
	fprintf(f, ",%s,%s,", u->net ? "net_per_insn" : "tsc",
		u->net ? "TSC ticks per instruction" : "TSC ticks per window");
	if (ua)
		fprintf(f, "%zu", ua->d->n);
	CSV_SEP(f);
	if (ub)
		fprintf(f, "%zu", ub->d->n);
	if (!ua || !ub) {
		reason = ua ? "point only in run A" : "point only in run B";
	} else if (!ua->d->n || !ub->d->n) {
		reason = "no measured samples in one run";
	} else {
		diff = ub->d->median - ua->d->median;
		p = az_mann_whitney(ua->v, ua->d->n, ub->v, ub->d->n, &uu);
		if (ua->d->n < AZ_MIN_CI_N || ub->d->n < AZ_MIN_CI_N) {
			reason = "fewer than 6 samples in one run: no 95% CI, no verdict";
		} else {
			double se = sqrt(pow(az_median_se(ua->d), 2) +
					 pow(az_median_se(ub->d), 2));

			lo = diff - AZ_Z95 * se;
			hi = diff + AZ_Z95 * se;
			thr = o->threshold_pct / 100 * fabs(ua->d->median);
			if (lo > 0 && p < o->alpha && diff >= thr)
				verdict = "slower";
			else if (hi < 0 && p < o->alpha && -diff >= thr)
				verdict = "faster";
			else
				verdict = "same";
		}
	}
	put_num(f, ua ? ua->d->median : NAN);
	put_num(f, ub ? ub->d->median : NAN);
	put_num(f, diff);
	put_num(f, ua && ua->d->median != 0 ? 100 * diff / fabs(ua->d->median) : NAN);
	put_num(f, lo);
	put_num(f, hi);
	put_num(f, p);
	fprintf(f, ",%s,", verdict);
	csv_put(f, reason);
	CSV_EOL(f);
	printf("%-7s %s", ua && ub ? (*verdict ? verdict : "-") : ua ? "only-A" : "only-B",
	       u->key);
	if (!isnan(diff))
		printf(": %g -> %g %s (B-A %+g", ua->d->median, ub->d->median,
		       u->net ? "TSC ticks/insn" : "TSC ticks/window", diff);
	if (!isnan(lo))
		printf(", 95%% CI %+g .. %+g", lo, hi);
	if (!isnan(p))
		printf(", Mann-Whitney p=%.3g)", p);
	else if (!isnan(diff))
		putchar(')');
	putchar('\n');
}

static void cdf_plot(struct az_plotdir *pd, const struct unit *ua,
		     const struct unit *ub, const struct az_run *a,
		     const struct az_run *b, int *rc)
{
	struct az_series s[2];
	char name[300], la[200], lb[200], id[200];

	snprintf(la, sizeof(la), "A: microcode %s, point %s",
		 az_meta_get(&a->meta, "microcode"), ua->g->axis[a->ds.point_col]);
	snprintf(lb, sizeof(lb), "B: microcode %s, point %s",
		 az_meta_get(&b->meta, "microcode"), ub->g->axis[b->ds.point_col]);
	s[0] = (struct az_series){ la, ua->v, ua->d->n };
	s[1] = (struct az_series){ lb, ub->v, ub->d->n };
	snprintf(id, sizeof(id), "cdf-a%s-b%s", ua->g->axis[a->ds.point_col],
		 ub->g->axis[b->ds.point_col]);
	az_file_part(name, sizeof(name), id);
	if (az_plot_cdf(pd, name, ua->key, ua->net ?
			"TSC ticks per instruction (net of baseline)" :
			"TSC ticks per window", s, 2) < 0)
		*rc = -1;
}

static int usage(FILE *f, int rc)
{
	fputs("usage: " AZ_TOOL " compare DIR_A DIR_B [-o DIR] [--threshold PCT] [--alpha P]\n"
	      "\n"
	      "Compares run B against run A (e.g. new microcode against old), point\n"
	      "by point, matching points by their axis values (all columns before\n"
	      "`sample` but point and cpu).  Prints meta.csv differences first.\n"
	      "Writes DIR/compare.csv, DIR/meta-diff.csv and DIR/plots/ (overlaid\n"
	      "CDFs).  DIR defaults to DIR_B/compare.\n"
	      "\n"
	      "  --threshold PCT  smallest difference that counts, in percent of A's\n"
	      "                   median (default 1)\n"
	      "  --alpha P        Mann-Whitney significance level (default 0.05)\n"
	      "\n"
	      "verdict: slower when the 95% CI of B - A is above 0, p < alpha and\n"
	      "B - A >= threshold; faster symmetrically; otherwise same.\n", f);
	return rc;
}

static int parse(int argc, char **argv, struct opts *o)
{
	int i;
	char *e;

	memset(o, 0, sizeof(*o));
	o->threshold_pct = 1;
	o->alpha = 0.05;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (!strcmp(a, "-o") || !strcmp(a, "--threshold") ||
		    !strcmp(a, "--alpha")) {
			if (i + 1 >= argc) {
				az_err(NULL, 0, "compare: %s needs a value", a);
				return -1;
			}
			if (!strcmp(a, "-o")) {
				o->out = argv[++i];
				continue;
			}
			double v = strtod(argv[++i], &e);

			if (*e || e == argv[i] || !(v >= 0) ||
			    (!strcmp(a, "--alpha") && !(v > 0 && v < 1))) {
				az_err(NULL, 0, "compare: %s \"%s\": not a valid value", a, argv[i]);
				return -1;
			}
			if (!strcmp(a, "--alpha"))
				o->alpha = v;
			else
				o->threshold_pct = v;
		} else if (a[0] == '-') {
			az_err(NULL, 0, "compare: unknown option %s (see compare --help)", a);
			return -1;
		} else if (!o->a) {
			o->a = a;
		} else if (!o->b) {
			o->b = a;
		} else {
			az_err(NULL, 0, "compare: more than two run directories");
			return -1;
		}
	}
	if (!o->b) {
		az_err(NULL, 0, "compare: expected DIR_A DIR_B (see compare --help)");
		return -1;
	}
	return 0;
}

static int compare(const struct opts *o, const struct az_run *a,
		   const struct az_run *b, const char *out)
{
	struct unit *ua, *ub;
	struct az_plotdir pd;
	size_t na, nb, i, j;
	char title[1400], ta[600], tb[600], *path, *pdir;
	FILE *f;
	int rc = 0;

	if (az_mkdir(out) || meta_diff(a, b, out))
		return -1;
	path = az_path(out, "compare.csv");
	f = fopen(path, "wb");
	if (!f) {
		az_syserr(path, "cannot create");
		free(path);
		return -1;
	}
	az_meta_title(&a->meta, ta, sizeof(ta));
	az_meta_title(&b->meta, tb, sizeof(tb));
	snprintf(title, sizeof(title), "A: %s\nB: %s", ta, tb);
	pdir = az_path(out, "plots");
	if (az_plotdir_open(&pd, pdir, title, az_meta_emulated(&a->meta) ||
			    az_meta_emulated(&b->meta))) {
		fclose(f);
		free(path);
		free(pdir);
		return -1;
	}
	fputs("axes,status,point_a,point_b,metric,unit,n_a,n_b,median_a,median_b,"
	      "diff,diff_pct,diff_ci_low,diff_ci_high,p_mannwhitney,verdict,reason\r\n", f);
	ua = units_of(&a->ds, &na);
	ub = units_of(&b->ds, &nb);
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!ub[j].used && ub[j].net == ua[i].net &&
			    !strcmp(ua[i].key, ub[j].key))
				break;
		if (j < nb) {
			ua[i].used = ub[j].used = 1;
			row(f, o, &a->ds, &b->ds, &ua[i], &ub[j]);
			cdf_plot(&pd, &ua[i], &ub[j], a, b, &rc);
		} else {
			row(f, o, &a->ds, &b->ds, &ua[i], NULL);
		}
	}
	for (j = 0; j < nb; j++)
		if (!ub[j].used)
			row(f, o, &a->ds, &b->ds, NULL, &ub[j]);
	free_units(ua, na);
	free_units(ub, nb);
	if (fclose(f)) {
		az_syserr(path, "write error");
		rc = -1;
	}
	if (az_plotdir_run(&pd))
		rc = -1;
	if (!rc)
		printf("wrote %s, meta-diff.csv and plots/ (verdict threshold %g%% of A's median, alpha %g)\n",
		       path, o->threshold_pct, o->alpha);
	free(path);
	free(pdir);
	return rc;
}

int az_cmd_compare(int argc, char **argv)
{
	struct az_run a, b;
	struct opts o;
	char *out;
	int rc = parse(argc, argv, &o);

	if (rc > 0)
		return usage(stdout, AZ_EXIT_OK);
	if (rc < 0)
		return AZ_EXIT_USAGE;
	if (az_run_load(&a, o.a))
		return AZ_EXIT_DATA;
	if (az_run_load(&b, o.b)) {
		az_run_free(&a);
		return AZ_EXIT_DATA;
	}
	out = o.out ? az_strdup(o.out) : az_path(o.b, "compare");
	rc = compare(&o, &a, &b, out) ? AZ_EXIT_DATA : AZ_EXIT_OK;
	free(out);
	az_run_free(&a);
	az_run_free(&b);
	return rc;
}
