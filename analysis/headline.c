// SPDX-License-Identifier: GPL-2.0
/* headline.csv: see headline.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "cycles.h"
#include "headline.h"
#include "headlinerow.h"
#include "setup.h"

/*
 * The instructions a headline has, in the order it lists them: mode root's
 * (vmptrst and its control, VMPTRST's family, the known-latency chains),
 * then (in mode guest) the VM-exit references.
 */
static const char *const insns[] = { "vmptrst", "mov", "vmptrld", "vmclear",
				     "vmread", "vmwrite", "invvpid", "invept",
				     "vmxon-vmxoff", "add", "imul", "chase",
				     "cpuid", "vmcall", "rdmsr", "io",
				     "xsetbv", "invd", "cr3-load" };


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

static void estimate(const struct az_dataset *ds, struct az_hl_row *f, double q)
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

static int insn_rank(const char *in)
{
	size_t i;

	for (i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		if (!strcmp(in, insns[i]))
			return (int)i;
	return -1;
}

static size_t families(const struct az_dataset *ds, struct az_hl_row **out)
{
	struct az_hl_row *f = az_malloc((ds->ngroup + 1) * sizeof(*f));
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

/* Family f of instruction insn at h's setup, or NULL. */
static const struct az_hl_row *at_setup(const struct az_hl_row *f, size_t nf,
				  const struct az_hl_row *h, const char *insn)
{
	size_t j;

	for (j = 0; j < nf; j++)
		if (!strcmp(f[j].g0->instruction, insn) &&
		    f[j].key_len == h->key_len &&
		    !memcmp(f[j].key, h->key, h->key_len))
			return &f[j];
	return NULL;
}

/* Does h's setup say mode=guest (a run from before the axis: root)? */
static int guest(const struct az_dataset *ds, const struct az_hl_row *h)
{
	return ds->mode_col < ds->naxis &&
	       !strcmp(h->g0->axis[ds->mode_col], "guest");
}

/*
 * The reference a vmptrst row is set against (headline.csv's `control`):
 * in mode root the MOV control, a plain store at the same setup; in mode
 * guest the VMCALL round trip at the same setup, a VM exit with nothing to
 * decode or emulate.  NULL for other rows, or when it was not measured.
 */
static const struct az_hl_row *control_of(const struct az_dataset *ds,
				     const struct az_hl_row *f, size_t nf,
				     const struct az_hl_row *h)
{
	if (strcmp(h->g0->instruction, "vmptrst"))
		return NULL;
	return at_setup(f, nf, h, guest(ds, h) ? "vmcall" : "mov");
}

/*
 * The order of the rows: every root family as families() has them; then
 * per guest setup of vmptrst its row, with the VM-exit references' rows
 * (cpuid, vmcall, rdmsr, io, xsetbv, invd, cr3-load) and mov's of that
 * setup right after it; then the guest rows left.  n indices.
 */
static size_t *row_order(const struct az_dataset *ds, const struct az_hl_row *f,
			 size_t nf)
{
	static const char *const next_to[] = { "cpuid", "vmcall", "rdmsr",
						"io", "xsetbv", "invd",
						"cr3-load", "mov" };
	size_t *o = az_malloc((nf + 1) * sizeof(*o)), n = 0, i, k;
	char *done = az_malloc(nf + 1);

	memset(done, 0, nf + 1);
	for (i = 0; i < nf; i++)
		if (!guest(ds, &f[i])) {
			o[n++] = i;
			done[i] = 1;
		}
	for (i = 0; i < nf; i++) {
		if (done[i] || strcmp(f[i].g0->instruction, "vmptrst"))
			continue;
		o[n++] = i;
		done[i] = 1;
		for (k = 0; k < sizeof(next_to) / sizeof(next_to[0]); k++) {
			const struct az_hl_row *r = at_setup(f, nf, &f[i], next_to[k]);

			if (r && !done[r - f]) {
				o[n++] = (size_t)(r - f);
				done[r - f] = 1;
			}
		}
	}
	for (i = 0; i < nf; i++)
		if (!done[i])
			o[n++] = i;
	free(done);
	return o;
}

int az_headline_write(FILE *out, const struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	double q = az_tsc_step(ds), khz = NAN, tpn;
	const char *kv = az_meta_get(&run->meta, "tsc_khz");
	size_t nf, i, j, a, *order, nr = 0, nh = 0;
	struct az_hl_row *f, *half;
	const struct az_hl_row **row;
	char *e, buf[64], why[1000], buf2[400];
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
		az_cycles_of(run, f[i].grp, f[i].ngrp, q, f[i].ticks, f[i].lo,
			     f[i].hi, &f[i].cyc);
	fputs("instruction", out);
	for (a = 0; a < ds->naxis; a++)
		if (az_setup_axis(ds, a)) {
			CSV_SEP(out);
			csv_put(out, ds->col[a]);
		}
	fputs(",part,points,method,ticks_per_insn,ci_low,ci_high,ns_per_insn,ns_ci_low,ns_ci_high,cycles_per_insn,cycles_ci_low,cycles_ci_high,cycles_source,clock_moved_pct,pair_median_ticks,control,control_ticks_per_insn,ratio_to_control,pairs,reason", out);
	CSV_EOL(out);
	order = row_order(ds, f, nf);
	/* each mode=guest round trip followed by its exit and entry halves */
	half = az_malloc((2 * nf + 1) * sizeof(*half));
	row = az_malloc((3 * nf + 1) * sizeof(*row));
	for (i = 0; i < nf; i++) {
		row[nr++] = &f[order[i]];
		for (j = az_hl_split(run, &f[order[i]], q, &half[nh]); j; j--)
			row[nr++] = &half[nh++];
	}
	for (i = 0; i < nr; i++) {
		const struct az_hl_row *h = row[i];
		const struct az_hl_row *ctl = h->part ? NULL :
					      control_of(ds, f, nf, h);

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
		if (h->part)
			fputs(h->part, out);
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
		num(out, h->cyc.value);
		num(out, h->cyc.lo);
		num(out, h->cyc.hi);
		CSV_SEP(out);
		fputs(h->cyc.source, out);
		num(out, h->cyc.moved_pct);
		num(out, h->pair_median);
		CSV_SEP(out);
		if (ctl)
			fputs(ctl->g0->instruction, out);
		num(out, ctl ? ctl->ticks : NAN);
		num(out, ctl && ctl->ticks > 0 ? h->ticks / ctl->ticks : NAN);
		snprintf(buf, sizeof(buf), "%zu", h->n);
		CSV_SEP(out);
		if (h->method)
			fputs(buf, out);
		CSV_SEP(out);
		snprintf(why, sizeof(why), "%s%s%s%s%s", h->reason ? h->reason : "",
			 h->reason && !(khz > 0) ? "; " : "",
			 khz > 0 ? "" : "tsc_khz unknown: no ns",
			 (h->reason || !(khz > 0)) && h->cyc.per_tick != h->cyc.per_tick ? "; " : "",
			 h->cyc.per_tick == h->cyc.per_tick ? "" :
			 AZ_WHY_NO_CLOCK ": no cycles (no APERF/MPERF, cycles event or add chain)");
		if (az_insn_family(h->g0->instruction)) {
			size_t l = strlen(why);

			snprintf(why + l, sizeof(why) - l, "%s" AZ_WHY_BASELINE_ONLY,
				 l ? "; " : "");
		}
		if (add_warn && h->cyc.per_tick == h->cyc.per_tick &&
		    !strcmp(h->cyc.source, "add chain") &&
		    strcmp(h->g0->instruction, "add")) {
			size_t l = strlen(why);

			snprintf(why + l, sizeof(why) - l, "%s" AZ_WHY_NOT_ISOLATED ": a busy SMT sibling slows the 1-cycle chain, and cycles read low",
				 l ? "; " : "");
		}
		/* an unresolved row is wide from the TSC's step, not the clock */
		if (!(h->reason && az_why_unresolved(h->reason)) &&
		    az_cycles_words(&h->cyc, buf2, sizeof(buf2))) {
			size_t l = strlen(why);

			snprintf(why + l, sizeof(why) - l, "%s%s", l ? "; " : "",
				 buf2);
		}
		csv_put(out, why);
		CSV_EOL(out);
	}
	for (i = 0; i < nf; i++) {
		free(f[i].grp);
		free(f[i].key);
	}
	for (i = 0; i < nh; i++)
		free(half[i].grp);
	free(half);
	free(row);
	free(order);
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
