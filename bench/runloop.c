// SPDX-License-Identifier: GPL-2.0
/*
 * The point loop of `run`: every point in turn, pinned to its CPU, a pass
 * at a time (runpass.c), its points.csv row and every file flushed before
 * the next point starts.  Ctrl-C stops after the current pass; the points
 * after it are written as not-run.  See runner.h.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
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

/* Point i in this round, a pass at a time. */
static enum vb_pass_end run_point(struct runner *r, unsigned int i,
				  struct vb_point_result *res)
{
	unsigned int pass, n = vb_point_passes(r->plan, &r->plan->pt[i]);
	enum vb_pass_end end = VB_PASS_NEXT;

	if (!r->round)
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
	if (end == VB_PASS_NEXT)
		r->rounds_done[i]++;
	return end;
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
					r->plan->pt[i].desc.memtype))
		return;
	snprintf(res->reason + used, sizeof(res->reason) - used, "%s%s",
		 used ? "; " : "", VB_PAT_NOTE);
}

/* Records of a point that a check counted, n of them, in its reason. */
static void count_note(struct vb_point_result *res, uint32_t n,
		       const char *what)
{
	size_t used = strlen(res->reason);

	if (n)
		snprintf(res->reason + used, sizeof(res->reason) - used,
			 "%s%" PRIu32 " %s", used ? "; " : "", n, what);
}

/* Pinned to point i's CPU (*cpu: where we are): 0, or -1: point i failed. */
static int pin_for(struct runner *r, unsigned int i, unsigned int *cpu)
{
	unsigned int c = r->plan->pt[i].desc.cpu;
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

/*
 * Point i in round r->round, if it is to run: 1 when it ran (ok, skipped
 * or stopped: *stop says the run stops), 0 when it had nothing to do, -1
 * when a file could not be written (r->msg).
 */
static int round_point(struct runner *r, unsigned int i, unsigned int *cpu,
		       int *stop)
{
	struct vb_point_result *res = &r->result.point[i];
	enum vb_pass_end end;

	if (*stop || vb_stop) {
		if (!r->round) {
			res->status = VB_PT_NOT_RUN;
			r->result.t.not_run++;
		}
		return 0;
	}
	if (r->round && (res->status != VB_PT_MEASURED ||
			 r->rounds_done[i] < r->round))
		return 0;	/* skipped, or its measuring over */
	if (pin_for(r, i, cpu)) {
		*stop = 1;
		return 1;
	}
	vb_progress_point(&r->progress, i, r->round);
	end = run_point(r, i, res);
	if (end == VB_PASS_WRITE_FAILED) {
		vb_write_failed(r->msg, sizeof(r->msg), r->o->outdir);
		return -1;
	}
	if (end == VB_PASS_SKIPPED && !r->round)
		r->result.t.skipped++;
	else if (end == VB_PASS_SKIPPED) {	/* it was set up in round 0 */
		char why[sizeof(res->reason)];

		snprintf(why, sizeof(why), "%s", res->reason);
		snprintf(res->reason, sizeof(res->reason), "round %u skipped: %.200s",
			 r->round + 1, why);
		res->status = VB_PT_MEASURED;	/* partial() says the rest */
	}
	*stop = end == VB_PASS_STOP;
	vb_progress_done(&r->progress, i, r->round);
	return 1;
}

/*
 * After the last round, or a stop: a point measured in fewer rounds than
 * planned keeps its rows and says why its status is not `measured`.
 */
static void partial(struct runner *r, unsigned int i)
{
	struct vb_point_result *res = &r->result.point[i];
	const struct vb_run_totals *t = &r->result.t;
	unsigned int done = r->rounds_done[i], rounds = r->plan->rounds;
	char why[sizeof(res->reason)];

	if (rounds < 2 || done == rounds || !vb_point_ran(res->status) ||
	    (int)i == t->stopped_at)
		return;
	if (*res->reason)
		snprintf(why, sizeof(why), "%s", res->reason);
	else if (t->stopped_at >= 0)
		snprintf(why, sizeof(why), "the run stopped at point %d", t->stopped_at);
	else
		snprintf(why, sizeof(why), "the run was interrupted");
	res->status = r->result.t.interrupted || vb_stop ? VB_PT_INTERRUPTED :
		      VB_PT_STOPPED;
	snprintf(res->reason, sizeof(res->reason), "measured in %u of %u rounds: %.250s",
		 done, rounds, why);
}

/*
 * points.csv's rows in point order: each row once its status is final,
 * after the rows before it (*next: the first not written; ready[]: the
 * points whose status is final).  0, or -1 and r->msg.
 */
static int rows_out(struct runner *r, const char *ready, unsigned int *next)
{
	struct vb_point_result *res;

	for (; *next < r->plan->n && ready[*next]; (*next)++) {
		partial(r, *next);
		pat_note(r, *next, &r->result.point[*next]);
		res = &r->result.point[*next];
		count_note(res, res->vmfails, "records ended in VMfail (CF or ZF set after the block): counted as mismatches");
		count_note(res, res->split_bad, "records without their exit/entry split (readings out of order): exit_ticks and entry_ticks empty");
		if (flush_point(r, *next))
			return -1;
	}
	return 0;
}

enum vb_loop_end vb_run_points(struct runner *r)
{
	const struct vb_plan *p = r->plan;
	struct vb_point_result *res = r->result.point;
	struct sigaction old_int, old_term;
	unsigned int i, next = 0, cpu = p->pt[0].desc.cpu;
	enum vb_loop_end end = VB_LOOP_DONE;
	char *ready = calloc(p->n, 1);
	int stop = 0, ran;

	if (!ready) {
		snprintf(r->msg, sizeof(r->msg), "no memory for %u points", p->n);
		return VB_LOOP_FAILED;
	}
	catch_signals(&old_int, &old_term);
	vb_progress_start(&r->progress, r->env->err, r->env->progress, p);
	for (r->round = 0; r->round < p->rounds && end == VB_LOOP_DONE;
	     r->round++)
		for (i = 0; i < p->n; i++) {
			ran = round_point(r, i, &cpu, &stop);
			if (ran < 0) {
				end = VB_LOOP_WRITE_FAILED;
				break;
			}
			/* final unless it is measured and more rounds follow */
			ready[i] |= r->round + 1 == p->rounds || stop ||
				    vb_stop || res[i].status != VB_PT_MEASURED ||
				    r->rounds_done[i] != r->round + 1;
			if (rows_out(r, ready, &next) ||
			    (ran && (fflush(r->samples.f) ||
				     fflush(r->windows.f)))) {
				vb_write_failed(r->msg, sizeof(r->msg),
						r->o->outdir);
				end = VB_LOOP_WRITE_FAILED;
				break;
			}
		}
	vb_progress_end(&r->progress);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	for (i = 0; i < p->n; i++)
		r->result.t.measured += res[i].status == VB_PT_MEASURED;
	free(ready);
	r->result.interrupted = r->result.t.interrupted || vb_stop;
	if (end == VB_LOOP_DONE && r->result.t.failed)
		end = VB_LOOP_FAILED;
	return end;
}
