/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing mdoc(7), the man pages' language, from the texts the driver's
 * tables hold for --help and the key reference: escapes, one sentence a
 * line (mandoc -T lint's rule), markdown's `code` spans in bold.
 */
#ifndef VB_MDOC_H
#define VB_MDOC_H

#include <stdio.h>

/*
 * s as filled text lines: a new line after each sentence, a blank line in
 * s (two '\n') as .Pp, other line breaks as spaces; `code` in bold; a
 * backslash, a line's leading '.' or '\'', an option's '-' escaped.
 */
void vb_mdoc_text(FILE *out, const char *s);

/* s as one argument of a macro line: escaped, quoted when it has a space. */
void vb_mdoc_arg(FILE *out, const char *s);

/*
 * A usage like "[-c FILE] -o DIR" as macro arguments: "[" and "]" as Oo and
 * Oc, -x as Fl x, an upper-case word as Ar, any other as Cm.
 */
void vb_mdoc_usage(FILE *out, const char *usage);

#endif /* VB_MDOC_H */
