/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A dataset's groups while samples.csv is read (datasetgroups.c): a group
 * is one instruction's rows of one pass of one point, found by a hash of
 * the three.  Used by dataset.c (reading) and datasetfinish.c.
 */
#ifndef AZ_DATASETGROUPS_H
#define AZ_DATASETGROUPS_H

#include <stddef.h>

#include "dataset.h"

/* The group of the row in field[] (a new one for its first row); the row
   must agree with the group on every axis, else AZ_NO_GROUP reported with
   the line. */
size_t az_group_of(struct az_dataset *ds, char **field, unsigned long line);
/* A group's point id (the `point` column). */
const char *az_group_point(const struct az_dataset *ds,
			   const struct az_group *g);
/* The pass of a row's axes, "" without a pass column. */
const char *az_group_pass(const struct az_dataset *ds, char **axis);

#endif /* AZ_DATASETGROUPS_H */
