// SPDX-License-Identifier: GPL-2.0
/*
 * compare's meta.csv: its differences (stdout, meta-diff.csv) and the loud
 * warning when the runs differ in more than microcode or are emulated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "csv.h"
#include "diag.h"

static const char *const meta_first[] = {
	"microcode", "kernel", "host", "cpu_model_name", "tsc_khz", "platform",
	"timing_note", "cpu_family", "cpu_model", "cpu_stepping", "tool_commit",
	"module_version",
};

/* Beyond microcode, what changes the timing: a difference here is not
   a microcode A/B. */
static const char *const meta_loud[] = {
	"host", "kernel", "cpu_model_name", "cpu_family", "cpu_model",
	"cpu_stepping", "platform", "governor", "turbo", "smt_control",
	"smt_active",
};

static int meta_skip(const char *k)
{
	return !strcmp(k, "start_time") || !strcmp(k, "end_time") ||
	       !strcmp(k, "command_line");
}

static void meta_line(FILE *csv, const char *k, const char *va, const char *vb)
{
	if (!strcmp(va, vb))
		return;
	printf("meta differs: %-16s A: %s\n%16s %-16s B: %s\n", k, va, "", "", vb);
	csv_put(csv, k);
	CSV_SEP(csv);
	csv_put(csv, va);
	CSV_SEP(csv);
	csv_put(csv, vb);
	CSV_EOL(csv);
}

/* Differences of meta.csv on stdout first, and in meta-diff.csv. */
int az_cmp_meta_diff(const struct az_run *a, const struct az_run *b,
		     const char *out)
{
	char *p = az_path(out, "meta-diff.csv");
	FILE *f = fopen(p, "wb");
	size_t i, j, nf = sizeof(meta_first) / sizeof(meta_first[0]);
	int rc = 0;

	if (!f) {
		az_syserr(p, "cannot create");
		free(p);
		return -1;
	}
	printf("A: %s\nB: %s\n", a->dir, b->dir);
	fputs("key,a,b\r\n", f);
	for (i = 0; i < nf; i++)
		meta_line(f, meta_first[i], az_meta_get(&a->meta, meta_first[i]),
			  az_meta_get(&b->meta, meta_first[i]));
	for (i = 0; i < a->meta.n + b->meta.n; i++) {
		const char *k = i < a->meta.n ? a->meta.key[i] :
				b->meta.key[i - a->meta.n];

		for (j = 0; j < nf && strcmp(k, meta_first[j]); j++)
			;
		if (j < nf || meta_skip(k))
			continue;
		/* keys only in B: once, and not again if A has them too */
		if (i >= a->meta.n && strcmp(az_meta_get(&a->meta, k), "unknown"))
			continue;
		meta_line(f, k, az_meta_get(&a->meta, k), az_meta_get(&b->meta, k));
	}
	if (fclose(f)) {
		az_syserr(p, "write error");
		rc = -1;
	}
	free(p);
	return rc;
}

/* The loud block on stdout, above the verdicts; its summary for the csv. */
void az_cmp_warnings(const struct az_run *a, const struct az_run *b,
		     struct az_cmp_warn *w)
{
	const struct az_meta *ma = &a->meta, *mb = &b->meta;
	size_t i, n = sizeof(meta_loud) / sizeof(meta_loud[0]), nd = 0;
	size_t used = 0;
	int ea = az_meta_emulated(ma), eb = az_meta_emulated(mb);

	w->csv[0] = '\0';
	for (i = 0; i < n; i++)
		nd += strcmp(az_meta_get(ma, meta_loud[i]),
			     az_meta_get(mb, meta_loud[i])) != 0;
	if (!nd && !ea && !eb)
		return;
	puts("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
	if (ea || eb) {
		printf("WARNING: emulated run (A: %s, B: %s): emulator timings are not real timing; these verdicts say nothing about a CPU\n",
		       ea ? "emulated" : "native", eb ? "emulated" : "native");
		used += (size_t)snprintf(w->csv + used, sizeof(w->csv) - used,
					 "emulated run%s (%s): not real timing",
					 ea && eb ? "s" : "",
					 ea && eb ? "A and B" : ea ? "A" : "B");
	}
	if (nd) {
		printf("WARNING: the runs differ in more than microcode (%zu difference%s): a verdict may come from any of these\n",
		       nd, nd == 1 ? "" : "s");
		if (used < sizeof(w->csv))
			used += (size_t)snprintf(w->csv + used, sizeof(w->csv) - used,
						 "%sruns differ in more than microcode:",
						 used ? "; " : "");
		for (i = 0; i < n; i++) {
			const char *va = az_meta_get(ma, meta_loud[i]);
			const char *vb = az_meta_get(mb, meta_loud[i]);

			if (!strcmp(va, vb))
				continue;
			printf("WARNING:   %-16s A: %s | B: %s\n", meta_loud[i], va, vb);
			if (used < sizeof(w->csv))
				used += (size_t)snprintf(w->csv + used,
							 sizeof(w->csv) - used,
							 " %s", meta_loud[i]);
		}
	}
	puts("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
}
