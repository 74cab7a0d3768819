// SPDX-License-Identifier: GPL-2.0
/*
 * One pass of a point: its RUN (the cross-check around it), the driver's
 * own check of the records and windows, their rows in samples.csv and
 * windows.csv, everything counted into the runner's result; and the
 * bookkeeping of a run that stops at a point.  See runner.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "exits.h"
#include "records.h"
#include "runner.h"

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

/* The RUN of point pt for `samples` of its samples (one round's). */
static void fill_run(struct vb_run *run, const struct runner *r,
		     const struct vb_point *pt, uint32_t samples)
{
	memset(run, 0, sizeof(*run));
	run->wait_vmx_ms = r->plan->gkeys[pt->group].wait_vmx * 1000u;
	run->point = pt->desc;
	run->point.samples = samples;	/* this round's share */
	run->buf = (uint64_t)(uintptr_t)r->buf;
	run->buf_len = VB_RECORDS_NEEDED(run->point.instruction, samples);
	/* a window takes at least one sample: more cannot be needed */
	run->win_buf = (uint64_t)(uintptr_t)r->win;
	run->win_len = samples < r->win_cap ? samples : r->win_cap;
	if (run->point.mode == VB_MODE_GUEST && r->exits) {
		/* no exit record left from an earlier RUN can pass */
		memset(r->exits, 0, run->buf_len * sizeof(*r->exits));
		run->exit_buf = (uint64_t)(uintptr_t)r->exits;
	}
}

void vb_stop_here(struct runner *r, unsigned int i,
		  struct vb_point_result *res, enum vb_point_status status,
		  uint32_t records, uint32_t needed, const char *fmt, ...)
{
	struct vb_run_totals *t = &r->result.t;
	va_list ap;

	res->status = status;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
	if (status == VB_PT_FAILED)
		t->failed++;
	else if (status == VB_PT_INTERRUPTED)
		t->interrupted++;
	t->stopped_at = (int)i;
	t->stop_records = records;
	t->stop_needed = needed;
}

/*
 * The module stopped the RUN early (VB_RUN_VMX_TAKEN or VB_RUN_NO_COVER):
 * its rows are written like an interrupted point's; the point's reason
 * and, for the report, who took VMX as INFO and /sys tell now.
 */
static void note_stop(struct runner *r, unsigned int i,
		      const struct vb_run *run, const struct vb_check *c,
		      const char *of_pass, struct vb_point_result *res)
{
	struct vb_run_totals *t = &r->result.t;
	struct vb_info info;
	int taken = (run->result_flags & VB_RUN_VMX_TAKEN) != 0;

	t->stop_flag = taken ? VB_RUN_VMX_TAKEN : VB_RUN_NO_COVER;
	t->stop_cpu = run->point.cpu;
	t->stop_wait = run->wait_vmx_ms / 1000;
	t->stop_owner = vb_vmx_owner(vb_dev_info(&r->dev, t->stop_cpu, &info) ?
				     NULL : &info, r->env->root);
	if (taken)
		vb_stop_here(r, i, res, VB_PT_STOPPED, c->records, c->needed, "stopped after %" PRIu32 " of %" PRIu32 " records%s: another hypervisor turned VMX on on CPU %" PRIu32, c->records, c->needed, of_pass, run->point.cpu);
	else
		vb_stop_here(r, i, res, VB_PT_STOPPED, c->records, c->needed, "stopped after %" PRIu32 " of %" PRIu32 " records%s: kvm was loaded, the kernel's crash-time VMXOFF callback could no longer cover the RUN", c->records, c->needed, of_pass);
}

/*
 * The RUN of one pass, the cross-check around it: 0; 1 when the user
 * backend cannot run the point but the run goes on (vb_user_skip(): r->msg
 * says why); or -1 and r->msg.
 */
static int do_run(struct runner *r, const struct vb_point *pt,
		  uint32_t samples, const struct vb_pass_events *pe, int xc,
		  struct vb_run *run)
{
	int fd[VB_MAX_EVENTS], ret;

	fill_run(run, r, pt, samples);
	if (pe->es)
		fill_events(run, pe->es, pe->pass, r->pmc);
	if (xc)
		vb_xc_open(&r->result, r->env, pe, run->point.cpu, fd);
	ret = vb_dev_run(&r->dev, run);
	if (ret == -EINTR) {	/* stopped before the module returned data */
		run->records = 0;
		run->result_flags |= VB_RUN_INTERRUPTED;
	}
	if (xc)
		vb_xc_close(&r->result, r->env, pe, run,
			    ret ? 0 : run->records, fd,
			    !ret && !(run->result_flags & VB_RUN_SKIPPED));
	if (!ret || ret == -EINTR)
		return 0;
	if (r->user && ret == -EOPNOTSUPP && vb_user_skip(&run->point)) {
		snprintf(r->msg, sizeof(r->msg), "%s", vb_user_skip(&run->point));
		return 1;
	}
	if (r->user && ret == -EOPNOTSUPP && vb_user_refusal(&run->point))
		snprintf(r->msg, sizeof(r->msg), "point %u: %s", pt->index,
			 vb_user_refusal(&run->point));
	else
		vb_dev_explain(&r->dev, VB_OP_RUN, -ret, run->point.cpu, r->msg,
			       sizeof(r->msg));
	return -1;
}

static void add_check(struct vb_run_totals *t, unsigned int point,
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
	if (c->stored_mismatches && t->first_bad < 0) {
		t->first_bad = (int)point;
		t->bad_expected = vb_insn_is_family(run->point.instruction) ?
				  vb_family_expected(run) : run->expected;
		t->bad_poison = run->poison;
	}
	t->vmfails += c->vmfails;
}

/* The exits of a mode=guest RUN: the first wrong one, the last one seen. */
static void note_exits(struct runner *r, unsigned int point,
		       const struct vb_run *run, const struct vb_check *c,
		       uint32_t first, struct vb_point_result *res)
{
	struct vb_run_totals *t = &r->result.t;
	int64_t last = vb_exit_last(run, r->buf, c->records);

	if (last >= 0) {
		res->has_exit = 1;
		res->exit = *vb_exit_of(run, (uint32_t)last);
	}
	t->exit_mismatches += c->exit_mismatches;
	if (!c->exit_mismatches || t->first_exit >= 0)
		return;
	t->first_exit = (int)point;
	t->first_exit_record = c->first_exit;
	t->first_exit_sample = first + r->buf[c->first_exit].sample;
	vb_exit_describe(run, &r->buf[c->first_exit],
			 vb_exit_of(run, c->first_exit), t->first_exit_why,
			 sizeof(t->first_exit_why));
}

/* The records without their exit/entry split (records.h, split_bad). */
static void note_split(struct vb_run_totals *t, unsigned int point,
		       const struct vb_check *c, uint32_t first,
		       const struct vb_sample *rec, struct vb_point_result *res)
{
	t->split_records += c->split_records;
	t->split_bad += c->split_bad;
	if (!c->split_bad)
		return;
	t->split_bad_points += !res->split_bad;
	res->split_bad += c->split_bad;
	if (t->first_split_bad >= 0)
		return;
	t->first_split_bad = (int)point;
	t->first_split_bad_sample = first + rec[c->first_split_bad].sample;
}

/* The driver's own check of a measured RUN's records and windows. */
static void check_run(struct runner *r, unsigned int i,
		      const struct vb_run *run, struct vb_check *check,
		      uint32_t first, struct vb_point_result *pres)
{
	struct vb_run_result *res = &r->result;
	uint32_t bad;

	vb_records_check(run, run->buf_len, r->buf, check);
	add_check(&res->t, i, run, check);
	pres->vmfails += check->vmfails;
	if (check->vmfails && res->t.first_vmfail < 0) {
		res->t.first_vmfail = (int)i;
		res->t.first_vmfail_sample = first +
					     r->buf[check->first_vmfail].sample;
	}
	if (run->point.mode == VB_MODE_GUEST)
		note_exits(r, i, run, check, first, pres);
	note_split(&res->t, i, check, first, r->buf, pres);
	bad = res->noise.bad;
	vb_noise_add(&res->noise, run, r->win, run->win_len, r->buf,
		     check->records);
	if (res->noise.bad != bad)
		res->t.inconsistent = 1;	/* windows that fit no records */
	if (check->records && run->page_kib != vb_page_kib(run->point.page)) {
		res->t.wrong_page++;	/* never on the wrong setup silently */
		res->t.inconsistent = 1;
	}
}

enum vb_pass_end vb_run_pass(struct runner *r, unsigned int i,
			     unsigned int pass, struct vb_point_result *res)
{
	const struct vb_point *pt = &r->plan->pt[i];
	const struct vb_group_keys *gk = &r->plan->gkeys[pt->group];
	const struct vb_evset *es = pt->evset == VB_NO_EVSET ? NULL :
				    &r->plan->evset[pt->evset];
	const struct vb_pass_events pe = { es, pass, r->buf, r->pmc };
	struct vb_row_events rowev = {
		pass, r->plan->n_evcol,
		es ? &es->col[es->pass_start[pass]] : NULL, r->pmc
	};
	unsigned int first, rounds = r->plan->rounds;
	uint32_t samples = vb_round_samples(pt, rounds, r->round, &first);
	uint32_t *seen = &r->win_seen[(size_t)i * vb_plan_passes(r->plan) +
				       pass];
	struct vb_run_totals *t = &r->result.t;
	struct vb_check check;
	struct vb_run run;
	uint32_t stop, intr;
	char of_pass[64] = "";
	int ret;

	if (rounds > 1)
		snprintf(of_pass, sizeof(of_pass), " of %sround %u of %u",
			 es && es->npass > 1 ? "its pass in " : "",
			 r->round + 1, rounds);
	else if (es && es->npass > 1)
		snprintf(of_pass, sizeof(of_pass), " of its pass");
	ret = do_run(r, pt, samples, &pe, es && gk->cross_check, &run);
	if (ret < 0)
		goto failed;
	if (ret > 0) {	/* the user backend skips it: never faked */
		res->status = VB_PT_SKIPPED;
		snprintf(res->reason, sizeof(res->reason), "%.300s", r->msg);
		r->msg[0] = '\0';
		return VB_PASS_SKIPPED;
	}
	res->page_kib = run.page_kib;
	res->vmx_wait_ms += run.vmx_wait_ms;
	t->vmx_wait_ms += run.vmx_wait_ms;
	if (run.result_flags & VB_RUN_SKIPPED) {
		res->status = VB_PT_SKIPPED;
		vb_skip_reason(&run, res->reason, sizeof(res->reason));
		if (run.records) {	/* the module broke its promise */
			t->inconsistent = 1;
			t->bad_records += run.records;
		}
		return VB_PASS_SKIPPED;
	}
	check_run(r, i, &run, &check, first, res);
	if (es && vb_events_account(&r->result, r->env, &pe, &run,
				    check.records, gk->require_events) &&
	    gk->require_events) {
		snprintf(r->msg, sizeof(r->msg), "point %u: no usable PMU on CPU %u (%s%s) and require-events is set",
			 pt->index, run.point.cpu, strerror(r->result.pmu_err),
			 vb_pmc_hint(r->result.pmu_err));
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
			     check.records, first, &rowev) ||
	    vb_windows_write(r->windows.f, pt->index, pass, &run, r->win,
			     run.win_len, *seen, first))
		return VB_PASS_WRITE_FAILED;
	*seen += run.windows;
	if (stop)
		note_stop(r, i, &run, &check, of_pass, res);
	else if (intr)
		vb_stop_here(r, i, res, VB_PT_INTERRUPTED, check.records, check.needed, "interrupted after %" PRIu32 " of %" PRIu32 " records%s", check.records, check.needed, of_pass);
	return stop || intr ? VB_PASS_STOP : VB_PASS_NEXT;

failed:
	vb_stop_here(r, i, res, VB_PT_FAILED, 0, 0, "%.150s", r->msg);
	return VB_PASS_STOP;
}
