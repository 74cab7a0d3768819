// SPDX-License-Identifier: GPL-2.0
/*
 * catalog table DB: the VMX cost table (catalogtable.h) from the
 * catalogue's headline rows, in two passes over them: the rows and
 * columns, sorted; then each cell by the rule (the newest run of its row
 * with a value), the notes naming the run shown and why a cell has no
 * value.  Written by catalogtableout.c on stdout or -o FILE.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "catalogtable.h"
#include "diag.h"
#include "headline.h"

/* Newest first: a run with a start_time before one without, then by it,
   then the later catalogued (the higher id). */
#define TABLE_SQL "SELECT r.id, r.cpu_model, r.microcode, r.kernel, r.platform, r.emulated, r.start_time, h.instruction, h.setup, h.ticks, h.ci_low, h.ci_high, h.ns, h.ns_ci_low, h.ns_ci_high, " AZ_CAT_CYC_COLS("h", "r") " FROM headline h JOIN run r ON r.id = h.run_id ORDER BY r.start_time GLOB '[0-9]*' DESC, r.start_time DESC, r.id DESC, h.rowid"
#define COL_CYC 15		/* AZ_CAT_CYC_COLS */
#define COL_REASON 20		/* its headline.reason */
/* A value headline.csv marks unresolved, said in its note. */
#define UNRESOLVED "unresolved: its interval is within one TSC step (headline.csv's reason)"

/* The row of a headline row (st), appended when new; its index. */
static size_t row_of(struct az_ct *t, sqlite3_stmt *st)
{
	struct az_ct_row *r;
	size_t i;

	for (i = 0; i < t->nrow; i++) {
		r = &t->row[i];
		if (!strcmp(r->model, az_cat_text(st, 1)) &&
		    !strcmp(r->microcode, az_cat_text(st, 2)) &&
		    !strcmp(r->kernel, az_cat_text(st, 3)) &&
		    !strcmp(r->platform, az_cat_text(st, 4)) &&
		    r->emulated == sqlite3_column_int(st, 5))
			return i;
	}
	t->row = az_realloc(t->row, (t->nrow + 1) * sizeof(*t->row));
	r = &t->row[t->nrow];
	memset(r, 0, sizeof(*r));
	r->model = az_strdup(az_cat_text(st, 1));
	r->microcode = az_strdup(az_cat_text(st, 2));
	r->kernel = az_strdup(az_cat_text(st, 3));
	r->platform = az_strdup(az_cat_text(st, 4));
	r->emulated = sqlite3_column_int(st, 5);
	r->runs = az_strdup("");
	return t->nrow++;
}

/* The column of a headline row (st), appended when new; its index. */
static size_t col_of(struct az_ct *t, sqlite3_stmt *st)
{
	char *key = az_cat_setup_key(az_cat_text(st, 8));
	const char *insn = az_cat_text(st, 7);
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (!strcmp(t->col[i].instruction, insn) && !strcmp(t->col[i].setup, key))
			break;
	if (i < t->ncol) {
		free(key);
		return i;
	}
	t->col = az_realloc(t->col, (t->ncol + 1) * sizeof(*t->col));
	t->col[i].instruction = az_strdup(insn);
	t->col[i].setup = key;
	t->col[i].label = NULL;
	return t->ncol++;
}

/* Microcode revisions by value where both are numbers (0x9 before 0x10). */
static int cmp_microcode(const char *a, const char *b)
{
	char *ea, *eb;
	unsigned long long x = strtoull(a, &ea, 0), y = strtoull(b, &eb, 0);

	if (*a && *b && !*ea && !*eb && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

static int cmp_row(const void *pa, const void *pb)
{
	const struct az_ct_row *a = pa, *b = pb;
	int d = strcmp(a->model, b->model);

	if (!d)
		d = cmp_microcode(a->microcode, b->microcode);
	if (!d)
		d = strcmp(a->kernel, b->kernel);
	if (!d)
		d = strcmp(a->platform, b->platform);
	return d ? d : a->emulated - b->emulated;
}

static int words(const char *s)
{
	int n = *s != '\0';

	for (; *s; s++)
		n += *s == ' ';
	return n;
}

/* vmptrst first, then by instruction; an instruction's setup with fewer
   words (mode=root) before its variants (mode=guest), then by setup. */
static int cmp_col(const void *pa, const void *pb)
{
	const struct az_ct_col *a = pa, *b = pb;
	int va = strcmp(a->instruction, "vmptrst") != 0;
	int d = va - (strcmp(b->instruction, "vmptrst") != 0);

	if (!d)
		d = strcmp(a->instruction, b->instruction);
	if (!d)
		d = words(a->setup) - words(b->setup);
	return d ? d : strcmp(a->setup, b->setup);
}

/* A setup word at the sweep keys' default (bench/keytab.c): the cost
   table's columns leave it out of their labels (AZ_CT_DEFAULTS). */
static int default_word(const char *w)
{
	static const char *const d[] = { AZ_CT_DEFAULT_WORDS };
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (!strcmp(w, d[i]))
			return 1;
	return 0;
}

/* The setup words every column has (instruction= aside), and each
   column's label: its instruction and its other words, those at their
   defaults left out too. */
static void labels(struct az_ct *t)
{
	char w[512], *label;
	const char *p;
	size_t i, u, o = 0;
	int n, all;

	t->common = az_malloc(strlen(t->col[0].setup) + 1);
	t->common[0] = '\0';
	for (p = t->col[0].setup; sscanf(p, " %511s%n", w, &n) == 1; p += n) {
		for (i = 1, all = strncmp(w, "instruction=", 12); i < t->ncol && all; i++)
			all = az_cat_setup_matches(w, t->col[i].setup);
		if (all)
			o += (size_t)sprintf(t->common + o, "%s%s", o ? " " : "", w);
	}
	for (i = 0; i < t->ncol; i++) {
		label = az_malloc(strlen(t->col[i].instruction) + strlen(t->col[i].setup) + 2);
		u = (size_t)sprintf(label, "%s", t->col[i].instruction);
		for (p = t->col[i].setup; sscanf(p, " %511s%n", w, &n) == 1; p += n)
			if (strncmp(w, "instruction=", 12) && !default_word(w) &&
			    !az_cat_setup_matches(w, t->common))
				u += (size_t)sprintf(label + u, " %s", w);
		t->col[i].label = label;
	}
}

/* list ("7, 3") with id appended. */
static char *add_id(char *list, long long id)
{
	char *s = az_malloc(strlen(list) + 32);

	sprintf(s, "%s%s%lld", list, *list ? ", " : "", id);
	free(list);
	return s;
}

/* A headline row (st) into its cell when the rule picks it: the first
   (newest) run, or in place of a newer one without a value.  last: the
   last run counted per row, then per cell. */
static void put(struct az_ct *t, sqlite3_stmt *st, long long *last)
{
	size_t r = row_of(t, st), k = r * t->ncol + col_of(t, st);
	struct az_ct_cell *x = &t->cell[k];
	long long id = sqlite3_column_int64(st, 0);
	const char *reason = az_cat_text(st, COL_REASON);
	struct az_cat_cyc y;
	struct az_cat_ci v;

	if (last[r] != id) {	/* a run's rows come together */
		t->row[r].runs = add_id(t->row[r].runs, id);
		t->row[r].nrun++;
		last[r] = id;
	}
	if (last[t->nrow + k] == id)
		return;		/* a run's first row of a column counts */
	last[t->nrow + k] = id;
	x->runs = add_id(x->runs, id);
	x->nrun++;
	if (t->metric == AZ_CT_CYCLES) {
		az_cat_cyc_read(st, COL_CYC, &y);
		v = y.c;
	} else {
		az_cat_ci_read(st, t->metric == AZ_CT_TICKS ? 9 : 12, &v);
		snprintf(y.why, sizeof(y.why), "%s", *reason ? reason : "headline.csv has no value and no reason");
	}
	if (x->run && (!isnan(x->v.v) || isnan(v.v)))
		return;
	x->run = id;
	free(x->start);
	free(x->why);
	x->start = az_strdup(az_cat_text(st, 6));
	x->v = v;
	x->why = az_strdup(isnan(v.v) ? y.why : az_why_unresolved(reason) ? UNRESOLVED : "");
}

/* The note of a cell, numbered, the same text the same number: the run
   shown where the row has several or the value a caveat; why there is no
   value. */
static void note(struct az_ct *t, const struct az_ct_row *r,
		 struct az_ct_cell *x)
{
	const char *when;
	char buf[2048];
	size_t i;

	if (!x->run || (r->nrun == 1 && !*x->why))
		return;
	when = strcmp(x->start, "unknown") && *x->start ? x->start : "no start_time";
	if (!isnan(x->v.v))
		snprintf(buf, sizeof(buf), "run %lld (%s)%s%s%s%s", x->run, when, x->nrun > 1 ? ", the newest with a value of runs " : "", x->nrun > 1 ? x->runs : "", *x->why ? ": " : "", x->why);
	else if (x->nrun == 1)
		snprintf(buf, sizeof(buf), "run %lld (%s): not measured: %s", x->run, when, x->why);
	else
		snprintf(buf, sizeof(buf), "runs %s: none has a value; the newest, run %lld (%s): not measured: %s", x->runs, x->run, when, x->why);
	for (i = 0; i < t->nnote && strcmp(t->note[i], buf); i++)
		;
	if (i == t->nnote) {
		t->note = az_realloc(t->note, (t->nnote + 1) * sizeof(*t->note));
		t->note[t->nnote++] = az_strdup(buf);
	}
	x->note = i + 1;
}

/* Pass 1: the rows and columns, sorted, labelled; whether any run has
   cycles.  Pass 2: the cells.  0, or -1 reported. */
static int build(const struct az_cat *c, struct az_ct *t, int *cycles)
{
	sqlite3_stmt *st = az_cat_prepare(c, TABLE_SQL);
	long long *last;
	size_t i;
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_of(t, st);
		col_of(t, st);
		*cycles |= sqlite3_column_type(st, COL_CYC) != SQLITE_NULL;
	}
	if (rc != SQLITE_DONE || !t->nrow) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return az_cat_fail(c, "cannot read the catalogue");
		az_err(c->path, 0, "no headline rows in the catalogue: catalog add DB DIR adds runs");
		return -1;
	}
	if (*cycles == 0 && t->metric == AZ_CT_CYCLES && t->fell_back)
		t->metric = AZ_CT_TICKS;
	else
		t->fell_back = 0;
	qsort(t->row, t->nrow, sizeof(*t->row), cmp_row);
	qsort(t->col, t->ncol, sizeof(*t->col), cmp_col);
	labels(t);
	t->cell = az_malloc(t->nrow * t->ncol * sizeof(*t->cell));
	last = az_malloc((t->nrow + t->nrow * t->ncol) * sizeof(*last));
	for (i = 0; i < t->nrow * t->ncol; i++) {
		memset(&t->cell[i], 0, sizeof(t->cell[i]));
		t->cell[i].runs = az_strdup("");
	}
	for (i = 0; i < t->nrow + t->nrow * t->ncol; i++)
		last[i] = 0;
	sqlite3_reset(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		put(t, st, last);
	sqlite3_finalize(st);
	free(last);
	for (i = 0; i < t->nrow * t->ncol; i++)
		note(t, &t->row[i / t->ncol], &t->cell[i]);
	return rc == SQLITE_DONE ? 0 : az_cat_fail(c, "cannot read the catalogue");
}

static void free_table(struct az_ct *t)
{
	size_t i;

	for (i = 0; i < t->nrow; i++) {
		free(t->row[i].model);
		free(t->row[i].microcode);
		free(t->row[i].kernel);
		free(t->row[i].platform);
		free(t->row[i].runs);
	}
	for (i = 0; i < t->ncol; i++) {
		free(t->col[i].instruction);
		free(t->col[i].setup);
		free(t->col[i].label);
	}
	for (i = 0; t->cell && i < t->nrow * t->ncol; i++) {
		free(t->cell[i].start);
		free(t->cell[i].why);
		free(t->cell[i].runs);
	}
	for (i = 0; i < t->nnote; i++)
		free(t->note[i]);
	free(t->row);
	free(t->col);
	free(t->cell);
	free(t->note);
	free(t->common);
}

int az_cat_table_args(const struct az_cat_opts *o)
{
	if (o->format && strcmp(o->format, "md") && strcmp(o->format, "csv") && strcmp(o->format, "html")) {
		az_err(NULL, 0, "catalog table: --format \"%s\": expected md, csv or html", o->format);
		return -1;
	}
	if (az_ct_metric_of(o->metric) < 0) {
		az_err(NULL, 0, "catalog table: --metric \"%s\": expected cycles, ticks or ns", o->metric);
		return -1;
	}
	return 0;
}

int az_cat_table(const struct az_cat *c, const struct az_cat_opts *o)
{
	struct az_ct t;
	const char *fmt = o->format ? o->format : "md";
	FILE *f = stdout;
	int rc = -1, cycles = 0;

	memset(&t, 0, sizeof(t));
	t.db = c->path;
	t.metric = (enum az_ct_metric)az_ct_metric_of(o->metric);
	t.fell_back = !o->metric;
	if (build(c, &t, &cycles))
		goto out;
	if (t.fell_back)
		az_warn(c->path, 0, "no run in the catalogue has core cycles: the table is in TSC ticks per instruction (--metric cycles shows every cell not measured, with why)");
	if (o->out && !(f = fopen(o->out, "wb"))) {
		az_syserr(o->out, "cannot create");
		goto out;
	}
	rc = !strcmp(fmt, "csv") ? az_ct_csv(f, &t) :
	     !strcmp(fmt, "html") ? az_ct_html(f, &t) : az_ct_md(f, &t);
	if ((f != stdout && fclose(f)) || (f == stdout && fflush(f)) || rc) {
		az_syserr(o->out ? o->out : "stdout", "write error");
		rc = -1;
	}
out:
	free_table(&t);
	return rc ? AZ_EXIT_DATA : AZ_EXIT_OK;
}
