// SPDX-License-Identifier: GPL-2.0
/* RFC 4180 writing, and output files: quoting, CRLF, ENOSPC, no overwrite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "csv.h"
#include "harness.h"
#include "outdir.h"

static char *row_text(const char *const *fields, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(vb_csv_row(f, fields, n), 0);
	fclose(f);
	return buf;
}

static void test_quoting(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "line\nbreak", "\"line\nbreak\"" },
		{ "cr\rhere", "\"cr\rhere\"" },
		{ "crlf\r\n", "\"crlf\r\n\"" },
		{ "semi;colon 'single'", "semi;colon 'single'" },
		{ " spaces kept ", " spaces kept " },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *f[1] = { cases[i].in };
		char *got = row_text(f, 1), want[64];

		snprintf(want, sizeof(want), "%s\r\n", cases[i].out);
		assert_string_equal(got, want);
		assert_int_equal(vb_csv_needs_quotes(cases[i].in),
				 strcmp(cases[i].in, cases[i].out) != 0);
		free(got);
	}
}

static void test_row(void **state)
{
	const char *fields[] = { "key", "a,b", "", "x\"y" };
	char *got = row_text(fields, 4);

	(void)state;
	assert_string_equal(got, "key,\"a,b\",,\"x\"\"y\"\r\n");
	free(got);
	got = row_text(fields, 0);
	assert_string_equal(got, "\r\n");
	free(got);
}

static void test_enospc(void **state)
{
	FILE *f = fopen("/dev/full", "w");
	char msg[256] = "";
	int i;

	(void)state;
	if (!f)
		skip();
	for (i = 0; i < 10; i++)
		vb_csv_field(f, "0123456789,abcdef", i == 0);
	assert_int_equal(vb_outfile_close_stream(f, "full.csv", msg,
						 sizeof(msg)), -1);
	assert_non_null(strstr(msg, "full.csv: write failed: "));
	assert_non_null(strstr(msg, "No space left on device"));
}

static void test_outdir(void **state)
{
	struct harness h;
	struct vb_outfile o;
	char dir[256], msg[256], *s;
	struct stat st;

	(void)state;
	harness_init(&h);
	snprintf(dir, sizeof(dir), "%s/a/b/c", h.dir);
	assert_int_equal(vb_outdir_prepare(dir, 0, msg, sizeof(msg)), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* again: an existing directory is fine */
	assert_int_equal(vb_outdir_prepare(dir, 0, msg, sizeof(msg)), 0);

	assert_int_equal(vb_outfile_open(&o, dir, "samples.csv", msg,
					 sizeof(msg)), 0);
	/* nothing at the final name until the commit */
	s = slurp_in(dir, "samples.csv");
	assert_null(s);
	fputs("x\r\n", o.f);
	assert_int_equal(vb_outfile_commit(&o, msg, sizeof(msg)), 0);
	s = slurp_in(dir, "samples.csv");
	assert_string_equal(s, "x\r\n");
	free(s);
	assert_null(slurp_in(dir, "samples.csv.tmp"));

	/* a header alone (nothing measured) may be replaced */
	assert_int_equal(vb_outdir_prepare(dir, 0, msg, sizeof(msg)), 0);

	/* a samples.csv with rows is kept unless forced */
	assert_int_equal(vb_outfile_open_direct(&o, dir, "samples.csv", msg,
						sizeof(msg)), 0);
	fputs("x\r\ny", o.f);
	assert_null(slurp_in(dir, "samples.csv.tmp"));
	assert_int_equal(vb_outfile_close(&o, msg, sizeof(msg)), 0);
	s = slurp_in(dir, "samples.csv");
	assert_string_equal(s, "x\r\ny");	/* in place, no rename */
	free(s);
	assert_int_equal(vb_outdir_prepare(dir, 0, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "samples.csv exists and holds measured rows"));
	assert_non_null(strstr(msg, "--force"));
	assert_int_equal(vb_outdir_prepare(dir, 1, msg, sizeof(msg)), 0);

	/* an aborted file leaves nothing behind */
	assert_int_equal(vb_outfile_open(&o, dir, "meta.csv", msg,
					 sizeof(msg)), 0);
	vb_outfile_abort(&o);
	assert_null(slurp_in(dir, "meta.csv.tmp"));
	assert_null(slurp_in(dir, "meta.csv"));

	/* a file where the directory should be */
	snprintf(dir, sizeof(dir), "%s/a/b/c/samples.csv/d", h.dir);
	assert_int_equal(vb_outdir_prepare(dir, 0, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "cannot create the output directory"));
	harness_fini(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_row),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_outdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
