// SPDX-License-Identifier: GPL-2.0
/*
 * VMPTRST's family end to end with the fake device: the variants in
 * samples.csv's and points.csv's target, field and type columns (empty
 * where an instruction takes none, the baseline's rows carrying their
 * point's), every record checked against what the ABI says the block
 * leaves, a VMfail a mismatch named as such (exit 3, one line, meta.csv
 * vmfails, points.csv reason), the INVVPID/INVEPT skip reasons, meta.csv's
 * distinct variants, and the user backend's refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

/* vmptrst, then the family: 1 + 2 + 1 + 5 + 4 + 4 + 2 + 1 = 20 points. */
static const char family_ini[] =
	"[global]\nsamples = 10\n[vmptrst]\ninstruction = vmptrst\n"
	"[family]\ninstruction = vmptrld, vmclear, vmread, vmwrite, invvpid, "
	"invept, vmxon-vmxoff\ntarget = same, other\nunroll = 1\n";

/* The point's instruction and variant columns, as samples.csv has them. */
static const char *const want_points[20][4] = {
	{ "vmptrst", "", "", "" },
	{ "vmptrld", "same", "", "" }, { "vmptrld", "other", "", "" },
	{ "vmclear", "other", "", "" },
	{ "vmread", "", "guest-cs-sel", "" },
	{ "vmread", "", "exception-bitmap", "" },
	{ "vmread", "", "guest-debugctl", "" },
	{ "vmread", "", "guest-rip", "" },
	{ "vmread", "", "vm-instruction-error", "" },
	{ "vmwrite", "", "guest-cs-sel", "" },
	{ "vmwrite", "", "exception-bitmap", "" },
	{ "vmwrite", "", "guest-debugctl", "" },
	{ "vmwrite", "", "guest-rip", "" },
	{ "invvpid", "", "", "address" }, { "invvpid", "", "", "single" },
	{ "invvpid", "", "", "all" }, { "invvpid", "", "", "single-global" },
	{ "invept", "", "", "single" }, { "invept", "", "", "global" },
	{ "vmxon-vmxoff", "", "", "" },
};

static void test_family_run(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "family");
	char *path = harness_file(h, "f.ini", family_ini);
	struct csv_table s, p;
	size_t i, pt;

	assert_int_equal(harness_main(h, "run", "-c", path, "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	assert_non_null(strstr(h->out_buf, "400 records from 20 points (20 measured, 0 skipped"));
	/* the RUNs asked for the variants */
	assert_int_equal(h->fake.run_calls, 20);
	assert_int_equal(h->fake.runs[2].point.target, VB_TARGET_OTHER);
	assert_int_equal(h->fake.runs[7].point.field, VB_FIELD_GUEST_RIP);
	assert_int_equal(h->fake.runs[18].point.type, VB_TYPE_GLOBAL);
	assert_int_equal(h->fake.runs[0].point.target, 0);

	csv_table_read(&s, dir, "samples.csv");
	assert_string_equal(s.cell[1], "instruction");
	assert_string_equal(s.cell[2], "target");
	assert_string_equal(s.cell[3], "field");
	assert_string_equal(s.cell[4], "type");
	assert_string_equal(s.cell[5], "mode");
	assert_int_equal(s.rows, 1 + 20 * 20);
	for (i = 1; i < s.rows; i++) {
		const char *insn = csv_cell(&s, i, "instruction");

		pt = strtoul(csv_cell(&s, i, "point"), NULL, 10);
		assert_true(pt < 20);
		/* every record passed: invvpid's 0, vmclear other's VMCS ... */
		assert_string_equal(csv_cell(&s, i, "check"), "ok");
		assert_true(!strcmp(insn, "none") ||
			    !strcmp(insn, want_points[pt][0]));
		/* the baseline's rows carry their point's variant */
		assert_string_equal(csv_cell(&s, i, "target"), want_points[pt][1]);
		assert_string_equal(csv_cell(&s, i, "field"), want_points[pt][2]);
		assert_string_equal(csv_cell(&s, i, "type"), want_points[pt][3]);
		assert_string_equal(csv_cell(&s, i, "mode"), "root");
	}
	csv_table_free(&s);

	csv_table_read(&p, dir, "points.csv");
	assert_int_equal(p.rows, 1 + 20);
	assert_string_equal(p.cell[2], "target");
	for (pt = 0; pt < 20; pt++) {
		assert_string_equal(csv_cell(&p, pt + 1, "instruction"), want_points[pt][0]);
		assert_string_equal(csv_cell(&p, pt + 1, "target"), want_points[pt][1]);
		assert_string_equal(csv_cell(&p, pt + 1, "field"), want_points[pt][2]);
		assert_string_equal(csv_cell(&p, pt + 1, "type"), want_points[pt][3]);
		assert_string_equal(csv_cell(&p, pt + 1, "status"), "measured");
		assert_string_equal(csv_cell(&p, pt + 1, "reason"), "");
		assert_string_equal(csv_cell(&p, pt + 1, "mismatches"), "0");
	}
	csv_table_free(&p);
	assert_meta_row(dir, "instruction", "vmptrst vmptrld vmclear vmread vmwrite invvpid invept vmxon-vmxoff");
	assert_meta_row(dir, "target", "same other");
	assert_meta_row(dir, "field", "guest-cs-sel exception-bitmap guest-debugctl guest-rip vm-instruction-error");
	assert_meta_row(dir, "type", "address single all single-global global");
	assert_meta_row(dir, "vmfails", "0");
	free(path);

	/* a run without the family: its variants are none */
	dir = harness_outdir(h, "plain");
	assert_int_equal(harness_main(h, "run", "--samples", "4", "-o", dir,
				      NULL), VB_EXIT_OK);
	assert_meta_row(dir, "target", "none");
	assert_meta_row(dir, "type", "none");
}

/* A VMfail: a mismatch, named on its own line, in meta.csv and points.csv. */
static void test_family_vmfail(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "vmfail");
	struct csv_table s, p;
	size_t i, bad = 0;

	h->fake.vmfail[0] = 0;	/* pair 0: vmwrite first */
	h->fake.vmfail[1] = 3;	/* pair 1: baseline first, vmwrite second */
	h->fake.vmfail[2] = 6;	/* a baseline record: the fake leaves it */
	h->fake.n_vmfail = 3;
	assert_int_equal(harness_main(h, "run", "--instruction", "vmwrite",
				      "--field", "guest-rip", "--samples", "8",
				      "-o", dir, NULL), VB_EXIT_CHECK);
	assert_int_equal(count_lines(h->err_buf), 2);
	assert_non_null(strstr(h->err_buf, "vmptrst-bench: 2 of 16 records failed the check; all rows written, see the check column\n"));
	assert_non_null(strstr(h->err_buf, "vmptrst-bench: 2 of 16 records ended in VMfail (CF or ZF set after the block: the VMX instruction failed), counted as mismatches; the first at point 0 (vmwrite field=guest-rip), sample 0; the kernel log may say more\n"));
	assert_null(strstr(h->err_buf, "inconsistent"));
	csv_table_read(&s, dir, "samples.csv");
	for (i = 1; i < s.rows; i++) {
		int want = i - 1 == 0 || i - 1 == 3;

		assert_string_equal(csv_cell(&s, i, "check"),
				    want ? "mismatch" : "ok");
		bad += want;
	}
	assert_int_equal(bad, 2);
	csv_table_free(&s);
	csv_table_read(&p, dir, "points.csv");
	assert_string_equal(csv_cell(&p, 1, "mismatches"), "2");
	assert_string_equal(csv_cell(&p, 1, "reason"), "2 records ended in VMfail (CF or ZF set after the block): counted as mismatches");
	csv_table_free(&p);
	assert_meta_row(dir, "vmfails", "2");
	assert_meta_row(dir, "mismatches", "2");
}

/* A type the CPU does not offer: skipped, the reason naming it. */
static void test_family_skips(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "skip");
	char *text;

	h->fake.no_inv_types = 1u << VB_TYPE_SINGLE_GLOBAL | 1u << VB_TYPE_GLOBAL;
	assert_int_equal(harness_main(h, "run", "--instruction",
				      "invvpid,invept", "--samples", "2", "-o",
				      dir, NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "from 6 points (4 measured, 2 skipped"));
	/* no comma in the reasons: unquoted, for awk as for any reader */
	text = slurp_in(dir, "points.csv");
	assert_non_null(text);
	assert_non_null(strstr(text, "\r\n3,invvpid,,,single-global,root,0,0,hot,wb,4k,warm,set,loaded,lfence,1,2,skipped,invvpid type=single-global: this CPU's VMX does not offer it (IA32_VMX_EPT_VPID_CAP lacks one of: VPID; INVVPID; this type),"));
	assert_non_null(strstr(text, "\r\n5,invept,,,global,root,0,0,hot,wb,4k,warm,set,loaded,lfence,1,2,skipped,invept type=global: this CPU's VMX does not offer it (IA32_VMX_EPT_VPID_CAP lacks one of: EPT; INVEPT; this type; a 4-level WB or UC EPTP),"));
	assert_non_null(strstr(text, "\r\n4,invept,,,single,root,0,0,hot,wb,4k,warm,set,loaded,lfence,1,2,measured,,"));
	free(text);
}

/* The user backend runs at ring 3: it refuses the family before anything. */
static void test_family_user(void **state)
{
	struct harness *h = *state;

	assert_int_equal(harness_main(h, "run", "--backend", "user",
				      "--instruction", "mov,vmread", "--field",
				      "guest-rip", "-o",
				      harness_outdir(h, "user"), NULL),
			 VB_EXIT_USAGE);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "point 1: instruction of the VMX family"));
	assert_int_equal(h->fake.run_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_family_run, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_family_vmfail, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_family_skips, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_family_user, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
