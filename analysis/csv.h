/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 4180 in and out.  The reader streams: it holds one chunk of the file
 * and the record being parsed, never the whole file.  CRLF or LF line ends,
 * a final newline or none, quoted fields (with "" and line breaks inside).
 * Blank lines are skipped.
 */
#ifndef AZ_CSV_H
#define AZ_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_reader {
	FILE *f;
	int own;		/* opened by csv_open: closed by csv_close */
	const char *path;
	char *buf;		/* buf[pos..len) not yet parsed */
	size_t cap, len, pos;
	int eof;
	char **field;		/* the current record's fields, NUL-ended */
	size_t nfield, field_cap;
	unsigned long line;	/* line where the current record starts */
	unsigned long next_line;
};

/* 0, or -1 with the error reported. */
int csv_open(struct csv_reader *r, const char *path);
/* Reader over an open stream (not closed by csv_close); path names it. */
void csv_init(struct csv_reader *r, FILE *f, const char *path);
/*
 * Next record into r->field / r->nfield: 1, 0 at the end, -1 on malformed
 * input or a read error (reported as "PATH:LINE: what").  The fields stay
 * valid until the next call.  Within one record the fields are contiguous:
 * field[i + 1] == field[i] + strlen(field[i]) + 1.
 */
int csv_next(struct csv_reader *r);
void csv_close(struct csv_reader *r);

/* Write one field, quoted when it needs to be. */
void csv_put(FILE *f, const char *s);
/* Separator and end of row (CRLF). */
#define CSV_SEP(f) fputc(',', (f))
#define CSV_EOL(f) fputs("\r\n", (f))
/* A number, shortest form that reads back exactly; NaN writes nothing. */
void csv_put_num(FILE *f, double v);

/*
 * A number field: 0 and *v set; 1 for an empty field (not measured);
 * -1 if it is not a finite decimal number.
 */
int csv_number(const char *s, double *v);

#endif /* AZ_CSV_H */
