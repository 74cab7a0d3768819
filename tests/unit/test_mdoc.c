// SPDX-License-Identifier: GPL-2.0
/*
 * mdoc(7) text for the man pages (bench/mdoc.c): a sentence a line, no
 * line over 78 bytes where a space allows, escapes (a line's leading '.',
 * backslashes, an option's dashes), `code` in bold, blank lines as .Pp;
 * usages as macros.  Whether mandoc accepts whole pages is man/'s `make
 * check` (mandoc -T lint).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mdoc.h"

static char *text_of(const char *s, int usage)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (usage)
		vb_mdoc_usage(f, s);
	else
		vb_mdoc_text(f, s);
	fclose(f);
	return buf;
}

static void expect(const char *in, const char *want, int usage)
{
	char *got = text_of(in, usage);

	if (strcmp(got, want))
		fail_msg("for \"%s\":\n got \"%s\"\nwant \"%s\"", in, got, want);
	free(got);
}

static void test_sentences(void **state)
{
	(void)state;
	expect("One sentence. Another one? Yes (it is). \"Quoted\" too.",
	       "One sentence.\nAnother one?\nYes (it is).\n\"Quoted\" too.\n", 0);
	/* not a sentence's end: lower case, a number, an abbreviation */
	expect("e.g. this, 3.5 units. then more", "e.g. this, 3.5 units. then more\n", 0);
	/* terminal line breaks are spaces; a blank line is a paragraph */
	expect("a line\nbroken  here\n\nnext one\n", "a line broken here\n.Pp\nnext one\n", 0);
}

static void test_escapes(void **state)
{
	(void)state;
	expect("use --cpu 3 or -o DIR, not a - b", "use \\-\\-cpu 3 or \\-o DIR, not a - b\n", 0);
	expect("back\\slash", "back\\eslash\n", 0);
	expect("`code` and `--flag`", "\\fBcode\\fP and \\fB\\-\\-flag\\fP\n", 0);
	expect("a lone ` stays", "a lone \\(ga stays\n", 0);
	/* a line that would start with a control character */
	expect(".start", "\\&.start\n", 0);
	expect("'start", "\\&'start\n", 0);
	/* a CSV header is not hyphenated */
	expect("header: a,b,c", "header: \\%a,b,c\n", 0);
}

static void test_wrap(void **state)
{
	char in[400], *out, *line, *nl;
	int i;

	(void)state;
	for (in[0] = '\0', i = 0; i < 30; i++)
		strcat(in, "word .dot ");
	out = text_of(in, 0);
	for (line = out; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= 78);
		assert_true(*line != '.');	/* "\&.dot" when it starts one */
	}
	free(out);
}

static void test_usage(void **state)
{
	(void)state;
	expect("[-c FILE] -o DIR", "Oo Fl c Ar FILE Oc Fl o Ar DIR", 1);
	expect("DIR [--format json|md] [--fail-on KIND[,KIND]]",
	       "Ar DIR Oo Fl \\-format Cm json|md Oc Oo Fl \\-fail\\-on Ar KIND[,KIND] Oc", 1);
	expect("[PATTERN]", "Oo Ar PATTERN Oc", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
