// SPDX-License-Identifier: GPL-2.0
/*
 * Lists of names (keys, options, values, events): the nearest one to a
 * misspelt name, for "did you mean ...", and "a|b|c".  See keys.h.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"

size_t vb_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *vb_closest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t i, best_d = 5;	/* twice the distance: at most 2 edits */

	for (i = 0; i < n; i++) {
		size_t d;

		if (!cands[i] || !*cands[i])	/* "": not applicable */
			continue;
		d = 2 * vb_edit_distance(name, cands[i]);
		if (*name && !strncmp(cands[i], name, strlen(name)))
			d--;	/* a tie goes to the one it begins */
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

void vb_join_names(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *names && used < len; names++)
		if (**names)	/* "": not applicable, no value to give */
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%s", used ? "|" : "",
						 *names);
}
