// SPDX-License-Identifier: GPL-2.0
/* headline.csv: see headline.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "headline.h"
#include "setup.h"

/* The instructions a headline has, in the order it lists them. */
static const char *const insns[] = { "vmptrst", "mov", "add", "imul", "chase" };

/* A family: the groups of one instruction and setup, any unroll. */
struct fam {
	const struct az_group *g0;
	size_t *grp, ngrp;
	char *key;		/* setup but unroll, NUL-separated */
	size_t key_len;
	const char *method;	/* "slope", "pair-median", NULL: none */
	double ticks, lo, hi, pair_median;
	double cyc_per_tick;	/* NaN: unknown */
	double cpt_lo, cpt_hi;	/* its 95% CI (the add chain's), else itself */
	const char *cyc_src;
	const char *reason;
	char why[200];
	size_t n, nunroll;
	double unrolls[AZ_FIT_MAX];
};

static size_t key_of(const struct az_dataset *ds, const struct az_group *g,
		     char *buf, size_t len)
{
	size_t a, o = 0;

	for (a = 0; a < ds->naxis; a++) {
		size_t l;

		if (!az_setup_axis(ds, a) || a == ds->unroll_col)
			continue;
		l = strlen(g->axis[a]) + 1;
		if (o + l > len)
			break;
		memcpy(buf + o, g->axis[a], l);
		o += l;
	}
	return o;
}

static void estimate(const struct az_dataset *ds, struct fam *f, double q)
{
	struct az_fit fit;
	size_t n;
	double *v;

	f->method = NULL;
	f->ticks = f->lo = f->hi = f->pair_median = NAN;
	if (az_fit_family(ds, f->grp, f->ngrp, q, &fit, &f->reason))
		return;
	f->nunroll = fit.n;
	memcpy(f->unrolls, fit.unroll, fit.n * sizeof(fit.unroll[0]));
	/* the per-pair median at the longest chain: the second estimator */
	v = az_fit_values(ds, f->grp, f->ngrp, f->unrolls[f->nunroll - 1], 1, &n);
	f->pair_median = az_quantile(v, n, 0.5);
	if (f->nunroll == 1) {
		size_t l = az_median_ci_rank(n);

		f->method = "pair-median";
		f->ticks = f->pair_median;
		f->n = n;
		if (l) {
			f->lo = v[l - 1];
			f->hi = v[n - l];
		} else {
			f->reason = "fewer than 6 pairs: no 95% CI";
		}
		if (l && q > 0 && (f->hi - f->lo) * f->unrolls[0] <= q) {
			snprintf(f->why, sizeof(f->why), AZ_WHY_UNRESOLVED ": the pair median's CI is within one TSC step (%g ticks per window); measure at several unrolls for the slope",
				 q);
			f->reason = f->why;
		}
		free(v);
		return;
	}
	free(v);
	f->method = "slope";
	f->ticks = fit.slope;
	f->lo = fit.lo;
	f->hi = fit.hi;
	f->n = fit.pairs;
}

static size_t find_metric(const struct az_dataset *ds)
{
	size_t m;

	for (m = 1; m < ds->nmetric; m++)
		if (!strcmp(az_metric_name(ds, m), "cycles") ||
		    !strcmp(az_metric_name(ds, m), "cpu-cycles"))
			return m;
	return AZ_NO_GROUP;
}

/* Mean APERF/MPERF ratio of windows.csv's windows of the family's points;
   NaN when none is known. */
static double freq_ratio(const struct az_run *run, const struct fam *f)
{
	char *path = az_path(run->dir, "windows.csv");
	struct csv_reader r;
	size_t pc = AZ_NO_GROUP, fc = AZ_NO_GROUP, i;
	double s = 0, v;
	size_t c = 0;
	FILE *t = fopen(path, "r");

	if (!t) {
		free(path);
		return NAN;
	}
	fclose(t);
	if (csv_open(&r, path)) {
		free(path);
		return NAN;
	}
	if (csv_next(&r) == 1)
		for (i = 0; i < r.nfield; i++) {
			if (!strcmp(r.field[i], "point"))
				pc = i;
			if (!strcmp(r.field[i], "freq_ratio"))
				fc = i;
		}
	while (pc != AZ_NO_GROUP && fc != AZ_NO_GROUP && csv_next(&r) == 1) {
		if (r.nfield <= fc || r.nfield <= pc ||
		    csv_number(r.field[fc], &v) || !(v > 0))
			continue;
		for (i = 0; i < f->ngrp; i++)
			if (!strcmp(run->ds.groups[f->grp[i]].axis[run->ds.point_col],
				    r.field[pc]))
				break;
		if (i < f->ngrp) {
			s += v;
			c++;
		}
	}
	csv_close(&r);
	free(path);
	return c ? s / (double)c : NAN;
}

static void clock_of(const struct az_run *run, struct fam *f,
		     const struct fam *fams, size_t nf, size_t cyc_m)
{
	const struct az_dataset *ds = &run->ds;
	double r, s = 0, t = 0;
	size_t i;

	f->cyc_per_tick = f->cpt_lo = f->cpt_hi = NAN;
	f->cyc_src = "";
	if (cyc_m != AZ_NO_GROUP) {
		for (i = 0; i < f->ngrp; i++) {
			const struct az_group *g = &ds->groups[f->grp[i]];

			if (g->d[cyc_m].n && g->d[0].n) {
				s += g->d[cyc_m].mean;
				t += g->d[0].mean;
			}
		}
		if (t > 0) {
			f->cyc_per_tick = f->cpt_lo = f->cpt_hi = s / t;
			f->cyc_src = "cycles event";
			return;
		}
	}
	r = freq_ratio(run, f);
	if (r == r) {
		f->cyc_per_tick = f->cpt_lo = f->cpt_hi = r;
		f->cyc_src = "APERF/MPERF";
		return;
	}
	for (i = 0; i < nf; i++)
		if (!strcmp(fams[i].g0->instruction, "add") && fams[i].method &&
		    !strcmp(fams[i].method, "slope") && fams[i].ticks > 0) {
			f->cyc_per_tick = 1 / fams[i].ticks;
			f->cpt_lo = fams[i].hi > 0 ? 1 / fams[i].hi : NAN;
			f->cpt_hi = fams[i].lo > 0 ? 1 / fams[i].lo : NAN;
			f->cyc_src = "add chain";
			return;
		}
}

static int insn_rank(const char *in)
{
	size_t i;

	for (i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		if (!strcmp(in, insns[i]))
			return (int)i;
	return -1;
}

static size_t families(const struct az_dataset *ds, struct fam **out)
{
	struct fam *f = az_malloc((ds->ngroup + 1) * sizeof(*f));
	char key[4096];
	size_t gi, i, nf = 0;
	int rank;

	for (rank = 0; rank < (int)(sizeof(insns) / sizeof(insns[0])); rank++)
		for (gi = 0; gi < ds->ngroup; gi++) {
			const struct az_group *g = &ds->groups[gi];
			size_t kl;

			if (g->baseline || insn_rank(g->instruction) != rank)
				continue;
			kl = key_of(ds, g, key, sizeof(key));
			for (i = 0; i < nf; i++)
				if (!strcmp(f[i].g0->instruction, g->instruction) &&
				    f[i].key_len == kl && !memcmp(f[i].key, key, kl))
					break;
			if (i == nf) {
				memset(&f[nf], 0, sizeof(f[nf]));
				f[nf].g0 = g;
				f[nf].key = az_malloc(kl + 1);
				memcpy(f[nf].key, key, kl);
				f[nf].key_len = kl;
				f[nf].grp = az_malloc(ds->ngroup * sizeof(size_t));
				nf++;
			}
			f[i].grp[f[i].ngrp++] = gi;
		}
	*out = f;
	return nf;
}

static void num(FILE *f, double v)
{
	CSV_SEP(f);
	csv_put_num(f, v);
}

int az_headline_write(FILE *out, const struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	double q = az_tsc_step(ds), khz = NAN, tpn;
	const char *kv = az_meta_get(&run->meta, "tsc_khz");
	size_t nf, i, j, a, cyc_m = find_metric(ds);
	struct fam *f;
	char *e, buf[64], why[600];
	int add_warn;

	/* the add chain's calibration is only as good as the CPU's quiet */
	add_warn = strcmp(az_meta_get(&run->meta, "target_isolated"), "yes") != 0;
	khz = strtod(kv, &e);
	if (e == kv || *e || !(khz > 0))
		khz = NAN;
	tpn = khz / 1e6;	/* TSC ticks per ns */
	nf = families(ds, &f);
	for (i = 0; i < nf; i++)
		estimate(ds, &f[i], q);
	for (i = 0; i < nf; i++)
		clock_of(run, &f[i], f, nf, cyc_m);
	fputs("instruction", out);
	for (a = 0; a < ds->naxis; a++)
		if (az_setup_axis(ds, a)) {
			CSV_SEP(out);
			csv_put(out, ds->col[a]);
		}
	fputs(",points,method,ticks_per_insn,ci_low,ci_high,ns_per_insn,ns_ci_low,ns_ci_high,cycles_per_insn,cycles_ci_low,cycles_ci_high,cycles_source,pair_median_ticks,mov_ticks_per_insn,ratio_to_mov,pairs,reason", out);
	CSV_EOL(out);
	for (i = 0; i < nf; i++) {
		const struct fam *h = &f[i];
		const struct fam *mov = NULL;

		csv_put(out, h->g0->instruction);
		for (a = 0; a < ds->naxis; a++) {
			if (!az_setup_axis(ds, a))
				continue;
			CSV_SEP(out);
			if (a != ds->unroll_col) {
				csv_put(out, h->g0->axis[a]);
				continue;
			}
			for (j = 0; j < h->nunroll; j++)
				fprintf(out, "%s%g", j ? " " : "", h->unrolls[j]);
		}
		CSV_SEP(out);
		for (j = 0; j < h->ngrp; j++) {
			const char *p = ds->groups[h->grp[j]].axis[ds->point_col];

			for (a = 0; a < j; a++)
				if (!strcmp(ds->groups[h->grp[a]].axis[ds->point_col], p))
					break;
			if (a == j)
				fprintf(out, "%s%s", j ? " " : "", p);
		}
		CSV_SEP(out);
		if (h->method)
			fputs(h->method, out);
		num(out, h->ticks);
		num(out, h->lo);
		num(out, h->hi);
		num(out, h->ticks / tpn);
		num(out, h->lo / tpn);
		num(out, h->hi / tpn);
		num(out, h->ticks * h->cyc_per_tick);
		/* the ticks' CI scaled by both ends of the clock's: conservative */
		num(out, fmin(h->lo * h->cpt_lo, h->lo * h->cpt_hi));
		num(out, fmax(h->hi * h->cpt_lo, h->hi * h->cpt_hi));
		CSV_SEP(out);
		if (h->cyc_per_tick == h->cyc_per_tick)
			fputs(h->cyc_src, out);
		num(out, h->pair_median);
		if (!strcmp(h->g0->instruction, "vmptrst"))
			for (j = 0; j < nf; j++)
				if (!strcmp(f[j].g0->instruction, "mov") &&
				    f[j].key_len == h->key_len &&
				    !memcmp(f[j].key, h->key, h->key_len))
					mov = &f[j];
		num(out, mov ? mov->ticks : NAN);
		num(out, mov && mov->ticks > 0 ? h->ticks / mov->ticks : NAN);
		snprintf(buf, sizeof(buf), "%zu", h->n);
		CSV_SEP(out);
		if (h->method)
			fputs(buf, out);
		CSV_SEP(out);
		snprintf(why, sizeof(why), "%s%s%s%s%s", h->reason ? h->reason : "",
			 h->reason && !(khz > 0) ? "; " : "",
			 khz > 0 ? "" : "tsc_khz unknown: no ns",
			 (h->reason || !(khz > 0)) && h->cyc_per_tick != h->cyc_per_tick ? "; " : "",
			 h->cyc_per_tick == h->cyc_per_tick ? "" :
			 AZ_WHY_NO_CLOCK ": no cycles (no APERF/MPERF, cycles event or add chain)");
		if (add_warn && h->cyc_per_tick == h->cyc_per_tick &&
		    !strcmp(h->cyc_src, "add chain") &&
		    strcmp(h->g0->instruction, "add")) {
			size_t l = strlen(why);

			snprintf(why + l, sizeof(why) - l, "%s" AZ_WHY_NOT_ISOLATED ": a busy SMT sibling slows the 1-cycle chain, and cycles read low",
				 l ? "; " : "");
		}
		csv_put(out, why);
		CSV_EOL(out);
	}
	for (i = 0; i < nf; i++) {
		free(f[i].grp);
		free(f[i].key);
	}
	free(f);
	return ferror(out) ? -1 : 0;
}

int az_headline_save(const struct az_run *run)
{
	char *out = az_path(run->dir, "headline.csv");
	FILE *f = fopen(out, "wb");
	int rc = 0;

	if (!f) {
		az_syserr(out, "cannot create");
		rc = -1;
	} else if (az_headline_write(f, run) | fclose(f)) {
		az_syserr(out, "write error");
		rc = -1;
	} else {
		printf("wrote %s\n", out);
	}
	free(out);
	return rc;
}
