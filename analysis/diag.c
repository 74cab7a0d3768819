// SPDX-License-Identifier: GPL-2.0
/* Error reporting in the tool's one-line format, and checked allocation. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static void vreport(const char *kind, const char *file, unsigned long line,
		    const char *fmt, va_list ap)
{
	char msg[1024];
	const char *p;

	fprintf(stderr, AZ_TOOL ": %s", kind);
	if (file && line)
		fprintf(stderr, "%s:%lu: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* one line, whatever a quoted field held: CR and LF shown escaped */
	for (p = msg; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\r')
			fputs("\\r", stderr);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
}

void az_err(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", file, line, fmt, ap);
	va_end(ap);
}

void az_warn(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", file, line, fmt, ap);
	va_end(ap);
}

void az_syserr(const char *file, const char *what)
{
	az_err(file, 0, "%s: %s", what, strerror(errno));
}

void *az_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		az_err(NULL, 0, "out of memory (%zu bytes)", n);
		exit(AZ_EXIT_DATA);
	}
	return q;
}

void *az_malloc(size_t n)
{
	return az_realloc(NULL, n);
}

char *az_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(az_malloc(n), s, n);
}
