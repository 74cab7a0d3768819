// SPDX-License-Identifier: GPL-2.0
/* conformance.csv: read and checked once; the one-line summary; two runs'
   rows of a branch compared. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"
#include "csv.h"
#include "diag.h"
#include "rundir.h"

const char *const az_conf_col[AZ_CF_NCOL] = {
	"branch", "cpl", "operation", "condition", "expected_vector",
	"expected_error_code", "observed_vector", "observed_error_code", "cr2",
	"memory_changed", "flags_after", "stored", "verdict", "reason",
};

const char *const az_conf_branch[AZ_CONF_NBRANCH] = {
	"outside-vmx-cpl0", "outside-vmx-cpl3", "store", "no-current-vmcs",
	"lock-prefix", "register-operand", "noncanonical-ds", "noncanonical-ss",
	"pf-not-present", "pf-read-only", "pf-split", "cpl3-vmx-64bit",
	"cpl3-vmx-compat", "vmx-non-root",
};

const char *const az_conf_verdict[AZ_CV_N] = {
	"as-documented", "differs", "not-reachable-here",
};

const char *const az_conf_change[AZ_CC_N] = {
	"same", "changed", "only_a", "only_b", "neither",
};

static int word_of(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return (int)i;
	return -1;
}

#define WORD(s, list) word_of((s), (list), sizeof(list) / sizeof((list)[0]))

/* #UD #GP #SS #PF, "vector N" (0..255), none, vm-exit. */
static int vector_ok(const char *s)
{
	static const char *const known[] = {
		"#UD", "#GP", "#SS", "#PF", "none", "vm-exit",
	};
	char *end;
	long v;

	if (WORD(s, known) >= 0)
		return 1;
	if (strncmp(s, "vector ", 7) || !isdigit((unsigned char)s[7]))
		return 0;
	v = strtol(s + 7, &end, 10);
	return !*end && v >= 0 && v <= 255;
}

/* "0x" and 1..max hex digits (exactly max when exact). */
static int hex_ok(const char *s, size_t max, int exact)
{
	size_t n;

	if (strncmp(s, "0x", 2))
		return 0;
	n = strspn(s + 2, "0123456789abcdefABCDEF");
	return !s[2 + n] && n && n <= max && (!exact || n == max);
}

/* "none", or some of CF PF AF ZF SF OF, one space apart, each once. */
static int flags_ok(const char *s)
{
	static const char *const flag[] = { "CF", "PF", "AF", "ZF", "SF", "OF" };
	char buf[64], *w, *save = NULL;
	size_t n = strlen(s);
	unsigned seen = 0;

	if (!strcmp(s, "none"))
		return 1;
	if (!n || n >= sizeof(buf) || s[0] == ' ' || s[n - 1] == ' ' ||
	    strstr(s, "  "))
		return 0;
	memcpy(buf, s, n + 1);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		int k = WORD(w, flag);

		if (k < 0 || (seen & (1u << k)))
			return 0;
		seen |= 1u << k;
	}
	return 1;
}

/* One field against its column's vocabulary: NULL, or what it should be. */
static const char *field_bad(int col, const char *s)
{
	static const char *const cpl[] = { "0", "3" };
	static const char *const op[] = { "outside-vmx", "vmx-root", "vmx-non-root" };
	static const char *const mem[] = { "", "no", "yes", "partial" };

	switch (col) {
	case AZ_CF_CPL:
		return WORD(s, cpl) < 0 ? "0 or 3" : NULL;
	case AZ_CF_OPERATION:
		return WORD(s, op) < 0 ? "outside-vmx, vmx-root or vmx-non-root" : NULL;
	case AZ_CF_CONDITION:
		return *s ? NULL : "the reference page's words for the branch";
	case AZ_CF_EXP_VEC:
		return vector_ok(s) ? NULL : "#UD, #GP, #SS, #PF, vector N, none or vm-exit";
	case AZ_CF_OBS_VEC:
		return !*s || vector_ok(s) ? NULL : "#UD, #GP, #SS, #PF, vector N, none, vm-exit or empty (not executed)";
	case AZ_CF_CR2:
		return !*s || hex_ok(s, 16, 0) ? NULL : "0x and hex digits, or empty";
	case AZ_CF_MEMORY:
		return WORD(s, mem) < 0 ? "no, yes, partial or empty" : NULL;
	case AZ_CF_FLAGS:
		return !*s || flags_ok(s) ? NULL : "none, or some of CF PF AF ZF SF OF space-separated, or empty";
	case AZ_CF_STORED:
		return !*s || hex_ok(s, 16, 1) ? NULL : "0x and 16 hex digits, or empty";
	case AZ_CF_VERDICT:
		return WORD(s, az_conf_verdict) < 0 ? "as-documented, differs or not-reachable-here" : NULL;
	}
	return NULL;
}

/* Row i of the file (fields as read): 0, or -1 reported. */
static int check_row(const char *path, unsigned long line, size_t i,
		     char **f)
{
	const char *bad;
	int col, k;

	if (strcmp(f[AZ_CF_BRANCH], az_conf_branch[i])) {
		k = WORD(f[AZ_CF_BRANCH], az_conf_branch);
		if (k < 0)
			az_err(path, line, "branch \"%s\" is not one of the reference page's 14: expected \"%s\" here", f[AZ_CF_BRANCH], az_conf_branch[i]);
		else
			az_err(path, line, "branch \"%s\" out of order: expected \"%s\" here (row %zu of 14; the contract's order)", f[AZ_CF_BRANCH], az_conf_branch[i], i + 1);
		return -1;
	}
	for (col = AZ_CF_CPL; col < AZ_CF_NCOL; col++) {
		bad = field_bad(col, f[col]);
		if (bad) {
			az_err(path, line, "branch %s: %s \"%s\": expected %s", f[AZ_CF_BRANCH], az_conf_col[col], f[col], bad);
			return -1;
		}
	}
	k = WORD(f[AZ_CF_VERDICT], az_conf_verdict);
	if (!*f[AZ_CF_OBS_VEC] && k != AZ_CV_UNREACHABLE) {
		az_err(path, line, "branch %s: verdict %s, but observed_vector is empty (not executed): expected not-reachable-here", f[AZ_CF_BRANCH], f[AZ_CF_VERDICT]);
		return -1;
	}
	if (k != AZ_CV_DOCUMENTED && !*f[AZ_CF_REASON]) {
		az_err(path, line, "branch %s: verdict %s without a reason (the reason column says why)", f[AZ_CF_BRANCH], f[AZ_CF_VERDICT]);
		return -1;
	}
	return 0;
}

void az_conf_add(struct az_conf *c, const char *const *field)
{
	struct az_conf_row *r;
	int k;

	if (c->nrow == AZ_CONF_NBRANCH)
		return;
	r = &c->row[c->nrow++];
	for (k = 0; k < AZ_CF_NCOL; k++)
		r->f[k] = az_strdup(field[k] ? field[k] : "");
	r->verdict = WORD(r->f[AZ_CF_VERDICT], az_conf_verdict);
	if (r->verdict < 0)
		r->verdict = AZ_CV_UNREACHABLE;
	r->line = 0;
	c->count[r->verdict]++;
	c->present = 1;
}

/* The header: the 14 columns in order (later ones, if any, ignored). */
static int check_header(const struct csv_reader *r, const char *path)
{
	int k;

	for (k = 0; k < AZ_CF_NCOL; k++) {
		if ((size_t)k >= r->nfield) {
			az_err(path, r->line, "not the conformance.csv header: %zu columns, column %d should be \"%s\" (branch,cpl,operation,...,verdict,reason)", r->nfield, k + 1, az_conf_col[k]);
			return -1;
		}
		if (strcmp(r->field[k], az_conf_col[k])) {
			az_err(path, r->line, "not the conformance.csv header: column %d is \"%s\", expected \"%s\" (branch,cpl,operation,...,verdict,reason)", k + 1, r->field[k], az_conf_col[k]);
			return -1;
		}
	}
	return 0;
}

static int read_rows(struct az_conf *c, struct csv_reader *r, const char *path)
{
	size_t ncol = 0;
	unsigned long last = 1;
	int rc;

	while ((rc = csv_next(r)) > 0) {
		if (!ncol) {
			if (check_header(r, path))
				return -1;
			ncol = r->nfield;
			continue;
		}
		last = r->line;
		if (r->nfield != ncol) {
			az_err(path, r->line, "%zu fields where the header has %zu", r->nfield, ncol);
			return -1;
		}
		if (c->nrow == AZ_CONF_NBRANCH) {
			az_err(path, r->line, "a row after the 14th: the file holds one row per branch (%s is the last)", az_conf_branch[AZ_CONF_NBRANCH - 1]);
			return -1;
		}
		if (check_row(path, r->line, c->nrow, r->field))
			return -1;
		az_conf_add(c, (const char *const *)r->field);
		c->row[c->nrow - 1].line = r->line;
	}
	if (rc < 0)
		return -1;
	if (!ncol) {
		az_err(path, 1, "empty file: no header");
		return -1;
	}
	if (c->nrow < AZ_CONF_NBRANCH) {
		az_err(path, last, "%zu row%s, branch %s missing: the file holds all 14 branches (a branch not executed is a row with verdict not-reachable-here)", c->nrow, c->nrow == 1 ? "" : "s", az_conf_branch[c->nrow]);
		return -1;
	}
	return 0;
}

int az_conf_load(struct az_conf *c, const char *dir)
{
	char *path = az_path(dir, AZ_CONF_FILE);
	struct csv_reader r;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (access(path, F_OK)) {
		free(path);
		return 0;
	}
	if (csv_open(&r, path)) {
		free(path);
		return -1;
	}
	if (read_rows(c, &r, path)) {
		az_conf_free(c);
		rc = -1;
	}
	csv_close(&r);
	free(path);
	return rc;
}

void az_conf_free(struct az_conf *c)
{
	size_t i;
	int k;

	for (i = 0; i < c->nrow; i++)
		for (k = 0; k < AZ_CF_NCOL; k++)
			free(c->row[i].f[k]);
	memset(c, 0, sizeof(*c));
}

void az_conf_names(const struct az_conf *c, int v, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < c->nrow && used < len; i++)
		if (c->row[i].verdict == v)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? ", " : "", c->row[i].f[AZ_CF_BRANCH]);
}

void az_conf_summary(const struct az_conf *c, char *buf, size_t len)
{
	char names[512];
	size_t d = c->count[AZ_CV_DIFFERS];

	if (!c->present) {
		snprintf(buf, len, "Behaviour: %s", AZ_CONF_ABSENT);
		return;
	}
	az_conf_names(c, AZ_CV_DIFFERS, names, sizeof(names));
	snprintf(buf, len, "Behaviour: %zu of %zu branches as documented, %zu %s%s%s%s, %zu not reachable here",
		 c->count[AZ_CV_DOCUMENTED], c->nrow, d, d == 1 ? "differs" : "differ",
		 d ? " (" : "", names, d ? ")" : "", c->count[AZ_CV_UNREACHABLE]);
}

void az_conf_vector(const struct az_conf_row *r, int observed, char *buf,
		    size_t len)
{
	const char *v = r->f[observed ? AZ_CF_OBS_VEC : AZ_CF_EXP_VEC];
	const char *e = r->f[observed ? AZ_CF_OBS_ERR : AZ_CF_EXP_ERR];

	if (!*v)
		snprintf(buf, len, "%s", observed ? "not executed" : "");
	else if (*e)	/* the page's "#GP(0)"; "vm-exit (reason 22)" */
		snprintf(buf, len, "%s%s(%s)", v, *v == '#' ? "" : " ", e);
	else
		snprintf(buf, len, "%s", v);
}

/* What the CPU did, and the verdict: the fields two runs are compared by. */
static const int compared[] = {
	AZ_CF_OBS_VEC, AZ_CF_OBS_ERR, AZ_CF_MEMORY, AZ_CF_FLAGS, AZ_CF_VERDICT,
};

int az_conf_cmp(const struct az_conf_row *a, const struct az_conf_row *b)
{
	int ra = *a->f[AZ_CF_OBS_VEC] != '\0', rb = *b->f[AZ_CF_OBS_VEC] != '\0';
	size_t k;

	if (!ra || !rb)
		return ra ? AZ_CC_ONLY_A : rb ? AZ_CC_ONLY_B : AZ_CC_NEITHER;
	for (k = 0; k < sizeof(compared) / sizeof(compared[0]); k++)
		if (strcmp(a->f[compared[k]], b->f[compared[k]]))
			return AZ_CC_CHANGED;
	return AZ_CC_SAME;
}

void az_conf_diff(const struct az_conf_row *a, const struct az_conf_row *b,
		  char *buf, size_t len)
{
	static const char *const label[] = {
		"observed", "error code", "memory changed", "flags after", "verdict",
	};
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = 0; k < sizeof(compared) / sizeof(compared[0]) && used < len; k++) {
		const char *x = a->f[compared[k]], *y = b->f[compared[k]];

		if (strcmp(x, y))
			used += (size_t)snprintf(buf + used, len - used, "%s%s %s -> %s",
						 used ? "; " : "", label[k],
						 *x ? x : "(empty)", *y ? y : "(empty)");
	}
}
