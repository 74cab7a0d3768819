/* SPDX-License-Identifier: GPL-2.0 */
/*
 * headline.csv: what one instruction costs per setup, the answer a report
 * leads with.  One row per setup of vmptrst, mov, VMPTRST's family (its
 * target, field or type part of the setup), add, imul and chase (a setup:
 * every axis but point, pass and unroll).  Per family of points
 * that differ only in unroll, the least-squares slope of window TSC (net
 * of the interleaved baseline) over unroll, on per-unroll means of the
 * dithered readings; a family with one unroll falls back to the per-pair
 * median.  Columns and units: analysis/README.md, "headline.csv".
 */
#ifndef AZ_HEADLINE_H
#define AZ_HEADLINE_H

#include <stdio.h>
#include <string.h>

#include "dataset.h"
#include "fit.h"
#include "rundir.h"

/*
 * How the reason clauses of headline.csv that readers act on begin: the
 * writer (headline.c) puts them there, the report and the export look for
 * them.
 */
#define AZ_WHY_UNRESOLVED	"unresolved"
#define AZ_WHY_NO_CLOCK		"core clock unknown"
#define AZ_WHY_NOT_ISOLATED	"cycles from the add chain on a target CPU that is not isolated"
/* A row of VMPTRST's family: no control beside it. */
#define AZ_WHY_BASELINE_ONLY	"net of the baseline only: the MOV control pairs with vmptrst"

/* Is a headline row's reason "unresolved" (its CI within one TSC step)? */
static inline int az_why_unresolved(const char *reason)
{
	return !strncmp(reason, AZ_WHY_UNRESOLVED, sizeof(AZ_WHY_UNRESOLVED) - 1);
}

/* Write headline.csv of a loaded run to f; 0, or -1 on a write error. */
int az_headline_write(FILE *f, const struct az_run *run);
/* DIR/headline.csv; 0, or -1 reported. */
int az_headline_save(const struct az_run *run);

#endif /* AZ_HEADLINE_H */
