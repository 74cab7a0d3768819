/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plots of one run (runplots.c: per point a histogram and a CDF, and
 * az_plot_run drawing them all): the unroll families (plotunroll.c), the
 * box plots like with like (plotbox.c) and the offset x memtype heatmap
 * (plotheatmap.c).  Each returns 0, or -1 reported.
 */
#ifndef AZ_RUNPLOTS_H
#define AZ_RUNPLOTS_H

#include <stddef.h>
#include <stdio.h>

#include "plot.h"
#include "setup.h"

/* The distribution a box stands for: net per instruction of the TSC. */
struct az_box {
	const struct az_group *g;
	const struct dist *d;
	const char *value;	/* of the axis being plotted */
};

/* First line of a plot's .dat: "# points: 3 4 5", the points it shows
   (the report files the plot under the config section holding most). */
void az_plot_points_line(FILE *d, const struct az_dataset *ds,
			 const struct az_group *const *g, size_t n);
/* The y axis: net per instruction, or the raw window. */
const char *az_plot_ylabel(int net);

/* Every family of two or more unrolls, each plotted once. */
int az_plot_unrolls(struct az_plotdir *pd, const struct az_run *run,
		    const struct az_reference *r);

/* The boxes of one instruction: net estimates, or else raw windows. */
size_t az_box_collect(const struct az_dataset *ds, const char *insn,
		      struct az_box *b, int *net);
/* Of the boxes at the reference setup (a reference point may be repeated
   in every section), the one measured nearest to the boxes in sel[]; n
   when none is. */
size_t az_box_nearest_reference(const struct az_dataset *ds,
				const struct az_reference *r,
				const struct az_box *b, size_t n,
				const size_t *sel, size_t nsel);
/* One axis, like with like: the points that differ from the reference in
   this axis alone, and the reference nearest them. */
int az_plot_box_axis(struct az_plotdir *pd, const struct az_dataset *ds,
		     const struct az_reference *r, size_t axis,
		     const struct az_box *all, size_t n, int net);
/* Every point of one instruction, labelled by its setup. */
int az_plot_box_points(struct az_plotdir *pd, const struct az_dataset *ds,
		       const struct az_reference *r, const char *insn,
		       struct az_box *b, size_t n, int net);

/* Offset x memtype for one instruction, every other axis at its
   reference. */
int az_plot_heatmap(struct az_plotdir *pd, const struct az_dataset *ds,
		    const struct az_reference *r, const struct az_box *b,
		    size_t n, int net);

#endif /* AZ_RUNPLOTS_H */
