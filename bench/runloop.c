// SPDX-License-Identifier: GPL-2.0
/*
 * The point loop of `run`: every point in turn, pinned to its CPU, a pass
 * at a time (runpass.c), its points.csv row and every file flushed before
 * the next point starts.  Ctrl-C stops after the current pass; the points
 * after it are written as not-run.  See runner.h.
 */
#include <signal.h>
#include <string.h>

#include "diag.h"
#include "runner.h"

static volatile sig_atomic_t vb_stop;

static void on_signal(int sig)
{
	vb_stop = sig;
}

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

/* Point i, a pass at a time; skipped, it ends as VB_PASS_NEXT. */
static enum vb_pass_end run_point(struct runner *r, unsigned int i,
				  struct vb_point_result *res)
{
	unsigned int pass, n = vb_point_passes(r->plan, &r->plan->pt[i]);
	enum vb_pass_end end = VB_PASS_NEXT;

	memset(res, 0, sizeof(*res));
	for (pass = 0; pass < n && end == VB_PASS_NEXT; pass++) {
		if (pass && vb_stop) {	/* Ctrl-C between passes */
			vb_stop_here(r, i, res, VB_PT_INTERRUPTED,
				     res->records,
				     vb_point_records(&r->plan->pt[i]) * n,
				     "interrupted after pass %u of %u", pass, n);
			return VB_PASS_STOP;
		}
		end = vb_run_pass(r, i, pass, res);
	}
	if (end == VB_PASS_SKIPPED)	/* the module cannot set it up */
		r->result.t.skipped++;
	else if (end == VB_PASS_NEXT)
		r->result.t.measured++;
	return end == VB_PASS_SKIPPED ? VB_PASS_NEXT : end;
}

/* Point i's points.csv row, and every file flushed: 0, or -1 and r->msg. */
static int flush_point(struct runner *r, unsigned int i)
{
	if (vb_points_write(r->points.f, &r->plan->pt[i],
			    &r->result.point[i]) ||
	    fflush(r->samples.f) || fflush(r->windows.f) ||
	    fflush(r->points.f)) {
		vb_write_failed(r->msg, sizeof(r->msg), r->o->outdir);
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

/* Pinned to point i's CPU (*cpu: where we are): 0, or -1: point i failed. */
static int pin_for(struct runner *r, unsigned int i, unsigned int *cpu)
{
	unsigned int c = r->plan->pt[i].axis[VB_KEY_CPU];
	int ret;

	if (c == *cpu)
		return 0;
	*cpu = c;
	ret = r->env->pin_cpu(c);
	if (!ret)
		return 0;
	snprintf(r->msg, sizeof(r->msg), "CPU %u: cannot pin to it (%s)", c,
		 strerror(-ret));
	vb_stop_here(r, i, &r->result.point[i], VB_PT_FAILED, 0, 0, "%.150s",
		     r->msg);
	return -1;
}

enum vb_loop_end vb_run_points(struct runner *r)
{
	const struct vb_plan *p = r->plan;
	struct vb_point_result *res = r->result.point;
	struct sigaction old_int, old_term;
	unsigned int i, cpu = p->pt[0].axis[VB_KEY_CPU];
	enum vb_loop_end end = VB_LOOP_DONE;
	int stop = 0;

	catch_signals(&old_int, &old_term);
	vb_progress_start(&r->progress, r->env->err, r->env->progress, p);
	for (i = 0; i < p->n; i++) {
		enum vb_pass_end point_end;
		int ran = 0;

		if (stop || vb_stop) {
			res[i].status = VB_PT_NOT_RUN;
			r->result.t.not_run++;
		} else if (pin_for(r, i, &cpu)) {
			stop = 1;
		} else {
			vb_progress_point(&r->progress, i);
			point_end = run_point(r, i, &res[i]);
			if (point_end == VB_PASS_WRITE_FAILED) {
				vb_write_failed(r->msg, sizeof(r->msg),
						r->o->outdir);
				end = VB_LOOP_WRITE_FAILED;
				break;
			}
			pat_note(r, i, &res[i]);
			stop = point_end == VB_PASS_STOP;
			ran = 1;
		}
		if (flush_point(r, i)) {
			end = VB_LOOP_WRITE_FAILED;
			break;
		}
		if (ran)
			vb_progress_done(&r->progress, i);
	}
	vb_progress_end(&r->progress);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	r->result.interrupted = r->result.t.interrupted || vb_stop;
	if (end == VB_LOOP_DONE && r->result.t.failed)
		end = VB_LOOP_FAILED;
	return end;
}
