/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Progress of a run on stderr when it is a terminal: point i/N, percent of
 * the records, ETA from the records measured so far.  Silent otherwise.
 */
#ifndef VB_PROGRESS_H
#define VB_PROGRESS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "sweep.h"

struct vb_progress {
	FILE *f;		/* NULL: quiet */
	const struct vb_plan *plan;
	uint64_t done;		/* records of the points finished */
	struct timespec start;
	int shown;
};

void vb_progress_start(struct vb_progress *p, FILE *f, int on,
		       const struct vb_plan *plan);
/* Before point i's RUN in round `round` (of plan->rounds). */
void vb_progress_point(struct vb_progress *p, unsigned int i,
		       unsigned int round);
/* After it: its share of the records is done. */
void vb_progress_done(struct vb_progress *p, unsigned int i,
		      unsigned int round);
/* Ends the progress line. */
void vb_progress_end(struct vb_progress *p);

#endif /* VB_PROGRESS_H */
