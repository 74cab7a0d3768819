// SPDX-License-Identifier: GPL-2.0
/*
 * Noise in the data, from the fake device: flag_nmi/flag_smi in
 * samples.csv, windows.csv (one row per described window, empty fields
 * for what could not be read), the win_buf/win_len asked for, meta.csv's
 * noise keys, the host context in a run's meta.csv, and a module that
 * describes more windows than it was given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "windows.h"

#define LAB	FIXTURES "/lab"

/* meta.csv's value of key (no doubled quotes inside). */
static void assert_meta(const char *dir, const char *key, const char *want)
{
	char *text = slurp_in(dir, "meta.csv"), pat[128], got[512];
	const char *p;

	assert_non_null(text);
	snprintf(pat, sizeof(pat), "\r\n%s,", key);
	p = strstr(text, pat);
	if (!p)
		fail_msg("meta.csv: no key %s", key);
	p += strlen(pat);
	if (*p == '"')	/* quoted (a comma inside): no quotes in these */
		snprintf(got, sizeof(got), "%.*s", (int)strcspn(p + 1, "\""),
			 p + 1);
	else
		snprintf(got, sizeof(got), "%.*s", (int)strcspn(p, "\r"), p);
	free(text);
	if (strcmp(got, want))
		fail_msg("meta %s: got '%s', want '%s'", key, got, want);
}

static const char *outdir(struct harness *h)
{
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/out", h->dir);
	return dir;
}

static void test_flags_and_windows(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct csv_table s, w;
	size_t i;

	h->fake.nmi_rec[0] = 3;
	h->fake.nmi_rec[1] = 70;
	h->fake.n_nmi = 2;
	h->fake.smi_window = 2;		/* records 64..99 */
	assert_int_equal(harness_main(h, "run", "--samples", "50", "-o", dir,
				      NULL), VB_EXIT_OK);
	/* a window takes at least one sample: win_len = samples */
	assert_int_equal(h->fake.last_run.win_len, 50);
	assert_true(h->fake.last_run.win_buf != 0);

	csv_table_read(&s, dir, "samples.csv");
	assert_int_equal(s.rows, 101);
	assert_string_equal(s.cell[22], "flag_nmi");	/* after check */
	assert_string_equal(s.cell[23], "flag_smi");
	assert_string_equal(s.cell[21], "check");
	for (i = 0; i < 100; i++) {
		assert_string_equal(csv_cell(&s, i + 1, "flag_nmi"),
				    i == 3 || i == 70 ? "1" : "0");
		assert_string_equal(csv_cell(&s, i + 1, "flag_smi"),
				    i >= 64 ? "1" : "0");
	}
	csv_table_free(&s);

	csv_table_read(&w, dir, "windows.csv");
	assert_int_equal(w.cols, 11);
	assert_string_equal(w.text, "point");
	assert_int_equal(w.rows, 3);
	{
		static const char *const want[2][11] = {
			{ "0", "0", "0", "0", "32", "64100", "2000000",
			  "2000000", "1.0000", "0", "1" },
			{ "0", "0", "1", "32", "18", "36100", "2100000",
			  "2000000", "1.0500", "1", "1" },
		};
		static const char *const cols[11] = { "point", "pass",
			"window", "first_sample", "samples", "tsc_ticks",
			"aperf", "mperf", "freq_ratio", "smi", "nmi" };
		size_t r, c;

		for (c = 0; c < 11; c++)
			assert_string_equal(w.cell[c], cols[c]);
		for (r = 0; r < 2; r++)
			for (c = 0; c < 11; c++)
				if (strcmp(w.cell[(r + 1) * 11 + c], want[r][c]))
					fail_msg("windows.csv row %zu %s: got %s, "
						 "want %s", r, cols[c],
						 w.cell[(r + 1) * 11 + c],
						 want[r][c]);
	}
	csv_table_free(&w);

	assert_meta(dir, "windows_described", "2");
	assert_meta(dir, "windows_undescribed", "0");
	assert_meta(dir, "windows_smi", "1");
	assert_meta(dir, "windows_nmi", "2");
	assert_meta(dir, "records_nmi", "2");
	assert_meta(dir, "records_smi", "36");
	assert_meta(dir, "freq_ratio_min", "1.0000");
	assert_meta(dir, "freq_ratio_max", "1.0500");
	assert_non_null(strstr(h->err_buf, "warning: 2 records saw an NMI and "
			       "36 an SMI (1 windows with an SMI)"));
}

static void test_not_readable(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct csv_table w;
	size_t r;

	/* no SMI count, no APERF/MPERF: empty fields, never 0; unknown */
	h->fake.no_smi_msr = 1;
	h->fake.no_aperf = 1;
	h->fake.smi_window = 1;		/* cannot be seen without the MSR */
	assert_int_equal(harness_main(h, "run", "--samples", "40",
				      "--instruction", "none", "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	csv_table_read(&w, dir, "windows.csv");
	assert_int_equal(w.rows, 2);
	for (r = 1; r < w.rows; r++) {
		assert_string_equal(csv_cell(&w, r, "aperf"), "");
		assert_string_equal(csv_cell(&w, r, "mperf"), "");
		assert_string_equal(csv_cell(&w, r, "freq_ratio"), "");
		assert_string_equal(csv_cell(&w, r, "smi"), "");
		assert_string_equal(csv_cell(&w, r, "nmi"), "0");
		/* instruction none: one record per sample */
		assert_string_equal(csv_cell(&w, r, "samples"), "40");
		assert_string_equal(csv_cell(&w, r, "tsc_ticks"), "40100");
	}
	csv_table_free(&w);
	assert_meta(dir, "windows_smi", "unknown");
	assert_meta(dir, "records_smi", "unknown");
	assert_meta(dir, "records_nmi", "0");
	assert_meta(dir, "freq_ratio_min", "unknown");
	assert_meta(dir, "freq_ratio_max", "unknown");
}

static void test_undescribed(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);

	/* the module counted windows beyond the descriptions */
	h->fake.extra_windows = 5;
	assert_int_equal(harness_main(h, "run", "--samples", "3", "-o", dir,
				      NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.last_run.win_len, 3);
	assert_meta(dir, "windows", "6");
	assert_meta(dir, "windows_described", "1");
	assert_meta(dir, "windows_undescribed", "5");
}

static void test_win_cap(void **state)
{
	struct harness *h = *state;

	/* memory capped: min(samples, VB_WIN_CAP) */
	assert_int_equal(harness_main(h, "run", "--samples", "100000",
				      "--instruction", "none", "-o",
				      outdir(h), NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.last_run.win_len, VB_WIN_CAP);
}

static void test_overrun(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);

	/* more descriptions than win_len: the module broke the ABI */
	h->fake.win_overrun = 20;	/* win_len is 10 */
	assert_int_equal(harness_main(h, "run", "--samples", "10", "-o", dir,
				      NULL), VB_EXIT_CHECK);
	assert_non_null(strstr(h->err_buf, "1 window descriptions that fit "
			       "no records"));
}

/* At the second RUN, windows.csv already holds the first point's rows. */
static void check_streamed(struct fake_dev *f, const struct vb_run *run)
{
	char *text;

	(void)run;
	if (f->run_calls != 1)
		return;
	text = slurp_in(f->hook_arg, "windows.csv");
	assert_non_null(text);
	assert_int_equal(count_lines(text), 2);
	assert_non_null(strstr(text, "\r\n0,0,0,0,5,"));
	free(text);
}

static void test_streamed_sweep(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct csv_table w;

	h->fake.run_hook = check_streamed;
	h->fake.hook_arg = (void *)dir;
	assert_int_equal(harness_main(h, "run", "--samples", "5", "--unroll",
				      "1,2", "-o", dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.run_calls, 2);
	csv_table_read(&w, dir, "windows.csv");
	assert_int_equal(w.rows, 3);
	assert_string_equal(csv_cell(&w, 2, "point"), "1");
	csv_table_free(&w);
}

static void test_host_context(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);

	/* a lab server's context lands in the run's meta.csv */
	h->env.root = LAB;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--cpu",
				      "2,3", "-o", dir, NULL), VB_EXIT_OK);
	assert_meta(dir, "isolcpus", "domain,managed_irq,2-3");
	assert_meta(dir, "target_isolated", "yes");
	assert_meta(dir, "target_nohz_full", "yes");
	assert_meta(dir, "governor", "performance");
	assert_meta(dir, "scaling_max_khz", "3700000");
	assert_meta(dir, "turbo", "off");
	assert_meta(dir, "smt_active", "1");
	assert_meta(dir, "nmi_watchdog", "0");
	assert_meta(dir, "microcode", "0xf8");
	assert_meta(dir, "vmx_flags", "vmx feat_locked feat_vmx vmx_basic kernel_vmx rdtscp guest");
	assert_meta(dir, "feature_control", "0x5");
	assert_meta(dir, "online_cpus", "8");
	assert_meta(dir, "hypervisor", "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flags_and_windows, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_not_readable, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_undescribed, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_win_cap, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_overrun, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_streamed_sweep, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_host_context, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
