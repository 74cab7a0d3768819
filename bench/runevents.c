// SPDX-License-Identifier: GPL-2.0
/*
 * A run's PMU events: what the module counted in each RUN, the lines that
 * say why an event's column stays empty, and the cross-check against
 * perf_event_open around the RUN.  See runresult.h.
 */
#include <errno.h>
#include <string.h>

#include "diag.h"
#include "perfcount.h"
#include "records.h"
#include "runresult.h"

const char *vb_pmc_hint(int err)
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

/* Event i of the RUN: 0 when the module counted it, else why not. */
static int event_err(const struct vb_run *run, unsigned int i)
{
	return run->event_err[i] ? -run->event_err[i] :
	       run->event_kind[i] == VB_EVENT_NONE ? ENODEV : 0;
}

/* Event i's counts over the RUN's records with a value. */
static uint64_t event_sum(const struct vb_pass_events *pe,
			  const struct vb_run *run, unsigned int i,
			  uint32_t nrec)
{
	uint64_t sum = 0;
	uint32_t k;

	for (k = 0; k < nrec; k++)
		if (vb_record_pmc_valid(run, i, &pe->rec[k]))
			sum += pe->pmc[(size_t)k * run->nevents + i];
	return sum;
}

/* The why lines: the whole PMU's once, then each event's once. */
static void explain(struct vb_run_result *res, const struct vb_env *env,
		    const struct vb_pass_events *pe, const struct vb_run *run,
		    int no_pmu, int hw_err)
{
	const struct vb_evset *es = pe->es;
	unsigned int i, first = es->pass_start[pe->pass];

	if (no_pmu && !res->pmu_reported) {
		vb_err(env, "no usable PMU on CPU %u: the module could not create any hardware counter: %s%s; measuring the TSC only, the event columns stay empty",
		       run->point.cpu,
		       strerror(hw_err), vb_pmc_hint(hw_err));
		res->pmu_reported = 1;
		for (i = 0; i < run->nevents; i++)
			if (es->ev[first + i].hw)
				res->ev[es->col[first + i]].reported = 1;
	}
	for (i = 0; i < run->nevents; i++) {
		struct vb_event_result *e = &res->ev[es->col[first + i]];
		int err = event_err(run, i);

		if (!err || e->reported)
			continue;
		vb_err(env, "event %s: the module could not create its counter on CPU %u: %s%s; its column stays empty",
		       es->ev[first + i].name, run->point.cpu, strerror(err),
		       vb_pmc_hint(err));
		e->reported = 1;
	}
}

int vb_events_account(struct vb_run_result *res, const struct vb_env *env,
		      const struct vb_pass_events *pe,
		      const struct vb_run *run, uint32_t nrec, int quiet)
{
	const struct vb_evset *es = pe->es;
	unsigned int i, first = es->pass_start[pe->pass];
	int hw_asked = 0, hw_counted = 0, hw_err = 0;
	uint32_t k;

	for (k = 0; k < nrec; k++)
		res->pmc_invalid +=
			(pe->rec[k].flags & VB_SAMPLE_PMC_INVALID) != 0;
	for (i = 0; i < run->nevents; i++) {
		struct vb_event_result *e = &res->ev[es->col[first + i]];
		int err = event_err(run, i);

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
		e->samples_sum += event_sum(pe, run, i, nrec);
	}
	res->hw_asked |= hw_asked;
	res->hw_counted |= hw_counted;
	if (hw_asked && !hw_counted && !res->pmu_err)
		res->pmu_err = hw_err;
	if (hw_asked && !hw_counted && quiet)
		return 1;	/* the caller says it, as an error */
	explain(res, env, pe, run, hw_asked && !hw_counted, hw_err);
	return hw_asked && !hw_counted;
}

static const struct vb_perf_ops *perf_ops(const struct vb_env *env)
{
	return env->perf_ops ? env->perf_ops : &vb_perf_real_ops;
}

void vb_xc_open(struct vb_run_result *res, const struct vb_env *env,
		const struct vb_pass_events *pe, unsigned int cpu, int *fd)
{
	const struct vb_evset *es = pe->es;
	unsigned int i, first = es->pass_start[pe->pass];
	unsigned int n = es->pass_start[pe->pass + 1] - first;

	for (i = 0; i < n; i++) {
		struct vb_event_result *e = &res->ev[es->col[first + i]];

		e->xc_asked = 1;
		fd[i] = perf_ops(env)->open(env->perf_priv,
					    &es->ev[first + i].ev, cpu);
		if (fd[i] < 0 && !e->xc_err)
			e->xc_err = -fd[i];
	}
}

void vb_xc_close(struct vb_run_result *res, const struct vb_env *env,
		 const struct vb_pass_events *pe, const struct vb_run *run,
		 uint32_t nrec, const int *fd, int measured)
{
	const struct vb_perf_ops *ops = perf_ops(env);
	const struct vb_evset *es = pe->es;
	unsigned int i, first = es->pass_start[pe->pass];
	unsigned int n = es->pass_start[pe->pass + 1] - first;
	uint64_t v[3];
	int ret;

	for (i = 0; i < n; i++) {
		struct vb_event_result *e = &res->ev[es->col[first + i]];

		if (fd[i] < 0)
			continue;
		ret = ops->read(env->perf_priv, fd[i], v);
		ops->close(env->perf_priv, fd[i]);
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
		e->xc_samples += event_sum(pe, run, i, nrec);
		e->xc_total += run->event_total[i];
		e->xc_perf += v[0];
	}
}
