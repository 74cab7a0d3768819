// SPDX-License-Identifier: GPL-2.0
/* One doctor line, printed and counted: below every check (doctor.h). */
#include <stdarg.h>
#include <stdio.h>

#include "doctor.h"

void vb_doctor_line(struct doctor *d, enum verdict v, const char *what,
		    const char *fix, const char *fmt, ...)
{
	static const char *const names[] = { "PASS", "WARN", "FAIL" };
	FILE *f = d->env->out;
	va_list ap;

	d->n[v]++;
	fprintf(f, "%s  %s: ", names[v], what);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (v != PASS && fix)
		fprintf(f, " (fix: %s)", fix);
	fputc('\n', f);
}
