/* SPDX-License-Identifier: GPL-2.0 */
/* Markdown pipe tables (export --format md): cells as text, columns
   padded to their widest cell, numbers right-aligned. */
#ifndef AZ_MDTABLE_H
#define AZ_MDTABLE_H

#include <stddef.h>
#include <stdio.h>

/* A table being built: cells as text (malloc'd), a column numeric when
 * all its non-empty cells are numbers (right-aligned); head[] set by the
 * caller after az_mdt_init. */
struct az_mdt {
	size_t ncol, nrow;
	char **head;
	char ***cell;
	int *numeric;
};

/* s with | escaped and line breaks as spaces (malloc'd). */
char *az_md_cell(const char *s);
void az_mdt_init(struct az_mdt *t, size_t ncol);
/* Append a row of ncol malloc'd cells (the table takes them). */
void az_mdt_row(struct az_mdt *t, char **cells);
/* Write the table and a blank line, and free it. */
void az_mdt_write(FILE *f, struct az_mdt *t);

#endif /* AZ_MDTABLE_H */
