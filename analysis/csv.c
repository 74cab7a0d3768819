// SPDX-License-Identifier: GPL-2.0
/* RFC 4180 reader (streaming, in-place unquoting) and writer helpers. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"

#define CSV_CHUNK (1u << 20)

void csv_init(struct csv_reader *r, FILE *f, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->path = path;
	r->cap = CSV_CHUNK;
	r->buf = az_malloc(r->cap + 1);
	r->next_line = 1;
}

int csv_open(struct csv_reader *r, const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		az_syserr(path, "cannot open");
		return -1;
	}
	csv_init(r, f, path);
	r->own = 1;
	return 0;
}

void csv_close(struct csv_reader *r)
{
	if (r->f && r->own)
		fclose(r->f);
	free(r->buf);
	free(r->field);
	memset(r, 0, sizeof(*r));
}

/* Move the unparsed tail to the front and read more; -1 on a read error. */
static int refill(struct csv_reader *r)
{
	size_t n;

	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len == r->cap) {		/* one record longer than a chunk */
		r->cap *= 2;
		r->buf = az_realloc(r->buf, r->cap + 1);
	}
	n = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
	if (n == 0) {
		if (ferror(r->f)) {
			az_syserr(r->path, "read error");
			return -1;
		}
		r->eof = 1;
	}
	r->len += n;
	return 0;
}

/*
 * Find the end of the record starting at r->pos: the offset of its '\n'
 * (or len at the end of the file); quoted line breaks are skipped.
 * 1 found, 0 need more data, -1 an unterminated quote at the end.
 */
static int record_end(struct csv_reader *r, size_t *end)
{
	char *s = r->buf + r->pos, *e = r->buf + r->len;
	char *nl = memchr(s, '\n', (size_t)(e - s));
	char *q = memchr(s, '"', (size_t)((nl ? nl : e) - s));
	int inq = 0;

	if (!q) {
		if (nl) {
			*end = (size_t)(nl - r->buf);
			return 1;
		}
		*end = r->len;
		return r->eof ? 1 : 0;
	}
	for (; s < e; s++) {
		if (*s == '"')
			inq = !inq;
		else if (*s == '\n' && !inq) {
			*end = (size_t)(s - r->buf);
			return 1;
		}
	}
	*end = r->len;
	if (!r->eof)
		return 0;
	return inq ? -1 : 1;
}

static void add_field(struct csv_reader *r, char *f)
{
	if (r->nfield == r->field_cap) {
		r->field_cap = r->field_cap ? 2 * r->field_cap : 32;
		r->field = az_realloc(r->field,
				      r->field_cap * sizeof(*r->field));
	}
	r->field[r->nfield++] = f;
}

static unsigned long count_nl(const char *s, const char *e)
{
	unsigned long n = 0;

	while ((s = memchr(s, '\n', (size_t)(e - s)))) {
		n++;
		s++;
	}
	return n;
}

/* Split a record without quotes: commas become NULs, nothing moves. */
static void split_plain(struct csv_reader *r, char *s, char *e)
{
	char *c;

	r->nfield = 0;
	for (;;) {
		add_field(r, s);
		c = memchr(s, ',', (size_t)(e - s));
		if (!c)
			break;
		*c = '\0';
		s = c + 1;
	}
	*e = '\0';
}

/* Split buf[pos..end) into fields, unquoting in place. */
static int split(struct csv_reader *r, size_t end)
{
	char *s = r->buf + r->pos, *e = r->buf + end, *w = s;

	if (e > s && e[-1] == '\r')
		e--;
	if (!memchr(s, '"', (size_t)(e - s))) {
		split_plain(r, s, e);
		return 0;
	}
	r->nfield = 0;
	for (;;) {
		add_field(r, w);
		if (s < e && *s == '"') {
			for (s++;; s++) {
				if (s == e) {
					az_err(r->path, r->line,
					       "unterminated quoted field");
					return -1;
				}
				if (*s == '"') {
					if (s + 1 < e && s[1] == '"')
						s++;
					else
						break;
				}
				*w++ = *s;
			}
			s++;
			if (s < e && *s != ',') {
				az_err(r->path, r->line,
				       "unexpected character after a closing quote in field %zu",
				       r->nfield);
				return -1;
			}
		} else {
			for (; s < e && *s != ','; s++) {
				if (*s == '"') {
					az_err(r->path, r->line,
					       "quote inside an unquoted field %zu",
					       r->nfield);
					return -1;
				}
				*w++ = *s;
			}
		}
		*w++ = '\0';
		if (s >= e)
			return 0;
		s++;		/* the comma */
	}
}

int csv_next(struct csv_reader *r)
{
	size_t end;
	int rc;

	for (;;) {
		if (r->pos == r->len && r->eof)
			return 0;
		while ((rc = record_end(r, &end)) == 0)
			if (refill(r))
				return -1;
		r->line = r->next_line;
		if (rc < 0) {
			az_err(r->path, r->line, "unterminated quoted field");
			return -1;
		}
		if (end == r->pos && r->pos == r->len)
			return 0;	/* nothing after the last newline */
		r->next_line += count_nl(r->buf + r->pos, r->buf + end) +
				(end < r->len);
		if (end == r->pos ||
		    (end == r->pos + 1 && r->buf[r->pos] == '\r')) {
			r->pos = end + (end < r->len);	/* blank line */
			continue;
		}
		rc = split(r, end);
		r->pos = end + (end < r->len);
		return rc ? -1 : 1;
	}
}

void csv_put(FILE *f, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void csv_put_num(FILE *f, double v)
{
	char buf[40];
	int prec;

	if (isnan(v))
		return;
	if (v == floor(v) && fabs(v) < 1e15) {
		fprintf(f, "%.0f", v);
		return;
	}
	for (prec = 6; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", v);
	fputs(buf, f);
}

int csv_number(const char *s, double *v)
{
	const char *p = s;
	uint64_t u = 0;
	char *end;

	if (!*s)
		return 1;
	/* Fast path: a plain unsigned integer (what a TSC count is). */
	while (*p >= '0' && *p <= '9' && p - s < 18)
		u = u * 10 + (uint64_t)(*p++ - '0');
	if (!*p && p != s) {
		*v = (double)u;
		return 0;
	}
	if (strchr(s, ',') || s[0] == ' ' || s[0] == '\t')
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end || end == s || !isfinite(*v) || errno == ERANGE)
		return -1;
	/* Decimal numbers only: no hex, inf or nan spellings. */
	if (strpbrk(s, "xXiInN"))
		return -1;
	return 0;
}
