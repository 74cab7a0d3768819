/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare in core cycles: per headline setup in both runs, B - A in cycles
 * per instruction with a CI built from each run's cycles interval (which
 * carries its calibration's movement, cycles.h), so that the calibration
 * alone never makes a slower or faster verdict.  DIR/compare-cycles.csv
 * and stdout lines; README.md, "compare in cycles".
 */
#ifndef AZ_COMPARECYC_H
#define AZ_COMPARECYC_H

#include "rundir.h"

/* Verdict counts of the cycles comparison. */
struct az_cyc_tally {
	size_t faster, slower, same, none;
};

/* Writes OUT/compare-cycles.csv and prints a line per setup; 0, or -1
   reported. */
int az_compare_cycles(const struct az_run *a, const struct az_run *b,
		      const char *out, double threshold_pct,
		      struct az_cyc_tally *t);

#endif /* AZ_COMPARECYC_H */
