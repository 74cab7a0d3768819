// SPDX-License-Identifier: GPL-2.0
/* stats.c: exact, hand-checked small cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "stats.h"

static void test_quantile_type7(void **state)
{
	double v[] = { 1, 2, 3, 4, 10 };

	(void)state;
	/* h = (n - 1) p: p25 -> h = 1 -> 2; p01 -> h = 0.04 -> 1.04 */
	assert_float_equal(az_quantile(v, 5, 0.25), 2.0, 1e-12);
	assert_float_equal(az_quantile(v, 5, 0.5), 3.0, 1e-12);
	assert_float_equal(az_quantile(v, 5, 0.01), 1.04, 1e-12);
	assert_float_equal(az_quantile(v, 5, 0.95), 4 + 0.8 * 6, 1e-12);
	assert_float_equal(az_quantile(v, 5, 1.0), 10.0, 1e-12);
	assert_float_equal(az_quantile(v, 1, 0.99), 1.0, 1e-12);
	assert_float_equal(az_quantile(v, 4, 0.5), 2.5, 1e-12);
}

static void test_describe(void **state)
{
	double v[] = { 1, 2, 3, 4, 100 };
	struct dist d;

	(void)state;
	az_describe(v, 5, &d);
	assert_int_equal(d.n, 5);
	assert_float_equal(d.mean, 22.0, 1e-12);
	/* deviations from 3: 2 1 0 1 97 -> MAD 1 */
	assert_float_equal(d.mad, 1.0, 1e-12);
	/* |100 - 3| > 5.189: one outlier; |1 - 3| = 2 is not */
	assert_int_equal(d.outliers, 1);
	assert_float_equal(d.stddev, sqrt((21 * 21 + 20 * 20 + 19 * 19 +
					   18 * 18 + 78 * 78) / 4.0), 1e-9);
	assert_true(isnan(d.med_lo));	/* n < 6 */
}

static void test_constant_and_single(void **state)
{
	double c[8] = { 5, 5, 5, 5, 5, 5, 5, 5 }, one = 7;
	struct dist d;

	(void)state;
	az_describe(c, 8, &d);
	assert_float_equal(d.mad, 0, 0);
	assert_int_equal(d.outliers, 0);
	assert_float_equal(d.med_lo, 5, 0);
	assert_float_equal(d.med_hi, 5, 0);
	az_describe(&one, 1, &d);
	assert_float_equal(d.median, 7, 0);
	assert_true(isnan(d.stddev));
	az_describe(NULL, 0, &d);
	assert_int_equal(d.n, 0);
	assert_true(isnan(d.median));
}

static void test_mad_zero_outliers(void **state)
{
	double v[] = { 4, 5, 5, 5, 5, 5, 6 };
	struct dist d;

	(void)state;
	az_describe(v, 7, &d);
	assert_float_equal(d.mad, 0, 0);
	assert_int_equal(d.outliers, 2);	/* MAD 0: any x != median */
}

static void test_ci_rank(void **state)
{
	(void)state;
	assert_int_equal(az_median_ci_rank(5), 0);
	/* n = 6: P(B <= 0) = 1/64 <= .025, P(B <= 1) = 7/64 > .025 */
	assert_int_equal(az_median_ci_rank(6), 1);
	/* n = 10: P(B <= 1) = 11/1024, P(B <= 2) = 56/1024 */
	assert_int_equal(az_median_ci_rank(10), 2);
	/* n = 100: P(B <= 39) = .0176, P(B <= 40) = .0284 -> l = 40 */
	assert_int_equal(az_median_ci_rank(100), 40);
}

static void test_sort(void **state)
{
	size_t n = 100000, i;
	double *v = malloc(n * sizeof(double));

	(void)state;
	srand(7);
	for (i = 0; i < n; i++)
		v[i] = (rand() % 3 ? 1.0 : -1.0) * (double)(rand() % 100000) / 7.0;
	v[5] = -0.0;
	v[6] = 0.0;
	az_sort(v, n);
	for (i = 1; i < n; i++)
		assert_true(v[i - 1] <= v[i]);
	free(v);
}

static void test_mann_whitney(void **state)
{
	/* a = 1 2 3, b = 4 5 6: U_a = 0; sigma = sqrt(9 * 7 / 12);
	   z = (9 - 4.5 - 0.5) / sigma; p = erfc(z / sqrt 2) */
	double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 }, u, p;
	double sigma = sqrt(9.0 * 7 / 12);

	(void)state;
	p = az_mann_whitney(a, 3, b, 3, &u);
	assert_float_equal(u, 0, 0);
	assert_float_equal(p, erfc((4.0 / sigma) / sqrt(2.0)), 1e-12);
	p = az_mann_whitney(a, 3, a, 3, &u);
	assert_float_equal(u, 4.5, 1e-12);
	assert_float_equal(p, 1.0, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile_type7),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_constant_and_single),
		cmocka_unit_test(test_mad_zero_outliers),
		cmocka_unit_test(test_ci_rank),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_mann_whitney),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
