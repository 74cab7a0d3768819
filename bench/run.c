// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench run`: expand the plan, check every target CPU (pin, INFO)
 * before measuring anything, then one RUN per point, pinned to its CPU,
 * each point's rows checked and written (samples.csv, points.csv) before
 * the next point starts.  Ctrl-C stops after the current point.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "diag.h"
#include "meta.h"
#include "perfcount.h"
#include "outdir.h"
#include "points.h"
#include "progress.h"
#include "records.h"
#include "userdev.h"
#include "vmxowner.h"
#include "windows.h"

static volatile sig_atomic_t vb_stop;

static void on_signal(int sig)
{
	vb_stop = sig;
}

/* Run totals, over every point. */
struct totals {
	unsigned int measured, skipped, interrupted, not_run, failed;
	uint64_t records, needed, mismatches, module_mismatches;
	uint64_t windows, max_window_tsc;
	uint32_t bad_records, flag_disagree, tsc_backwards, wrong_page;
	int overflow, short_run, inconsistent;
	int first_bad;			/* point of the first mismatch, -1 */
	uint64_t bad_expected, bad_poison;
	int stopped_at;			/* point interrupted, stopped or failed, -1 */
	uint32_t stop_records, stop_needed;
	/* a RUN the module stopped early: VB_RUN_VMX_TAKEN or _NO_COVER */
	uint32_t stop_flag;
	unsigned int stop_cpu, stop_wait;	/* its CPU, its --wait-vmx */
	enum vb_vmx_owner stop_owner;		/* who took VMX, as /sys says */
	uint64_t vmx_wait_ms;			/* over every RUN */
};

/* Per event column of samples.csv, over the run. */
struct evstate {
	int hw;			/* needs a hardware counter */
	int module_err;		/* first event_err (-errno) of a RUN, or 0 */
	int reported;		/* the why line is out */
	int counted;		/* the module counted it in some RUN */
	uint64_t samples_sum;	/* over the records with a value */
	uint64_t module_total;	/* event_total over those RUNs */
	/* the cross-check, over the RUNs it was asked for */
	int xc_asked, xc_err;	/* first -errno of perf_event_open/read */
	int xc_multiplexed;	/* ran less than it was enabled */
	uint64_t xc_samples, xc_total, xc_perf;
};

struct runner {
	const struct vb_opts *o;
	const struct vb_env *env;	/* for the user backend, a copy with
					   its device ops (bench/userdev.c) */
	struct vb_env user_env;
	struct vb_user_machine user_machine;	/* env's CPUID, for its skips */
	int user;			/* --backend user */
	enum vb_platform platform;
	const struct vb_plan *plan;
	struct vb_dev dev;
	struct vb_sample *buf;
	uint64_t *pmc;			/* records x events of one RUN */
	struct evstate *ev;		/* plan->n_evcol */
	int hw_asked, hw_counted;	/* hardware counters over the run */
	int pmu_err, pmu_reported;	/* first hardware event_err; its line */
	uint64_t pmc_invalid;		/* records with VB_SAMPLE_PMC_INVALID */
	struct vb_window_stat *win;	/* one RUN's window descriptions */
	uint32_t win_cap;		/* entries win holds */
	struct vb_noise noise;		/* NMIs, SMIs, frequency, over the run */
	struct vb_outfile samples, points, windows;
	struct vb_progress progress;
	struct totals t;
	char msg[512];
};

/*
 * No SA_RESTART: a signal during the RUN ioctl makes the module stop
 * between windows and return what it measured (VB_RUN_INTERRUPTED).
 * SA_RESETHAND: a second Ctrl-C kills as usual.
 */
static void catch_signals(struct sigaction *old_int, struct sigaction *old_term)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	vb_stop = 0;
	sigaction(SIGINT, &sa, old_int);
	sigaction(SIGTERM, &sa, old_term);
}

static uint32_t page_kib(unsigned int page)
{
	return page == VB_PAGE_4K ? 4 : page == VB_PAGE_2M ? 2048 : 1u << 20;
}

/* A pass's events into the RUN. */
static void fill_events(struct vb_run *run, const struct vb_evset *es,
			unsigned int pass, uint64_t *pmc)
{
	unsigned int i, first = es->pass_start[pass];

	run->nevents = es->pass_start[pass + 1] - first;
	for (i = 0; i < run->nevents; i++)
		run->events[i] = es->ev[first + i].ev;
	run->pmc_buf = (uint64_t)(uintptr_t)pmc;
}

static void fill_run(struct vb_run *run, const struct vb_plan *p,
		     const struct vb_point *pt, struct vb_sample *buf,
		     struct vb_window_stat *win, uint32_t win_cap)
{
	memset(run, 0, sizeof(*run));
	run->wait_vmx_ms = p->gkeys[pt->group].wait_vmx * 1000u;
	run->cpu = pt->axis[VB_KEY_CPU];
	run->instruction = pt->axis[VB_KEY_INSTRUCTION];
	run->unroll = pt->axis[VB_KEY_UNROLL];
	run->samples = pt->samples;
	run->vmcs = pt->axis[VB_KEY_VMCS];
	run->serialize = pt->axis[VB_KEY_SERIALIZE];
	run->offset = pt->axis[VB_KEY_OFFSET];
	run->cache = pt->axis[VB_KEY_CACHE];
	run->memtype = pt->axis[VB_KEY_MEMTYPE];
	run->page = pt->axis[VB_KEY_PAGE];
	run->tlb = pt->axis[VB_KEY_TLB];
	run->ad = pt->axis[VB_KEY_AD];
	run->buf = (uint64_t)(uintptr_t)buf;
	run->buf_len = vb_point_records(pt);
	/* a window takes at least one sample: more cannot be needed */
	run->win_buf = (uint64_t)(uintptr_t)win;
	run->win_len = pt->samples < win_cap ? pt->samples : win_cap;
}

/* The distinct CPUs of the plan, in plan order. */
static unsigned int plan_cpus(const struct vb_plan *p, unsigned int *cpus)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < p->n; i++) {
		unsigned int c = p->pt[i].axis[VB_KEY_CPU];

		for (j = 0; j < n && cpus[j] != c; j++)
			;
		if (j == n)
			cpus[n++] = c;
	}
	return n;
}

/* The longest --wait-vmx of the plan's points on cpu, seconds. */
static unsigned int cpu_wait(const struct vb_plan *p, unsigned int cpu)
{
	unsigned int i, w = 0;

	for (i = 0; i < p->n; i++)
		if (p->pt[i].axis[VB_KEY_CPU] == cpu &&
		    p->gkeys[p->pt[i].group].wait_vmx > w)
			w = p->gkeys[p->pt[i].group].wait_vmx;
	return w;
}

/*
 * INFO says VMX is not usable on cpu now: refuse the run (-1, r->msg),
 * unless the RUNs there may wait for it (--wait-vmx): then say so.
 */
static int judge_cpu(struct runner *r, unsigned int cpu,
		     const struct vb_info *info)
{
	enum vb_vmx_block b = vb_vmx_block(info);
	unsigned int wait = cpu_wait(r->plan, cpu);

	if (b == VB_BLOCK_NONE)
		return 0;
	if (!vb_vmx_waitable(b) || !wait) {
		vb_info_refuses(info, cpu, r->env->root, r->msg,
				sizeof(r->msg));
		return -1;
	}
	vb_err(r->env, "CPU %u: %s: each RUN there waits up to %u s for that to change (--wait-vmx)", cpu, vb_vmx_cause(b, vb_vmx_owner(info, r->env->root)), wait);
	return 0;
}

/* Pin to every CPU and ask INFO there: refuse before measuring anything. */
static int check_cpus(struct runner *r, const unsigned int *cpus,
		      unsigned int n, struct vb_info *info)
{
	unsigned int i;

	for (i = n; i-- > 0; ) {	/* ends pinned to the first */
		int ret = r->env->pin_cpu(cpus[i]);

		if (ret) {
			snprintf(r->msg, sizeof(r->msg), "CPU %u: cannot pin to it (%s): offline or no such CPU",
				 cpus[i],
				 strerror(-ret));
			return -1;
		}
		if (i == n - 1) {
			ret = vb_dev_open(&r->dev, r->env->dev_ops,
					  r->env->dev_priv,
					  r->env->device_path, r->env->root);
			if (ret) {
				vb_dev_explain(&r->dev, VB_OP_OPEN, -ret,
					       cpus[i], r->msg, sizeof(r->msg));
				return -1;
			}
		}
		ret = vb_dev_info(&r->dev, cpus[i], info);
		if (ret) {
			vb_dev_explain(&r->dev, VB_OP_INFO, -ret, cpus[i],
				       r->msg, sizeof(r->msg));
			return -1;
		}
		if (!r->user && judge_cpu(r, cpus[i], info))
			return -1;
	}
	return 0;
}

/* "a b c": the distinct values of axis k over the plan, or of page_kib. */
static void distinct(const struct vb_plan *p, int k, char *buf, size_t len)
{
	unsigned int i, j;
	size_t used = 0;
	char v[32];

	buf[0] = '\0';
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < i; j++)
			if (p->pt[j].axis[k] == p->pt[i].axis[k])
				break;
		if (j < i || used >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? " " : "",
					 vb_key_value_name(k, p->pt[i].axis[k],
							   v, sizeof(v)));
	}
}

/* "0", "60": the distinct --wait-vmx seconds of the plan's points. */
static void distinct_wait(const struct vb_plan *p, char *buf, size_t len)
{
	unsigned int i, j;
	size_t used = 0;

	buf[0] = '\0';
	for (i = 0; i < p->n; i++) {
		unsigned int w = p->gkeys[p->pt[i].group].wait_vmx;

		for (j = 0; j < i; j++)
			if (p->gkeys[p->pt[j].group].wait_vmx == w)
				break;
		if (j == i && used < len)
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%u", used ? " " : "", w);
	}
}

static void set_plan_meta(struct vb_meta *m, const struct vb_plan *p,
			  const struct vb_config *cfg, const char *root,
			  const unsigned int *cpus, unsigned int ncpus)
{
	static const struct { const char *meta; int key; } axes[] = {
		{ "target_cpu", VB_KEY_CPU }, { "unroll", VB_KEY_UNROLL },
		{ "instruction", VB_KEY_INSTRUCTION }, { "vmcs", VB_KEY_VMCS },
		{ "offset", VB_KEY_OFFSET }, { "cache", VB_KEY_CACHE },
		{ "memtype", VB_KEY_MEMTYPE }, { "serialize", VB_KEY_SERIALIZE },
		{ "tlb", VB_KEY_TLB }, { "ad", VB_KEY_AD },
		{ "page", VB_KEY_PAGE },
	};
	char buf[2048], mc[64], first[64];
	size_t i, used = 0;
	int differ = 0;

	vb_meta_set(m, "config", "%s", cfg->path ? cfg->path : "none");
	vb_meta_set(m, "config_sha256", "%s", cfg->path ? cfg->sha256 : "none");
	vb_meta_set(m, "points", "%u", p->n);
	vb_meta_set(m, "samples_planned", "%" PRIu64, p->samples);
	distinct_wait(p, buf, sizeof(buf));
	vb_meta_set(m, "wait_vmx", "%s", buf);
	for (i = 0; i < sizeof(axes) / sizeof(axes[0]); i++) {
		distinct(p, axes[i].key, buf, sizeof(buf));
		vb_meta_set(m, axes[i].meta, "%s", buf);
	}
	vb_meta_sort_numbers(m, "unroll");
	/* microcode: one value, or each CPU's where they differ */
	vb_cpu_microcode(root, cpus[0], first, sizeof(first));
	for (i = 0; i < ncpus && used < sizeof(buf); i++) {
		vb_cpu_microcode(root, cpus[i], mc, sizeof(mc));
		differ |= strcmp(mc, first) != 0;
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
					 "%scpu%u:%s", i ? " " : "", cpus[i], mc);
	}
	if (differ)
		vb_meta_set(m, "microcode", "%s", buf);
}

/* What an event_err means here, after strerror. */
static const char *pmc_hint(int err)
{
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		return " (no PMU for it: a VM or an emulator?)";
	case EACCES:
	case EPERM:
		return " (see /proc/sys/kernel/perf_event_paranoid)";
	case EBUSY:
		return " (counter in use: the NMI watchdog or another tool?)";
	case EINVAL:
		return " (this CPU's PMU does not have it?)";
	default:
		return "";
	}
}

/* meta.csv's event keys known before the run: the list, passes, encodings. */
static void set_event_meta(struct vb_meta *m, const struct vb_plan *p)
{
	char buf[2048], key[VB_EVENT_NAME_MAX + 16];
	unsigned int c, i, e, xc = 0;
	size_t used = 0;

	buf[0] = '\0';
	for (c = 0; c < p->n_evcol && used < sizeof(buf); c++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
					 "%s%s", c ? " " : "", p->evcol[c]);
	vb_meta_set(m, "events", "%s", p->n_evcol ? buf : "none");
	vb_meta_set(m, "event_passes", "%u", p->max_passes);
	for (c = 0; c < p->n_evcol; c++) {
		used = 0;
		buf[0] = '\0';
		for (i = 0; i < p->n_evset; i++) {
			const struct vb_evset *es = &p->evset[i];

			for (e = 0; e < es->n && es->col[e] != c; e++)
				;
			if (e == es->n || used >= sizeof(buf))
				continue;
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
				"%s%s%s[%s] type=%u config=0x%llx config1=0x%llx config2=0x%llx pmu=%s fstr=%s",
				used ? "; " : "",
				es->core_type ? es->core_type : "",
				es->core_type ? " " : "", p->group[es->group],
				es->ev[e].ev.type,
				(unsigned long long)es->ev[e].ev.config,
				(unsigned long long)es->ev[e].ev.config1,
				(unsigned long long)es->ev[e].ev.config2,
				es->ev[e].pmu[0] ? es->ev[e].pmu : "unknown",
				es->ev[e].fstr);
		}
		snprintf(key, sizeof(key), "event.%s", p->evcol[c]);
		vb_meta_set(m, key, "%s", buf);
	}
	for (i = 0; i < p->n_groups; i++)
		xc |= p->gkeys[i].cross_check && p->gkeys[i].events[0];
	vb_meta_set(m, "cross_check", "%s", xc ? "unknown" : "not requested");
	vb_meta_set(m, "pmu", "%s", p->n_evcol ? "unknown" : "not requested");
}

/* meta.csv's event keys after the run: pmu, cross_check, module errors. */
static void set_event_results(struct vb_meta *m, const struct runner *r)
{
	const struct vb_plan *p = r->plan;
	char key[VB_EVENT_NAME_MAX + 16], val[512];
	unsigned int c, asked = 0, failed = 0;
	int first_err = 0;

	vb_meta_set(m, "pmc_invalid_records", "%" PRIu64, r->pmc_invalid);
	if (!r->hw_asked)
		vb_meta_set(m, "pmu", "not requested");
	else if (r->hw_counted)
		vb_meta_set(m, "pmu", "ok");
	else
		vb_meta_set(m, "pmu", "unavailable: %s%s", strerror(r->pmu_err),
			    pmc_hint(r->pmu_err));
	for (c = 0; c < p->n_evcol; c++) {
		const struct evstate *e = &r->ev[c];

		if (e->module_err) {
			snprintf(key, sizeof(key), "event_error.%s",
				 p->evcol[c]);
			vb_meta_set(m, key, "%s%s", strerror(e->module_err),
				    pmc_hint(e->module_err));
		}
		if (!e->xc_asked)
			continue;
		asked++;
		snprintf(key, sizeof(key), "cross_check.%s", p->evcol[c]);
		if (e->xc_err) {
			failed++;
			if (!first_err)
				first_err = e->xc_err;
			vb_meta_set(m, key, "unavailable: %s",
				    strerror(e->xc_err));
		} else if (!e->counted) {
			failed++;
			vb_meta_set(m, key, "unavailable: the module did not count it");
		} else if (e->xc_multiplexed) {
			failed++;
			vb_meta_set(m, key, "unavailable: perf multiplexed the user-space counter (perf=%" PRIu64 " not comparable)",
				    e->xc_perf);
		} else {
			if (e->xc_perf)
				snprintf(val, sizeof(val), "%.4f",
					 (double)e->xc_samples /
					 (double)e->xc_perf);
			else
				snprintf(val, sizeof(val), "%s",
					 e->xc_samples ? "inf" : "");
			vb_meta_set(m, key, "samples_sum=%" PRIu64 " module_total=%" PRIu64 " perf=%" PRIu64 " ratio=%s",
				    e->xc_samples, e->xc_total,
				    e->xc_perf, val);
		}
	}
	if (!asked)
		return;
	if (!failed)
		vb_meta_set(m, "cross_check", "ok");
	else if (failed == asked && first_err)
		vb_meta_set(m, "cross_check", "unavailable: %s",
			    strerror(first_err));
	else
		vb_meta_set(m, "cross_check", "partial: %u of %u events unavailable (see cross_check.EVENT)",
			    failed, asked);
}

static void set_result_meta(struct vb_meta *m, const struct vb_plan *p,
			    const struct vb_point_result *res,
			    const struct totals *t, int interrupted)
{
	char buf[256] = "", page[24];
	size_t used = 0;
	uint64_t samples;
	unsigned int i, j;

	/* the page sizes the module reports for the points it measured */
	for (i = 0; i < p->n; i++) {
		if (!res[i].page_kib || !vb_point_ran(res[i].status))
			continue;
		for (j = 0; j < i; j++)
			if (res[j].page_kib == res[i].page_kib &&
			    vb_point_ran(res[j].status))
				break;
		if (j == i && used < sizeof(buf))
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
				"%s%s", used ? " " : "",
				vb_page_name(res[i].page_kib, page,
					     sizeof(page)));
	}
	vb_meta_set(m, "page_measured", "%s", buf);
	/* the samples of the points that ran, a cut one as far as it got */
	for (i = 0, samples = 0; i < p->n; i++)
		if (vb_point_ran(res[i].status) && vb_point_records(&p->pt[i]))
			samples += (uint64_t)res[i].records * p->pt[i].samples /
				   ((uint64_t)vb_point_records(&p->pt[i]) *
				    vb_point_passes(p, &p->pt[i]));
	vb_meta_set(m, "samples", "%" PRIu64, samples);
	vb_meta_set(m, "points_measured", "%u", t->measured);
	vb_meta_set(m, "points_skipped", "%u", t->skipped);
	vb_meta_set(m, "records", "%" PRIu64, t->records);
	vb_meta_set(m, "mismatches", "%" PRIu64, t->mismatches);
	vb_meta_set(m, "windows", "%" PRIu64, t->windows);
	vb_meta_set(m, "max_window_tsc", "%" PRIu64, t->max_window_tsc);
	vb_meta_set(m, "interrupted", "%s", interrupted ? "yes" : "no");
	vb_meta_set(m, "vmx_wait_ms", "%" PRIu64, t->vmx_wait_ms);
	if (!t->stop_flag)
		vb_meta_set(m, "stopped", "no");
	else
		vb_meta_set(m, "stopped", "point %d: %s on CPU %u", t->stopped_at,
			    t->stop_flag == VB_RUN_VMX_TAKEN ? "vmx_taken" :
			    "no_cover", t->stop_cpu);
}

static int write_meta(const struct vb_meta *m, const char *dir, char *msg,
		      size_t len)
{
	struct vb_outfile meta = { .f = NULL };

	if (vb_outfile_open(&meta, dir, "meta.csv", msg, len))
		return -1;
	if (vb_meta_write(m, meta.f)) {
		snprintf(msg, len, "%.400s: write failed: %s", meta.tmp,
			 strerror(errno));
		vb_outfile_abort(&meta);
		return -1;
	}
	return vb_outfile_commit(&meta, msg, len);
}

static void add_check(struct totals *t, unsigned int point,
		      const struct vb_run *run, const struct vb_check *c)
{
	t->records += c->records;
	t->needed += c->needed;
	t->mismatches += c->mismatches;
	t->module_mismatches += c->module_mismatches;
	t->bad_records += c->bad_records;
	t->flag_disagree += c->flag_disagree;
	t->tsc_backwards += c->tsc_backwards;
	t->overflow |= c->overflow;
	t->short_run |= c->short_run;
	t->inconsistent |= c->inconsistent;
	t->windows += run->windows;
	if (run->max_window_tsc > t->max_window_tsc)
		t->max_window_tsc = run->max_window_tsc;
	if (c->mismatches && t->first_bad < 0) {
		t->first_bad = (int)point;
		t->bad_expected = run->expected;
		t->bad_poison = run->poison;
	}
}

/*
 * After a RUN with events: what the module counted, the why lines (once
 * per event; once for the whole PMU when no hardware counter could be
 * created), the sums for the cross-check.  Returns 1 when the RUN asked
 * for hardware counters and got none.
 */
static int account_events(struct runner *r, const struct vb_evset *es,
			  unsigned int pass, const struct vb_run *run,
			  uint32_t nrec, int quiet)
{
	unsigned int i, first = es->pass_start[pass];
	int hw_asked = 0, hw_counted = 0, hw_err = 0;
	uint32_t k;

	for (k = 0; k < nrec; k++)
		r->pmc_invalid += (r->buf[k].flags & VB_SAMPLE_PMC_INVALID) != 0;
	for (i = 0; i < run->nevents; i++) {
		struct evstate *e = &r->ev[es->col[first + i]];
		int err = run->event_err[i] ? -run->event_err[i] :
			  run->event_kind[i] == VB_EVENT_NONE ? ENODEV : 0;

		e->hw = es->ev[first + i].hw;
		hw_asked |= e->hw;
		if (err) {
			if (!e->module_err)
				e->module_err = err;
			if (e->hw && !hw_err)
				hw_err = err;
			continue;
		}
		hw_counted |= e->hw;
		e->counted = 1;
		e->module_total += run->event_total[i];
		for (k = 0; k < nrec; k++)
			if (vb_record_pmc_valid(run, i, &r->buf[k]))
				e->samples_sum +=
					r->pmc[(size_t)k * run->nevents + i];
	}
	r->hw_asked |= hw_asked;
	r->hw_counted |= hw_counted;
	if (hw_asked && !hw_counted && !r->pmu_err)
		r->pmu_err = hw_err;
	if (hw_asked && !hw_counted && quiet)
		return 1;	/* the caller says it, as an error */
	if (hw_asked && !hw_counted && !r->pmu_reported) {
		vb_err(r->env, "no usable PMU on CPU %u: the module could not create any hardware counter: %s%s; measuring the TSC only, the event columns stay empty",
		       run->cpu,
		       strerror(hw_err), pmc_hint(hw_err));
		r->pmu_reported = 1;
		for (i = 0; i < run->nevents; i++)
			if (es->ev[first + i].hw)
				r->ev[es->col[first + i]].reported = 1;
	}
	for (i = 0; i < run->nevents; i++) {
		struct evstate *e = &r->ev[es->col[first + i]];
		int err = run->event_err[i] ? -run->event_err[i] :
			  run->event_kind[i] == VB_EVENT_NONE ? ENODEV : 0;

		if (!err || e->reported)
			continue;
		vb_err(r->env, "event %s: the module could not create its counter on CPU %u: %s%s; its column stays empty",
		       es->ev[first + i].name, run->cpu, strerror(err),
		       pmc_hint(err));
		e->reported = 1;
	}
	return hw_asked && !hw_counted;
}

/* The cross-check around one RUN: open before, read after. */
static void xc_open(struct runner *r, const struct vb_evset *es,
		    unsigned int pass, unsigned int cpu, int *fd)
{
	const struct vb_perf_ops *ops = r->env->perf_ops ? r->env->perf_ops
							 : &vb_perf_real_ops;
	unsigned int i, first = es->pass_start[pass];
	unsigned int n = es->pass_start[pass + 1] - first;

	for (i = 0; i < n; i++) {
		struct evstate *e = &r->ev[es->col[first + i]];

		e->xc_asked = 1;
		fd[i] = ops->open(r->env->perf_priv, &es->ev[first + i].ev, cpu);
		if (fd[i] < 0 && !e->xc_err)
			e->xc_err = -fd[i];
	}
}

static void xc_close(struct runner *r, const struct vb_evset *es,
		     unsigned int pass, const struct vb_run *run,
		     uint32_t nrec, const int *fd, int measured)
{
	const struct vb_perf_ops *ops = r->env->perf_ops ? r->env->perf_ops
							 : &vb_perf_real_ops;
	unsigned int i, first = es->pass_start[pass];
	unsigned int n = es->pass_start[pass + 1] - first;
	uint64_t v[3], sum;
	uint32_t k;
	int ret;

	for (i = 0; i < n; i++) {
		struct evstate *e = &r->ev[es->col[first + i]];

		if (fd[i] < 0)
			continue;
		ret = ops->read(r->env->perf_priv, fd[i], v);
		ops->close(r->env->perf_priv, fd[i]);
		if (!measured || run->event_err[i] ||
		    run->event_kind[i] == VB_EVENT_NONE)
			continue;	/* nothing of the module's to compare */
		if (ret) {
			if (!e->xc_err)
				e->xc_err = -ret;
			continue;
		}
		if (v[2] < v[1])
			e->xc_multiplexed = 1;
		for (k = 0, sum = 0; k < nrec; k++)
			if (vb_record_pmc_valid(run, i, &r->buf[k]))
				sum += r->pmc[(size_t)k * run->nevents + i];
		e->xc_samples += sum;
		e->xc_total += run->event_total[i];
		e->xc_perf += v[0];
	}
}

/*
 * The module stopped the RUN early (VB_RUN_VMX_TAKEN or VB_RUN_NO_COVER):
 * its rows are written like an interrupted point's; the point's reason
 * and, for the report, who took VMX as INFO and /sys tell now.
 */
static void note_stop(struct runner *r, unsigned int i,
		      const struct vb_run *run, const struct vb_check *c,
		      int multipass, struct vb_point_result *res)
{
	struct vb_info info;
	int taken = (run->result_flags & VB_RUN_VMX_TAKEN) != 0;
	const char *pass = multipass ? " of its pass" : "";

	r->t.stop_flag = taken ? VB_RUN_VMX_TAKEN : VB_RUN_NO_COVER;
	r->t.stop_cpu = run->cpu;
	r->t.stop_wait = run->wait_vmx_ms / 1000;
	r->t.stop_owner = vb_vmx_owner(vb_dev_info(&r->dev, run->cpu, &info) ?
				       NULL : &info, r->env->root);
	r->t.stopped_at = (int)i;
	r->t.stop_records = c->records;
	r->t.stop_needed = c->needed;
	if (taken)
		snprintf(res->reason, sizeof(res->reason), "stopped after %" PRIu32 " of %" PRIu32 " records%s: another hypervisor turned VMX on on CPU %" PRIu32, c->records, c->needed, pass, run->cpu);
	else
		snprintf(res->reason, sizeof(res->reason), "stopped after %" PRIu32 " of %" PRIu32 " records%s: kvm was loaded, the kernel's crash-time VMXOFF callback could no longer cover the RUN", c->records, c->needed, pass);
}

/* One pass of a point: RUN, check, rows out.  -1: stop the run; -2: write. */
static int run_pass(struct runner *r, unsigned int i, unsigned int pass,
		    struct vb_point_result *res)
{
	const struct vb_point *pt = &r->plan->pt[i];
	const struct vb_group_keys *gk = &r->plan->gkeys[pt->group];
	const struct vb_evset *es = pt->evset == VB_NO_EVSET ? NULL :
				    &r->plan->evset[pt->evset];
	struct vb_row_events rowev = { pass, r->plan->n_evcol, NULL, r->pmc };
	int fd[VB_MAX_EVENTS], xc = es && gk->cross_check, ret;
	uint32_t bad, stop, intr;
	struct vb_check check;
	struct vb_run run;

	fill_run(&run, r->plan, pt, r->buf, r->win, r->win_cap);
	if (es) {
		fill_events(&run, es, pass, r->pmc);
		rowev.col = &es->col[es->pass_start[pass]];
	}
	if (xc)
		xc_open(r, es, pass, run.cpu, fd);
	ret = vb_dev_run(&r->dev, &run);
	if (ret == -EINTR) {	/* stopped before the module returned data */
		run.records = 0;
		run.result_flags |= VB_RUN_INTERRUPTED;
	}
	if (xc)
		xc_close(r, es, pass, &run, ret ? 0 : run.records,
			 fd, !ret && !(run.result_flags & VB_RUN_SKIPPED));
	if (ret && ret != -EINTR) {
		if (r->user && ret == -EOPNOTSUPP && vb_user_refusal(&run))
			snprintf(r->msg, sizeof(r->msg), "point %u: %s",
				 pt->index, vb_user_refusal(&run));
		else
			vb_dev_explain(&r->dev, VB_OP_RUN, -ret, run.cpu,
				       r->msg, sizeof(r->msg));
		goto failed;
	}
	res->page_kib = run.page_kib;
	res->vmx_wait_ms += run.vmx_wait_ms;
	r->t.vmx_wait_ms += run.vmx_wait_ms;
	if (run.result_flags & VB_RUN_SKIPPED) {
		res->status = VB_PT_SKIPPED;
		vb_skip_reason(&run, res->reason, sizeof(res->reason));
		if (run.records) {	/* the module broke its promise */
			r->t.inconsistent = 1;
			r->t.bad_records += run.records;
		}
		return 1;
	}
	vb_records_check(&run, run.buf_len, r->buf, &check);
	add_check(&r->t, i, &run, &check);
	bad = r->noise.bad;
	vb_noise_add(&r->noise, &run, r->win, run.win_len, r->buf,
		     check.records);
	if (r->noise.bad != bad)
		r->t.inconsistent = 1;	/* windows that fit no records */
	if (check.records && run.page_kib != page_kib(run.page)) {
		r->t.wrong_page++;	/* never on the wrong setup silently */
		r->t.inconsistent = 1;
	}
	if (es && account_events(r, es, pass, &run, check.records,
				 gk->require_events) && gk->require_events) {
		snprintf(r->msg, sizeof(r->msg), "point %u: no usable PMU on CPU %u (%s%s) and require-events is set",
			 pt->index,
			 run.cpu, strerror(r->pmu_err), pmc_hint(r->pmu_err));
		goto failed;
	}
	stop = run.result_flags & (VB_RUN_VMX_TAKEN | VB_RUN_NO_COVER);
	intr = !stop && (run.result_flags & VB_RUN_INTERRUPTED);
	res->status = stop ? VB_PT_STOPPED : intr ? VB_PT_INTERRUPTED :
		      VB_PT_MEASURED;
	res->records += check.records;
	res->mismatches += check.mismatches;
	res->windows += run.windows;
	if (run.max_window_tsc > res->max_window_tsc)
		res->max_window_tsc = run.max_window_tsc;
	if (vb_records_write(r->samples.f, pt->index, &run, r->buf,
			     check.records, &rowev) ||
	    vb_windows_write(r->windows.f, pt->index, pass, &run, r->win,
			     run.win_len))
		return -2;
	if (stop) {
		note_stop(r, i, &run, &check, es && es->npass > 1, res);
		return -1;
	}
	if (intr) {
		snprintf(res->reason, sizeof(res->reason), "interrupted after %" PRIu32 " of %" PRIu32 " records%s",
			 check.records,
			 check.needed, es && es->npass > 1 ?
			 " of its pass" : "");
		r->t.interrupted++;
		r->t.stopped_at = (int)i;
		r->t.stop_records = check.records;
		r->t.stop_needed = check.needed;
		return -1;
	}
	return 0;

failed:
	res->status = VB_PT_FAILED;
	snprintf(res->reason, sizeof(res->reason), "%.150s", r->msg);
	r->t.failed++;
	r->t.stopped_at = (int)i;
	return -1;
}

/* One point: a RUN per pass, its rows, its points.csv row.  -1: stop. */
static int run_point(struct runner *r, unsigned int i,
		     struct vb_point_result *res)
{
	unsigned int pass, n = vb_point_passes(r->plan, &r->plan->pt[i]);
	int ret = 0;

	memset(res, 0, sizeof(*res));
	for (pass = 0; pass < n && !ret; pass++) {
		if (pass && vb_stop) {	/* Ctrl-C between passes */
			res->status = VB_PT_INTERRUPTED;
			snprintf(res->reason, sizeof(res->reason), "interrupted after pass %u of %u",
				 pass, n);
			r->t.interrupted++;
			r->t.stopped_at = (int)i;
			r->t.stop_records = res->records;
			r->t.stop_needed = vb_point_records(&r->plan->pt[i]) * n;
			return -1;
		}
		ret = run_pass(r, i, pass, res);
	}
	if (ret == 1) {		/* skipped: the module cannot set it up */
		r->t.skipped++;
		return 0;
	}
	if (ret)
		return ret;
	r->t.measured++;
	return 0;
}

static int flush_point(struct runner *r, unsigned int i,
		       const struct vb_point_result *res)
{
	if (vb_points_write(r->points.f, &r->plan->pt[i], res) ||
	    fflush(r->samples.f) || fflush(r->windows.f) ||
	    fflush(r->points.f)) {
		snprintf(r->msg, sizeof(r->msg), "%s: write failed: %s",
			 r->o->outdir, strerror(errno));
		return -1;
	}
	return 0;
}

/* A guest's wc/uc- point may have measured WB: its reason says so. */
static void pat_note(const struct runner *r, unsigned int i,
		     struct vb_point_result *res)
{
	size_t used = strlen(res->reason);

	if (!vb_point_ran(res->status) ||
	    !vb_platform_pat_unreliable(r->platform,
					r->plan->pt[i].axis[VB_KEY_MEMTYPE]))
		return;
	snprintf(res->reason + used, sizeof(res->reason) - used, "%s%s",
		 used ? "; " : "", VB_PAT_NOTE);
}

static int measure_all(struct runner *r, struct vb_point_result *res)
{
	const struct vb_plan *p = r->plan;
	struct sigaction old_int, old_term;
	unsigned int i, cpu = p->pt[0].axis[VB_KEY_CPU];
	int ret = 0, stop = 0;

	catch_signals(&old_int, &old_term);
	vb_progress_start(&r->progress, r->env->err, r->env->progress, p);
	for (i = 0; i < p->n; i++) {
		if (stop || vb_stop) {
			res[i].status = VB_PT_NOT_RUN;
			r->t.not_run++;
			if (flush_point(r, i, &res[i]))
				goto out_write;
			continue;
		}
		if (p->pt[i].axis[VB_KEY_CPU] != cpu) {
			cpu = p->pt[i].axis[VB_KEY_CPU];
			ret = r->env->pin_cpu(cpu);
			if (ret) {
				snprintf(r->msg, sizeof(r->msg), "CPU %u: cannot pin to it (%s)",
					 cpu,
					 strerror(-ret));
				res[i].status = VB_PT_FAILED;
				snprintf(res[i].reason, sizeof(res[i].reason),
					 "%.150s", r->msg);
				r->t.failed++;
				r->t.stopped_at = (int)i;
				ret = -1;
				stop = 1;
				if (flush_point(r, i, &res[i]))
					goto out_write;
				continue;
			}
		}
		vb_progress_point(&r->progress, i);
		ret = run_point(r, i, &res[i]);
		if (ret == -2)
			goto out_write_errno;
		pat_note(r, i, &res[i]);
		stop = ret < 0;
		if (flush_point(r, i, &res[i]))
			goto out_write;
		vb_progress_done(&r->progress, i);
	}
	vb_progress_end(&r->progress);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return r->t.failed ? -1 : 0;

out_write_errno:
	snprintf(r->msg, sizeof(r->msg), "%s: write failed: %s",
		 r->o->outdir, strerror(errno));
out_write:
	vb_progress_end(&r->progress);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return -2;
}

/* One line: the RUN the module stopped, what happened, what to do. */
static void report_stop(const struct runner *r)
{
	const struct totals *t = &r->t;
	char kept[128], fix[256];

	snprintf(kept, sizeof(kept), "kept the point's %" PRIu32 " of %" PRIu32 " records, %u points not run (see points.csv)", t->stop_records, t->stop_needed, t->not_run);
	if (t->stop_flag == VB_RUN_NO_COVER) {
		if (t->stop_wait)
			snprintf(fix, sizeof(fix), "kvm was still loaded after --wait-vmx %u: unload kvm_intel and kvm and rerun", t->stop_wait);
		else
			snprintf(fix, sizeof(fix), "unload kvm_intel and kvm and rerun (or rerun with --wait-vmx SECONDS to wait for that)");
		vb_err(r->env, "run stopped at point %d: kvm was loaded during the run, and on this kernel KVM takes the kernel's single crash-time VMXOFF callback whenever it turns VMX on, so the module could not keep a crash or kdump from hanging CPU %u; %s; %s", t->stopped_at, t->stop_cpu, kept, fix);
		return;
	}
	if (t->stop_owner == VB_OWNER_KVM_AT_LOAD)
		snprintf(fix, sizeof(fix), "rmmod kvm_intel kvm, or reload kvm with enable_virt_at_load=0, and rerun");
	else if (t->stop_wait)
		snprintf(fix, sizeof(fix), "it still held VMX after --wait-vmx %u: rerun with a longer wait, or once it is done", t->stop_wait);
	else
		snprintf(fix, sizeof(fix), "rerun with --wait-vmx SECONDS to wait for it");
	vb_err(r->env, "run stopped at point %d: another hypervisor turned VMX on on CPU %u during the run (%s); %s; %s", t->stopped_at, t->stop_cpu, t->stop_owner == VB_OWNER_VM ? "KVM does while it has VMs: a VM started" : t->stop_owner == VB_OWNER_KVM_AT_LOAD ? "kvm_intel does when it is loaded with kvm.enable_virt_at_load=Y" : "kvm_intel is not loaded: some other hypervisor", kept, fix);
}

static int report(const struct runner *r, int interrupted)
{
	const struct totals *t = &r->t;
	const struct vb_env *env = r->env;
	const struct vb_opts *o = r->o;
	int rc = VB_EXIT_OK;

	if (t->tsc_backwards)
		vb_err(env, "warning: %" PRIu32 " records have tsc_end < tsc_begin; their tsc is left empty",
		       t->tsc_backwards);
	if (r->noise.records_nmi || r->noise.records_smi)
		vb_err(env, "warning: %" PRIu64 " records saw an NMI and %" PRIu64 " an SMI (%" PRIu64 " windows with an SMI): flagged in samples.csv (flag_nmi, flag_smi) and left out by vmptrst-analyze; see windows.csv",
		       r->noise.records_nmi, r->noise.records_smi,
		       r->noise.smi_windows);
	if (t->mismatches) {
		vb_err(env, "%" PRIu64 " of %" PRIu64 " records failed the check (first at point %d: stored value != 0x%" PRIx64 " expected, 0x%" PRIx64 " poison); all rows written, see the check column",
		       t->mismatches, t->records,
		       t->first_bad, t->bad_expected, t->bad_poison);
		rc = VB_EXIT_CHECK;
	}
	if (t->inconsistent) {
		char extra[256] = "";

		if (t->wrong_page)
			snprintf(extra, sizeof(extra), "; %" PRIu32 " points measured on another page size than asked",
				 t->wrong_page);
		if (r->noise.bad)
			snprintf(extra + strlen(extra), sizeof(extra) -
				 strlen(extra), "; %" PRIu32 " window descriptions that fit no records",
				 r->noise.bad);
		vb_err(env, "inconsistent results from the module: %" PRIu64 " mismatches counted by the module, %" PRIu64 " by the driver; %" PRIu64 " records of %" PRIu64 " expected%s; %" PRIu32 " malformed; %" PRIu32 " with a wrong mismatch flag%s",
		       t->module_mismatches, t->mismatches,
		       t->records, t->needed,
		       t->overflow ? " (module overran the buffer)" : "",
		       t->bad_records, t->flag_disagree, extra);
		rc = VB_EXIT_CHECK;
	}
	if (t->stop_flag) {
		report_stop(r);
		if (rc == VB_EXIT_OK)
			rc = VB_EXIT_ERROR;
	}
	if (interrupted) {
		if (t->interrupted)
			vb_err(env, "interrupted at point %d of %u: kept its %" PRIu32 " of %" PRIu32 " records; %u points not run (see points.csv)",
			       t->stopped_at,
			       r->plan->n, t->stop_records, t->stop_needed,
			       t->not_run);
		else
			vb_err(env, "interrupted after %u of %u points; %u points not run (see points.csv)",
			       t->measured + t->skipped, r->plan->n,
			       t->not_run);
		if (rc == VB_EXIT_OK)
			rc = VB_EXIT_INTERRUPTED;
	}
	if (rc == VB_EXIT_OK)
		fprintf(env->out, "%s: %" PRIu64 " records from %u point%s (%u measured, %u skipped: see points.csv) in %s/samples.csv\n",
			VB_TOOL_NAME, t->records, r->plan->n,
			r->plan->n == 1 ? "" : "s", t->measured, t->skipped,
			o->outdir);
	return rc;
}

static int open_outputs(struct runner *r)
{
	const char *dir = r->o->outdir;

	if (vb_outfile_open_direct(&r->samples, dir, "samples.csv", r->msg,
				   sizeof(r->msg)) ||
	    vb_outfile_open_direct(&r->points, dir, "points.csv", r->msg,
				   sizeof(r->msg)) ||
	    vb_outfile_open_direct(&r->windows, dir, "windows.csv", r->msg,
				   sizeof(r->msg)))
		return -1;
	if (vb_records_header(r->samples.f, r->plan->evcol,
			      r->plan->n_evcol) || vb_points_header(r->points.f) ||
	    vb_windows_header(r->windows.f) || fflush(r->samples.f) ||
	    fflush(r->points.f) || fflush(r->windows.f)) {
		snprintf(r->msg, sizeof(r->msg), "%s: write failed: %s", dir,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int close_outputs(struct runner *r)
{
	char msg[512];
	int ret = 0;

	if (vb_outfile_close(&r->samples, msg, sizeof(msg)))
		ret = -1;
	if (vb_outfile_close(&r->points, ret ? NULL : msg,
			     ret ? 0 : sizeof(msg)))
		ret = -1;
	if (vb_outfile_close(&r->windows, ret ? NULL : msg,
			     ret ? 0 : sizeof(msg)))
		ret = -1;
	if (ret && !r->msg[0])
		snprintf(r->msg, sizeof(r->msg), "%s", msg);
	return ret;
}

static int run_plan(struct runner *r, const struct vb_config *cfg,
		    const char *cmdline)
{
	const struct vb_plan *p = r->plan;
	struct vb_point_result *res = NULL;
	unsigned int *cpus, ncpus;
	struct vb_info info;
	struct vb_meta meta;
	int ret, rc = VB_EXIT_ERROR, interrupted;

	cpus = calloc(p->n, sizeof(*cpus));
	if (!cpus) {
		snprintf(r->msg, sizeof(r->msg), "out of memory");
		return VB_EXIT_ERROR;
	}
	ncpus = plan_cpus(p, cpus);
	r->dev.fd = -1;
	if (check_cpus(r, cpus, ncpus, &info) ||
	    vb_outdir_prepare(r->o->outdir, r->o->force, r->msg,
			      sizeof(r->msg)))
		goto out_close;
	r->buf = calloc(p->max_records, sizeof(*r->buf));
	r->win_cap = p->max_records < VB_WIN_CAP ? p->max_records : VB_WIN_CAP;
	r->win = calloc(r->win_cap, sizeof(*r->win));
	res = calloc(p->n, sizeof(*res));
	if (p->n_evcol) {
		r->pmc = calloc((size_t)p->max_records * VB_MAX_EVENTS,
				sizeof(*r->pmc));
		r->ev = calloc(p->n_evcol, sizeof(*r->ev));
	}
	if (!r->buf || !r->win || !res ||
	    (p->n_evcol && (!r->pmc || !r->ev))) {
		snprintf(r->msg, sizeof(r->msg), "no memory for %" PRIu32 " records",
			 p->max_records);
		goto out_close;
	}

	vb_meta_init(&meta);
	vb_meta_collect_host(&meta, r->env, cpus[0], r->o->platform);
	r->platform = vb_platform_detect(r->env->root, r->env->cpuid,
					 r->o->platform);
	vb_meta_collect_system(&meta, r->env->root, cpus, ncpus);
	vb_meta_set_info(&meta, &info);
	set_plan_meta(&meta, p, cfg, r->env->root, cpus, ncpus);
	set_event_meta(&meta, p);
	vb_meta_set(&meta, "backend", "%s", vb_backend_names[r->o->backend]);
	if (r->user)
		vb_meta_add_note(&meta, "user backend: ring 3, interrupts on; windows are not IRQ-off");
	vb_meta_set(&meta, "command_line", "%s", cmdline);
	vb_meta_set_time(&meta, "start_time", time(NULL));
	/* a first meta.csv now: a run that dies still says what it was */
	if (write_meta(&meta, r->o->outdir, r->msg, sizeof(r->msg)) ||
	    open_outputs(r))
		goto out_meta;

	ret = measure_all(r, res);
	if (ret == -2)		/* a write failed: r->msg says which */
		goto out_outputs;
	interrupted = r->t.interrupted || vb_stop;
	vb_meta_set_time(&meta, "end_time", time(NULL));
	set_result_meta(&meta, p, res, &r->t, interrupted);
	set_event_results(&meta, r);
	vb_noise_meta(&meta, &r->noise);
	if (close_outputs(r) ||
	    write_meta(&meta, r->o->outdir, r->msg, sizeof(r->msg)))
		goto out_outputs;
	if (ret == 0) {		/* else a point failed: r->msg, exit 1 */
		r->msg[0] = '\0';
		rc = report(r, interrupted);
	}
out_outputs:
	close_outputs(r);	/* no-ops once closed */
out_meta:
	vb_meta_free(&meta);
out_close:
	vb_dev_close(&r->dev);
	free(res);
	free(r->buf);
	free(r->win);
	free(r->pmc);
	free(r->ev);
	free(cpus);
	return rc;
}

/*
 * The user backend cannot measure some points (VMPTRST at ring 3, the ring-0
 * axes): refuse the plan before anything runs, naming the first such point.
 */
static int user_refuses(const struct vb_plan *p, const struct vb_env *env)
{
	struct vb_run run;
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		fill_run(&run, p, &p->pt[i], NULL, NULL, 0);
		if (vb_user_refusal(&run)) {
			vb_err(env, "--backend user: point %u: %s",
			       p->pt[i].index, vb_user_refusal(&run));
			return VB_EXIT_USAGE;
		}
	}
	return 0;
}

int vb_cmd_run(const struct vb_opts *o, const char *cmdline,
	       const struct vb_env *env)
{
	struct vb_config cfg;
	struct vb_plan plan;
	struct runner *r;
	int rc = vb_plan_from_opts(o, &cfg, &plan, env);

	if (rc)
		return rc;
	r = calloc(1, sizeof(*r));
	if (!r) {
		vb_err(env, "out of memory");
		rc = VB_EXIT_ERROR;
		goto out;
	}
	r->o = o;
	r->env = env;
	r->plan = &plan;
	if (o->backend == VB_BACKEND_USER) {
		r->user_env = *env;
		r->user_env.dev_ops = vb_user_dev_ops();
		r->user_machine.cpuid = env->cpuid;
		r->user_env.dev_priv = &r->user_machine;
		r->user_env.device_path = VB_USER_DEVICE_PATH;
		r->env = &r->user_env;
		r->user = 1;
		rc = user_refuses(&plan, env);
		if (rc)
			goto out_free;
	}
	r->t.first_bad = -1;
	r->t.stopped_at = -1;
	rc = run_plan(r, &cfg, cmdline);
	if (r->msg[0])
		vb_err(env, "%s", r->msg);
out_free:
	free(r);
out:
	vb_plan_free(&plan);
	vb_config_free(&cfg);
	return rc;
}
