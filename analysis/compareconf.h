/* SPDX-License-Identifier: GPL-2.0 */
/* compare's behaviour part (conformance.csv, see conform.h). */
#ifndef AZ_COMPARECONF_H
#define AZ_COMPARECONF_H

#include <stddef.h>

#include "conform.h"

/*
 * B's branches against A's: a line "behaviour changed: BRANCH: what" per
 * branch that changed, then "behaviour: changed N, same N, executed in A
 * only N, in B only N, in neither N (OUT/conformance-diff.csv)", the file
 * holding every branch (change: same, changed, only_a, only_b, neither).
 * Without a table in either run one line says so and nothing is written.
 * The number of changed branches (their names in names), or -1 reported.
 */
int az_conf_compare(const struct az_conf *a, const struct az_conf *b,
		    const char *out, char *names, size_t len);

#endif /* AZ_COMPARECONF_H */
