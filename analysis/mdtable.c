// SPDX-License-Identifier: GPL-2.0
/* Markdown pipe tables. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "mdtable.h"

char *az_md_cell(const char *s)
{
	char *out = az_malloc(2 * strlen(s) + 1), *p = out;

	for (; *s; s++) {
		if (*s == '|')
			*p++ = '\\';
		*p++ = (*s == '\n' || *s == '\r') ? ' ' : *s;
	}
	*p = '\0';
	return out;
}

void az_mdt_init(struct az_mdt *t, size_t ncol)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
	t->head = az_malloc(ncol * sizeof(char *));
	t->numeric = az_malloc(ncol * sizeof(int));
	while (ncol--)
		t->numeric[ncol] = 1;
}

void az_mdt_row(struct az_mdt *t, char **cells)
{
	size_t c;
	double v;

	for (c = 0; c < t->ncol; c++)
		if (*cells[c] && csv_number(cells[c], &v))
			t->numeric[c] = 0;
	t->cell = az_realloc(t->cell, (t->nrow + 1) * sizeof(*t->cell));
	t->cell[t->nrow++] = cells;
}

/* Characters, not bytes (UTF-8), so that the columns line up. */
static size_t u8len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* "| cell " padded to w characters, right-aligned when numeric. */
static void md_put(FILE *f, const char *s, size_t w, int right, int last)
{
	size_t pad = w - u8len(s);

	fputs("| ", f);
	if (right)
		fprintf(f, "%*s", (int)pad, "");
	fputs(s, f);
	if (!right)
		fprintf(f, "%*s", (int)pad, "");
	fputs(last ? " |\n" : " ", f);
}

void az_mdt_write(FILE *f, struct az_mdt *t)
{
	size_t *w = az_malloc(t->ncol * sizeof(size_t)), r, c;

	for (c = 0; c < t->ncol; c++) {
		w[c] = u8len(t->head[c]) > 3 ? u8len(t->head[c]) : 3;
		for (r = 0; r < t->nrow; r++)
			if (u8len(t->cell[r][c]) > w[c])
				w[c] = u8len(t->cell[r][c]);
	}
	for (c = 0; c < t->ncol; c++)
		md_put(f, t->head[c], w[c], t->numeric[c], c + 1 == t->ncol);
	for (c = 0; c < t->ncol; c++) {
		size_t i;

		fputs("| ", f);
		for (i = 0; i + 1 < w[c]; i++)
			fputc('-', f);
		fputc(t->numeric[c] ? ':' : '-', f);
		fputs(c + 1 < t->ncol ? " " : " |\n", f);
	}
	for (r = 0; r < t->nrow; r++)
		for (c = 0; c < t->ncol; c++)
			md_put(f, t->cell[r][c], w[c], t->numeric[c], c + 1 == t->ncol);
	fputc('\n', f);
	for (r = 0; r < t->nrow; r++) {
		for (c = 0; c < t->ncol; c++)
			free(t->cell[r][c]);
		free(t->cell[r]);
	}
	for (c = 0; c < t->ncol; c++)
		free(t->head[c]);
	free(t->head);
	free(t->cell);
	free(t->numeric);
	free(w);
}

