// SPDX-License-Identifier: GPL-2.0
/*
 * catalog table's writers: the cost table (catalogtable.h) as a Markdown
 * pipe table with its notes, as CSV (a row per cell that a run measured:
 * the row's and column's keys, the value and interval at full precision,
 * the run shown, the runs it was chosen from, why a value is missing), or
 * as one standalone HTML page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogtable.h"
#include "csv.h"
#include "diag.h"
#include "html.h"
#include "mdtable.h"

static const struct {
	const char *name, *unit, *column;
} metrics[] = {
	[AZ_CT_CYCLES] = { "cycles", "core cycles per instruction", "cycles_per_insn" },
	[AZ_CT_TICKS] = { "ticks", "TSC ticks per instruction", "ticks_per_insn" },
	[AZ_CT_NS] = { "ns", "ns per instruction", "ns_per_insn" },
};

/* The row key's heads; then the columns' labels. */
static const char *const key_head[] = {
	"CPU model", "microcode", "kernel", "platform", "runs",
};
#define NKEY 5

int az_ct_metric_of(const char *name)
{
	int i;

	for (i = 0; name && i < (int)(sizeof(metrics) / sizeof(metrics[0])); i++)
		if (!strcmp(name, metrics[i].name))
			return i;
	return name ? -1 : AZ_CT_CYCLES;
}

const char *az_ct_unit(const struct az_ct *t)
{
	return metrics[t->metric].unit;
}

void az_ct_value(const struct az_ct_cell *x, char *buf, size_t len)
{
	if (!x->run)
		snprintf(buf, len, "%s", "");
	else if (isnan(x->v.v))
		snprintf(buf, len, "%s", "\u2014");
	else
		az_cat_ci_text(&x->v, 4, buf, len);
}

void az_ct_platform(const struct az_ct_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", r->platform, r->emulated ? " (emulated: timings meaningless)" : "");
}

void az_ct_intro(const struct az_ct *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s, net of the baseline, as each run's headline estimated it (headline.csv's %s), with its 95%% interval [low, high]. A row per CPU model, microcode, kernel and platform; a column per instruction and setup as the headline names them (the setup without the target CPU and without the words at the sweep's defaults, " AZ_CT_DEFAULTS "%s%s). Each cell is one run's value, never an average: of the row's runs with that column the newest (meta.csv's start_time; a run without one counts as oldest, ties go to the later catalogued) that has a value, named in a note when the row holds several runs. \u2014: no run of the row has a value (the note says why); empty: no run of the row measured that column.",
		 t->fell_back ? "No run in the catalogue has core cycles, so: " : "",
		 t->metric == AZ_CT_NS ? "ns per instruction" :
		 t->metric == AZ_CT_TICKS ? "TSC ticks per instruction" : "Core cycles per instruction",
		 metrics[t->metric].column, *t->common ? "; every column's setup also has " : "", t->common);
}

/* A cell's text with its note: "24.06 [23.9, 24.2] (1)". */
static void cell_text(const struct az_ct_cell *x, char *buf, size_t len)
{
	size_t u;

	az_ct_value(x, buf, len);
	u = strlen(buf);
	if (x->note)
		snprintf(buf + u, len - u, " (%zu)", x->note);
}

int az_ct_md(FILE *f, const struct az_ct *t)
{
	char buf[4096], **cells;
	struct az_mdt m;
	size_t r, c, n = NKEY + t->ncol;

	az_ct_intro(t, buf, sizeof(buf));
	fprintf(f, "# VMX cost table: %s\n\n%s\n\n", t->db, buf);
	az_mdt_init(&m, n);
	for (c = 0; c < n; c++)
		m.head[c] = az_md_cell(c < NKEY ? key_head[c] : t->col[c - NKEY].label);
	for (r = 0; r < t->nrow; r++) {
		const struct az_ct_row *w = &t->row[r];

		cells = az_malloc(n * sizeof(*cells));
		cells[0] = az_md_cell(w->model);
		cells[1] = az_md_cell(w->microcode);
		cells[2] = az_md_cell(w->kernel);
		az_ct_platform(w, buf, sizeof(buf));
		cells[3] = az_md_cell(buf);
		cells[4] = az_md_cell(w->runs);
		for (c = 0; c < t->ncol; c++) {
			cell_text(&t->cell[r * t->ncol + c], buf, sizeof(buf));
			cells[NKEY + c] = az_md_cell(buf);
		}
		az_mdt_row(&m, cells);
	}
	az_mdt_write(f, &m);
	if (t->nnote)
		fputs("Notes:\n\n", f);
	for (c = 0; c < t->nnote; c++) {
		char *s = az_md_cell(t->note[c]);

		fprintf(f, "- (%zu) %s\n", c + 1, s);
		free(s);
	}
	return ferror(f) ? -1 : 0;
}

static const char csv_head[] = "cpu_model,microcode,kernel,platform,emulated,column,instruction,setup,metric,unit,value,ci_low,ci_high,run,start_time,runs,reason";

/* A field of run ids, "7 3" (the list "7, 3" without its commas). */
static void put_ids(FILE *f, const char *list)
{
	for (; *list; list++)
		if (*list != ',')
			fputc(*list, f);
}

int az_ct_csv(FILE *f, const struct az_ct *t)
{
	size_t r, c;

	fputs(csv_head, f);
	CSV_EOL(f);
	for (r = 0; r < t->nrow; r++)
		for (c = 0; c < t->ncol; c++) {
			const struct az_ct_row *w = &t->row[r];
			const struct az_ct_cell *x = &t->cell[r * t->ncol + c];
			const char *keys[] = {
				w->model, w->microcode, w->kernel, w->platform,
				w->emulated ? "yes" : "no", t->col[c].label,
				t->col[c].instruction, t->col[c].setup,
				metrics[t->metric].name, metrics[t->metric].unit,
			};
			size_t k;

			if (!x->run)
				continue;
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				if (k)
					CSV_SEP(f);
				csv_put(f, keys[k]);
			}
			az_cat_ci_csv(f, &x->v);
			fprintf(f, ",%lld,", x->run);
			csv_put(f, x->start);
			CSV_SEP(f);
			put_ids(f, x->runs);
			CSV_SEP(f);
			csv_put(f, x->why);
			CSV_EOL(f);
		}
	return ferror(f) ? -1 : 0;
}

static const char css[] = "body{font-family:sans-serif;margin:1em 1.5em;max-width:1340px}h1{font-size:1.4em;margin:.2em 0}table{border-collapse:collapse;font-size:90%;margin:1em 0}td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}th{background:#eee}td.key,th.key{text-align:left}tr.emulated td{background:#fdecec}.emu{color:#b00;font-weight:bold}td.na{color:#888;text-align:center}.expl{font-size:85%;color:#333}ol.notes{font-size:85%}";

/* <td> of a cell: the value, its note linked. */
static void html_cell(FILE *f, const struct az_ct_cell *x)
{
	char buf[256];

	az_ct_value(x, buf, sizeof(buf));
	fputs(x->run && isnan(x->v.v) ? "<td class=\"na\">" : "<td>", f);
	az_html_esc(f, buf);
	if (x->note)
		fprintf(f, " <sup><a href=\"#note-%zu\">%zu</a></sup>", x->note, x->note);
	fputs("</td>", f);
}

/* <td class="key">s</td>, in a span of class cls when given. */
static void html_key(FILE *f, const char *s, const char *cls)
{
	fputs("<td class=\"key\">", f);
	if (cls)
		fprintf(f, "<span class=\"%s\">", cls);
	az_html_esc(f, s);
	fputs(cls ? "</span></td>" : "</td>", f);
}

int az_ct_html(FILE *f, const struct az_ct *t)
{
	char buf[4096];
	size_t r, c;

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>\n<title>vmptrst-bench: VMX cost table: ", f);
	az_html_esc(f, t->db);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n<h1>VMX cost table: ", css);
	az_html_esc(f, t->db);
	az_ct_intro(t, buf, sizeof(buf));
	fputs("</h1>\n<p class=\"expl\">", f);
	az_html_esc(f, buf);
	fputs("</p>\n<table class=\"cost\">\n<thead><tr>", f);
	for (c = 0; c < NKEY + t->ncol; c++) {
		fputs(c < NKEY ? "<th class=\"key\">" : "<th>", f);
		az_html_esc(f, c < NKEY ? key_head[c] : t->col[c - NKEY].label);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (r = 0; r < t->nrow; r++) {
		const struct az_ct_row *w = &t->row[r];

		fputs(w->emulated ? "<tr class=\"emulated\">" : "<tr>", f);
		html_key(f, w->model, NULL);
		html_key(f, w->microcode, NULL);
		html_key(f, w->kernel, NULL);
		az_ct_platform(w, buf, sizeof(buf));
		html_key(f, buf, w->emulated ? "emu" : NULL);
		html_key(f, w->runs, NULL);
		for (c = 0; c < t->ncol; c++)
			html_cell(f, &t->cell[r * t->ncol + c]);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
	if (t->nnote)
		fputs("<ol class=\"notes\">\n", f);
	for (c = 0; c < t->nnote; c++) {
		fprintf(f, "<li id=\"note-%zu\">", c + 1);
		az_html_esc(f, t->note[c]);
		fputs("</li>\n", f);
	}
	fputs(t->nnote ? "</ol>\n</body></html>\n" : "</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
