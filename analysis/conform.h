/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DIR/conformance.csv (ABI 9 on): what the CPU did on each branch of the
 * reference page's VMPTRST, beside what the page says, with a verdict.
 * Read and checked once here for every view (report, export, compare,
 * catalogue); a run from before ABI 9 has no file, and every view says so
 * with AZ_CONF_ABSENT.  The contract: analysis/README.md, "conformance.csv".
 */
#ifndef AZ_CONFORM_H
#define AZ_CONFORM_H

#include <stddef.h>

#define AZ_CONF_FILE	"conformance.csv"
#define AZ_CONF_NBRANCH	14
#define AZ_CONF_ABSENT	"no conformance table in this run (recorded from ABI 9 on)"

/* The columns, in the file's order. */
enum az_conf_col {
	AZ_CF_BRANCH, AZ_CF_CPL, AZ_CF_OPERATION, AZ_CF_CONDITION,
	AZ_CF_EXP_VEC, AZ_CF_EXP_ERR, AZ_CF_OBS_VEC, AZ_CF_OBS_ERR, AZ_CF_CR2,
	AZ_CF_MEMORY, AZ_CF_FLAGS, AZ_CF_STORED, AZ_CF_VERDICT, AZ_CF_REASON,
	AZ_CF_NCOL
};

enum az_conf_verdict { AZ_CV_DOCUMENTED, AZ_CV_DIFFERS, AZ_CV_UNREACHABLE, AZ_CV_N };

extern const char *const az_conf_col[AZ_CF_NCOL];	/* header names */
extern const char *const az_conf_branch[AZ_CONF_NBRANCH];
extern const char *const az_conf_verdict[AZ_CV_N];	/* as-documented ... */

struct az_conf_row {
	char *f[AZ_CF_NCOL];	/* as written; "" when empty */
	int verdict;		/* enum az_conf_verdict */
	unsigned long line;	/* in the file; 0 when from the catalogue */
};

struct az_conf {
	int present;		/* 0: no conformance.csv (before ABI 9) */
	size_t nrow;		/* AZ_CONF_NBRANCH when present */
	struct az_conf_row row[AZ_CONF_NBRANCH];
	size_t count[AZ_CV_N];	/* rows per verdict */
};

/*
 * DIR/conformance.csv into c: 0 (also when the file is absent: c->present
 * 0), or -1 with one line "DIR/conformance.csv:LINE: what" on stderr.
 * Checked: the header, the 14 branches in the contract's order, cpl,
 * operation, vectors, cr2, memory_changed, flags_after, stored and verdict
 * from their vocabularies, a reason for differs and not-reachable-here,
 * and no verdict but not-reachable-here for a branch not executed.
 */
int az_conf_load(struct az_conf *c, const char *dir);
/* Append a row already checked (the catalogue's); fields NULL read as "". */
void az_conf_add(struct az_conf *c, const char *const *field);
void az_conf_free(struct az_conf *c);

/* "Behaviour: N of 14 branches as documented, N differ (a, b), N not
   reachable here", or "Behaviour: " AZ_CONF_ABSENT. */
void az_conf_summary(const struct az_conf *c, char *buf, size_t len);
/* The names of the rows of verdict v, ", "-separated ("" when none). */
void az_conf_names(const struct az_conf *c, int v, char *buf, size_t len);
/* "#GP(0)", "#PF(P=0 W=1)", "vm-exit (reason 22)", "none": the vector and its
   error code as the page writes them; observed: "not executed" when empty. */
void az_conf_vector(const struct az_conf_row *r, int observed, char *buf, size_t len);

/* The same branch in two runs: what the CPU did (observed vector and error
   code, memory changed, flags after) and the verdict. */
enum az_conf_change {
	AZ_CC_SAME, AZ_CC_CHANGED,
	AZ_CC_ONLY_A, AZ_CC_ONLY_B,	/* executed in one run only */
	AZ_CC_NEITHER, AZ_CC_N
};
extern const char *const az_conf_change[AZ_CC_N];	/* same, changed, ... */
int az_conf_cmp(const struct az_conf_row *a, const struct az_conf_row *b);
/* "observed #UD -> none; verdict as-documented -> differs": the fields
   that differ between a and b. */
void az_conf_diff(const struct az_conf_row *a, const struct az_conf_row *b,
		  char *buf, size_t len);

#endif /* AZ_CONFORM_H */
