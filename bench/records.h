/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records a RUN returns: the driver's own check of every record (it
 * does not trust the module's count) and their rows in samples.csv.
 */
#ifndef VB_RECORDS_H
#define VB_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "keys.h"
#include "vmptrst_bench_abi.h"

struct vb_check {
	uint32_t records;		/* records checked: min(run.records, buf_len) */
	uint32_t needed;		/* VB_RECORDS_NEEDED for the run */
	uint32_t mismatches;		/* the driver's own count */
	uint32_t module_mismatches;	/* run.mismatches */
	uint32_t flag_disagree;		/* VB_SAMPLE_MISMATCH != own verdict */
	uint32_t bad_records;		/* unknown instruction or sample index */
	uint32_t tsc_backwards;		/* tsc_end < tsc_begin: tsc left empty */
	int overflow;			/* run.records > buf_len */
	int short_run;			/* fewer records than needed, not interrupted */
	int inconsistent;		/* any of the above but tsc_backwards */
};

const char *vb_insn_name(unsigned int insn);
/* "4k", "2m", "1g", else "<n>k"; "unknown" for 0. */
const char *vb_page_name(uint32_t kib, char *buf, size_t len);

/* The stored value a record must hold: run.expected or run.poison. */
int vb_record_ok(const struct vb_run *run, const struct vb_sample *rec);
void vb_records_check(const struct vb_run *run, uint32_t buf_len,
		      const struct vb_sample *rec, struct vb_check *c);
/* samples.csv's header row; 0 or -1 on a stream error. */
int vb_records_header(FILE *f);
/*
 * One row per record of point `point`, its axis values from the RUN's
 * fields, `page` the page size the module reports; 0 or -1.
 */
int vb_records_write(FILE *f, unsigned int point, const struct vb_run *run,
		     const struct vb_sample *rec, uint32_t n);

#endif /* VB_RECORDS_H */
