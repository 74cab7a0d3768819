// SPDX-License-Identifier: GPL-2.0
/* Progress on stderr: see progress.h. */
#include <stdio.h>
#include <time.h>

#include "bench.h"
#include "progress.h"

static double elapsed(const struct vb_progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->start.tv_sec) +
	       (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

void vb_progress_start(struct vb_progress *p, FILE *f, int on,
		       const struct vb_plan *plan)
{
	p->f = on ? f : NULL;
	p->plan = plan;
	p->done = 0;
	p->shown = 0;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

void vb_progress_point(struct vb_progress *p, unsigned int i,
		       unsigned int round)
{
	const struct vb_plan *plan = p->plan;
	double t = elapsed(p), pct;
	char eta[32] = "ETA --:--", rnd[32] = "";

	if (!p->f)
		return;
	pct = plan->records ? 100.0 * (double)p->done / (double)plan->records
			    : 0;
	if (p->done && t > 0) {
		double left = t * (double)(plan->records - p->done) /
			      (double)p->done;
		unsigned long s = (unsigned long)(left + 0.5);

		snprintf(eta, sizeof(eta), "ETA %lu:%02lu:%02lu", s / 3600,
			 s / 60 % 60, s % 60);
	}
	if (plan->rounds > 1)
		snprintf(rnd, sizeof(rnd), "round %u/%u ", round + 1,
			 plan->rounds);
	/* \r and erase to the end of the line: one line, rewritten */
	fprintf(p->f, "\r\033[K" VB_TOOL_NAME ": %spoint %u/%u (%.0f%%) [%s] %s",
		rnd, i + 1, plan->n, pct, plan->group[plan->pt[i].group], eta);
	fflush(p->f);
	p->shown = 1;
}

void vb_progress_done(struct vb_progress *p, unsigned int i,
		      unsigned int round)
{
	const struct vb_point *pt = &p->plan->pt[i];
	unsigned int rounds = p->plan->rounds ? p->plan->rounds : 1;

	p->done += VB_RECORDS_NEEDED(pt->desc.instruction,
				     vb_round_samples(pt, rounds, round, NULL));
}

void vb_progress_end(struct vb_progress *p)
{
	if (p->f && p->shown) {
		fputs("\r\033[K", p->f);
		fflush(p->f);
	}
	p->shown = 0;
}
