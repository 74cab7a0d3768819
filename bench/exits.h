/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM exits of a mode=guest RUN (vb_run.exit_buf, one struct vb_exit_rec
 * per record): the driver's own check of each record's exits, checked like
 * a stored value, and their words for the report and points.csv.
 */
#ifndef VB_EXITS_H
#define VB_EXITS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmptrst_bench_abi.h"

/* Record i's exits in run's exit_buf; NULL when the RUN has none. */
const struct vb_exit_rec *vb_exit_of(const struct vb_run *run, uint32_t i);

/*
 * What is wrong with the VM exits of record rec (e: its exit record, NULL
 * when the RUN has no exit_buf): NULL in mode root, or when they are what
 * the reference says; else the first wrong field: "exits" (a VMPTRST, CPUID
 * or VMCALL record needs unroll exits, a none or mov record none), then
 * vb_guest_exit_invalid()'s on the last exit ("reason", "qualification",
 * "instruction information", "length").
 */
const char *vb_exit_invalid(const struct vb_run *run,
			    const struct vb_sample *rec,
			    const struct vb_exit_rec *e);

/*
 * The wrong field of record rec in words, what it held and what it must
 * hold: "qualification 0x1230, expected 0x1238 (the operand's
 * displacement)".  buf, for convenience.
 */
const char *vb_exit_describe(const struct vb_run *run,
			     const struct vb_sample *rec,
			     const struct vb_exit_rec *e, char *buf,
			     size_t len);

/*
 * The last record of run's first n whose instruction exits (vmptrst, cpuid,
 * vmcall) and that saw an exit: its index, or -1.
 */
int64_t vb_exit_last(const struct vb_run *run, const struct vb_sample *rec,
		     uint32_t n);

/*
 * The exit/entry split of record i (kmod/vmptrst_bench_abi.h,
 * vb_exit_split()): what samples.csv's exit_ticks and entry_ticks hold.
 */
enum vb_split {
	VB_SPLIT_NONE,		/* no exit to split: mode root, an instruction
				   that does not exit, or a record without
				   exits (its exit check says why) */
	VB_SPLIT_OK,		/* *exit_half, *entry_half set */
	VB_SPLIT_BAD,		/* its readings out of order: no split; the
				   module flagged it VB_SAMPLE_SPLIT_BAD */
	VB_SPLIT_DISAGREE,	/* no split: the module's VB_SAMPLE_SPLIT_BAD
				   and vb_exit_split() disagree */
	VB_SPLIT_MALFORMED,	/* no split: VB_SAMPLE_SPLIT_BAD on a record
				   of mode root */
};

enum vb_split vb_exit_split_of(const struct vb_run *run,
			       const struct vb_sample *rec, uint32_t i,
			       uint64_t *exit_half, uint64_t *entry_half);

/*
 * points.csv's four fields of an exit, after a comma each: reason,
 * qualification, instruction information and length in hex (0x...), or
 * four empty fields when e is NULL.  0 or -1.
 */
int vb_exit_fields(FILE *f, const struct vb_exit_rec *e);

#endif /* VB_EXITS_H */
