/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of report.html (report.c writes the page around them): the
 * headline table (reportheadline.c), the conditions under the title
 * (reportconditions.c), the tables below the headline (reporttables.c) and
 * the plots inlined by config section (reportplots.c).  Each writes HTML
 * to f.
 */
#ifndef AZ_REPORT_H
#define AZ_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "conform.h"
#include "csvrows.h"
#include "drift.h"
#include "rundir.h"

/* The headline (headline.csv, written first when missing); 0, or -1
   reported. */
int az_report_headline(FILE *f, const struct az_run *run);
/* A warning line when headline.csv's cycles are wider than the clock's
   movement allows; nothing otherwise. */
void az_report_clock_line(FILE *f, const struct az_run *run);

/* Six lines under the title: what the numbers were measured under, and
   the behaviour on the reference page's branches. */
void az_report_conditions(FILE *f, const struct az_run *run, size_t skipped,
			  const struct az_conf *conf);

/* The summary table, one row per point, instruction and metric. */
void az_report_summary_table(FILE *f, const struct az_dataset *ds);
/* points.csv's rows that were not measured, with their reasons. */
void az_report_skipped(FILE *f, const struct az_rows *p);
/* Setups measured at several points (r[n], az_repeats()): their medians
   in run order; nothing when n is 0. */
void az_report_drift(FILE *f, const struct az_run *run,
		     const struct az_rows *pts, const struct az_repeat *r,
		     size_t n);

/* Plots already inlined, each shown once. */
struct az_shown {
	char **name;
	size_t n;
};

void az_shown_free(struct az_shown *sh);
/* Plots across setups (PDIR/NAME.svg): per section of points.csv as
   configured, then the rest; 0, or -1 reported. */
int az_report_plots(FILE *f, const char *pdir, const struct az_rows *pts,
		    struct az_shown *sh);
/* Per-point plots, collapsed, one <details> per section; 0, or -1. */
int az_report_point_plots(FILE *f, const char *pdir,
			  const struct az_rows *pts, struct az_shown *sh);

#endif /* AZ_REPORT_H */
