/* SPDX-License-Identifier: GPL-2.0 */
/* Diagnostics: one line on stderr, "vmptrst-analyze: FILE:LINE: what". */
#ifndef AZ_DIAG_H
#define AZ_DIAG_H

#define AZ_TOOL "vmptrst-analyze"

/* Exit codes. */
#define AZ_EXIT_OK	0
#define AZ_EXIT_DATA	1	/* bad data, I/O, a failed tool */
#define AZ_EXIT_USAGE	2	/* bad command line */
#define AZ_EXIT_GATE	4	/* compare --fail-on: a verdict of that kind */

/* "vmptrst-analyze: FILE:LINE: msg" (line 0: no line; file NULL: none). */
void az_err(const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "vmptrst-analyze: warning: FILE:LINE: msg", same rules. */
void az_warn(const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* az_err(file, 0, "...: strerror(errno)") */
void az_syserr(const char *file, const char *what);
/* Abort on allocation failure: the statistics cannot go on without it. */
void *az_malloc(size_t n);
void *az_realloc(void *p, size_t n);
char *az_strdup(const char *s);

#endif /* AZ_DIAG_H */
