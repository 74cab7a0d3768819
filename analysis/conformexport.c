// SPDX-License-Identifier: GPL-2.0
/* export's behaviour parts: conformance.csv as JSON ("conformance") and
   as a Markdown section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "conform.h"
#include "conformexport.h"
#include "diag.h"
#include "mdtable.h"

static void put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *count(size_t n)
{
	return json_object_new_int64((int64_t)n);
}

struct json_object *az_conf_json(const struct az_conf *c)
{
	struct json_object *o, *rows;
	char line[1024];
	size_t i;
	int k;

	if (!c->present)
		return NULL;
	o = json_object_new_object();
	az_conf_summary(c, line, sizeof(line));
	put(o, "file", json_object_new_string(AZ_CONF_FILE));
	put(o, "summary", json_object_new_string(line));
	put(o, "branches", count(c->nrow));
	put(o, "as_documented", count(c->count[AZ_CV_DOCUMENTED]));
	put(o, "differs", count(c->count[AZ_CV_DIFFERS]));
	put(o, "not_reachable_here", count(c->count[AZ_CV_UNREACHABLE]));
	rows = json_object_new_array();
	for (i = 0; i < c->nrow; i++) {
		struct json_object *r = json_object_new_object();
		const struct az_conf_row *cr = &c->row[i];

		for (k = 0; k < AZ_CF_NCOL; k++) {
			const char *s = cr->f[k];

			if (k == AZ_CF_CPL)
				put(r, az_conf_col[k], json_object_new_int(atoi(s)));
			else
				put(r, az_conf_col[k], *s ? json_object_new_string(s) : NULL);
		}
		json_object_array_add(rows, r);
	}
	put(o, "rows", rows);
	return o;
}

void az_conf_md(FILE *f, const struct az_conf *c)
{
	static const char *const head[] = {
		"branch", "CPL", "operation", "condition", "expected", "observed",
		"CR2", "memory changed", "flags after", "stored", "verdict", "reason",
	};
	static const int col[] = {	/* -1, -2: expected, observed */
		AZ_CF_BRANCH, AZ_CF_CPL, AZ_CF_OPERATION, AZ_CF_CONDITION, -1, -2,
		AZ_CF_CR2, AZ_CF_MEMORY, AZ_CF_FLAGS, AZ_CF_STORED, AZ_CF_VERDICT,
		AZ_CF_REASON,
	};
	const size_t ncol = sizeof(head) / sizeof(head[0]);
	char line[1024], vec[600];
	struct az_mdt t;
	size_t i, k;

	fputs("## Behaviour: the reference page's branches (" AZ_CONF_FILE ")\n\n", f);
	if (!c->present) {
		fputs(AZ_CONF_ABSENT ".\n\n", f);
		return;
	}
	az_conf_summary(c, line, sizeof(line));
	if (c->count[AZ_CV_DIFFERS])
		fprintf(f, "**%s**.\n\n", line);
	else
		fprintf(f, "%s.\n\n", line);
	az_mdt_init(&t, ncol);
	for (k = 0; k < ncol; k++)
		t.head[k] = az_strdup(head[k]);
	for (i = 0; i < c->nrow; i++) {
		char **cells = az_malloc(ncol * sizeof(char *));

		for (k = 0; k < ncol; k++) {
			if (col[k] < 0) {
				az_conf_vector(&c->row[i], col[k] == -2, vec, sizeof(vec));
				cells[k] = az_md_cell(vec);
			} else {
				cells[k] = az_md_cell(c->row[i].f[col[k]]);
			}
		}
		if (c->row[i].verdict == AZ_CV_DIFFERS) {
			char *b = az_malloc(strlen(cells[10]) + 5);

			sprintf(b, "**%s**", cells[10]);
			free(cells[10]);
			cells[10] = b;
		}
		az_mdt_row(&t, cells);
	}
	az_mdt_write(f, &t);
	fputs("What the page says (expected: the vector and error code, `none`: VMsucceed, `vm-exit` with its reason) beside what the CPU did (observed; `not executed` when the branch was not reachable here), CR2 after a #PF, whether the destination changed, the arithmetic flags still set after a completed execution (all six set before) and the value it stored. Every column: conformance.csv.\n\n", f);
}
