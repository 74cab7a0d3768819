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

/* A RUN that stopped early on purpose, its records so far valid. */
#define VB_RUN_PARTIAL	(VB_RUN_INTERRUPTED | VB_RUN_VMX_TAKEN | VB_RUN_NO_COVER)

struct vb_check {
	uint32_t records;		/* records checked: min(run.records, buf_len) */
	uint32_t needed;		/* VB_RECORDS_NEEDED for the run */
	uint32_t mismatches;		/* the driver's own count: a wrong
					   stored value or wrong VM exits */
	uint32_t stored_mismatches;	/* ... of them, a wrong stored value
					   (without a VMfail) */
	uint32_t exit_mismatches;	/* ... wrong VM exits (mode=guest) */
	uint32_t first_exit;		/* the first of those, or UINT32_MAX */
	uint32_t vmfails;		/* records with VB_SAMPLE_VMFAIL: a VMX
					   instruction's VMfail (mismatches) */
	uint32_t first_vmfail;		/* the first of those, or UINT32_MAX */
	uint32_t module_mismatches;	/* run.mismatches */
	uint32_t flag_disagree;		/* VB_SAMPLE_MISMATCH != own verdict */
	uint32_t bad_records;		/* unknown instruction or sample index */
	uint32_t tsc_backwards;		/* tsc_end < tsc_begin: tsc left empty */
	uint32_t split_records;		/* mode=guest records with an exit to
					   split (exits.h, vb_exit_split_of) */
	uint32_t split_bad;		/* ... of them without a split: their
					   readings out of order (or the module
					   and the driver disagree) */
	uint32_t first_split_bad;	/* the first of those, or UINT32_MAX */
	int overflow;			/* run.records > buf_len */
	int short_run;			/* fewer records than needed, not VB_RUN_PARTIAL */
	int inconsistent;		/* any of the above but tsc_backwards */
};

const char *vb_insn_name(unsigned int insn);
/* "vmread field=guest-rip": a point's instruction with its variant, if any. */
const char *vb_insn_label(const struct vb_point_desc *p, char *buf,
			  size_t len);
/* "4k", "2m", "1g", else "<n>k"; "unknown" for 0. */
const char *vb_page_name(uint32_t kib, char *buf, size_t len);

/*
 * What a record of VMPTRST's family must read back (kmod/vmptrst_bench_abi.h,
 * "The family"): 0 for invvpid and invept, all ones after vmclear current
 * and vmxon-vmxoff (no current VMCS), else run.expected (the VMCS current
 * after the block, the field's value), which the driver cannot know.
 */
uint64_t vb_family_expected(const struct vb_run *run);
/*
 * The stored value a record must hold: run.expected (vmptrst and mov:
 * vb_insn_stores()), vb_family_expected() (the family), the accumulator
 * (the chains), or run.poison (none, cpuid, vmcall); and no VMfail
 * (VB_SAMPLE_VMFAIL: CF or ZF after a VMX instruction's block).
 */
int vb_record_ok(const struct vb_run *run, const struct vb_sample *rec);
/*
 * Record i of rec passes the check: its stored value and, in mode=guest,
 * its VM exits (exits.h).  A record that does not is a mismatch.
 */
int vb_record_passes(const struct vb_run *run, const struct vb_sample *rec,
		     uint32_t i);
void vb_records_check(const struct vb_run *run, uint32_t buf_len,
		      const struct vb_sample *rec, struct vb_check *c);
/*
 * The event columns of a RUN's rows: `pass` for the pass column, ncols
 * event columns in the file, the RUN's run->nevents events in columns
 * col[], their values pmc[record * run->nevents + event].
 */
struct vb_row_events {
	unsigned int pass;
	unsigned int ncols;
	const unsigned int *col;
	const uint64_t *pmc;
};

/*
 * Whether event i of the RUN has a value in rec: the module created its
 * counter (event_err 0, event_kind not NONE) and the record is not
 * VB_SAMPLE_PMC_INVALID.  Otherwise its field is empty, never 0.
 */
int vb_record_pmc_valid(const struct vb_run *run, unsigned int i,
			const struct vb_sample *rec);

/*
 * samples.csv's header row,
 * `point,<axes>,pass,sample,tsc,exit_ticks,entry_ticks,check,flag_nmi,flag_smi,<events>`
 * (the axes from `instruction,target,field,type,mode` to `unroll`; the
 * variants empty where the instruction takes none; exit_ticks and
 * entry_ticks the split of a mode=guest record's last VM exit, empty
 * without one: vb_exit_split_of()) with the
 * event columns named as the user wrote them; 0 or -1.  flag_nmi/flag_smi
 * are 0/1 from VB_SAMPLE_NMI/VB_SAMPLE_SMI: an NMI arrived during the
 * record, an SMI during its window (analysis leaves flagged rows out).
 */
int vb_records_header(FILE *f, const char (*evcol)[VB_EVENT_NAME_MAX],
		      unsigned int ncols);
/*
 * One row per record of point `point`, its axis values from the RUN's
 * fields, `page` the page size the module reports, `sample` counted from
 * sample_base (a point measured in rounds: the samples of its earlier
 * RUNs); ev NULL: pass 0 and no event columns.  0 or -1.
 */
int vb_records_write(FILE *f, unsigned int point, const struct vb_run *run,
		     const struct vb_sample *rec, uint32_t n,
		     uint32_t sample_base, const struct vb_row_events *ev);

#endif /* VB_RECORDS_H */
