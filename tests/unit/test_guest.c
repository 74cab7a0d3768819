// SPDX-License-Identifier: GPL-2.0
/*
 * mode=guest end to end with the fake device: exit_buf asked for in guest
 * RUNs only; every record's VM exits checked by the driver, a wrong
 * qualification, instruction information, count, reason or length a
 * mismatch like a wrong stored value (check=mismatch, exit 3, one line
 * naming point, record and field), whatever the module flagged; points.csv's
 * exit columns; the stored value by vb_insn_stores(); a CPU without VPID,
 * a kernel with FRED;
 * the user backend's skip; the --mode flag's errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

/* Root vmptrst, then guest vmptrst, cpuid, vmcall, mov, none at unroll 1, 4. */
static const char guest_ini[] =
	"[global]\nsamples = 10\n[root]\ninstruction = vmptrst\n"
	"[guest]\nmode = guest\ninstruction = vmptrst, cpuid, vmcall, mov, none\n"
	"unroll = 1, 4\n";

/* points.csv's exit columns of row r: reason, qualification, info, len. */
static void assert_exit(const struct csv_table *t, size_t r, const char *reason,
			const char *qual, const char *info, const char *len)
{
	assert_string_equal(csv_cell(t, r, "exit_reason"), reason);
	assert_string_equal(csv_cell(t, r, "exit_qualification"), qual);
	assert_string_equal(csv_cell(t, r, "exit_insn_info"), info);
	assert_string_equal(csv_cell(t, r, "exit_insn_len"), len);
}

static void test_guest_ok(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "ok");
	char *path = harness_file(h, "g.ini", guest_ini);
	struct csv_table s, p;
	size_t i, guest = 0;
	int k;

	assert_int_equal(harness_main(h, "run", "-c", path, "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	/* exit_buf for the guest RUNs, never for the root one */
	assert_int_equal(h->fake.run_calls, 11);
	assert_true(h->fake.runs[0].exit_buf == 0);
	for (k = 1; k < 11; k++) {
		assert_true(h->fake.runs[k].exit_buf != 0);
		assert_int_equal(h->fake.runs[k].point.mode, VB_MODE_GUEST);
	}
	csv_table_read(&s, dir, "samples.csv");
	assert_int_equal(s.rows, 1 + 20 + 4 * 40 + 20);
	/* after instruction and its variants */
	assert_string_equal(s.cell[1], "instruction");
	assert_string_equal(s.cell[5], "mode");
	for (i = 1; i < s.rows; i++) {
		int root = !strcmp(csv_cell(&s, i, "point"), "0");

		assert_string_equal(csv_cell(&s, i, "check"), "ok");
		assert_string_equal(csv_cell(&s, i, "mode"),
				    root ? "root" : "guest");
		guest += !root;
	}
	assert_int_equal(guest, 180);
	csv_table_free(&s);

	csv_table_read(&p, dir, "points.csv");
	assert_int_equal(p.rows, 12);
	assert_string_equal(csv_cell(&p, 1, "mode"), "root");
	assert_exit(&p, 1, "", "", "", "");	/* a root point: none */
	for (i = 2; i < 12; i++) {
		const char *insn = csv_cell(&p, i, "instruction");

		assert_string_equal(csv_cell(&p, i, "mode"), "guest");
		assert_string_equal(csv_cell(&p, i, "status"), "measured");
		assert_string_equal(csv_cell(&p, i, "mismatches"), "0");
		/* address size 64 (2 << 7), DS (3 << 15), no index, base RBX */
		if (!strcmp(insn, "vmptrst"))
			assert_exit(&p, i, "0x16", "0x1238", "0x1c18100", "0x7");
		else if (!strcmp(insn, "cpuid"))
			assert_exit(&p, i, "0xa", "0x0", "0x0", "0x2");
		else if (!strcmp(insn, "vmcall"))
			assert_exit(&p, i, "0x12", "0x0", "0x0", "0x3");
		else	/* mov and none: no exit */
			assert_exit(&p, i, "", "", "", "");
	}
	csv_table_free(&p);
	assert_meta_row(dir, "mode", "root guest");
	assert_meta_row(dir, "instruction", "vmptrst cpuid vmcall mov none");
	assert_meta_row(dir, "mismatches", "0");
	assert_meta_row(dir, "exit_mismatches", "0");
	free(path);
}

/* A record whose exits are wrong: which record, how, and the line wanted. */
struct exit_case {
	const char *insn;
	uint32_t record;		/* its index in the RUN */
	enum fake_exit_fault fault;
	const char *line;		/* the report's, after "record " */
};

/* unroll 4, 10 samples: record 4 is sample 2's instruction, 5 its baseline */
static const struct exit_case exit_cases[] = {
	{ "vmptrst", 4, FAKE_EXIT_QUAL, "4 (sample 2): qualification 0x1230, "
	  "expected 0x1238 (the operand's displacement)" },
	{ "vmptrst", 4, FAKE_EXIT_INFO, "4 (sample 2): instruction information "
	  "0x418100 (address size 2, segment 3, base 0, no index), expected "
	  "address size 2 (64-bit), segment 3 (DS), base 3 (RBX), no index" },
	{ "vmptrst", 4, FAKE_EXIT_COUNT, "4 (sample 2): exits 3, expected 4 "
	  "(vmptrst, unroll 4)" },
	{ "vmptrst", 4, FAKE_EXIT_REASON, "4 (sample 2): reason 0xc (basic 12), "
	  "expected 22 for vmptrst" },
	{ "vmptrst", 4, FAKE_EXIT_LEN, "4 (sample 2): length 8, expected 7 (the "
	  "encoding of vmptrst)" },
	{ "cpuid", 4, FAKE_EXIT_LEN, "4 (sample 2): length 3, expected 2 (the "
	  "encoding of cpuid)" },
	{ "vmcall", 4, FAKE_EXIT_REASON, "4 (sample 2): reason 0xc (basic 12), "
	  "expected 18 for vmcall" },
	/* the other VM-exit references: reason, qualification, length */
	{ "rdmsr", 4, FAKE_EXIT_REASON, "4 (sample 2): reason 0xc (basic 12), "
	  "expected 31 for rdmsr" },
	{ "io", 4, FAKE_EXIT_QUAL, "4 (sample 2): qualification 0x800038, "
	  "expected 0x800040 (OUT, 1 byte, immediate port 0x80)" },
	{ "xsetbv", 4, FAKE_EXIT_LEN, "4 (sample 2): length 4, expected 3 (the "
	  "encoding of xsetbv)" },
	{ "invd", 4, FAKE_EXIT_COUNT, "4 (sample 2): exits 3, expected 4 "
	  "(invd, unroll 4)" },
	{ "cr3-load", 4, FAKE_EXIT_QUAL, "4 (sample 2): qualification 0xfb, "
	  "expected 0x103 (MOV to CR3 from RCX)" },
	{ "rdmsr", 4, FAKE_EXIT_QUAL, "4 (sample 2): qualification "
	  "0xfffffffffffffff8, expected 0x0 (cleared: the instruction has "
	  "none)" },
	/* a baseline record that exited */
	{ "vmptrst", 5, FAKE_EXIT_COUNT, "5 (sample 2): exits 1, expected 0 "
	  "(none, unroll 4)" },
	{ "mov", 4, FAKE_EXIT_COUNT, "4 (sample 2): exits 1, expected 0 (mov, "
	  "unroll 4)" },
};

static void test_guest_exit_wrong(void **state)
{
	struct harness *h = *state;
	char want[512], name[16];
	struct csv_table s, p;
	size_t c, i;

	for (c = 0; c < sizeof(exit_cases) / sizeof(exit_cases[0]); c++) {
		const struct exit_case *x = &exit_cases[c];
		const char *dir;

		snprintf(name, sizeof(name), "bad%zu", c);
		dir = harness_outdir(h, name);
		h->fake.exit_bad[0] = x->record;
		h->fake.n_exit_bad = 1;
		h->fake.exit_fault = x->fault;
		h->fake.flag_bad = 1;	/* the module flags and counts it */
		assert_int_equal(harness_main(h, "run", "--mode", "guest",
					      "--instruction", x->insn,
					      "--unroll", "4", "--samples",
					      "10", "-o", dir, NULL),
				 VB_EXIT_CHECK);
		snprintf(want, sizeof(want), "vmptrst-bench: 1 of 20 records failed the check; all rows written, see the check column\nvmptrst-bench: 1 of 20 records failed the VM-exit check (mode=guest), the first at point 0, record %s\n",
			 x->line);
		if (strcmp(h->err_buf, want))
			fail_msg("case %zu: got\n%swant\n%s", c, h->err_buf,
				 want);
		csv_table_read(&s, dir, "samples.csv");
		assert_int_equal(s.rows, 21);
		for (i = 1; i < s.rows; i++)
			assert_string_equal(csv_cell(&s, i, "check"),
					    i - 1 == x->record ? "mismatch" :
					    "ok");
		csv_table_free(&s);
		csv_table_read(&p, dir, "points.csv");
		assert_string_equal(csv_cell(&p, 1, "mismatches"), "1");
		csv_table_free(&p);
		assert_meta_row(dir, "mismatches", "1");
		assert_meta_row(dir, "exit_mismatches", "1");
	}
}

/*
 * The driver does not trust the module: wrong exits the module neither
 * flagged nor counted, and exit records it never wrote (exit_buf zeroed
 * before each RUN, so none left from an earlier one can pass).
 */
static void test_guest_module_silent(void **state)
{
	struct harness *h = *state;

	h->fake.exit_bad[0] = 3;	/* sample 1's vmptrst record */
	h->fake.n_exit_bad = 1;
	h->fake.exit_fault = FAKE_EXIT_QUAL;
	h->fake.count_delta = -1;	/* flag_bad 0: nothing said */
	assert_int_equal(harness_main(h, "run", "--mode", "guest",
				      "--samples", "10", "-o",
				      harness_outdir(h, "silent"), NULL),
			 VB_EXIT_CHECK);
	assert_non_null(strstr(h->err_buf, "vmptrst-bench: 1 of 20 records failed the VM-exit check (mode=guest), the first at point 0, record 3 (sample 1): qualification 0x1230"));
	assert_non_null(strstr(h->err_buf, "inconsistent results from the module: 0 mismatches counted by the module, 1 by the driver"));

	/*
	 * A module that wrote no exit record in the second RUN: the first
	 * RUN's, as good as they come, are not left in the buffer for it.
	 */
	h->fake.n_exit_bad = 0;
	h->fake.count_delta = 0;
	h->fake.exits_unwritten = h->fake.run_calls + 2;
	assert_int_equal(harness_main(h, "run", "--mode", "guest",
				      "--instruction", "vmcall", "--offset",
				      "0,8", "--samples", "10", "-o",
				      harness_outdir(h, "unwritten"), NULL),
			 VB_EXIT_CHECK);
	assert_non_null(strstr(h->err_buf, "vmptrst-bench: 10 of 40 records failed the VM-exit check (mode=guest), the first at point 1, record 0 (sample 0): exits 0, expected 1 (vmcall, unroll 1)"));
}

/* In a guest VMPTRST and MOV store the expected value, the others not. */
static void test_guest_stored(void **state)
{
	struct harness *h = *state;

	h->fake.bad[0] = 0;	/* sample 0's cpuid record: not the poison */
	h->fake.n_bad = 1;
	h->fake.flag_bad = 1;
	assert_int_equal(harness_main(h, "run", "--mode", "guest",
				      "--instruction", "cpuid", "--samples",
				      "10", "-o", harness_outdir(h, "stored"), NULL),
			 VB_EXIT_CHECK);
	assert_string_equal(h->err_buf, "vmptrst-bench: 1 of 20 records failed the check (first at point 0: stored value != 0x12345000 expected, 0x5a5a5a5a5a5a5a5a poison); all rows written, see the check column\n");
}

/* The module skips guest points on a CPU without VPID, or under a kernel
   with FRED: they say so. */
static void test_guest_no_vpid(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "novpid");
	struct csv_table p;
	char *text;

	h->fake.no_vpid = 1;
	assert_int_equal(harness_main(h, "run", "--mode", "root,guest",
				      "--samples", "10", "-o", dir, NULL),
			 VB_EXIT_OK);
	csv_table_read(&p, dir, "points.csv");
	assert_string_equal(csv_cell(&p, 1, "status"), "measured");
	assert_string_equal(csv_cell(&p, 2, "status"), "skipped");
	assert_non_null(strstr(csv_cell(&p, 2, "reason"),
			       "mode=guest needs VPID and INVVPID"));
	assert_exit(&p, 2, "", "", "", "");
	csv_table_free(&p);

	/* a kernel with FRED: skipped too, its own reason */
	h->fake.no_vpid = 0;
	h->fake.fred = 1;
	dir = harness_outdir(h, "fred");
	assert_int_equal(harness_main(h, "run", "--mode", "root,guest",
				      "--samples", "10", "-o", dir, NULL),
			 VB_EXIT_OK);
	text = slurp_in(dir, "points.csv");	/* the reason is quoted */
	assert_non_null(text);
	assert_non_null(strstr(text, "\r\n1,vmptrst,,,,guest,"));
	assert_non_null(strstr(text, ",skipped,\"mode=guest, and the kernel runs with FRED: its NMI entry and host state are not the ones the module's guest hands NMIs to\","));
	free(text);
}

/* The user backend skips guest points, whatever their instruction. */
static void test_guest_user_backend(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "user");
	struct csv_table p;
	size_t i;

	assert_int_equal(harness_main(h, "run", "--backend", "user", "--mode",
				      "root,guest", "--instruction", "mov,none",
				      "--samples", "20", "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "(2 measured, 2 skipped: see points.csv)"));
	csv_table_read(&p, dir, "points.csv");
	assert_int_equal(p.rows, 5);
	for (i = 1; i < p.rows; i++) {
		int guest = !strcmp(csv_cell(&p, i, "mode"), "guest");

		assert_string_equal(csv_cell(&p, i, "status"),
				    guest ? "skipped" : "measured");
		assert_string_equal(csv_cell(&p, i, "reason"), guest ?
			"mode=guest needs the module (VMX non-root operation with the module as the guest's hypervisor): the user backend runs at ring 3 without VMX" : "");
	}
	csv_table_free(&p);
	assert_meta_row(dir, "points_skipped", "2");
	assert_meta_row(dir, "mode", "root guest");
	/* vmptrst in a guest is skipped too, not refused as at ring 3 */
	assert_int_equal(harness_main(h, "run", "--backend", "user", "--mode",
				      "guest", "--samples", "20", "-o",
				      harness_outdir(h, "user2"), NULL), VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	assert_int_equal(h->fake.run_calls, 0);	/* the module: never */
}

/* --mode: a bad value, and a combination the ABI refuses: exit 2, one line. */
static void test_mode_flag(void **state)
{
	struct harness *h = *state;

	assert_int_equal(harness_main(h, "run", "--mode", "gust", "-o",
				      harness_outdir(h, "flag"), NULL), VB_EXIT_USAGE);
	assert_string_equal(h->err_buf, "vmptrst-bench: run: --mode=gust: not one of root|guest (did you mean guest?)\n");
	assert_int_equal(harness_main(h, "plan", "--mode", "guest",
				      "--serialize", "cpuid", NULL),
			 VB_EXIT_USAGE);
	assert_string_equal(h->err_buf, "vmptrst-bench: command line: serialize=cpuid with mode=guest: cpuid is a VM exit in mode guest; the module refuses the combination: give these points a group of their own\n");
	assert_int_equal(h->fake.run_calls, 0);
	assert_int_equal(h->fake.opens, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guest_ok, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_guest_exit_wrong, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_guest_module_silent, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_guest_stored, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_guest_no_vpid, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_guest_user_backend, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_mode_flag, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
