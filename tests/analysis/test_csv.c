// SPDX-License-Identifier: GPL-2.0
/* csv.c: line ends, quoting, and the line numbers of malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv.h"

static FILE *mem(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

/* All records joined as "a|b;c|d;" — or NULL at an error. */
static const char *read_all(const char *s, unsigned long *err_line)
{
	static char out[4096];
	struct csv_reader r;
	FILE *f = mem(s);
	size_t i;
	int rc;

	out[0] = '\0';
	csv_init(&r, f, "mem");
	while ((rc = csv_next(&r)) > 0) {
		for (i = 0; i < r.nfield; i++) {
			strcat(out, r.field[i]);
			strcat(out, i + 1 < r.nfield ? "|" : ";");
		}
		if (err_line)
			*err_line = r.line;
	}
	if (rc < 0 && err_line)
		*err_line = r.line;
	csv_close(&r);
	fclose(f);
	return rc < 0 ? NULL : out;
}

static void test_line_ends(void **state)
{
	(void)state;
	assert_string_equal(read_all("a,b\r\nc,d\r\n", NULL), "a|b;c|d;");
	assert_string_equal(read_all("a,b\nc,d\n", NULL), "a|b;c|d;");
	assert_string_equal(read_all("a,b\r\nc,d", NULL), "a|b;c|d;");
	assert_string_equal(read_all("a,b\r\n\r\nc,\r\n", NULL), "a|b;c|;");
	assert_string_equal(read_all("", NULL), "");
}

static void test_quotes(void **state)
{
	unsigned long line = 0;

	(void)state;
	assert_string_equal(read_all("\"x,1\",\"say \"\"hi\"\"\"\r\n", NULL),
			    "x,1|say \"hi\";");
	/* a quoted line break: the next record starts on line 3 */
	assert_string_equal(read_all("\"a\r\nb\",c\r\nd,e\r\n", &line),
			    "a\r\nb|c;d|e;");
	assert_int_equal(line, 3);
}

static void test_malformed_lines(void **state)
{
	unsigned long line = 0;

	(void)state;
	assert_null(read_all("a,b\r\nc,d\r\ne,\"f\r\n", &line));
	assert_int_equal(line, 3);
	assert_null(read_all("a,b\nc,d\nx,y\"z\n", &line));
	assert_int_equal(line, 3);
	assert_null(read_all("a,b\n\"c\"d,e\n", &line));
	assert_int_equal(line, 2);
}

static void test_long_record(void **state)
{
	static char big[3 << 20];
	struct csv_reader r;
	FILE *f;

	(void)state;
	memset(big, 'x', sizeof(big) - 8);
	memcpy(big + sizeof(big) - 8, ",yy\r\nz\n", 8);
	f = fmemopen(big, sizeof(big) - 1, "r");
	csv_init(&r, f, "mem");
	assert_int_equal(csv_next(&r), 1);
	assert_int_equal(r.nfield, 2);
	assert_string_equal(r.field[1], "yy");
	assert_int_equal(strlen(r.field[0]), sizeof(big) - 8);
	assert_int_equal(csv_next(&r), 1);
	assert_string_equal(r.field[0], "z");
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);
	fclose(f);
}

static void test_numbers(void **state)
{
	double v;

	(void)state;
	assert_int_equal(csv_number("123", &v), 0);
	assert_float_equal(v, 123, 0);
	assert_int_equal(csv_number("-1.5e2", &v), 0);
	assert_float_equal(v, -150, 0);
	assert_int_equal(csv_number("", &v), 1);
	assert_int_equal(csv_number("12a", &v), -1);
	assert_int_equal(csv_number("0x10", &v), -1);
	assert_int_equal(csv_number("nan", &v), -1);
	assert_int_equal(csv_number("1,5", &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_long_record),
		cmocka_unit_test(test_numbers),
	};

	/* malformed input is reported on stderr: keep the test output clean */
	if (!freopen("/dev/null", "w", stderr))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
