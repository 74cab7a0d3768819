// SPDX-License-Identifier: GPL-2.0
/*
 * compare's behaviour part: the two runs' conformance.csv, branch by
 * branch.  A branch executed in both runs "changed" when what the CPU did
 * (observed vector and error code, memory changed, flags after) or the
 * verdict differs; CR2 and the stored value are addresses of the run and
 * are not compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compareconf.h"
#include "csv.h"
#include "diag.h"
#include "rundir.h"

static const char diff_head[] = "branch,change,observed_vector_a,observed_vector_b,observed_error_code_a,observed_error_code_b,memory_changed_a,memory_changed_b,flags_after_a,flags_after_b,verdict_a,verdict_b,what\r\n";

static void diff_row(FILE *f, const struct az_conf_row *a,
		     const struct az_conf_row *b, int change, const char *what)
{
	static const int col[] = {
		AZ_CF_OBS_VEC, AZ_CF_OBS_ERR, AZ_CF_MEMORY, AZ_CF_FLAGS, AZ_CF_VERDICT,
	};
	size_t k;

	csv_put(f, a->f[AZ_CF_BRANCH]);
	CSV_SEP(f);
	csv_put(f, az_conf_change[change]);
	for (k = 0; k < sizeof(col) / sizeof(col[0]); k++) {
		CSV_SEP(f);
		csv_put(f, a->f[col[k]]);
		CSV_SEP(f);
		csv_put(f, b->f[col[k]]);
	}
	CSV_SEP(f);
	csv_put(f, what);
	CSV_EOL(f);
}

/* The branches side by side, into f and onto stdout; the counts in n. */
static void branches(FILE *f, const struct az_conf *a, const struct az_conf *b,
		     size_t *n, char *names, size_t len)
{
	char what[1024];
	size_t i, used = 0;

	names[0] = '\0';
	for (i = 0; i < a->nrow && i < b->nrow; i++) {
		const struct az_conf_row *ra = &a->row[i], *rb = &b->row[i];
		int ch = az_conf_cmp(ra, rb);

		what[0] = '\0';
		if (ch == AZ_CC_CHANGED) {
			az_conf_diff(ra, rb, what, sizeof(what));
			printf("behaviour changed: %s: %s\n", ra->f[AZ_CF_BRANCH], what);
			if (used < len)
				used += (size_t)snprintf(names + used, len - used, "%s%s",
							 used ? ", " : "", ra->f[AZ_CF_BRANCH]);
		} else if (ch == AZ_CC_ONLY_A || ch == AZ_CC_ONLY_B) {
			snprintf(what, sizeof(what), "not executed in %s: %s",
				 ch == AZ_CC_ONLY_A ? "B" : "A",
				 (ch == AZ_CC_ONLY_A ? rb : ra)->f[AZ_CF_REASON]);
		}
		n[ch]++;
		diff_row(f, ra, rb, ch, what);
	}
}

int az_conf_compare(const struct az_conf *a, const struct az_conf *b,
		    const char *out, char *names, size_t len)
{
	size_t n[AZ_CC_N] = { 0 };
	char *path;
	FILE *f;
	int rc;

	names[0] = '\0';
	if (!a->present || !b->present) {
		printf("behaviour: not compared: %s %s (recorded from ABI 9 on)\n",
		       !a->present && !b->present ? "neither run has" :
		       !a->present ? "run A has" : "run B has",
		       !a->present && !b->present ? "a conformance table" : "no conformance table");
		return 0;
	}
	path = az_path(out, "conformance-diff.csv");
	f = fopen(path, "wb");
	if (!f) {
		az_syserr(path, "cannot create");
		free(path);
		return -1;
	}
	fputs(diff_head, f);
	branches(f, a, b, n, names, len);
	if (fclose(f)) {
		az_syserr(path, "write error");
		free(path);
		return -1;
	}
	printf("behaviour: changed %zu, same %zu, executed in A only %zu, in B only %zu, in neither %zu (%s)\n",
	       n[AZ_CC_CHANGED], n[AZ_CC_SAME], n[AZ_CC_ONLY_A], n[AZ_CC_ONLY_B],
	       n[AZ_CC_NEITHER], path);
	rc = (int)n[AZ_CC_CHANGED];
	free(path);
	return rc;
}
