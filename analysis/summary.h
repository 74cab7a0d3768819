/* SPDX-License-Identifier: GPL-2.0 */
/* summary.csv: one row per point, instruction and metric. */
#ifndef AZ_SUMMARY_H
#define AZ_SUMMARY_H

#include <stdio.h>

#include "rundir.h"

/* Write the summary of a loaded run to f; 0, or -1 on a write error. */
int az_summary_write(FILE *f, const struct az_run *run);
/* The command: vmptrst-analyze summary DIR. */
int az_cmd_summary(int argc, char **argv);

#endif /* AZ_SUMMARY_H */
