/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Noise in the data: windows.csv, one row per IRQ-off window the module
 * described (vb_run.win_buf: TSC span, APERF/MPERF, SMI and NMI counts),
 * and the run's totals of it for meta.csv (records flagged NMI/SMI,
 * windows with an SMI, the range of APERF/MPERF).
 */
#ifndef VB_WINDOWS_H
#define VB_WINDOWS_H

#include <stdint.h>
#include <stdio.h>

#include "meta.h"
#include "vmptrst_bench_abi.h"

/*
 * Windows described per RUN at most: windows cannot outnumber samples, and
 * 65536 descriptions (3 MiB) cover any run the module's 1 ms windows allow
 * in over a minute; the rest are counted (vb_run.windows), not described.
 */
#define VB_WIN_CAP	65536u

struct vb_noise {
	uint64_t described;	/* windows with a row in windows.csv */
	uint64_t undescribed;	/* counted by the module beyond win_len */
	uint64_t smi_windows;	/* described windows whose SMI count moved */
	uint64_t nmi_windows;	/* described windows with an NMI */
	uint64_t records_nmi;	/* records flagged VB_SAMPLE_NMI */
	uint64_t records_smi;	/* records flagged VB_SAMPLE_SMI */
	int smi_read;		/* some described window could read MSR_SMI_COUNT */
	int freq_read;		/* some described window had APERF/MPERF */
	double freq_min, freq_max;
	uint32_t bad;		/* descriptions that do not fit the records */
};

/* windows.csv's header row: 0 or -1. */
int vb_windows_header(FILE *f);
/*
 * The rows of one RUN's described windows (run->win_written of them, at
 * most win_len), `point` and `pass` as in samples.csv; `window` counted
 * from window_base and `first_sample` from sample_base (a point measured
 * in rounds: those of its earlier RUNs): 0 or -1.
 */
int vb_windows_write(FILE *f, unsigned int point, unsigned int pass,
		     const struct vb_run *run, const struct vb_window_stat *w,
		     uint32_t win_len, uint32_t window_base,
		     uint32_t sample_base);
/* Adds one RUN (nrec records checked, win_len entries asked for) to z. */
void vb_noise_add(struct vb_noise *z, const struct vb_run *run,
		  const struct vb_window_stat *w, uint32_t win_len,
		  const struct vb_sample *rec, uint32_t nrec);
/*
 * meta.csv: windows_described, windows_undescribed, windows_smi,
 * windows_nmi, records_nmi, records_smi, freq_ratio_min, freq_ratio_max
 * ("unknown" where nothing could be read, never 0).
 */
void vb_noise_meta(struct vb_meta *m, const struct vb_noise *z);

#endif /* VB_WINDOWS_H */
