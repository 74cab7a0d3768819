// SPDX-License-Identifier: GPL-2.0
/* Noise in the data: see windows.h. */
#include <inttypes.h>
#include <stdio.h>

#include "csv.h"
#include "windows.h"

static const char *const columns[] = {
	"point", "pass", "window", "first_sample", "samples", "tsc_ticks",
	"aperf", "mperf", "freq_ratio", "smi", "nmi",
};

int vb_windows_header(FILE *f)
{
	return vb_csv_row(f, columns, sizeof(columns) / sizeof(columns[0]));
}

static uint32_t described(const struct vb_run *run, uint32_t win_len)
{
	return run->win_written < win_len ? run->win_written : win_len;
}

int vb_windows_write(FILE *f, unsigned int point, unsigned int pass,
		     const struct vb_run *run, const struct vb_window_stat *w,
		     uint32_t win_len, uint32_t window_base,
		     uint32_t sample_base)
{
	/* with an instruction every sample is two records */
	uint32_t per = VB_RECORDS_NEEDED(run->point.instruction, 1);
	uint32_t i, n = described(run, win_len);
	char tsc[24], aperf[24], mperf[24], ratio[32], smi[16];

	for (i = 0; i < n; i++) {
		const struct vb_window_stat *s = &w[i];
		int freq = s->mperf != 0;	/* 0: not readable */

		tsc[0] = aperf[0] = mperf[0] = ratio[0] = smi[0] = '\0';
		if (s->tsc_end >= s->tsc_begin)
			snprintf(tsc, sizeof(tsc), "%" PRIu64,
				 (uint64_t)(s->tsc_end - s->tsc_begin));
		if (freq) {
			snprintf(aperf, sizeof(aperf), "%" PRIu64,
				 (uint64_t)s->aperf);
			snprintf(mperf, sizeof(mperf), "%" PRIu64,
				 (uint64_t)s->mperf);
			snprintf(ratio, sizeof(ratio), "%.4f",
				 (double)s->aperf / (double)s->mperf);
		}
		if (s->smi != VB_NOT_READ)
			snprintf(smi, sizeof(smi), "%" PRIu32, s->smi);
		if (fprintf(f, "%u,%u,%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%s,%s,%s,%s,%s,%" PRIu32 VB_CSV_EOL,
			    point, pass,
			    window_base + i, sample_base + s->first_record / per,
			    s->records / per, tsc,
			    aperf, mperf, ratio, smi, s->nmi) < 0)
			return -1;
	}
	return 0;
}

void vb_noise_add(struct vb_noise *z, const struct vb_run *run,
		  const struct vb_window_stat *w, uint32_t win_len,
		  const struct vb_sample *rec, uint32_t nrec)
{
	uint32_t i, n = described(run, win_len);

	if (run->win_written > win_len)
		z->bad++;	/* the module wrote past what it was given */
	z->described += n;
	if (run->windows > n)
		z->undescribed += run->windows - n;
	for (i = 0; i < n; i++) {
		const struct vb_window_stat *s = &w[i];

		if ((uint64_t)s->first_record + s->records > run->records)
			z->bad++;
		if (s->smi != VB_NOT_READ) {
			z->smi_read = 1;
			z->smi_windows += s->smi != 0;
		}
		z->nmi_windows += s->nmi != 0;
		if (s->mperf) {
			double r = (double)s->aperf / (double)s->mperf;

			if (!z->freq_read || r < z->freq_min)
				z->freq_min = r;
			if (!z->freq_read || r > z->freq_max)
				z->freq_max = r;
			z->freq_read = 1;
		}
	}
	for (i = 0; i < nrec; i++) {
		z->records_nmi += (rec[i].flags & VB_SAMPLE_NMI) != 0;
		z->records_smi += (rec[i].flags & VB_SAMPLE_SMI) != 0;
	}
}

void vb_noise_meta(struct vb_meta *m, const struct vb_noise *z)
{
	vb_meta_set(m, "windows_described", "%" PRIu64, z->described);
	vb_meta_set(m, "windows_undescribed", "%" PRIu64, z->undescribed);
	vb_meta_set(m, "windows_nmi", "%" PRIu64, z->nmi_windows);
	vb_meta_set(m, "records_nmi", "%" PRIu64, z->records_nmi);
	if (z->smi_read) {
		vb_meta_set(m, "windows_smi", "%" PRIu64, z->smi_windows);
		vb_meta_set(m, "records_smi", "%" PRIu64, z->records_smi);
	} else {	/* no SMI count could be read: not "no SMI" */
		vb_meta_set(m, "windows_smi", "unknown");
		if (z->records_smi)
			vb_meta_set(m, "records_smi", "%" PRIu64,
				    z->records_smi);
		else
			vb_meta_set(m, "records_smi", "unknown");
	}
	if (z->freq_read) {
		vb_meta_set(m, "freq_ratio_min", "%.4f", z->freq_min);
		vb_meta_set(m, "freq_ratio_max", "%.4f", z->freq_max);
	} else {
		vb_meta_set(m, "freq_ratio_min", "unknown");
		vb_meta_set(m, "freq_ratio_max", "unknown");
	}
}
