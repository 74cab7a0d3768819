/* SPDX-License-Identifier: GPL-2.0 */
/* vmptrst-analyze(1)'s generated parts: see analyze-help.c. */
#ifndef AZ_MAN_H
#define AZ_MAN_H

#include <stdio.h>

/*
 * PART ("synopsis", "commands", "notes") of vmptrst-analyze(1) in mdoc,
 * from the --help of the program at path analyze: 0, or -1.
 */
int az_man_part(FILE *out, const char *analyze, const char *part);

#endif /* AZ_MAN_H */
