// SPDX-License-Identifier: GPL-2.0
/*
 * export's JSON (written with json-c) in the shape users of Google
 * Benchmark and hyperfine expect: "context" from meta.csv, "benchmarks" one
 * object per summary.csv row, "headline" from headline.csv when the run has
 * one, "conformance".  The schema is analysis/export.schema.json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "conformexport.h"
#include "csv.h"
#include "diag.h"
#include "export.h"
#include "setup.h"

#define EXPORT_VERSION 3	/* 2: "conformance"; 3: headline rows' "part" */

/*
 * A number field as JSON: *o NULL for an empty field (not measured), the
 * CSV text kept as it is when it is already a JSON number (summary.csv
 * writes the shortest form that reads back exactly).  0, or -1 when the
 * field is not a finite number.
 */
static int num_json(const char *s, struct json_object **o)
{
	double v;
	int rc = csv_number(s, &v);

	*o = NULL;
	if (rc == 1)
		return 0;
	if (rc < 0)
		return -1;
	if (az_json_grammar(s, 1) && strlen(s) < 16)
		*o = json_object_new_int64(strtoll(s, NULL, 10));
	else if (az_json_grammar(s, 0))
		*o = json_object_new_double_s(v, s);
	else
		*o = json_object_new_double(v);
	return 0;
}

/* A field of unknown type: null, a number, or the text. */
static struct json_object *any_json(const char *s)
{
	struct json_object *o;

	if (!*s)
		return NULL;
	if (!num_json(s, &o))
		return o;
	return json_object_new_string(s);
}

static struct json_object *text_json(const char *s)
{
	return *s ? json_object_new_string(s) : NULL;
}

static void put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/* A promoted meta key: null when absent, empty or "unknown". */
static struct json_object *meta_json(const struct az_meta *m, const char *key, int integer)
{
	const char *v = az_meta_get(m, key);
	struct json_object *o;

	if (!*v || !strcmp(v, "unknown"))
		return NULL;
	if (!integer)
		return json_object_new_string(v);
	if (!az_json_grammar(v, 1) || strlen(v) > 15)
		return NULL;
	o = json_object_new_int64(strtoll(v, NULL, 10));
	return o;
}

static struct json_object *context_json(const char *dir, const struct az_meta *m)
{
	static const struct {
		const char *name, *key;
		int integer;
	} promoted[] = {
		{ "date", "start_time", 0 },
		{ "end_date", "end_time", 0 },
		{ "host_name", "host", 0 },
		{ "executable", "tool", 0 },
		{ "tool_version", "tool_version", 0 },
		{ "tool_commit", "tool_commit", 0 },
		{ "cpu_vendor", "cpu_vendor", 0 },
		{ "cpu_model_name", "cpu_model_name", 0 },
		{ "microcode", "microcode", 0 },
		{ "kernel", "kernel", 0 },
		{ "tsc_khz", "tsc_khz", 1 },
		{ "num_cpus", "online_cpus", 1 },
		{ "target_cpu", "target_cpu", 1 },
		{ "platform", "platform", 0 },
		{ "backend", "backend", 0 },
		{ "config", "config", 0 },
		{ "config_sha256", "config_sha256", 0 },
	};
	struct json_object *c = json_object_new_object(), *all;
	size_t i;

	put(c, "run_dir", json_object_new_string(dir));
	for (i = 0; i < NELEM(promoted); i++)
		put(c, promoted[i].name, meta_json(m, promoted[i].key, promoted[i].integer));
	put(c, "emulated", json_object_new_boolean(az_meta_emulated(m)));
	put(c, "timing_note", meta_json(m, "timing_note", 0));
	put(c, "time_unit", json_object_new_string("tsc_ticks"));
	all = json_object_new_object();
	for (i = 0; i < m->n; i++)
		put(all, m->key[i], json_object_new_string(m->value[i]));
	put(c, "meta", all);
	return c;
}

/* "p3/vmptrst/offset:0/.../unroll:16/tsc", "p9/vmread/field:guest-rip/..." */
static char *bench_name(const struct az_csvtext *t, const struct az_layout *l, size_t r)
{
	char *buf = NULL;
	size_t len = 0, c;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		az_err(NULL, 0, "out of memory");
		exit(AZ_EXIT_DATA);
	}
	fprintf(f, "p%s/%s", t->cell[r][l->point], t->cell[r][l->instruction]);
	for (c = 0; c < l->naxis; c++)
		if ((long)c != l->point && (long)c != l->instruction &&
		    (*t->cell[r][c] || !az_variant_col(t->col[c])))
			fprintf(f, "/%s:%s", t->col[c], t->cell[r][c]);
	fprintf(f, "/%s", t->cell[r][l->metric]);
	fclose(f);
	return buf;
}

static struct json_object *bench_json(const struct az_csvtext *t, const struct az_layout *l, size_t r)
{
	struct json_object *b = json_object_new_object(), *setup, *v;
	char *name = bench_name(t, l, r);
	const char **cell = (const char **)t->cell[r];
	size_t c;

	put(b, "name", json_object_new_string(name));
	free(name);
	setup = json_object_new_object();
	for (c = 0; c < l->naxis; c++)
		put(setup, t->col[c], az_json_grammar(cell[c], 1) && strlen(cell[c]) < 16 ?
		    json_object_new_int64(strtoll(cell[c], NULL, 10)) :
		    json_object_new_string(cell[c]));
	put(b, "setup", setup);
	put(b, "time_unit", json_object_new_string(strcmp(cell[l->metric], "tsc") ? "events" : "tsc_ticks"));
	for (c = l->naxis; c < t->ncol; c++) {
		enum az_col_kind kind = az_summary_col_kind(t->col[c]);

		if (kind == AZ_COL_TEXT)
			v = text_json(cell[c]);
		else if (kind == AZ_COL_COUNT || kind == AZ_COL_NUM)
			num_json(cell[c], &v);	/* checked by az_summary_check */
		else
			v = any_json(cell[c]);
		put(b, t->col[c], v);
	}
	return b;
}

/* True when every non-empty field of column c is a number. */
static int numeric_col(const struct az_csvtext *t, size_t c)
{
	size_t r;
	double v;

	for (r = 0; r < t->nrow; r++)
		if (csv_number(t->cell[r][c], &v) < 0)
			return 0;
	return 1;
}

/* One object per row; a column is numbers or strings throughout (null when
 * empty). */
static struct json_object *rows_json(const struct az_csvtext *t)
{
	struct json_object *a = json_object_new_array(), *v;
	int *numeric = az_malloc((t->ncol + 1) * sizeof(int));
	size_t r, c;

	for (c = 0; c < t->ncol; c++)
		numeric[c] = numeric_col(t, c);
	for (r = 0; r < t->nrow; r++) {
		struct json_object *o = json_object_new_object();

		for (c = 0; c < t->ncol; c++) {
			if (numeric[c])
				num_json(t->cell[r][c], &v);
			else
				v = text_json(t->cell[r][c]);
			put(o, t->col[c], v);
		}
		json_object_array_add(a, o);
	}
	free(numeric);
	return a;
}

int az_export_json(FILE *f, const char *dir, const struct az_meta *m,
		   const struct az_csvtext *sum, const struct az_layout *l,
		   const struct az_csvtext *head, const struct az_conf *conf)
{
	struct json_object *doc = json_object_new_object(), *a;
	size_t r;

	put(doc, "export_version", json_object_new_int(EXPORT_VERSION));
	put(doc, "context", context_json(dir, m));
	a = json_object_new_array();
	for (r = 0; r < sum->nrow; r++)
		json_object_array_add(a, bench_json(sum, l, r));
	put(doc, "benchmarks", a);
	if (head)
		put(doc, "headline", rows_json(head));
	put(doc, "conformance", az_conf_json(conf));
	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(doc);
	return 0;
}
