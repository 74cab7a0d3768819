// SPDX-License-Identifier: GPL-2.0
/*
 * run with rounds (key `rounds`): the plan's points measured in R
 * interleaved rounds, each RUN taking its share of the point's samples;
 * samples.csv numbers a point's samples 0 .. samples - 1 across rounds,
 * windows.csv its windows likewise; points.csv in point order once every
 * round is in; a Ctrl-C in a later round keeps every round measured so
 * far and says how many each point got.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

/* Every (point, instruction) of samples.csv numbers its samples 0 .. n-1,
   each once, in rising order. */
static void assert_samples_numbered(const char *dir, unsigned int points,
				    unsigned int n)
{
	struct csv_table s;
	unsigned int p, k, seen[2][4] = { { 0 } };
	size_t r;

	assert_true(points <= 4);
	csv_table_read(&s, dir, "samples.csv");
	for (r = 1; r < s.rows; r++) {
		p = (unsigned int)strtoul(csv_cell(&s, r, "point"), NULL, 10);
		k = strcmp(csv_cell(&s, r, "instruction"), "none") != 0;
		assert_true(p < points);
		if (strtoul(csv_cell(&s, r, "sample"), NULL, 10) != seen[k][p])
			fail_msg("samples.csv row %zu: point %u sample %s, want %u",
				 r, p, csv_cell(&s, r, "sample"), seen[k][p]);
		seen[k][p]++;
	}
	for (p = 0; p < points; p++)
		for (k = 0; k < 2; k++)
			assert_int_equal(seen[k][p], n);
	csv_table_free(&s);
}

static void test_rounds_run(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "rounds");
	static const unsigned int want_unroll[] = { 1, 2, 1, 2, 1, 2 };
	static const unsigned int want_samples[] = { 4, 4, 3, 3, 3, 3 };
	struct csv_table w, p;
	unsigned int i;

	assert_int_equal(harness_main(h, "run", "--unroll", "1,2", "--samples",
				      "10", "--rounds", "3", "-o", dir, NULL),
			 VB_EXIT_OK);
	/* round by round, each point's RUN its share of the samples */
	assert_int_equal(h->fake.run_calls, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(h->fake.runs[i].point.unroll, want_unroll[i]);
		assert_int_equal(h->fake.runs[i].point.samples,
				 want_samples[i]);
		assert_int_equal(h->fake.runs[i].buf_len, 2 * want_samples[i]);
	}
	assert_samples_numbered(dir, 2, 10);
	/* one window per RUN here: numbered on, first_sample from 0, 4, 7 */
	csv_table_read(&w, dir, "windows.csv");
	assert_int_equal(w.rows, 7);
	for (i = 0; i < 6; i++) {
		static const char *const first[] = { "0", "0", "4", "4", "7", "7" };
		char win[8];

		snprintf(win, sizeof(win), "%u", i / 2);
		assert_string_equal(csv_cell(&w, i + 1, "point"), i % 2 ? "1" : "0");
		assert_string_equal(csv_cell(&w, i + 1, "window"), win);
		assert_string_equal(csv_cell(&w, i + 1, "first_sample"), first[i]);
	}
	csv_table_free(&w);
	csv_table_read(&p, dir, "points.csv");
	assert_int_equal(p.rows, 3);
	for (i = 0; i < 2; i++) {
		assert_string_equal(csv_cell(&p, i + 1, "point"), i ? "1" : "0");
		assert_string_equal(csv_cell(&p, i + 1, "status"), "measured");
		assert_string_equal(csv_cell(&p, i + 1, "records"), "20");
		assert_string_equal(csv_cell(&p, i + 1, "windows"), "3");
	}
	csv_table_free(&p);
	assert_meta_row(dir, "rounds", "3");
	assert_meta_row(dir, "samples", "20");
	assert_meta_row(dir, "points_measured", "2");
}

/* Ctrl-C in round 2 at point 1: point 0 keeps its two rounds, point 1 its
   first round and what the interrupted RUN brought. */
static void test_rounds_interrupted(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "rounds-int");
	struct csv_table p;

	h->fake.stop_at_run = 4;
	h->fake.stop_after = 2;
	h->fake.raise_sig = SIGINT;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2", "--samples",
				      "10", "--rounds", "3", "-o", dir, NULL),
			 VB_EXIT_INTERRUPTED);
	assert_int_equal(h->fake.run_calls, 4);
	csv_table_read(&p, dir, "points.csv");
	assert_int_equal(p.rows, 3);
	assert_string_equal(csv_cell(&p, 1, "status"), "interrupted");
	assert_string_equal(csv_cell(&p, 1, "reason"), "measured in 2 of 3 rounds: the run stopped at point 1");
	assert_string_equal(csv_cell(&p, 1, "records"), "14");
	assert_string_equal(csv_cell(&p, 2, "status"), "interrupted");
	assert_string_equal(csv_cell(&p, 2, "reason"), "interrupted after 2 of 6 records of round 2 of 3");
	assert_string_equal(csv_cell(&p, 2, "records"), "10");
	csv_table_free(&p);
	assert_meta_row(dir, "interrupted", "yes");
	assert_meta_row(dir, "records", "24");
}

/* A point skipped in round 0 is not tried again. */
static void test_rounds_skipped(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "rounds-skip");
	struct csv_table p;

	assert_int_equal(harness_main(h, "run", "--memtype", "wb,wt",
				      "--samples", "6", "--rounds", "2", "-o",
				      dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.run_calls, 3);	/* wb twice, wt once */
	csv_table_read(&p, dir, "points.csv");
	assert_string_equal(csv_cell(&p, 1, "status"), "measured");
	assert_string_equal(csv_cell(&p, 2, "status"), "skipped");
	csv_table_free(&p);
	assert_samples_numbered(dir, 1, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rounds_run, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_rounds_interrupted, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_rounds_skipped, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
