// SPDX-License-Identifier: GPL-2.0
/*
 * The setup words of catalog history's --setup: checked, matched against a
 * headline row's setup text, and a run from before the mode axis read as
 * the mode=root setup of a newer run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "diag.h"

/* Whether every "axis=value" word of want is one of setup's words. */
int az_cat_setup_matches(const char *want, const char *setup)
{
	char w[512];
	const char *p = want;
	int n;

	while (sscanf(p, " %511s%n", w, &n) == 1) {
		size_t l = strlen(w);
		const char *q = setup;
		int found = 0;

		while (!found && (q = strstr(q, w))) {
			found = (q == setup || q[-1] == ' ') && (!q[l] || q[l] == ' ');
			q += l;
		}
		if (!found)
			return 0;
		p += n;
	}
	return 1;
}

/* setup's words but "mode=root" and, when cpu is set, "cpu=N" (malloc'd). */
static char *without(const char *setup, int cpu)
{
	char *s = az_malloc(strlen(setup) + 1), w[512];
	const char *p = setup;
	size_t o = 0;
	int n;

	s[0] = '\0';
	while (sscanf(p, " %511s%n", w, &n) == 1) {
		p += n;
		if (strcmp(w, "mode=root") && (!cpu || strncmp(w, "cpu=", 4)))
			o += (size_t)sprintf(s + o, "%s%s", o ? " " : "", w);
	}
	return s;
}

/*
 * setup's words but "mode=root" (malloc'd): a run from before the mode axis
 * measured in mode root and has no mode word, so the same setup of runs
 * from before and after it is one text.
 */
char *az_cat_root_as_before(const char *setup)
{
	return without(setup, 0);
}

char *az_cat_setup_key(const char *setup)
{
	return without(setup, 1);
}

int az_cat_has_axis(const char *setup, const char *axis)
{
	size_t l = strlen(axis);
	const char *p;

	for (p = setup; (p = strstr(p, axis)); p += l)
		if ((p == setup || p[-1] == ' ') && p[l] == '=')
			return 1;
	return 0;
}

int az_cat_setup_valid(const char *want)
{
	char w[512];
	const char *p = want;
	int n, words = 0;

	while (sscanf(p, " %511s%n", w, &n) == 1) {
		if (!strchr(w, '=') || w[0] == '=')
			return 0;
		p += n;
		words++;
	}
	return words > 0;
}
