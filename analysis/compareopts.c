// SPDX-License-Identifier: GPL-2.0
/* compare's command line: options, --fail-on's kinds, the gate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "diag.h"

int az_cmp_usage(FILE *f, int rc)
{
	fputs("usage: " AZ_TOOL " compare DIR_A DIR_B [-o DIR] [--threshold PCT] [--alpha P] [--fail-on KIND[,KIND]]\n"
	      "\n"
	      "Compares run B against run A (e.g. new microcode against old), point\n"
	      "by point, matching points by their axis values (all columns before\n"
	      "`sample` but point and cpu).  Prints meta.csv differences first, a\n"
	      "WARNING block when the runs differ in more than microcode (host,\n"
	      "kernel, CPU, platform, governor, turbo, SMT) or are emulated, then one\n"
	      "line per point (point numbers, setup columns, B - A in TSC ticks, ns\n"
	      "and % of A with 95% CIs, Mann-Whitney p) and last the counts\n"
	      "`faster N, slower N, same N, only-A N, only-B N`.  Before it, the\n"
	      "behaviour: each branch of the reference page executed in both runs\n"
	      "whose observed vector, error code, memory change, flags or verdict\n"
	      "differs (conformance.csv, from ABI 9 on), and their counts.\n"
	      "Writes DIR/compare.csv, DIR/meta-diff.csv, DIR/conformance-diff.csv\n"
	      "(when both runs have conformance.csv) and DIR/plots/ (overlaid\n"
	      "CDFs).  DIR defaults to DIR_B/compare.\n"
	      "\n"
	      "  --threshold PCT  smallest difference that counts, in percent of A's\n"
	      "                   median (default 1)\n"
	      "  --alpha P        Mann-Whitney significance level (default 0.05)\n"
	      "  --fail-on KIND   exit 4 when a verdict is slower, faster, or either\n"
	      "                   (any), or when a branch's behaviour changed\n"
	      "                   (behaviour); kinds comma-separated\n"
	      "                   (slower,behaviour): a gate for CI\n"
	      "\n"
	      "verdict: slower when the 95% CI of B - A is above 0, p < alpha and\n"
	      "B - A >= threshold; faster symmetrically; otherwise same.\n"
	      "Exit: 0, 1 bad data or no point in common, 2 bad command line,\n"
	      "4 --fail-on matched.\n", f);
	return rc;
}

/* "slower,behaviour" -> FAIL_SLOWER | FAIL_BEHAVIOUR; -1 for a word
   not a kind. */
static int fail_kinds(const char *arg)
{
	static const struct {
		const char *name;
		int kind;
	} kinds[] = {
		{ "slower", AZ_FAIL_SLOWER }, { "faster", AZ_FAIL_FASTER },
		{ "any", AZ_FAIL_ANY }, { "behaviour", AZ_FAIL_BEHAVIOUR },
	};
	int set = 0;

	while (*arg) {
		size_t n = strcspn(arg, ","), k;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strlen(kinds[k].name) == n && !strncmp(arg, kinds[k].name, n))
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			return -1;
		set |= kinds[k].kind;
		arg += n;
		if (*arg == ',' && *++arg == '\0')
			return -1;
	}
	return set ? set : -1;
}

int az_cmp_parse(int argc, char **argv, struct az_cmp_opts *o)
{
	int i;
	char *e;

	memset(o, 0, sizeof(*o));
	o->threshold_pct = 1;
	o->alpha = 0.05;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (!strcmp(a, "-o") || !strcmp(a, "--threshold") ||
		    !strcmp(a, "--alpha") || !strcmp(a, "--fail-on")) {
			if (i + 1 >= argc) {
				az_err(NULL, 0, "compare: %s needs a value", a);
				return -1;
			}
			if (!strcmp(a, "-o")) {
				o->out = argv[++i];
				continue;
			}
			if (!strcmp(a, "--fail-on")) {
				o->fail_on_arg = argv[++i];
				o->fail_on = fail_kinds(o->fail_on_arg);
				if (o->fail_on < 0) {
					az_err(NULL, 0, "compare: --fail-on \"%s\": expected slower, faster, any or behaviour (comma-separated)", o->fail_on_arg);
					return -1;
				}
				continue;
			}
			double v = strtod(argv[++i], &e);

			if (*e || e == argv[i] || !(v >= 0) ||
			    (!strcmp(a, "--alpha") && !(v > 0 && v < 1))) {
				az_err(NULL, 0, "compare: %s \"%s\": not a valid value", a, argv[i]);
				return -1;
			}
			if (!strcmp(a, "--alpha"))
				o->alpha = v;
			else
				o->threshold_pct = v;
		} else if (a[0] == '-') {
			az_err(NULL, 0, "compare: unknown option %s (see compare --help)", a);
			return -1;
		} else if (!o->a) {
			o->a = a;
		} else if (!o->b) {
			o->b = a;
		} else {
			az_err(NULL, 0, "compare: more than two run directories");
			return -1;
		}
	}
	if (!o->b) {
		az_err(NULL, 0, "compare: expected DIR_A DIR_B (see compare --help)");
		return -1;
	}
	return 0;
}

/* Did --fail-on match?  Says why on stderr (one line). */
int az_cmp_gate(const struct az_cmp_opts *o, const struct az_cmp_tally *t,
		int changed, const char *names)
{
	int hit = ((o->fail_on & AZ_FAIL_SLOWER) && t->slower) ||
		  ((o->fail_on & AZ_FAIL_FASTER) && t->faster) ||
		  ((o->fail_on & AZ_FAIL_BEHAVIOUR) && changed > 0);

	if (hit && !(o->fail_on & AZ_FAIL_BEHAVIOUR))
		az_err(NULL, 0, "compare --fail-on %s: %zu slower, %zu faster verdicts", o->fail_on_arg, t->slower, t->faster);
	else if (hit)
		az_err(NULL, 0, "compare --fail-on %s: %zu slower, %zu faster verdicts; behaviour changed on %d branch%s%s%s%s", o->fail_on_arg, t->slower, t->faster, changed, changed == 1 ? "" : "es", changed > 0 ? " (" : "", names, changed > 0 ? ")" : "");
	return hit;
}
