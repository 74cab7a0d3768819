// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench run`: expand the plan, check every target CPU (pin, INFO)
 * before measuring anything, write a first meta.csv, then conformance.csv
 * (conform.h) and meta.csv again, open the output files,
 * let runloop.c measure point by point into the run's result, then hand
 * that result to its readers: meta.csv's results (runmeta.c) and the
 * terminal report with the exit code (runreport.c).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "conform.h"
#include "diag.h"
#include "points.h"
#include "records.h"
#include "runner.h"

/* The distinct CPUs of the plan, in plan order. */
static unsigned int plan_cpus(const struct vb_plan *p, unsigned int *cpus)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < p->n; i++) {
		unsigned int c = p->pt[i].desc.cpu;

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
		if (p->pt[i].desc.cpu == cpu &&
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
		vb_write_failed(r->msg, sizeof(r->msg), dir);
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

/* The RUNs' buffers, for the plan's largest point: 0, or -1 and r->msg. */
static int alloc_buffers(struct runner *r)
{
	const struct vb_plan *p = r->plan;
	unsigned int i, guest = 0;

	for (i = 0; i < p->n; i++)
		guest |= p->pt[i].desc.mode == VB_MODE_GUEST;

	r->buf = calloc(p->max_records, sizeof(*r->buf));
	r->win_cap = p->max_records < VB_WIN_CAP ? p->max_records : VB_WIN_CAP;
	r->win = calloc(r->win_cap, sizeof(*r->win));
	r->result.point = calloc(p->n, sizeof(*r->result.point));
	r->rounds_done = calloc(p->n, sizeof(*r->rounds_done));
	r->win_seen = calloc((size_t)p->n * vb_plan_passes(p),
			     sizeof(*r->win_seen));
	if (p->n_evcol) {
		r->pmc = calloc((size_t)p->max_records * VB_MAX_EVENTS,
				sizeof(*r->pmc));
		r->result.ev = calloc(p->n_evcol, sizeof(*r->result.ev));
	}
	if (guest)	/* vb_run.exit_buf, parallel to buf */
		r->exits = calloc(p->max_records, sizeof(*r->exits));
	if (!r->buf || !r->win || !r->result.point || !r->rounds_done ||
	    !r->win_seen || (guest && !r->exits) ||
	    (p->n_evcol && (!r->pmc || !r->result.ev))) {
		snprintf(r->msg, sizeof(r->msg), "no memory for %" PRIu32 " records",
			 p->max_records);
		return -1;
	}
	return 0;
}

/* meta.csv before the run: the host, the system, INFO, the plan, how. */
static void meta_before(const struct runner *r, struct vb_meta *meta,
			const struct vb_config *cfg, const char *cmdline,
			const unsigned int *cpus, unsigned int ncpus,
			const struct vb_info *info)
{
	vb_meta_init(meta);
	vb_meta_collect_host(meta, r->env, cpus[0], r->o->platform);
	vb_meta_collect_system(meta, r->env->root, cpus, ncpus);
	vb_meta_set_info(meta, info);
	vb_run_meta_plan(meta, r->plan, cfg, r->env->root, cpus, ncpus);
	vb_meta_set(meta, "backend", "%s", vb_backend_names[r->o->backend]);
	if (r->user)
		vb_meta_add_note(meta, "user backend: ring 3, interrupts on; windows are not IRQ-off");
	vb_meta_set(meta, "command_line", "%s", cmdline);
	vb_meta_set_time(meta, "start_time", time(NULL));
}

/*
 * conformance.csv before the sweep, from the first target CPU, where
 * check_cpus() left the run pinned and asked INFO.
 */
static void conformance(struct runner *r, unsigned int cpu,
			const struct vb_info *info, struct vb_meta *meta)
{
	const struct vb_conf_src s = {
		.env = r->env, .dev = r->user ? NULL : &r->dev,
		.nodev = "the user backend: no module", .info = info,
		.cpu = cpu, .user = r->user,
	};

	vb_run_conformance(&s, r->o->outdir, meta);
}

static int run_plan(struct runner *r, const struct vb_config *cfg,
		    const char *cmdline)
{
	const struct vb_plan *p = r->plan;
	unsigned int *cpus, ncpus;
	struct vb_info info;
	struct vb_meta meta;
	enum vb_loop_end end;
	int rc = VB_EXIT_ERROR;

	cpus = calloc(p->n, sizeof(*cpus));
	if (!cpus) {
		snprintf(r->msg, sizeof(r->msg), "out of memory");
		return VB_EXIT_ERROR;
	}
	ncpus = plan_cpus(p, cpus);
	r->dev.fd = -1;
	if (check_cpus(r, cpus, ncpus, &info) ||
	    vb_outdir_prepare(r->o->outdir, r->o->force, r->msg,
			      sizeof(r->msg)) ||
	    alloc_buffers(r))
		goto out_close;

	meta_before(r, &meta, cfg, cmdline, cpus, ncpus, &info);
	r->platform = vb_platform_detect(r->env->root, r->env->cpuid,
					 r->o->platform);	/* for pat_note */
	/* a first meta.csv now: a run that dies still says what it was */
	if (vb_run_meta_write(&meta, r->o->outdir, r->msg, sizeof(r->msg)))
		goto out_meta;
	conformance(r, cpus[0], &info, &meta);	/* and meta.csv says so */
	if (vb_run_meta_write(&meta, r->o->outdir, r->msg, sizeof(r->msg)) ||
	    open_outputs(r))
		goto out_meta;

	end = vb_run_points(r);
	if (end == VB_LOOP_WRITE_FAILED)	/* r->msg says which */
		goto out_outputs;
	vb_meta_set_time(&meta, "end_time", time(NULL));
	vb_run_meta_result(&meta, &r->result);
	if (close_outputs(r) ||
	    vb_run_meta_write(&meta, r->o->outdir, r->msg, sizeof(r->msg)))
		goto out_outputs;
	if (end == VB_LOOP_DONE) {	/* else a point failed: r->msg, exit 1 */
		r->msg[0] = '\0';
		rc = vb_run_report(&r->result, r->o->outdir, r->env);
	}
out_outputs:
	close_outputs(r);	/* no-ops once closed */
out_meta:
	vb_meta_free(&meta);
out_close:
	vb_dev_close(&r->dev);
	free(r->result.point);
	free(r->rounds_done);
	free(r->win_seen);
	free(r->buf);
	free(r->win);
	free(r->pmc);
	free(r->exits);
	free(r->result.ev);
	free(cpus);
	return rc;
}

/*
 * The user backend cannot measure some points (VMPTRST at ring 3, the ring-0
 * axes): refuse the plan before anything runs, naming the first such point.
 * Guest points it skips as the run reaches them (vb_user_skip()).
 */
static int user_refuses(const struct vb_plan *p, const struct vb_env *env)
{
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		const char *why = vb_user_skip(&p->pt[i].desc) ? NULL :
				  vb_user_refusal(&p->pt[i].desc);

		if (why) {
			vb_err(env, "--backend user: point %u: %s",
			       p->pt[i].index, why);
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
	r->result.plan = &plan;
	r->result.t.first_bad = -1;
	r->result.t.first_exit = -1;
	r->result.t.first_vmfail = -1;
	r->result.t.first_split_bad = -1;
	r->result.t.stopped_at = -1;
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
