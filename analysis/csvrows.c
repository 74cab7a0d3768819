// SPDX-License-Identifier: GPL-2.0
/* A small CSV file held whole in memory: see csvrows.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csvrows.h"
#include "diag.h"

int az_rows_load(struct az_rows *t, const char *path)
{
	struct csv_reader r;
	int k;

	memset(t, 0, sizeof(*t));
	if (csv_open(&r, path))
		return -1;
	while ((k = csv_next(&r)) == 1) {
		size_t i;

		t->row = az_realloc(t->row, (t->n + 1) * sizeof(*t->row));
		t->nf = az_realloc(t->nf, (t->n + 1) * sizeof(*t->nf));
		t->row[t->n] = az_malloc((r.nfield + 1) * sizeof(char *));
		for (i = 0; i < r.nfield; i++)
			t->row[t->n][i] = az_strdup(r.field[i]);
		t->nf[t->n++] = r.nfield;
	}
	csv_close(&r);
	return k;
}

void az_rows_free(struct az_rows *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->nf[i]; j++)
			free(t->row[i][j]);
		free(t->row[i]);
	}
	free(t->row);
	free(t->nf);
}

/* Field of row i in column name; "" when absent. */
const char *az_cell(const struct az_rows *t, size_t i, const char *name)
{
	size_t c;

	for (c = 0; t->n && c < t->nf[0]; c++)
		if (!strcmp(t->row[0][c], name))
			return c < t->nf[i] ? t->row[i][c] : "";
	return "";
}

double az_cellnum(const struct az_rows *t, size_t i, const char *name)
{
	double v;

	return csv_number(az_cell(t, i, name), &v) ? NAN : v;
}
