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
#include "compareconf.h"
#include "comparecyc.h"
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

/* --fail-on: a set of kinds (any = slower | faster) */
enum { FAIL_SLOWER = 1, FAIL_FASTER = 2, FAIL_ANY = 3, FAIL_BEHAVIOUR = 4 };

struct opts {
	const char *a, *b, *out;
	double threshold_pct, alpha;
	int fail_on;
	const char *fail_on_arg;
};

/* Verdict counts, the closing line. */
struct tally {
	size_t faster, slower, same, only_a, only_b, none;
};

/* The setup columns: every axis of either run but point and cpu. */
struct setup {
	size_t n;
	const char **name;
	size_t *col_a, *col_b;	/* AZ_NO_GROUP where a run lacks it */
	int *varies;		/* not the same in every unit */
	const char **value;	/* the value when it does not vary */
};

/* What makes the verdicts doubtful, for stdout and compare.csv. */
struct warn {
	char csv[1024];		/* the `warning` column, "" when none */
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

static size_t col_index(const struct az_dataset *ds, const char *name)
{
	size_t i;

	for (i = 0; i < ds->naxis; i++)
		if (!strcmp(ds->col[i], name))
			return i;
	return AZ_NO_GROUP;
}

static void setup_add(struct setup *s, const char *name,
		      const struct az_dataset *da, const struct az_dataset *db)
{
	size_t i;

	if (!strcmp(name, "point") || !strcmp(name, "cpu"))
		return;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return;
	s->name[s->n] = name;
	s->col_a[s->n] = col_index(da, name);
	s->col_b[s->n] = col_index(db, name);
	s->varies[s->n] = 0;
	s->value[s->n] = NULL;
	s->n++;
}

static const char *setup_value(const struct setup *s, size_t i,
			       const struct unit *ua, const struct unit *ub)
{
	if (ua && s->col_a[i] != AZ_NO_GROUP)
		return ua->g->axis[s->col_a[i]];
	if (ub && s->col_b[i] != AZ_NO_GROUP)
		return ub->g->axis[s->col_b[i]];
	return "";
}

static void setup_of(struct setup *s, const struct az_dataset *da,
		     const struct az_dataset *db, const struct unit *ua,
		     size_t na, const struct unit *ub, size_t nb)
{
	size_t i, k, cap = da->naxis + db->naxis + 1;

	s->n = 0;
	s->name = az_malloc(cap * sizeof(*s->name));
	s->value = az_malloc(cap * sizeof(*s->value));
	s->col_a = az_malloc(cap * sizeof(size_t));
	s->col_b = az_malloc(cap * sizeof(size_t));
	s->varies = az_malloc(cap * sizeof(int));
	for (i = 0; i < da->naxis; i++)
		setup_add(s, da->col[i], da, db);
	for (i = 0; i < db->naxis; i++)
		setup_add(s, db->col[i], da, db);
	for (k = 0; k < s->n; k++) {
		for (i = 0; i < na + nb; i++) {
			const char *v = i < na ? setup_value(s, k, &ua[i], NULL) :
					setup_value(s, k, NULL, &ub[i - na]);

			if (!s->value[k])
				s->value[k] = v;
			else if (strcmp(s->value[k], v))
				s->varies[k] = 1;
		}
		if (!s->value[k])
			s->value[k] = "";
	}
}

static void setup_free(struct setup *s)
{
	free(s->name);
	free(s->value);
	free(s->col_a);
	free(s->col_b);
	free(s->varies);
}

static const char *const meta_first[] = {
	"microcode", "kernel", "host", "cpu_model_name", "tsc_khz", "platform",
	"timing_note", "cpu_family", "cpu_model", "cpu_stepping", "tool_commit",
	"module_version",
};

/* Beyond microcode, what changes the timing: a difference here is not
   a microcode A/B. */
static const char *const meta_loud[] = {
	"host", "kernel", "cpu_model_name", "cpu_family", "cpu_model",
	"cpu_stepping", "platform", "governor", "turbo", "smt_control",
	"smt_active",
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

/* The loud block on stdout, above the verdicts; its summary for the csv. */
static void warnings(const struct az_run *a, const struct az_run *b,
		     struct warn *w)
{
	const struct az_meta *ma = &a->meta, *mb = &b->meta;
	size_t i, n = sizeof(meta_loud) / sizeof(meta_loud[0]), nd = 0;
	size_t used = 0;
	int ea = az_meta_emulated(ma), eb = az_meta_emulated(mb);

	w->csv[0] = '\0';
	for (i = 0; i < n; i++)
		nd += strcmp(az_meta_get(ma, meta_loud[i]),
			     az_meta_get(mb, meta_loud[i])) != 0;
	if (!nd && !ea && !eb)
		return;
	puts("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
	if (ea || eb) {
		printf("WARNING: emulated run (A: %s, B: %s): emulator timings are not real timing; these verdicts say nothing about a CPU\n",
		       ea ? "emulated" : "native", eb ? "emulated" : "native");
		used += (size_t)snprintf(w->csv + used, sizeof(w->csv) - used,
					 "emulated run%s (%s): not real timing",
					 ea && eb ? "s" : "",
					 ea && eb ? "A and B" : ea ? "A" : "B");
	}
	if (nd) {
		printf("WARNING: the runs differ in more than microcode (%zu difference%s): a verdict may come from any of these\n",
		       nd, nd == 1 ? "" : "s");
		if (used < sizeof(w->csv))
			used += (size_t)snprintf(w->csv + used, sizeof(w->csv) - used,
						 "%sruns differ in more than microcode:",
						 used ? "; " : "");
		for (i = 0; i < n; i++) {
			const char *va = az_meta_get(ma, meta_loud[i]);
			const char *vb = az_meta_get(mb, meta_loud[i]);

			if (!strcmp(va, vb))
				continue;
			printf("WARNING:   %-16s A: %s | B: %s\n", meta_loud[i], va, vb);
			if (used < sizeof(w->csv))
				used += (size_t)snprintf(w->csv + used,
							 sizeof(w->csv) - used,
							 " %s", meta_loud[i]);
		}
	}
	puts("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
}

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

static void effect_of(const struct unit *ua, const struct unit *ub,
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

static void row(FILE *f, const struct opts *o, const struct az_run *a,
		const struct az_run *b, const struct setup *su,
		const struct warn *w, const struct unit *ua,
		const struct unit *ub, struct tally *t)
{
	const struct unit *u = ua ? ua : ub;
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
		csv_put(f, setup_value(su, k, ua, ub));
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
			       setup_value(su, k, ua, ub));
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
static void table_head(const struct setup *su)
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
	fputs("usage: " AZ_TOOL " compare DIR_A DIR_B [-o DIR] [--threshold PCT] [--alpha P] [--fail-on KIND[,KIND]]\n"
	      "\n"
	      "Compares run B against run A (e.g. new microcode against old), point\n"
	      "by point, matching points by their axis values (all columns before\n"
	      "`sample` but point and cpu).  Prints meta.csv differences first, a\n"
	      "WARNING block when the runs differ in more than microcode (host,\n"
	      "kernel, CPU, platform, governor, turbo, SMT) or are emulated, then one\n"
	      "line per point (point numbers, setup columns, B - A in TSC ticks, ns\n"
	      "and % of A with 95% CIs, Mann-Whitney p) and last the counts\n"
	      "`faster N, slower N, same N, only-A N, only-B N`.  Before it, the\n"
	      "behaviour: each branch of the reference page executed in both runs\n"
	      "whose observed vector, error code, memory change, flags or verdict\n"
	      "differs (conformance.csv, from ABI 9 on), and their counts.\n"
	      "Writes DIR/compare.csv, DIR/meta-diff.csv, DIR/conformance-diff.csv\n"
	      "(when both runs have conformance.csv) and DIR/plots/ (overlaid\n"
	      "CDFs).  DIR defaults to DIR_B/compare.\n"
	      "\n"
	      "  --threshold PCT  smallest difference that counts, in percent of A's\n"
	      "                   median (default 1)\n"
	      "  --alpha P        Mann-Whitney significance level (default 0.05)\n"
	      "  --fail-on KIND   exit 4 when a verdict is slower, faster, or either\n"
	      "                   (any), or when a branch's behaviour changed\n"
	      "                   (behaviour); kinds comma-separated\n"
	      "                   (slower,behaviour): a gate for CI\n"
	      "\n"
	      "verdict: slower when the 95% CI of B - A is above 0, p < alpha and\n"
	      "B - A >= threshold; faster symmetrically; otherwise same.\n"
	      "Exit: 0, 1 bad data or no point in common, 2 bad command line,\n"
	      "4 --fail-on matched.\n", f);
	return rc;
}

/* "slower,behaviour" -> FAIL_SLOWER | FAIL_BEHAVIOUR; -1 for a word
   not a kind. */
static int fail_kinds(const char *arg)
{
	static const struct {
		const char *name;
		int kind;
	} kinds[] = {
		{ "slower", FAIL_SLOWER }, { "faster", FAIL_FASTER },
		{ "any", FAIL_ANY }, { "behaviour", FAIL_BEHAVIOUR },
	};
	int set = 0;

	while (*arg) {
		size_t n = strcspn(arg, ","), k;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strlen(kinds[k].name) == n && !strncmp(arg, kinds[k].name, n))
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			return -1;
		set |= kinds[k].kind;
		arg += n;
		if (*arg == ',' && *++arg == '\0')
			return -1;
	}
	return set ? set : -1;
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
		    !strcmp(a, "--alpha") || !strcmp(a, "--fail-on")) {
			if (i + 1 >= argc) {
				az_err(NULL, 0, "compare: %s needs a value", a);
				return -1;
			}
			if (!strcmp(a, "-o")) {
				o->out = argv[++i];
				continue;
			}
			if (!strcmp(a, "--fail-on")) {
				o->fail_on_arg = argv[++i];
				o->fail_on = fail_kinds(o->fail_on_arg);
				if (o->fail_on < 0) {
					az_err(NULL, 0, "compare: --fail-on \"%s\": expected slower, faster, any or behaviour (comma-separated)", o->fail_on_arg);
					return -1;
				}
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

/* Pair A's units with B's: match[i] is B's index or AZ_NO_GROUP. */
static size_t match_units(struct unit *ua, size_t na, struct unit *ub,
			  size_t nb, size_t *match)
{
	size_t i, j, n = 0;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!ub[j].used && ub[j].net == ua[i].net &&
			    !strcmp(ua[i].key, ub[j].key))
				break;
		match[i] = j < nb ? j : AZ_NO_GROUP;
		if (j < nb) {
			ua[i].used = ub[j].used = 1;
			n++;
		}
	}
	return n;
}

static void csv_head(FILE *f, const struct setup *su)
{
	size_t k;

	fputs("status,point_a,point_b", f);
	for (k = 0; k < su->n; k++) {
		CSV_SEP(f);
		csv_put(f, su->name[k]);
	}
	fputs(",metric,unit,n_a,n_b,median_a,median_b,diff,diff_pct,diff_ci_low,diff_ci_high,diff_ns,diff_ns_ci_low,diff_ns_ci_high,diff_pct_ci_low,diff_pct_ci_high,p_mannwhitney,verdict,reason,warning\r\n", f);
}

/* Did --fail-on match?  Says why on stderr (one line). */
static int gate(const struct opts *o, const struct tally *t, int changed,
		const char *names)
{
	int hit = ((o->fail_on & FAIL_SLOWER) && t->slower) ||
		  ((o->fail_on & FAIL_FASTER) && t->faster) ||
		  ((o->fail_on & FAIL_BEHAVIOUR) && changed > 0);

	if (hit && !(o->fail_on & FAIL_BEHAVIOUR))
		az_err(NULL, 0, "compare --fail-on %s: %zu slower, %zu faster verdicts", o->fail_on_arg, t->slower, t->faster);
	else if (hit)
		az_err(NULL, 0, "compare --fail-on %s: %zu slower, %zu faster verdicts; behaviour changed on %d branch%s%s%s%s", o->fail_on_arg, t->slower, t->faster, changed, changed == 1 ? "" : "es", changed > 0 ? " (" : "", names, changed > 0 ? ")" : "");
	return hit;
}

/* 0, 1 when --fail-on matched, -1 on error (reported). */
static int compare(const struct opts *o, const struct az_run *a,
		   const struct az_run *b, const struct az_conf *ca,
		   const struct az_conf *cb, const char *out)
{
	struct unit *ua, *ub;
	struct az_plotdir pd;
	struct setup su;
	struct tally t = { 0, 0, 0, 0, 0, 0 };
	struct az_cyc_tally ct;
	struct warn w;
	size_t na, nb, i, j, *match;
	char title[1400], ta[600], tb[600], *path, *pdir;
	char changed_names[512];
	FILE *f;
	int rc = 0, changed;

	ua = units_of(&a->ds, &na);
	ub = units_of(&b->ds, &nb);
	match = az_malloc((na + 1) * sizeof(size_t));
	if (!match_units(ua, na, ub, nb, match)) {
		az_err(b->samples_path, 0, "no point in common with %s (points match by every axis but point and cpu): nothing to compare", a->samples_path);
		rc = -1;
		goto out_units;
	}
	if (az_mkdir(out) || meta_diff(a, b, out)) {
		rc = -1;
		goto out_units;
	}
	warnings(a, b, &w);
	path = az_path(out, "compare.csv");
	f = fopen(path, "wb");
	if (!f) {
		az_syserr(path, "cannot create");
		free(path);
		rc = -1;
		goto out_units;
	}
	az_meta_title(&a->meta, ta, sizeof(ta));
	az_meta_title(&b->meta, tb, sizeof(tb));
	snprintf(title, sizeof(title), "%sA: %s\nB: %s",
		 az_meta_emulated(&a->meta) || az_meta_emulated(&b->meta) ?
		 "EMULATED: these verdicts say nothing about a CPU\n" : "",
		 ta, tb);
	pdir = az_path(out, "plots");
	if (az_plotdir_open(&pd, pdir, title, az_meta_emulated(&a->meta) ||
			    az_meta_emulated(&b->meta))) {
		fclose(f);
		free(path);
		free(pdir);
		rc = -1;
		goto out_units;
	}
	setup_of(&su, &a->ds, &b->ds, ua, na, ub, nb);
	csv_head(f, &su);
	table_head(&su);
	for (i = 0; i < na; i++) {
		j = match[i];
		row(f, o, a, b, &su, &w, &ua[i], j == AZ_NO_GROUP ? NULL : &ub[j], &t);
		if (j != AZ_NO_GROUP)
			cdf_plot(&pd, &ua[i], &ub[j], a, b, &rc);
	}
	for (j = 0; j < nb; j++)
		if (!ub[j].used)
			row(f, o, a, b, &su, &w, NULL, &ub[j], &t);
	setup_free(&su);
	if (fclose(f)) {
		az_syserr(path, "write error");
		rc = -1;
	}
	changed = az_conf_compare(ca, cb, out, changed_names, sizeof(changed_names));
	if (changed < 0)
		rc = -1;
	if ((o->fail_on & FAIL_BEHAVIOUR) && (!ca->present || !cb->present))
		az_warn(NULL, 0, "compare --fail-on %s: run %s has no conformance table (recorded from ABI 9 on): behaviour not gated", o->fail_on_arg, !ca->present ? "A" : "B");
	if (az_plotdir_run(&pd))
		rc = -1;
	if (!rc)
		printf("wrote %s, meta-diff.csv and plots/ (verdict threshold %g%% of A's median, alpha %g)\n",
		       path, o->threshold_pct, o->alpha);
	if (w.csv[0])
		printf("WARNING: %s\n", w.csv);
	if (az_compare_cycles(a, b, out, o->threshold_pct, &ct))
		rc = -1;
	printf("cycles per instruction (compare-cycles.csv; each run's interval carries its calibration's movement): faster %zu, slower %zu, same %zu, no cycles %zu\n",
	       ct.faster, ct.slower, ct.same, ct.none);
	if (t.none)
		printf("no verdict (too few samples): %zu\n", t.none);
	printf("faster %zu, slower %zu, same %zu, only-A %zu, only-B %zu\n",
	       t.faster, t.slower, t.same, t.only_a, t.only_b);
	free(path);
	free(pdir);
	if (!rc && gate(o, &t, changed, changed_names))
		rc = 1;
out_units:
	free(match);
	free_units(ua, na);
	free_units(ub, nb);
	return rc;
}

int az_cmd_compare(int argc, char **argv)
{
	struct az_conf ca, cb;
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
	if (az_conf_load(&ca, o.a) || az_conf_load(&cb, o.b)) {
		az_conf_free(&ca);
		az_run_free(&a);
		az_run_free(&b);
		return AZ_EXIT_DATA;
	}
	out = o.out ? az_strdup(o.out) : az_path(o.b, "compare");
	rc = compare(&o, &a, &b, &ca, &cb, out);
	rc = rc < 0 ? AZ_EXIT_DATA : rc > 0 ? AZ_EXIT_GATE : AZ_EXIT_OK;
	free(out);
	az_conf_free(&ca);
	az_conf_free(&cb);
	az_run_free(&a);
	az_run_free(&b);
	return rc;
}
