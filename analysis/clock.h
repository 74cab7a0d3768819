/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core clock of a family of points, for headline.csv's cycles: cycles
 * per TSC tick from a cycles event, else from APERF/MPERF (windows.csv),
 * else from the run's add chain (1 cycle an add).
 */
#ifndef AZ_CLOCK_H
#define AZ_CLOCK_H

#include <stddef.h>

#include "rundir.h"

struct az_clock {
	double per_tick;	/* cycles per TSC tick; NaN: unknown */
	double lo, hi;		/* its 95% CI (the add chain's), else per_tick */
	const char *source;	/* "cycles event", "APERF/MPERF", "add chain",
				   or "" */
};

/* The cycles event's metric of ds (cycles, cpu-cycles), or AZ_NO_GROUP. */
size_t az_clock_metric(const struct az_dataset *ds);

/*
 * The clock of the groups grp[ngrp] of run: metric cyc_m against the TSC
 * over them, else the mean freq_ratio of their windows, else the add
 * chain's slope add[0] with its CI add[1]..add[2] in ticks per add (NaN:
 * none).
 */
void az_clock_of(const struct az_run *run, const size_t *grp, size_t ngrp,
		 size_t cyc_m, const double add[3], struct az_clock *c);

#endif /* AZ_CLOCK_H */
