/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plots through gnuplot: each plot is NAME.dat (the numbers) and NAME.gp (a
 * script a user can edit and rerun with `gnuplot NAME.gp` in that folder),
 * giving NAME.png and NAME.svg.  all.gp loads every script; gnuplot runs it
 * once, in the plots folder.
 */
#ifndef AZ_PLOT_H
#define AZ_PLOT_H

#include <stdio.h>

#include "rundir.h"

struct az_series {
	const char *label;
	const double *v;	/* sorted */
	size_t n;
};

struct az_plotdir {
	char *dir;
	FILE *all;		/* all.gp */
	const char *title;	/* every plot's title */
	int emulated;		/* stamp "emulated — not real timing" */
	size_t nplots;
};

int az_plotdir_open(struct az_plotdir *pd, const char *dir, const char *title,
		    int emulated);
/* Run gnuplot over all.gp and close; 0, or -1 reported. */
int az_plotdir_run(struct az_plotdir *pd);
/* Histogram (fraction of samples per bin) and empirical CDF of series;
   0 written, 1 nothing to plot, -1 error. */
int az_plot_hist(struct az_plotdir *pd, const char *name, const char *sub,
		 const char *xlabel, const struct az_series *s, size_t ns);
int az_plot_cdf(struct az_plotdir *pd, const char *name, const char *sub,
		const char *xlabel, const struct az_series *s, size_t ns);
/* Create NAME.EXT in the plots folder; NULL reported. */
FILE *az_plot_open(struct az_plotdir *pd, const char *name, const char *ext);
/* NAME.gp with the common head (title + sub, emulation stamp); NULL reported. */
FILE *az_plot_script(struct az_plotdir *pd, const char *name, const char *sub);
/* Append `plot` for PNG then SVG, close, register in all.gp; 0 or -1. */
int az_plot_finish(struct az_plotdir *pd, FILE *f, const char *name,
		   const char *plot);
/* "p0" from a point id: letters, digits, '-' kept, the rest '_'. */
void az_file_part(char *out, size_t len, const char *s);
/* The command: vmptrst-analyze plot DIR. */
int az_cmd_plot(int argc, char **argv);
/* Plots of a loaded run into DIR/plots; 0, or -1 reported. */
int az_plot_run(const struct az_run *run);

#endif /* AZ_PLOT_H */
