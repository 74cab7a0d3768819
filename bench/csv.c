// SPDX-License-Identifier: GPL-2.0
/* RFC 4180 writer: see csv.h. */
#include <string.h>

#include "csv.h"

int vb_csv_needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

int vb_csv_field(FILE *f, const char *s, int first_in_row)
{
	if (!first_in_row && putc(',', f) == EOF)
		return -1;
	if (!vb_csv_needs_quotes(s))
		return fputs(s, f) == EOF ? -1 : 0;
	if (putc('"', f) == EOF)
		return -1;
	for (; *s; s++) {
		if (*s == '"' && putc('"', f) == EOF)
			return -1;
		if (putc(*s, f) == EOF)
			return -1;
	}
	return putc('"', f) == EOF ? -1 : 0;
}

int vb_csv_end_row(FILE *f)
{
	return fputs(VB_CSV_EOL, f) == EOF ? -1 : 0;
}

int vb_csv_row(FILE *f, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vb_csv_field(f, fields[i], i == 0))
			return -1;
	return vb_csv_end_row(f);
}
