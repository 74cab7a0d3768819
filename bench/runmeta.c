// SPDX-License-Identifier: GPL-2.0
/*
 * A run's meta.csv keys of its own: what the plan asked for (config, axes,
 * events and their encodings), then what the run found, read from the
 * run's result (totals, stop, events, cross-check, noise).  See runresult.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "outdir.h"
#include "records.h"
#include "runresult.h"

/* "a b c": the distinct values of axis k over the plan, or of page_kib. */
static void distinct(const struct vb_plan *p, int k, char *buf, size_t len)
{
	unsigned int i, j;
	size_t used = 0;
	char v[32];

	buf[0] = '\0';
	for (i = 0; i < p->n; i++) {
		unsigned int vi = vb_point_axis(&p->pt[i].desc, k);

		for (j = 0; j < i; j++)
			if (vb_point_axis(&p->pt[j].desc, k) == vi)
				break;
		if (j < i || used >= len || (vb_key_is_variant(k) && !vi))
			continue;	/* a variant: only where one applies */
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? " " : "",
					 vb_key_value_name(k, vi, v,
							   sizeof(v)));
	}
	if (!used && vb_key_is_variant(k))
		snprintf(buf, len, "none");
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
		{ "instruction", VB_KEY_INSTRUCTION }, { "target", VB_KEY_TARGET },
		{ "field", VB_KEY_FIELD }, { "type", VB_KEY_TYPE },
		{ "mode", VB_KEY_MODE },
		{ "vmcs", VB_KEY_VMCS },
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
	vb_meta_set(m, "rounds", "%u", p->rounds ? p->rounds : 1);
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

void vb_run_meta_plan(struct vb_meta *m, const struct vb_plan *p,
		      const struct vb_config *cfg, const char *root,
		      const unsigned int *cpus, unsigned int ncpus)
{
	set_plan_meta(m, p, cfg, root, cpus, ncpus);
	set_event_meta(m, p);
}

static void set_result_meta(struct vb_meta *m,
			    const struct vb_run_result *run)
{
	const struct vb_plan *p = run->plan;
	const struct vb_point_result *res = run->point;
	const struct vb_run_totals *t = &run->t;
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
			samples += (uint64_t)res[i].records *
				   p->pt[i].desc.samples /
				   ((uint64_t)vb_point_records(&p->pt[i]) *
				    vb_point_passes(p, &p->pt[i]));
	vb_meta_set(m, "samples", "%" PRIu64, samples);
	vb_meta_set(m, "points_measured", "%u", t->measured);
	vb_meta_set(m, "points_skipped", "%u", t->skipped);
	vb_meta_set(m, "records", "%" PRIu64, t->records);
	vb_meta_set(m, "mismatches", "%" PRIu64, t->mismatches);
	vb_meta_set(m, "exit_mismatches", "%" PRIu64, t->exit_mismatches);
	vb_meta_set(m, "vmfails", "%" PRIu64, t->vmfails);
	vb_meta_set(m, "split_records", "%" PRIu64, t->split_records);
	vb_meta_set(m, "split_bad", "%" PRIu64, t->split_bad);
	vb_meta_set(m, "windows", "%" PRIu64, t->windows);
	vb_meta_set(m, "max_window_tsc", "%" PRIu64, t->max_window_tsc);
	vb_meta_set(m, "interrupted", "%s", run->interrupted ? "yes" : "no");
	vb_meta_set(m, "vmx_wait_ms", "%" PRIu64, t->vmx_wait_ms);
	if (!t->stop_flag)
		vb_meta_set(m, "stopped", "no");
	else
		vb_meta_set(m, "stopped", "point %d: %s on CPU %u", t->stopped_at,
			    t->stop_flag == VB_RUN_VMX_TAKEN ? "vmx_taken" :
			    "no_cover", t->stop_cpu);
}

int vb_run_meta_write(const struct vb_meta *m, const char *dir, char *msg,
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

/* meta.csv's event keys after the run: pmu, cross_check, module errors. */
static void set_event_results(struct vb_meta *m,
			      const struct vb_run_result *r)
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
			    vb_pmc_hint(r->pmu_err));
	for (c = 0; c < p->n_evcol; c++) {
		const struct vb_event_result *e = &r->ev[c];

		if (e->module_err) {
			snprintf(key, sizeof(key), "event_error.%s",
				 p->evcol[c]);
			vb_meta_set(m, key, "%s%s", strerror(e->module_err),
				    vb_pmc_hint(e->module_err));
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

void vb_run_meta_result(struct vb_meta *m, const struct vb_run_result *res)
{
	set_result_meta(m, res);
	set_event_results(m, res);
	vb_noise_meta(m, &res->noise);
}
