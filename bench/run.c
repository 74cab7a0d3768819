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
#include "meta.h"
#include "outdir.h"
#include "points.h"
#include "progress.h"
#include "records.h"

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
	int stopped_at;			/* point interrupted or failed, -1 */
	uint32_t stop_records, stop_needed;
};

struct runner {
	const struct vb_opts *o;
	const struct vb_env *env;
	const struct vb_plan *plan;
	struct vb_dev dev;
	struct vb_sample *buf;
	struct vb_outfile samples, points;
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

static void fill_run(struct vb_run *run, const struct vb_point *pt,
		     struct vb_sample *buf)
{
	memset(run, 0, sizeof(*run));
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

/* Pin to every CPU and ask INFO there: refuse before measuring anything. */
static int check_cpus(struct runner *r, const unsigned int *cpus,
		      unsigned int n, struct vb_info *info)
{
	unsigned int i;

	for (i = n; i-- > 0; ) {	/* ends pinned to the first */
		int ret = r->env->pin_cpu(cpus[i]);

		if (ret) {
			snprintf(r->msg, sizeof(r->msg), "CPU %u: cannot pin to "
				 "it (%s): offline or no such CPU", cpus[i],
				 strerror(-ret));
			return -1;
		}
		if (i == n - 1) {
			ret = vb_dev_open(&r->dev, r->env->dev_ops,
					  r->env->dev_priv,
					  r->env->device_path);
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
		if (vb_info_refuses(info, cpus[i], r->msg, sizeof(r->msg)))
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
	};
	char buf[2048], mc[64], first[64];
	size_t i, used = 0;
	int differ = 0;

	vb_meta_set(m, "config", "%s", cfg->path ? cfg->path : "none");
	vb_meta_set(m, "config_sha256", "%s", cfg->path ? cfg->sha256 : "none");
	vb_meta_set(m, "points", "%u", p->n);
	vb_meta_set(m, "samples", "%" PRIu64, p->samples);
	for (i = 0; i < sizeof(axes) / sizeof(axes[0]); i++) {
		distinct(p, axes[i].key, buf, sizeof(buf));
		vb_meta_set(m, axes[i].meta, "%s", buf);
	}
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

static void set_result_meta(struct vb_meta *m, const struct vb_plan *p,
			    const struct vb_point_result *res,
			    const struct totals *t, int interrupted)
{
	char buf[256] = "", page[24];
	size_t used = 0;
	unsigned int i, j;

	/* the page sizes the module reports for the points it measured */
	for (i = 0; i < p->n; i++) {
		if (!res[i].page_kib || (res[i].status != VB_PT_MEASURED &&
					 res[i].status != VB_PT_INTERRUPTED))
			continue;
		for (j = 0; j < i; j++)
			if (res[j].page_kib == res[i].page_kib &&
			    (res[j].status == VB_PT_MEASURED ||
			     res[j].status == VB_PT_INTERRUPTED))
				break;
		if (j == i && used < sizeof(buf))
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
				"%s%s", used ? " " : "",
				vb_page_name(res[i].page_kib, page,
					     sizeof(page)));
	}
	vb_meta_set(m, "page", "%s", buf);
	vb_meta_set(m, "points_measured", "%u", t->measured);
	vb_meta_set(m, "points_skipped", "%u", t->skipped);
	vb_meta_set(m, "records", "%" PRIu64, t->records);
	vb_meta_set(m, "mismatches", "%" PRIu64, t->mismatches);
	vb_meta_set(m, "windows", "%" PRIu64, t->windows);
	vb_meta_set(m, "max_window_tsc", "%" PRIu64, t->max_window_tsc);
	vb_meta_set(m, "interrupted", "%s", interrupted ? "yes" : "no");
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

/* One point: RUN, check, rows out, its points.csv row.  -1: stop the run. */
static int run_point(struct runner *r, unsigned int i,
		     struct vb_point_result *res)
{
	const struct vb_point *pt = &r->plan->pt[i];
	struct vb_check check;
	struct vb_run run;
	int ret, intr;

	memset(res, 0, sizeof(*res));
	fill_run(&run, pt, r->buf);
	ret = vb_dev_run(&r->dev, &run);
	if (ret == -EINTR) {	/* stopped before the module returned data */
		run.records = 0;
		run.result_flags |= VB_RUN_INTERRUPTED;
	} else if (ret) {
		vb_dev_explain(&r->dev, VB_OP_RUN, -ret, run.cpu, r->msg,
			       sizeof(r->msg));
		res->status = VB_PT_FAILED;
		snprintf(res->reason, sizeof(res->reason), "%.150s", r->msg);
		r->t.failed++;
		r->t.stopped_at = (int)i;
		return -1;
	}
	res->page_kib = run.page_kib;
	if (run.result_flags & VB_RUN_SKIPPED) {
		res->status = VB_PT_SKIPPED;
		vb_skip_reason(&run, res->reason, sizeof(res->reason));
		if (run.records) {	/* the module broke its promise */
			r->t.inconsistent = 1;
			r->t.bad_records += run.records;
		}
		r->t.skipped++;
		return 0;
	}
	vb_records_check(&run, run.buf_len, r->buf, &check);
	add_check(&r->t, i, &run, &check);
	if (check.records && run.page_kib != page_kib(run.page)) {
		r->t.wrong_page++;	/* never on the wrong setup silently */
		r->t.inconsistent = 1;
	}
	intr = (run.result_flags & VB_RUN_INTERRUPTED) != 0;
	res->status = intr ? VB_PT_INTERRUPTED : VB_PT_MEASURED;
	if (intr)
		snprintf(res->reason, sizeof(res->reason), "interrupted after "
			 "%" PRIu32 " of %" PRIu32 " records", check.records,
			 check.needed);
	res->records = check.records;
	res->mismatches = check.mismatches;
	res->windows = run.windows;
	res->max_window_tsc = run.max_window_tsc;
	if (vb_records_write(r->samples.f, pt->index, &run, r->buf,
			     check.records))
		return -2;
	if (intr) {
		r->t.interrupted++;
		r->t.stopped_at = (int)i;
		r->t.stop_records = check.records;
		r->t.stop_needed = check.needed;
		return -1;
	}
	r->t.measured++;
	return 0;
}

static int flush_point(struct runner *r, unsigned int i,
		       const struct vb_point_result *res)
{
	if (vb_points_write(r->points.f, &r->plan->pt[i], res) ||
	    fflush(r->samples.f) || fflush(r->points.f)) {
		snprintf(r->msg, sizeof(r->msg), "%s: write failed: %s",
			 r->o->outdir, strerror(errno));
		return -1;
	}
	return 0;
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
				snprintf(r->msg, sizeof(r->msg), "CPU %u: "
					 "cannot pin to it (%s)", cpu,
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

static int report(const struct runner *r, int interrupted)
{
	const struct totals *t = &r->t;
	const struct vb_env *env = r->env;
	const struct vb_opts *o = r->o;
	int rc = VB_EXIT_OK;

	if (t->tsc_backwards)
		vb_err(env, "warning: %" PRIu32 " records have tsc_end < "
		       "tsc_begin; their tsc is left empty", t->tsc_backwards);
	if (t->mismatches) {
		vb_err(env, "%" PRIu64 " of %" PRIu64 " records failed the "
		       "check (first at point %d: stored value != 0x%" PRIx64
		       " expected, 0x%" PRIx64 " poison); all rows written, "
		       "see the check column", t->mismatches, t->records,
		       t->first_bad, t->bad_expected, t->bad_poison);
		rc = VB_EXIT_CHECK;
	}
	if (t->inconsistent) {
		char extra[128] = "";

		if (t->wrong_page)
			snprintf(extra, sizeof(extra), "; %" PRIu32 " points "
				 "measured on another page size than asked",
				 t->wrong_page);
		vb_err(env, "inconsistent results from the module: %" PRIu64
		       " mismatches counted by the module, %" PRIu64 " by the "
		       "driver; %" PRIu64 " records of %" PRIu64 " expected%s; "
		       "%" PRIu32 " malformed; %" PRIu32 " with a wrong "
		       "mismatch flag%s", t->module_mismatches, t->mismatches,
		       t->records, t->needed,
		       t->overflow ? " (module overran the buffer)" : "",
		       t->bad_records, t->flag_disagree, extra);
		rc = VB_EXIT_CHECK;
	}
	if (interrupted) {
		if (t->interrupted)
			vb_err(env, "interrupted at point %d of %u: kept its "
			       "%" PRIu32 " of %" PRIu32 " records; %u points "
			       "not run (see points.csv)", t->stopped_at,
			       r->plan->n, t->stop_records, t->stop_needed,
			       t->not_run);
		else
			vb_err(env, "interrupted after %u of %u points; %u "
			       "points not run (see points.csv)",
			       t->measured + t->skipped, r->plan->n,
			       t->not_run);
		if (rc == VB_EXIT_OK)
			rc = VB_EXIT_INTERRUPTED;
	}
	if (rc == VB_EXIT_OK)
		fprintf(env->out, "%s: %" PRIu64 " records from %u point%s (%u "
			"measured, %u skipped: see points.csv) in %s/samples.csv"
			"\n", VB_TOOL_NAME, t->records, r->plan->n,
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
				   sizeof(r->msg)))
		return -1;
	if (vb_records_header(r->samples.f) || vb_points_header(r->points.f) ||
	    fflush(r->samples.f) || fflush(r->points.f)) {
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
	res = calloc(p->n, sizeof(*res));
	if (!r->buf || !res) {
		snprintf(r->msg, sizeof(r->msg), "no memory for %" PRIu32
			 " records", p->max_records);
		goto out_close;
	}

	vb_meta_init(&meta);
	vb_meta_collect_host(&meta, r->env, cpus[0], r->o->platform);
	vb_meta_set_info(&meta, &info);
	set_plan_meta(&meta, p, cfg, r->env->root, cpus, ncpus);
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
	free(cpus);
	return rc;
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
	r->t.first_bad = -1;
	r->t.stopped_at = -1;
	rc = run_plan(r, &cfg, cmdline);
	if (r->msg[0])
		vb_err(env, "%s", r->msg);
	free(r);
out:
	vb_plan_free(&plan);
	vb_config_free(&cfg);
	return rc;
}
