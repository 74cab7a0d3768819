// SPDX-License-Identifier: GPL-2.0
/*
 * The key reference (bench/keyref.c): one markdown row of five cells per
 * key, in the table's order; terminal text within 79 columns, without
 * markdown's backquotes; the man page's list (mdoc) item by item; a write
 * error reported.  Whether configs/README.md
 * holds the text is check-keys-ref.sh's test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "keys.h"

static char *reference(enum vb_ref_format markdown)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(vb_keys_reference(f, markdown), 0);
	fclose(f);
	return buf;
}

/* Cell separators: '|' not escaped as "\|". */
static int separators(const char *line, size_t len)
{
	size_t i;
	int n = 0;

	for (i = 0; i < len; i++)
		n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
	return n;
}

static void test_markdown_rows(void **state)
{
	char *text = reference(VB_REF_MARKDOWN), *line, *next, want[80];
	int rows = 0, header = 0;

	(void)state;
	for (line = text; *line; line = next + 1) {
		next = strchr(line, '\n');
		assert_non_null(next);	/* every line ends */
		if (*line != '|')
			continue;
		assert_int_equal(separators(line, (size_t)(next - line)), 6);
		if (header < 2) {	/* the header and its rule */
			header++;
			continue;
		}
		assert_true(rows < VB_KEY_COUNT);
		snprintf(want, sizeof(want), "| `%s` | `--%s", vb_keys[rows].name,
			 vb_keys[rows].name);
		if (strncmp(line, want, strlen(want)))
			fail_msg("row %d: %.60s, not %s", rows, line, want);
		rows++;
	}
	assert_int_equal(header, 2);
	assert_int_equal(rows, VB_KEY_COUNT);
	assert_non_null(strstr(text, "| key | flag | values | meaning | default |\n"));
	free(text);
}

static void test_plain_text(void **state)
{
	char *text = reference(VB_REF_TEXT), *line, *next, want[80];
	int k;

	(void)state;
	assert_null(strchr(text, '`'));
	for (line = text; *line; line = next + 1) {
		next = strchr(line, '\n');
		assert_non_null(next);
		if (next - line > 79)
			fail_msg("longer than 79 columns: %.*s", (int)(next - line), line);
	}
	for (k = 0; k < VB_KEY_COUNT; k++) {
		snprintf(want, sizeof(want), "\n%s\n    --%s", vb_keys[k].name,
			 vb_keys[k].name);
		if (!strstr(text, want))
			fail_msg("no entry for %s", vb_keys[k].name);
	}
	free(text);
}

/*
 * The man page's list: an item per key in the table's order, the whole
 * within .Bl/.El; no markdown backquote, no blank or indented line, no
 * text line over 78 bytes (man/'s make check lints the page with mandoc).
 */
static void test_mdoc(void **state)
{
	char *text = reference(VB_REF_MDOC), *line, *next, want[80];
	int k = 0;

	(void)state;
	assert_null(strchr(text, '`'));
	assert_non_null(strstr(text, "\n.Bl -tag -width Ds\n"));
	assert_non_null(strstr(text, "\n.El\n"));
	for (line = text; *line; line = next + 1) {
		next = strchr(line, '\n');
		assert_non_null(next);
		assert_true(next > line && *line != ' ');
		if (*line != '.' && next - line > 78)
			fail_msg("text line over 78 bytes: %.*s", (int)(next - line), line);
		if (strncmp(line, ".It ", 4))
			continue;
		assert_true(k < VB_KEY_COUNT);
		snprintf(want, sizeof(want), ".It Cm %s\n", vb_keys[k].name);
		for (char *p = want; (p = strchr(p, '-')); p += 2) {
			memmove(p + 1, p, strlen(p) + 1);
			*p = '\\';	/* "ad-hoc" is "ad\-hoc" in a macro */
		}
		if (strncmp(line, want, strlen(want)))
			fail_msg("item %d: %.40s, not %s", k, line, want);
		k++;
	}
	assert_int_equal(k, VB_KEY_COUNT);
	free(text);
}

static void test_write_error(void **state)
{
	FILE *f = fopen("/dev/null", "r");	/* every write fails */

	(void)state;
	assert_non_null(f);
	assert_int_equal(vb_keys_reference(f, VB_REF_MARKDOWN), -1);
	assert_int_equal(vb_keys_reference(f, VB_REF_TEXT), -1);
	assert_int_equal(vb_keys_reference(f, VB_REF_MDOC), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_rows),
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_mdoc),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
