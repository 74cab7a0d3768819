/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run directory: DIR/meta.csv and DIR/samples.csv, loaded and described,
 * and checked against DIR/points.csv and meta.csv's `records` when present.
 */
#ifndef AZ_RUNDIR_H
#define AZ_RUNDIR_H

#include "dataset.h"
#include "meta.h"

/* One row of points.csv: what the driver says it measured. */
struct az_planned {
	char *point, *status;	/* measured, skipped, interrupted, ... */
	double records;		/* NaN when empty */
	unsigned long line;
};

struct az_run {
	char *dir;
	char *meta_path, *samples_path, *points_path;
	struct az_meta meta;
	struct az_dataset ds;
	struct az_planned *planned;	/* points.csv rows; none without it */
	size_t nplanned;
	int partial;		/* interrupted or stopped: fewer rows allowed */
};

/* 0, or -1 reported.  Statistics are computed (az_dataset_finish).  Rows
   fewer or more than points.csv / meta.csv say are an error, unless the
   run was interrupted or stopped (then one warning line on stderr). */
int az_run_load(struct az_run *run, const char *dir);
void az_run_free(struct az_run *run);
/* points.csv's status of point ID (the `point` column), "" if unknown. */
const char *az_run_point_status(const struct az_run *run, const char *id);
/* malloc'd "DIR/name". */
char *az_path(const char *dir, const char *name);
/* mkdir -p for one level; 0, or -1 reported. */
int az_mkdir(const char *path);

#endif /* AZ_RUNDIR_H */
