/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cycles interval from per-round slopes: the part of the cycles
 * estimator (cycles.h) that needs only numbers, so that every program
 * reporting cycles from an add-chain calibration uses the one estimator:
 * headline.csv through az_cycles_of, and the engine benchmark
 * (tests/accuracy/accuracy.c, its repetitions as rounds).  Depends on
 * stats.c only.  Definition: analysis/README.md, "headline.csv", cycles.
 */
#ifndef AZ_CYCLESROUND_H
#define AZ_CYCLESROUND_H

#include <stddef.h>

/* Cycles per instruction with its 95% interval, and what widened it. */
struct az_cyc_interval {
	double value, lo, hi;	/* in: the run's cycles and the sampling
				   interval; out: the interval widened */
	unsigned int rounds;	/* rounds the spread came from; 0: none */
	double moved_pct;	/* relative standard deviation (%) of the
				   per-round calibrations 1 / add[r]; NaN:
				   fewer than 3 rounds */
};

/*
 * Widen v's interval by the calibration's movement across n rounds: add[r]
 * the add chain's slope in round r (TSC ticks per add: 1 cycle), fam[r] the
 * family's slope in the same round (ticks per instruction; NULL, or a NaN
 * in any round: the family has one unroll and no per-round slope).  A round
 * whose add[r] is not positive is left out.  With fam: the interval is the
 * widest of v's own, the t interval (df = rounds - 1) of the per-round
 * ratios fam[r] / add[r] plus the distance of their mean from v->value, and
 * the order-statistic 95% interval of their median (6 rounds or more).
 * Without fam: [clo, chi], the ticks' CI at the run's clock, widened by the
 * per-round calibrations' relative t half-width.
 */
void az_cycles_widen(const double *add, const double *fam, size_t n,
		     double clo, double chi, struct az_cyc_interval *v);

/* The two-sided 95% quantile of Student's t with df degrees of freedom. */
double az_t95(size_t df);

#endif /* AZ_CYCLESROUND_H */
