/* SPDX-License-Identifier: GPL-2.0 */
/* A run directory: DIR/meta.csv and DIR/samples.csv, loaded and described. */
#ifndef AZ_RUNDIR_H
#define AZ_RUNDIR_H

#include "dataset.h"
#include "meta.h"

struct az_run {
	char *dir;
	char *meta_path, *samples_path;
	struct az_meta meta;
	struct az_dataset ds;
};

/* 0, or -1 reported.  Statistics are computed (az_dataset_finish). */
int az_run_load(struct az_run *run, const char *dir);
void az_run_free(struct az_run *run);
/* malloc'd "DIR/name". */
char *az_path(const char *dir, const char *name);
/* mkdir -p for one level; 0, or -1 reported. */
int az_mkdir(const char *path);

#endif /* AZ_RUNDIR_H */
