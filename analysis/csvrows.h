/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small CSV file held whole in memory (headline.csv, points.csv), its
 * fields read by column name: what the report's parts look up.
 */
#ifndef AZ_CSVROWS_H
#define AZ_CSVROWS_H

#include <stddef.h>

/* A CSV file's rows: header in rows[0]; fields malloc'd. */
struct az_rows {
	char ***row;
	size_t n, *nf;
};

/* 0 with every row read, or -1 reported (the rows read so far kept);
   *t is zeroed first and freed by az_rows_free either way. */
int az_rows_load(struct az_rows *t, const char *path);
void az_rows_free(struct az_rows *t);
/* Field of row i in column name; "" when absent. */
const char *az_cell(const struct az_rows *t, size_t i, const char *name);
/* That field as a number; NaN when empty or not a number. */
double az_cellnum(const struct az_rows *t, size_t i, const char *name);

#endif /* AZ_CSVROWS_H */
