/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drift: a setup measured at more than one point of a run (the reference
 * point a config repeats in every section) is the same measurement taken
 * at different times; how far its medians move is the run's drift, and
 * whether their 95% CIs still overlap says if it exceeds the noise.
 */
#ifndef AZ_DRIFT_H
#define AZ_DRIFT_H

#include <stddef.h>

#include "dataset.h"

struct az_repeat {
	const struct az_group **g;	/* in run (point) order */
	size_t n;			/* 2 or more */
	int net;			/* values: net per insn, else raw window */
	double lo_med, hi_med;		/* the lowest and highest median */
	double spread_pct;		/* (hi - lo) / median of the medians */
	int overlap;			/* every pair of 95% CIs overlaps */
};

/* Every setup (instruction and every setup axis, unroll included) measured
   at two or more points; *out allocated (az_repeats_free). */
size_t az_repeats(const struct az_dataset *ds, struct az_repeat **out);
void az_repeats_free(struct az_repeat *r, size_t n);
/* The value its statistics use: g->dnet[0] when net, else g->d[0]. */
const struct dist *az_repeat_dist(const struct az_repeat *r, size_t i);

#endif /* AZ_DRIFT_H */
