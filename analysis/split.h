/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mode=guest: the exit/entry split of each record's last VM exit
 * (samples.csv's exit_ticks and entry_ticks, from the ABI's
 * vb_exit_split()), checked record by record, and the halves the
 * headline's exit and entry rows report.  What each half holds:
 * analysis/README.md, "headline.csv".
 */
#ifndef AZ_SPLIT_H
#define AZ_SPLIT_H

#include <stddef.h>

#include "dataset.h"

/* The check every record's split must pass, in words. */
#define AZ_SPLIT_RULE "exit > 0, entry > 0, exit + entry <= the record's tsc + one TSC step"

/* Does record r's split pass the check (step: az_tsc_step)? */
int az_split_ok(const struct az_split_row *r, double step);

/* Is g a group whose records have a split: mode=guest, an instruction that
   exits, in a run with the split columns? */
int az_split_group(const struct az_dataset *ds, const struct az_group *g);

/* Records of group g whose split failed the check. */
size_t az_split_failed(const struct az_group *g, double step);

/*
 * The run's split in words, for the report's conditions and summary's
 * warning: "exit/entry split: 4 of 120 records failed its check (RULE),
 * left out of the exit and entry rows: point 5 (vmcall
 * field=exception-bitmap) 4; 2 records without a split (...)".  Returns
 * the records that failed or had none (0: all good, buf says so; buf ""
 * when the run has no split columns).
 */
size_t az_split_words(const struct az_dataset *ds, double step, char *buf,
		      size_t len);

/* The halves of a family's groups at one unroll. */
struct az_split {
	double *exit, *entry;	/* the records that pass, each sorted */
	size_t n;
	size_t failed;		/* records whose split failed: left out */
	size_t none;		/* kept records without a split (both
				   fields empty: VB_SAMPLE_SPLIT_BAD) */
};

/* The halves of groups grp[ngrp] at unroll u (all of them: u NaN). */
void az_split_of(const struct az_dataset *ds, const size_t *grp, size_t ngrp,
		 double u, double step, struct az_split *s);
void az_split_free(struct az_split *s);

#endif /* AZ_SPLIT_H */
