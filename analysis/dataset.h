/* SPDX-License-Identifier: GPL-2.0 */
/*
 * samples.csv, read once and reduced to what the statistics need: per
 * point and instruction ("group"), the kept rows' sample index and metric
 * values.  Columns: every column before `sample` is an axis; after it,
 * `check` is the check, `flag_*` are per-sample flags, every other column
 * (`tsc` first) is a metric, but `exit_ticks` and `entry_ticks` (the
 * exit/entry split of a mode=guest record's last VM exit: split.h), kept
 * per row beside its tsc.  Rows with check=mismatch or a flag set are
 * counted and not kept; an empty metric field is "not measured" (NaN).
 */
#ifndef AZ_DATASET_H
#define AZ_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

#define AZ_NO_GROUP ((size_t)-1)

/* A kept row's exit/entry split (NaN: its field empty) and its window. */
struct az_split_row {
	double exit, entry, tsc;
};

struct az_group {
	size_t point;		/* index into az_dataset.points */
	char *axes;		/* the row's axis fields, NUL-separated */
	size_t axes_len;
	char **axis;		/* [ncol axes] pointers into axes */
	const char *instruction;
	int baseline;		/* instruction is "none" */
	double unroll;		/* NaN when there is no usable unroll axis */
	uint64_t rows, mismatches, flagged;
	size_t n, cap;		/* kept rows */
	uint32_t *sample;
	double **val;		/* [metric][row]; after az_dataset_finish(),
				   sorted measured values, nval[metric] */
	size_t *nval, *missing;
	struct dist *d;		/* [metric] */
	/* Net of the baseline, per instruction (not for baseline groups). */
	double **net;		/* [metric] sorted (x - baseline) / unroll */
	size_t *nnet;
	struct dist *dnet;
	const char **net_reason;	/* [metric] why empty; NULL if not */
	int paired;		/* net computed from sample pairs */
	/* The TSC's pairs in sample order, for the rounds of a run (cycles.c):
	   x - baseline per window, and each pair's sample index. */
	double *seq;
	uint32_t *seq_sample;
	size_t nseq;
	/* The kept rows with a split (either field set), in file order, and
	   those with neither (split.h). */
	struct az_split_row *split;
	size_t nsplit, split_cap;
	uint64_t split_empty;
	uint32_t last;		/* sample index of the group's last row */
	int unordered;		/* some row's index below an earlier one */
};

struct az_point {
	char *id;		/* value of the `point` column */
	size_t *group, ngroup;	/* instruction groups first, then baseline */
	size_t baseline;	/* group index or AZ_NO_GROUP */
};

struct az_dataset {
	const char *path;
	size_t ncol, naxis;	/* axes are columns 0 .. naxis - 1 */
	char **col;
	size_t sample_col, check_col, point_col, insn_col, cpu_col;
	size_t unroll_col;	/* AZ_NO_GROUP if absent */
	size_t mode_col;	/* AZ_NO_GROUP if absent: a run from before
				   the mode axis, measured in mode root */
	size_t pass_col;	/* AZ_NO_GROUP if absent: each pass of a point
				   is measured, and paired, on its own */
	size_t exit_col, entry_col;	/* AZ_NO_GROUP if absent: a run from
					   before the split (ABI 11) */
	size_t nmetric, *metric_col;
	size_t nflag, *flag_col;
	struct az_group *groups;
	size_t ngroup;
	struct az_point *points;
	size_t npoint;
	uint64_t rows;
	unsigned long last_line;	/* line of the last row (1: none) */
	/* lookup */
	size_t *hash, hash_cap;
	size_t mru[4];
};

/* Read and reduce PATH; 0, or -1 reported with the file and line. */
int az_dataset_load(struct az_dataset *ds, const char *path);
/* Pair, sort and describe (statistics filled in); call once after load.
   0, or -1 reported (a sample index twice in a point, pass and
   instruction). */
int az_dataset_finish(struct az_dataset *ds);
/* Rows of point ID (the `point` column) over all its passes. */
uint64_t az_dataset_point_rows(const struct az_dataset *ds, const char *id);
void az_dataset_free(struct az_dataset *ds);
const char *az_metric_name(const struct az_dataset *ds, size_t m);
/* Unit of a metric's values per window: "TSC ticks" or "events". */
const char *az_metric_unit(const struct az_dataset *ds, size_t m);
/* Axis description of a group for matching runs: "name=value ..." over
   all axes but point and cpu, and but mode=root (what a run from before
   the mode axis, without the column, measured) and an empty value (a
   target, field or type an instruction does not take: what a run from
   before those axes had).  malloc'd. */
char *az_group_key(const struct az_dataset *ds, const struct az_group *g);

#endif /* AZ_DATASET_H */
