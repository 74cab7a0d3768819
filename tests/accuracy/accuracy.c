// SPDX-License-Identifier: GPL-2.0
/*
 * accuracy: the timing engine measured against instructions of known
 * latency, on real silicon at ring 3, through the user backend
 * (bench/userdev.c with userengine.c, usermachine.c, userpage.c): no
 * module, no root, no VT-x.  A benchmark: it prints what it finds and
 * asserts nothing about times.
 *
 * Without counters the core clock is not known, so the 1-cycle ADD chain
 * calibrates it: its net TSC ticks per ADD are TSC ticks per core cycle.
 * The IMUL chain (3 cycles) and the L1 pointer chase are then reported in
 * core cycles against the vendors' published latencies.  Each chain runs
 * with unroll U and S = U/16, interleaved pair by pair with the empty
 * bracket by the engine.  This CPU's TSC may advance in steps (AMD Zen: a
 * 100 MHz update, 26 ticks here): one reading then cannot resolve a cycle,
 * but the chains start at random phases of the step, so the mean of the
 * pairs' net ticks (within 6 steps of their median, which drops interrupts)
 * resolves it; the medians are printed beside it.  Per instruction:
 *   net      mean over pairs of (tsc(chain) - tsc(empty)), divided by U
 *   slope    (net(U) - net(S)) / (U - S): the bracket's fixed edge (the
 *            chain's first and last cycles against the fences) cancels
 * Ten repetitions after a discarded warm-up one, each eight interleaved
 * rounds of add, imul and chase (a frequency change hits all three
 * alike); the run-to-run spread of the per-repetition results is
 * (max - min) / median.
 *
 * Then per chain the line engine_NAME=C [LO, HI]: core cycles with the
 * 95% interval of the headline's estimator (analysis/cyclesround.c), the
 * repetitions as its rounds.  Last line, machine-readable:
 *   imul_over_add=R chase_cycles=C overhead_ticks=T median_spread_pct=P
 * (slope estimates; overhead the empty bracket's median, TSC ticks).
 *
 * usage: accuracy [--cpu N] [--reps N] [--samples N] [--unroll U]
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cyclesround.h"
#include "userdev.h"

#define ROUNDS		8	/* interleaved rounds per repetition */
#define MAX_REPS	100

enum ref { REF_ADD, REF_IMUL, REF_CHASE, NREF };

static const uint32_t ref_insn[NREF] = { VB_INSN_ADD, VB_INSN_IMUL,
					 VB_INSN_CHASE };
static const char *const ref_name[NREF] = { "add", "imul", "chase" };

struct opts {
	unsigned int cpu, reps, samples, unroll;
};

struct vec {
	double *v;
	size_t n, cap;
};

static void die(const char *what, int err)
{
	fprintf(stderr, "accuracy: %s: %s\n", what, strerror(err));
	exit(1);
}

static void push(struct vec *a, double x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 4096;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (!a->v)
			die("realloc", ENOMEM);
	}
	a->v[a->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile q of a (sorted in place), linear interpolation (type 7). */
static double quantile(struct vec *a, double q)
{
	double h, lo;
	size_t i;

	if (!a->n)
		return NAN;
	qsort(a->v, a->n, sizeof(*a->v), cmp_double);
	h = (double)(a->n - 1) * q;
	i = (size_t)h;
	lo = a->v[i];
	return i + 1 < a->n ? lo + (h - (double)i) * (a->v[i + 1] - lo) : lo;
}

static double median(struct vec *a)
{
	return quantile(a, 0.5);
}

static double spread_pct(const double *v, unsigned int n)
{
	struct vec a = { 0 };
	double lo = v[0], hi = v[0], m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		push(&a, v[i]);
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	m = median(&a);
	free(a.v);
	return 100.0 * (hi - lo) / m;
}

/* One RUN through the user backend; every record checked. */
static uint32_t run(const struct opts *o, uint32_t insn, uint32_t unroll,
		    struct vb_sample *rec)
{
	struct vb_run r;
	uint32_t need = VB_RECORDS_NEEDED(insn, o->samples), i;
	int ret;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.abi_version = VB_ABI_VERSION;
	r.point.cpu = o->cpu;
	r.point.instruction = insn;
	r.point.unroll = unroll;
	r.point.samples = o->samples;
	r.point.vmcs = VB_VMCS_NONE;
	r.point.serialize = VB_SER_LFENCE;
	r.point.page = VB_PAGE_4K;
	r.buf = (uint64_t)(uintptr_t)rec;
	r.buf_len = need;
	ret = vb_user_run(&r);
	if (ret)
		die("RUN", -ret);
	if (r.result_flags & VB_RUN_INTERRUPTED)
		exit(130);
	if ((r.result_flags & VB_RUN_SKIPPED) || r.records != need ||
	    r.mismatches) {
		fprintf(stderr, "accuracy: RUN %s: flags %#x, %" PRIu32
			" records of %" PRIu32 ", %" PRIu32 " mismatches\n",
			insn == VB_INSN_NONE ? "none" : ref_name[insn - 3],
			r.result_flags, r.records, need, r.mismatches);
		exit(1);
	}
	for (i = 0; i < need; i++)
		if (rec[i].flags & VB_SAMPLE_MISMATCH)
			die("a record is flagged mismatch", EIO);
	return need;
}

static double ticks(const struct vb_sample *s)
{
	return (double)(int64_t)(s->tsc_end - s->tsc_begin);
}

/* Net ticks of each pair (chain minus its empty bracket) into @net. */
static void pairs(const struct vb_sample *rec, uint32_t n, struct vec *net,
		  struct vec *base)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2) {
		const struct vb_sample *a = &rec[i], *b = &rec[i + 1];
		const struct vb_sample *insn = a->instruction ? a : b;
		const struct vb_sample *none = a->instruction ? b : a;

		if (a->sample != b->sample || insn->instruction == none->instruction)
			die("records are not in pairs", EPROTO);
		push(net, ticks(insn) - ticks(none));
		push(base, ticks(none));
	}
}

/* The short chain of the slope: U/16, at least 1. */
static uint32_t short_unroll(const struct opts *o)
{
	return o->unroll >= 32 ? o->unroll / 16 : 1;
}

struct rep {
	double slope[NREF], net[NREF];	/* ticks per instruction, dithered mean */
	double mslope[NREF], mnet[NREF];	/* the same from medians */
	double overhead;		/* empty bracket median, ticks */
};

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* The TSC's step here: the GCD of the empty brackets' durations. */
static uint64_t tsc_quantum;

static void note_quantum(const struct vec *base)
{
	size_t i;

	for (i = 0; i < base->n; i++)
		if (base->v[i] > 0)
			tsc_quantum = gcd(tsc_quantum, (uint64_t)base->v[i]);
}

/*
 * The mean of the values within 6 TSC steps of the median: the chain's
 * start falls at a random phase of the TSC's step, so the readings are
 * dithered and their mean resolves what one step hides; the window drops
 * interrupts and other outliers, never one of the two neighbouring steps.
 */
static double dithered_mean(struct vec *a)
{
	double m = median(a), w = 6.0 * (double)(tsc_quantum ? tsc_quantum : 1);
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		if (fabs(a->v[i] - m) <= w) {
			sum += a->v[i];
			n++;
		}
	return n ? sum / (double)n : NAN;
}

static void repetition(const struct opts *o, struct vb_sample *rec,
		       struct rep *out, struct vec *base_all)
{
	struct vec full[NREF] = { { 0 } }, half[NREF] = { { 0 } };
	struct vec none = { 0 };
	unsigned int k, j;
	uint32_t n;

	for (k = 0; k < ROUNDS; k++) {
		for (j = 0; j < NREF; j++) {
			n = run(o, ref_insn[j], o->unroll, rec);
			pairs(rec, n, &full[j], base_all);
			n = run(o, ref_insn[j], short_unroll(o), rec);
			pairs(rec, n, &half[j], base_all);
		}
		n = run(o, VB_INSN_NONE, 1, rec);
		for (j = 0; j < n; j++)
			push(&none, ticks(&rec[j]));
	}
	note_quantum(&none);
	for (j = 0; j < NREF; j++) {
		double mf = dithered_mean(&full[j]), mh = dithered_mean(&half[j]);
		double df = median(&full[j]), dh = median(&half[j]);

		out->net[j] = mf / o->unroll;
		out->slope[j] = (mf - mh) / (o->unroll - short_unroll(o));
		out->mnet[j] = df / o->unroll;
		out->mslope[j] = (df - dh) / (o->unroll - short_unroll(o));
		free(full[j].v);
		free(half[j].v);
	}
	out->overhead = median(&none);
	free(none.v);
}

/*
 * The published L1 load-to-use latency of a simple pointer chase (base
 * register only) for this CPU, and where it comes from.
 */
static double chase_expected(const char **src)
{
	unsigned int a, b, c, d, fam, model;
	char vendor[13];

	__cpuid(0, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	__cpuid(1, a, b, c, d);
	fam = (a >> 8) & 0xf;
	model = (a >> 4) & 0xf;
	if (fam == 0xf || fam == 6)
		model |= ((a >> 16) & 0xf) << 4;
	if (fam == 0xf)
		fam += (a >> 20) & 0xff;
	if (!strcmp(vendor, "AuthenticAMD") && fam >= 0x17) {
		*src = "AMD Software Optimization Guide for Family 17h/19h "
		       "(pubs 55723, 56665, 57647): L1D load-to-use 4 cycles "
		       "for integer loads";
		return 4;
	}
	if (!strcmp(vendor, "GenuineIntel") && fam == 6 &&
	    (model == 0x6a || model == 0x6c || model == 0x7d ||
	     model == 0x7e || model == 0x8c || model == 0x8d ||
	     model == 0x8f || model == 0x97 || model == 0x9a ||
	     model == 0xb7 || model == 0xba || model == 0xbf ||
	     model == 0xcf || model == 0xad || model == 0xae)) {
		*src = "Intel 64 and IA-32 Optimization Reference Manual "
		       "(Sunny Cove / Golden Cove): L1D load-to-use 5 cycles";
		return 5;
	}
	*src = "Intel 64 and IA-32 Optimization Reference Manual (Sandy "
	       "Bridge .. Skylake): L1D load-to-use 4 cycles, simple address";
	return 4;
}

static unsigned int uarg(const char *s, unsigned int lo, unsigned int hi,
			 const char *name)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < lo || v > hi) {
		fprintf(stderr, "accuracy: --%s: %u..%u\n", name, lo, hi);
		exit(2);
	}
	return (unsigned int)v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int i;

	o->cpu = n > 1 ? (unsigned int)n - 1 : 0;
	o->reps = 10;
	o->samples = 1250;
	o->unroll = 256;
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--cpu"))
			o->cpu = uarg(argv[i + 1], 0, 4095, "cpu");
		else if (!strcmp(argv[i], "--reps"))
			o->reps = uarg(argv[i + 1], 2, MAX_REPS, "reps");
		else if (!strcmp(argv[i], "--samples"))
			o->samples = uarg(argv[i + 1], 100, VB_MAX_SAMPLES,
					  "samples");
		else if (!strcmp(argv[i], "--unroll"))
			o->unroll = uarg(argv[i + 1], 4, VB_MAX_UNROLL,
					 "unroll");
		else
			break;
	}
	if (i < argc || (o->unroll & (o->unroll - 1))) {
		fprintf(stderr, "usage: accuracy [--cpu N] [--reps N] "
			"[--samples N] [--unroll U (power of two, 4..256)]\n");
		exit(2);
	}
}

static double med_of(const double *v, unsigned int n)
{
	struct vec a = { 0 };
	unsigned int i;
	double m;

	for (i = 0; i < n; i++)
		push(&a, v[i]);
	m = median(&a);
	free(a.v);
	return m;
}

/* Per repetition: @num[j] / @den[j] of each reference, into out[]. */
static void ratios(const struct rep *reps, unsigned int n, size_t num_off,
		   enum ref j, double *out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const double *v = (const double *)((const char *)&reps[i] +
						   num_off);

		out[i] = v[j] / v[REF_ADD];
	}
}

/*
 * Chain j in core cycles with its 95% interval, by the headline's own
 * estimator (analysis/cyclesround.c, linked here: one estimator, no copy),
 * the repetitions as its rounds: the value is the ratio of the mean chain
 * slope to the mean add slope (the pooled estimate, as the headline's slope
 * of pooled means); the interval the widest of the t interval of the
 * per-repetition ratios plus the distance of their mean, and their median's
 * order-statistic interval.  The engine keeps no per-repetition standard
 * errors, so there is no sampling interval to start from: each
 * repetition's ratio carries its sampling error into the spread instead.
 */
static void engine_cycles(const struct rep *reps, unsigned int n, enum ref j,
			  struct az_cyc_interval *v)
{
	double add[MAX_REPS], fam[MAX_REPS], sa = 0, sf = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		add[i] = reps[i].slope[REF_ADD];
		fam[i] = reps[i].slope[j];
		sa += add[i];
		sf += fam[i];
	}
	v->value = sf / sa;
	v->lo = v->value;
	v->hi = v->value;
	az_cycles_widen(add, fam, n, v->value, v->value, v);
	if (v->rounds < 3)	/* no spread to widen by: no interval */
		v->lo = v->hi = NAN;
}

int main(int argc, char **argv)
{
	static struct rep reps[MAX_REPS];
	struct vec base = { 0 };
	struct vb_info info = { .size = sizeof(info) };
	double col[MAX_REPS], cyc[NREF][MAX_REPS], res[NREF], sp[NREF];
	double expect[NREF] = { 1, 3, 0 }, over, tpc;
	const char *src;
	struct opts o;
	unsigned int i, j;
	struct vb_sample *rec;

	parse(argc, argv, &o);
	info.abi_version = VB_ABI_VERSION;
	info.cpu = o.cpu;
	if (vb_user_info(&info))
		die("INFO (is the CPU online?)", ENXIO);
	expect[REF_CHASE] = chase_expected(&src);
	rec = calloc(2 * (size_t)o.samples, sizeof(*rec));
	if (!rec)
		die("calloc", ENOMEM);
	printf("engine accuracy: user backend (ring 3, interrupts on), CPU %u, "
	       "TSC %u kHz, serialize lfence, page 4k, offset 0, cache hot;\n"
	       "  add/imul/chase at unroll %u and %u, each interleaved with the "
	       "empty bracket, %u pairs x %u rounds per repetition, %u "
	       "repetitions\n", o.cpu, info.tsc_khz, o.unroll, short_unroll(&o),
	       o.samples, ROUNDS, o.reps);
	/* a warm-up repetition, discarded: clocks ramp, caches and TLB fill */
	repetition(&o, rec, &reps[0], &base);
	base.n = 0;
	for (i = 0; i < o.reps; i++)
		repetition(&o, rec, &reps[i], &base);
	printf("TSC step: %" PRIu64 " ticks (GCD of the empty brackets): one "
	       "reading resolves %.1f ns; means of dithered readings resolve "
	       "less\n", tsc_quantum, tsc_quantum * 1e6 / info.tsc_khz);

	printf("%-6s %14s %14s %14s %14s   (TSC ticks per instruction, "
	       "median of %u repetitions)\n", "", "slope(mean)", "net/U(mean)",
	       "slope(median)", "net/U(median)", o.reps);
	for (j = 0; j < NREF; j++) {
		double v[4];

		for (i = 0; i < o.reps; i++)
			col[i] = reps[i].slope[j];
		v[0] = med_of(col, o.reps);
		for (i = 0; i < o.reps; i++)
			col[i] = reps[i].net[j];
		v[1] = med_of(col, o.reps);
		for (i = 0; i < o.reps; i++)
			col[i] = reps[i].mslope[j];
		v[2] = med_of(col, o.reps);
		for (i = 0; i < o.reps; i++)
			col[i] = reps[i].mnet[j];
		v[3] = med_of(col, o.reps);
		printf("%-6s %14.4f %14.4f %14.4f %14.4f\n", ref_name[j], v[0],
		       v[1], v[2], v[3]);
	}
	for (i = 0; i < o.reps; i++)
		col[i] = reps[i].slope[REF_ADD];
	tpc = med_of(col, o.reps);
	printf("calibration: %.4f TSC ticks per core cycle (the add chain's "
	       "slope) -> core clock %.0f MHz, spread %.2f%% over the "
	       "repetitions\n", tpc, info.tsc_khz / 1000.0 / tpc,
	       spread_pct(col, o.reps));

	for (j = REF_IMUL; j < NREF; j++) {
		double alt[MAX_REPS], altm[MAX_REPS];

		ratios(reps, o.reps, offsetof(struct rep, slope), j, cyc[j]);
		ratios(reps, o.reps, offsetof(struct rep, net), j, alt);
		ratios(reps, o.reps, offsetof(struct rep, mnet), j, altm);
		res[j] = med_of(cyc[j], o.reps);
		sp[j] = spread_pct(cyc[j], o.reps);
		printf("%-6s %.3f core cycles (slope of means); measured/expected "
		       "%.4f (%+.2f%%, expected %.0f); run-to-run spread %.2f%%; "
		       "net/U of means %.3f, of medians %.3f\n", ref_name[j],
		       res[j], res[j] / expect[j],
		       100.0 * (res[j] / expect[j] - 1), expect[j], sp[j],
		       med_of(alt, o.reps), med_of(altm, o.reps));
	}
	printf("expected imul: 3 cycles (IMUL r64, r64): AMD Software "
	       "Optimization Guide for Family 19h, instruction latencies; Intel "
	       "Optimization Reference Manual, instruction latency tables\n");
	printf("expected chase: %.0f cycles: %s\n", expect[REF_CHASE], src);
	for (i = 0; i < o.reps; i++)
		col[i] = reps[i].overhead;
	over = med_of(col, o.reps);
	printf("harness: empty bracket median %.0f ticks (%.1f ns); all "
	       "baseline records (n=%zu): median %.0f, IQR %.0f, p99-p1 %.0f "
	       "ticks\n", over, over * 1e6 / info.tsc_khz, base.n,
	       median(&base), quantile(&base, 0.75) - quantile(&base, 0.25),
	       quantile(&base, 0.99) - quantile(&base, 0.01));
	for (j = REF_IMUL; j < NREF; j++) {
		struct az_cyc_interval v;

		engine_cycles(reps, o.reps, j, &v);
		printf("engine_%s=%.4f [%.4f, %.4f] cycles (the headline's estimator, analysis/cyclesround.c, over %u repetitions as rounds: 95%% interval ±%.2f%%; the add chain's calibration moved %.2f%% across them)\n",
		       ref_name[j], v.value, v.lo, v.hi, o.reps,
		       100 * (v.hi - v.lo) / 2 / v.value, v.moved_pct);
	}
	printf("imul_over_add=%.4f chase_cycles=%.3f overhead_ticks=%.0f "
	       "median_spread_pct=%.3f\n", res[REF_IMUL], res[REF_CHASE], over,
	       sp[REF_IMUL] > sp[REF_CHASE] ? sp[REF_IMUL] : sp[REF_CHASE]);
	free(base.v);
	free(rec);
	return 0;
}
