// SPDX-License-Identifier: GPL-2.0
/*
 * The report's conditions: the lines under the title saying what the
 * numbers were measured under (kernel, isolation, turbo, SMIs, emulation,
 * the clock), then the behaviour line.
 */
#include <stdio.h>
#include <string.h>

#include "conformhtml.h"
#include "fit.h"
#include "html.h"
#include "report.h"
#include "split.h"

static int warn_meta(const struct az_meta *m, const char *key, const char *bad)
{
	return !strcmp(az_meta_get(m, key), bad);
}

/* The exit/entry split's check (split.h), when the run has the split. */
static void split_line(FILE *f, const struct az_run *run)
{
	char words[2048];
	size_t bad = az_split_words(&run->ds, az_tsc_step(&run->ds), words,
				    sizeof(words));

	if (!*words)
		return;
	fprintf(f, "<div class=\"%s\" id=\"split\">", bad ? "warn" : "ok");
	az_html_esc(f, words);
	fputs("</div>\n", f);
}

void az_report_conditions(FILE *f, const struct az_run *run, size_t skipped,
			  const struct az_conf *conf)
{
	const struct az_meta *m = &run->meta;
	const char *smi = az_meta_get(m, "windows_smi");
	const char *nmi = az_meta_get(m, "windows_nmi");
	int bad, note_set;

	fputs("<div class=\"cond\" id=\"conditions\">\n<div>kernel ", f);
	az_html_esc(f, az_meta_get(m, "kernel"));
	fputs(" &middot; host ", f);
	az_html_esc(f, az_meta_get(m, "host"));
	fputs(" &middot; measured ", f);
	az_html_esc(f, az_meta_get(m, "start_time"));
	fputs(" &middot; platform ", f);
	az_html_esc(f, az_meta_get(m, "platform"));
	if (strcmp(az_meta_get(m, "rounds"), "unknown") &&
	    strcmp(az_meta_get(m, "rounds"), "1")) {
		fputs(" &middot; in ", f);
		az_html_esc(f, az_meta_get(m, "rounds"));
		fputs(" interleaved rounds", f);
	}
	fputs("</div>\n", f);
	bad = !warn_meta(m, "target_isolated", "yes");
	fprintf(f, "<div class=\"%s\">target CPU ", bad ? "warn" : "ok");
	az_html_esc(f, az_meta_get(m, "target_cpu"));
	fputs(bad ? " not isolated" : " isolated", f);
	fputs(" (isolcpus ", f);
	az_html_esc(f, az_meta_get(m, "isolcpus"));
	fputs(", nohz_full ", f);
	az_html_esc(f, az_meta_get(m, "nohz_full"));
	fputs(", SMT active ", f);
	az_html_esc(f, az_meta_get(m, "smt_active"));
	fputs(")</div>\n", f);
	bad = !warn_meta(m, "turbo", "off") ||
	      !warn_meta(m, "governor", "performance");
	fprintf(f, "<div class=\"%s\">turbo ", bad ? "warn" : "ok");
	az_html_esc(f, az_meta_get(m, "turbo"));
	fputs(" &middot; governor ", f);
	az_html_esc(f, az_meta_get(m, "governor"));
	fputs(" &middot; TSC ", f);
	az_html_esc(f, az_meta_get(m, "tsc_khz"));
	fputs(" kHz</div>\n", f);
	bad = (strcmp(smi, "0") && strcmp(smi, "unknown")) ||
	      (strcmp(nmi, "0") && strcmp(nmi, "unknown"));
	fprintf(f, "<div class=\"%s\">windows with an SMI: ", bad ? "warn" : "ok");
	az_html_esc(f, smi);
	fputs(" &middot; with an NMI: ", f);
	az_html_esc(f, nmi);
	fputs(" &middot; mismatches: ", f);
	az_html_esc(f, az_meta_get(m, "mismatches"));
	fputs("</div>\n", f);
	note_set = strcmp(az_meta_get(m, "timing_note"), "unknown") &&
		   strcmp(az_meta_get(m, "timing_note"), "none");
	bad = az_meta_emulated(m) || skipped || note_set;
	fprintf(f, "<div class=\"%s\">", bad ? "warn" : "ok");
	if (az_meta_emulated(m))
		fputs("EMULATED: not real timing. ", f);
	if (skipped)
		fprintf(f, "%zu point%s skipped (<a href=\"#skipped\">why</a>). ",
			skipped, skipped == 1 ? "" : "s");
	if (note_set) {
		/* the first clause on the line, all of it on hover */
		const char *note = az_meta_get(m, "timing_note");
		char first[160];
		size_t k = strcspn(note, ";");

		snprintf(first, sizeof(first), "%.*s", (int)(k < 150 ? k : 150), note);
		fputs("<span title=\"", f);
		az_html_esc(f, note);
		fputs("\">", f);
		az_html_esc(f, first);
		fputs(note[k] ? "; &hellip;</span>" : "</span>", f);
	}
	else if (!bad)
		fputs("no warnings", f);
	fputs("</div>\n", f);
	az_report_clock_line(f, run);
	split_line(f, run);
	az_conf_html_line(f, conf);
	fputs("</div>\n", f);
}
