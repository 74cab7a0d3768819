/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnostics, at the bottom of the dependency graph: every part of the
 * driver says what went wrong through these, and they depend on nothing
 * of the driver's (as analysis/diag.c does for vmptrst-analyze).
 */
#ifndef VB_DIAG_H
#define VB_DIAG_H

#include <stddef.h>

struct vb_env;

/* One line on env->err: "vmptrst-bench: " fmt "\n". */
void vb_err(const struct vb_env *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "WHAT: write failed: strerror(errno)" into msg (len bytes). */
void vb_write_failed(char *msg, size_t len, const char *what);

#endif /* VB_DIAG_H */
