// SPDX-License-Identifier: GPL-2.0
/*
 * `probe` on this host: VMPTRST at ring 3 really executes.  Outside VMX
 * operation (every machine these tests run on: no VT-x, or VT-x with no
 * hypervisor holding it) that is #UD; VB_PROBE_EXPECT=gp|stored says
 * otherwise for a host where KVM holds VMX.  The classification and the
 * run directory's shape are asserted, never a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

static const char *expected(void)
{
	const char *e = getenv("VB_PROBE_EXPECT");

	return e ? e : "ud";
}

static const char *outdir(struct harness *h)
{
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/probe", h->dir);
	return dir;
}

static void test_classify_only(void **state)
{
	struct harness *h = *state;
	char want[64];

	assert_int_equal(harness_main(h, "probe", "--cpu", "1", NULL),
			 VB_EXIT_OK);
	assert_int_equal(fake_pinned_cpu, 1);
	snprintf(want, sizeof(want), "probe: CPU 1: VMPTRST at CPL 3: %s: ",
		 expected());
	assert_non_null(strstr(h->out_buf, want));
	if (!strcmp(expected(), "ud"))
		assert_non_null(strstr(h->out_buf, "#UD (SIGILL): this CPU is "
				       "not in VMX operation"));
	assert_null(slurp_in(h->dir, "probe/meta.csv"));
	assert_int_equal(h->err_len, 0);
}

static void test_run_dir(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	char *text, *meta, *p, *eol, want[128];
	unsigned int k = 0, rows = 0;


	assert_int_equal(harness_main(h, "probe", "--cpu", "2", "--samples",
				      "25", "-o", dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	text = slurp_in(dir, "samples.csv");
	assert_non_null(text);
	/* the columns of a run, so vmptrst-analyze reads it */
	p = strstr(text, "\r\n");
	assert_non_null(p);
	assert_int_equal(strncmp(text, "point,instruction,target,field,type,"
				 "mode,cpu,offset,cache,"
				 "memtype,page,tlb,ad,vmcs,serialize,unroll,"
				 "pass,sample,tsc,exit_ticks,entry_ticks,check,"
				 "flag_nmi,flag_smi\r\n",
				 (size_t)(p - text) + 2), 0);
	for (p += 2; *p; p = eol + 2, rows++) {
		/* pairs interleaved, the order swapped every pair */
		int vm_first = k % 2 == 0, vm = (rows % 2 == 0) == vm_first;
		const char *f[24];
		char *q, *end;
		int n = 0;

		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		*eol = '\0';
		for (q = p; n < 24; q++) {
			f[n++] = q;
			q += strcspn(q, ",");
			if (!*q)
				break;
			*q = '\0';
		}
		assert_int_equal(n, 24);
		assert_string_equal(f[0], "0");
		assert_string_equal(f[1], vm ? "vmptrst-fault" : "ud2");
		assert_string_equal(f[2], "");		/* target, field, type: */
		assert_string_equal(f[3], "");		/* no variant */
		assert_string_equal(f[4], "");
		assert_string_equal(f[5], "");		/* mode: ring 3, no module */
		assert_string_equal(f[6], "2");
		assert_true(strtoul(f[7], &end, 10) < 4096 && !*end && *f[7]);
		assert_string_equal(f[8], "hot");
		assert_string_equal(f[9], "wb");
		assert_string_equal(f[10], "");		/* page: not known */
		assert_string_equal(f[11], "warm");
		assert_string_equal(f[12], "set");
		assert_string_equal(f[13], "");		/* no VMCS at ring 3 */
		assert_string_equal(f[14], "lfence");
		assert_string_equal(f[15], "1");
		assert_string_equal(f[16], "0");
		assert_int_equal(strtoul(f[17], NULL, 10), k);
		strtoull(f[18], &end, 10);		/* a count, never asserted */
		assert_true(*f[18] && !*end);
		assert_string_equal(f[19], "");		/* no VM exit to split */
		assert_string_equal(f[20], "");
		assert_string_equal(f[21], "ok");
		assert_string_equal(f[22], "");		/* NMIs: not measured */
		assert_string_equal(f[23], "");
		k += rows % 2;
	}
	assert_int_equal(rows, 50);
	free(text);

	meta = slurp_in(dir, "meta.csv");
	assert_non_null(meta);
	snprintf(want, sizeof(want), "\r\nprobe_result,%s\r\n", expected());
	assert_non_null(strstr(meta, want));
	if (!strcmp(expected(), "ud")) {
		assert_non_null(strstr(meta, "\r\nprobe_signal,SIGILL\r\n"));
		assert_non_null(strstr(meta, "\r\nprobe_stored_value,none\r\n"));
	}
	assert_non_null(strstr(meta, "\r\nprobe_meaning,"));
	assert_non_null(strstr(meta, "\r\nbaseline_instruction,ud2\r\n"));
	assert_non_null(strstr(meta, "\r\nprobe_inconsistent,0\r\n"));
	assert_non_null(strstr(meta, "\r\nsamples,25\r\n"));
	assert_non_null(strstr(meta, "\r\nrecords,50\r\n"));
	assert_non_null(strstr(meta, "\r\ntarget_cpu,2\r\n"));
	assert_non_null(strstr(meta, "\r\ninstruction,vmptrst-fault ud2\r\n"));
	/* the host context as in a run, from the fixture root */
	assert_non_null(strstr(meta, "\r\nmicrocode,"));
	assert_non_null(strstr(meta, "\r\ngovernor,unknown\r\n"));
	free(meta);
	assert_non_null(strstr(h->out_buf, "probe: 25 sample pairs"));

	/* the directory now holds rows: not again without --force */
	assert_int_equal(harness_main(h, "probe", "--samples", "1", "-o", dir,
				      NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "--force"));
	assert_int_equal(harness_main(h, "probe", "--samples", "1", "-o", dir,
				      "--force", NULL), VB_EXIT_OK);
}

static void test_errors(void **state)
{
	struct harness *h = *state;

	fake_pin_err = 22;
	assert_int_equal(harness_main(h, "probe", "--cpu", "7", NULL),
			 VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "probe: CPU 7: cannot pin"));
	fake_pin_err = 0;
	assert_int_equal(harness_main(h, "probe", "--samples", "0", NULL),
			 VB_EXIT_USAGE);
	assert_int_equal(harness_main(h, "probe", "--unroll", "2", NULL),
			 VB_EXIT_USAGE);	/* not a sweep */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_classify_only, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_run_dir, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_errors, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
