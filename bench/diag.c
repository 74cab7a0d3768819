// SPDX-License-Identifier: GPL-2.0
/* Diagnostics: see diag.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "diag.h"

void vb_err(const struct vb_env *env, const char *fmt, ...)
{
	va_list ap;

	fputs(VB_TOOL_NAME ": ", env->err);
	va_start(ap, fmt);
	vfprintf(env->err, fmt, ap);
	va_end(ap);
	fputc('\n', env->err);
	fflush(env->err);
}

void vb_write_failed(char *msg, size_t len, const char *what)
{
	snprintf(msg, len, "%s: write failed: %s", what, strerror(errno));
}
