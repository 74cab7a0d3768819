// SPDX-License-Identifier: GPL-2.0
/* mdoc(7) for the man pages: see mdoc.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdoc.h"

/* '-' that starts an option ("-o", "--cpu") or continues one. */
static int option_dash(const char *s, const char *p)
{
	int starts = p == s || strchr(" (`\"'[|,=", p[-1]);

	return (starts && (isalpha((unsigned char)p[1]) || p[1] == '-')) ||
	       (p > s && p[-1] == '-') || p[1] == '-';
}

/* A word that is a list without spaces, "point,pass,window": 0 or 1. */
static int list_word(const char *p, const char *end)
{
	const char *w = p + strcspn(p, " ");
	const char *comma = memchr(p, ',', (size_t)((w < end ? w : end) - p));

	return comma && comma + 1 < w && comma[1] != ' ';
}

/*
 * A sentence ends at p ('.', '?' or '!', perhaps closed by ')' or '"') when
 * a space and the start of another follow: an upper-case letter, a quote,
 * `code or '('.  Returns the last character of the sentence, or NULL.
 */
static const char *sentence_end(const char *p, const char *end)
{
	if (!strchr(".?!", *p))
		return NULL;
	while (p + 1 < end && (p[1] == ')' || p[1] == '"'))
		p++;
	if (p + 2 >= end || p[1] != ' ')
		return NULL;
	return isupper((unsigned char)p[2]) || strchr("`\"(", p[2]) ? p : NULL;
}

#define MDOC_WIDTH	78	/* a text line's bytes at most, where a space allows */

/*
 * One text line (escaped, no '\n') wrapped at spaces to MDOC_WIDTH bytes;
 * a continuation that would start with '.' or '\'' gets "\&" first.
 */
static void wrapped(FILE *out, const char *s, size_t len)
{
	const char *end = s + len, *cut;

	while (end - s > MDOC_WIDTH) {
		for (cut = s + MDOC_WIDTH; cut > s && *cut != ' '; cut--)
			;
		if (cut == s)
			cut = memchr(s, ' ', (size_t)(end - s));
		if (!cut)
			break;
		fwrite(s, 1, (size_t)(cut - s), out);
		fputc('\n', out);
		s = cut + 1;
		if (*s == '.' || *s == '\'')
			fputs("\\&", out);
	}
	fwrite(s, 1, (size_t)(end - s), out);
	fputc('\n', out);
}

/* Each '\n'-ended line of text, wrapped. */
static void lines(FILE *to, const char *text)
{
	const char *line, *nl;

	for (line = text; (nl = strchr(line, '\n')); line = nl + 1)
		wrapped(to, line, (size_t)(nl - line));
}

/* One paragraph, its spaces single, no line break: a line a sentence. */
static void paragraph(FILE *to, const char *s, const char *end)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	const char *p, *last;
	int bol = 1, code = 0;

	if (!out)
		return;
	for (p = s; p < end; p++) {
		if (bol && (*p == '.' || *p == '\''))
			fputs("\\&", out);
		if ((bol || p[-1] == ' ') && list_word(p, end))
			fputs("\\%", out);	/* a CSV header: not hyphenated */
		bol = 0;
		if (*p == '`' && (code || memchr(p + 1, '`', (size_t)(end - p - 1)))) {
			fputs(code ? "\\fP" : "\\fB", out);
			code = !code;
		} else if (*p == '`') {
			fputs("\\(ga", out);
		} else if (*p == '\\') {
			fputs("\\e", out);
		} else if (*p == '-' && option_dash(s, p)) {
			fputs("\\-", out);
		} else {
			fputc(*p, out);
		}
		last = code ? NULL : sentence_end(p, end);
		if (last) {
			fwrite(p + 1, 1, (size_t)(last - p), out);
			fputc('\n', out);
			p = last + 1;	/* the space */
			bol = 1;
		}
	}
	if (code)
		fputs("\\fP", out);
	if (!bol)
		fputc('\n', out);
	if (fclose(out) == 0)
		lines(to, text);
	free(text);
}

/* The paragraph collected in buf[0..n), trailing space dropped; .Pp before all but the first. */
static void end_paragraph(FILE *out, char *buf, size_t n, int *paragraphs)
{
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	if (!n)
		return;
	if ((*paragraphs)++)
		fputs(".Pp\n", out);
	paragraph(out, buf, buf + n);
}

void vb_mdoc_text(FILE *out, const char *s)
{
	char *buf = malloc(strlen(s) + 1);
	size_t n = 0;
	const char *p;
	int paragraphs = 0;

	if (!buf)
		return;
	for (p = s; *p; p++) {
		if (*p == '\n' && p[1] == '\n') {	/* a blank line */
			end_paragraph(out, buf, n, &paragraphs);
			n = 0;
		} else if (*p == ' ' || *p == '\n') {	/* one space */
			if (n && buf[n - 1] != ' ')
				buf[n++] = ' ';
		} else {
			buf[n++] = *p;
		}
	}
	end_paragraph(out, buf, n, &paragraphs);
	free(buf);
}

void vb_mdoc_arg(FILE *out, const char *s)
{
	const char *p;
	int quote = strchr(s, ' ') != NULL || !*s;

	if (quote)
		fputc('"', out);
	for (p = s; *p; p++) {
		if (*p == '\\')
			fputs("\\e", out);
		else if (*p == '"')
			fputs("\\(dq", out);
		else if (*p == '-')
			fputs("\\-", out);
		else
			fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
}

/* Brackets in w that close more than w opens: "KIND[,KIND]]" has one. */
static int closing(const char *w, size_t n)
{
	int depth = 0, extra = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (w[i] == '[')
			depth++;
		else if (w[i] == ']' && depth)
			depth--;
		else if (w[i] == ']')
			extra++;
	}
	return extra;
}

void vb_mdoc_usage(FILE *out, const char *usage)
{
	const char *p = usage;
	char word[128];
	size_t n;
	int first = 1, close;

	while (*p) {
		p += strspn(p, " ");
		if (!*p)
			break;
		if (!first)
			fputc(' ', out);
		first = 0;
		if (*p == '[') {
			fputs("Oo", out);
			p++;
			continue;
		}
		n = strcspn(p, " ");
		close = closing(p, n);
		snprintf(word, sizeof(word), "%.*s", (int)n - close, p);
		p += n;
		if (word[0] == '-') {
			fputs("Fl ", out);
			vb_mdoc_arg(out, word + 1);
		} else if (word[0]) {
			fputs(isupper((unsigned char)word[0]) ? "Ar " : "Cm ",
			      out);
			vb_mdoc_arg(out, word);
		}
		while (close--)
			fputs(" Oc", out);
	}
}
