/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 4180 writer: comma separator, CRLF line ends, a field quoted when
 * it holds a comma, a double quote, CR or LF (quotes doubled inside).
 */
#ifndef VB_CSV_H
#define VB_CSV_H

#include <stddef.h>
#include <stdio.h>

#define VB_CSV_EOL	"\r\n"

int vb_csv_needs_quotes(const char *s);
/* Writes "," first unless first_in_row. 0, or -1 on a stream error. */
int vb_csv_field(FILE *f, const char *s, int first_in_row);
int vb_csv_end_row(FILE *f);
int vb_csv_row(FILE *f, const char *const *fields, size_t n);

#endif /* VB_CSV_H */
