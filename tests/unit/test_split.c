// SPDX-License-Identifier: GPL-2.0
/*
 * mode=guest, ABI 11: the exit/entry split of each record's last VM exit
 * (samples.csv's exit_ticks and entry_ticks from vb_exit_split(), empty
 * without an exit and for a record flagged VB_SAMPLE_SPLIT_BAD; the
 * module's flag against the driver's own vb_exit_split(); meta.csv's
 * split_bad, points.csv's reason, the one line on stderr), and `field` in
 * mode guest (the exit handler's VMWRITE before each VMRESUME: the
 * dirty-VMCS cost): accepted for an instruction that exits, each refusal
 * at FILE:LINE with the ABI's words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "records.h"

/* ---- field in mode guest: the config parser ------------------------- */

/* `plan -c FILE` of text: its exit code; stdout and stderr in h. */
static int plan(struct harness *h, const char *text, char **path)
{
	*path = harness_file(h, "t.ini", text);
	return harness_main(h, "plan", "-c", *path, NULL);
}

static void test_field_accepted(void **state)
{
	struct harness *h = *state;
	char *path;

	/* each exiting instruction with each field listed, nested inside it */
	assert_int_equal(plan(h, "[dirty]\nmode = guest\ninstruction = vmcall, "
			      "vmptrst, mov\nfield = exception-bitmap, guest-cs-sel"
			      ", guest-debugctl\n", &path), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "point 0 [dirty]: instruction=vmcall field=exception-bitmap mode=guest "));
	assert_non_null(strstr(h->out_buf, "point 1 [dirty]: instruction=vmcall field=guest-cs-sel mode=guest "));
	assert_non_null(strstr(h->out_buf, "point 2 [dirty]: instruction=vmcall field=guest-debugctl mode=guest "));
	assert_non_null(strstr(h->out_buf, "point 5 [dirty]: instruction=vmptrst field=guest-debugctl mode=guest "));
	/* mov does not exit: no field, as the family's variants go */
	assert_non_null(strstr(h->out_buf, "point 6 [dirty]: instruction=mov mode=guest "));
	assert_non_null(strstr(h->out_buf, "plan: 7 points"));
	free(path);

	/* unset: the plain round trip; a [global] field stays with the family */
	assert_int_equal(plan(h, "[global]\nfield = guest-rip\n[exits]\nmode = "
			      "guest\ninstruction = vmcall\n[f]\ninstruction = "
			      "vmread\n", &path), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "point 0 [exits]: instruction=vmcall mode=guest "));
	assert_non_null(strstr(h->out_buf, "point 1 [f]: instruction=vmread field=guest-rip mode=root "));
	free(path);

	/* and as flags */
	assert_int_equal(harness_main(h, "plan", "--mode", "guest",
				      "--instruction", "cpuid", "--field",
				      "exception-bitmap", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "instruction=cpuid field=exception-bitmap mode=guest "));
}

/* A config and the message it must get after "PATH:". */
static const struct {
	const char *text, *want;
} refused[] = {
	/* the ABI's rule: the fields a handler may write */
	{ "[g]\nmode = guest\ninstruction = vmcall\nfield = guest-rip\n",
	  "4: [g] field=guest-rip with mode=guest: mode guest: guest-cs-sel, "
	  "exception-bitmap or guest-debugctl, for an instruction that exits; "
	  "the module refuses the combination: give these points a group of "
	  "their own\n" },
	{ "[g]\nmode = guest\n\nfield = vm-instruction-error\n",
	  "4: [g] field=vm-instruction-error with mode=guest: mode guest: "
	  "guest-cs-sel, exception-bitmap or guest-debugctl, for an "
	  "instruction that exits; the module refuses the combination: give "
	  "these points a group of their own\n" },
	/* an instruction that does not exit takes none */
	{ "[g]\nmode = guest\ninstruction = mov, none\nfield = guest-cs-sel\n",
	  "4: [g] field=guest-cs-sel: no instruction of the group takes a "
	  "field (vmread and vmwrite do, and in mode guest vmptrst and the "
	  "VM-exit references; the group's instruction: mov, none)\n" },
	/* mode root: vmptrst takes none */
	{ "[g]\ninstruction = vmptrst\nfield = exception-bitmap\n",
	  "3: [g] field=exception-bitmap: no instruction of the group takes a "
	  "field (vmread and vmwrite do, and in mode guest vmptrst and the "
	  "VM-exit references; the group's instruction: vmptrst)\n" },
	/* both modes in one group: the root points refused, the ABI's words */
	{ "[g]\nmode = root, guest\ninstruction = vmptrst\n"
	  "field = exception-bitmap\n",
	  "4: [g] field=exception-bitmap with mode=root: vmread and vmwrite "
	  "only, and they need one; the module refuses the combination: give "
	  "these points a group of their own\n" },
	/* the family in mode guest says the family's rule, field or not */
	{ "[g]\nmode = guest\ninstruction = vmwrite\n",
	  "3: [g] instruction=vmwrite with mode=guest: the VMX family runs in "
	  "mode root; the module refuses the combination: give these points a "
	  "group of their own\n" },
};

static void test_field_refused(void **state)
{
	struct harness *h = *state;
	char want[1024], *path;
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (plan(h, refused[i].text, &path) != VB_EXIT_USAGE)
			fail_msg("case %zu: not refused", i);
		snprintf(want, sizeof(want), "vmptrst-bench: %s:%s", path,
			 refused[i].want);
		if (strcmp(h->err_buf, want))
			fail_msg("case %zu: got '%s', want '%s'", i, h->err_buf,
				 want);
		free(path);
	}
}

/* ---- the split of each record: records.c ---------------------------- */

/* A guest RUN of vmcall at unroll 4, two samples, its exits as the module
   writes them: each exit half 15, the entry half 30 (40 - 10). */
static void guest_run(struct vb_run *run, struct vb_sample *rec,
		      struct vb_exit_rec *ex)
{
	uint32_t i;

	memset(run, 0, sizeof(*run));
	run->point.instruction = VB_INSN_VMCALL;
	run->point.mode = VB_MODE_GUEST;
	run->point.field = VB_FIELD_EXCEPTION_BITMAP;
	run->point.unroll = 4;
	run->point.samples = 2;
	run->poison = 0x5a;
	run->page_kib = 4;
	run->records = 4;
	run->exit_buf = (uint64_t)(uintptr_t)ex;
	memset(ex, 0, 4 * sizeof(*ex));
	for (i = 0; i < 4; i++) {
		int insn = (i == 0 || i == 3);	/* pairs, order alternating */

		memset(&rec[i], 0, sizeof(rec[i]));
		rec[i].sample = i / 2;
		rec[i].instruction = insn ? VB_INSN_VMCALL : VB_INSN_NONE;
		rec[i].tsc_begin = 1000 * i;
		rec[i].tsc_end = 1000 * i + (insn ? 100 : 20);
		rec[i].stored = run->poison;
		if (!insn)
			continue;
		vb_guest_exit_want(VB_INSN_VMCALL, &ex[i].reason,
				   &ex[i].insn_len);
		ex[i].exits = 4;
		ex[i].tsc_stored = rec[i].tsc_begin + 50;
		ex[i].tsc_handler_in = ex[i].tsc_stored + 15;
		ex[i].tsc_handler_out = rec[i].tsc_end - 30;
	}
}

/* samples.csv's rows of a RUN (header first), malloc'd. */
static char *rows(const struct vb_run *run, const struct vb_sample *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(vb_records_header(f, NULL, 0), 0);
	assert_int_equal(vb_records_write(f, 3, run, rec, run->records, 0,
					  NULL), 0);
	fclose(f);
	return buf;
}

static void test_split_rows(void **state)
{
	struct vb_run run;
	struct vb_sample rec[4];
	struct vb_exit_rec ex[4];
	struct vb_check c;
	char *got;

	(void)state;
	guest_run(&run, rec, ex);
	vb_records_check(&run, 4, rec, &c);
	assert_int_equal(c.split_records, 2);
	assert_int_equal(c.split_bad, 0);
	assert_false(c.inconsistent);
	got = rows(&run, rec);
	/* the instruction's rows split, the baseline's empty (no exit) */
	assert_non_null(strstr(got, ",tsc,exit_ticks,entry_ticks,check,"));
	assert_non_null(strstr(got, "\r\n3,vmcall,,exception-bitmap,,guest,0,0,hot,wb,4k,warm,set,loaded,lfence,4,0,0,100,15,30,ok,0,0\r\n"
			       "3,none,,exception-bitmap,,guest,0,0,hot,wb,4k,warm,set,loaded,lfence,4,0,0,20,,,ok,0,0\r\n"));
	free(got);

	/* out of order and flagged: no split, counted, consistent */
	ex[3].tsc_handler_in = ex[3].tsc_stored - 1;
	rec[3].flags = VB_SAMPLE_SPLIT_BAD;
	vb_records_check(&run, 4, rec, &c);
	assert_int_equal(c.split_bad, 1);
	assert_int_equal(c.first_split_bad, 3);
	assert_int_equal(c.mismatches, 0);	/* its round trip stands */
	assert_false(c.inconsistent);
	got = rows(&run, rec);
	assert_non_null(strstr(got, ",lfence,4,0,1,100,,,ok,0,0\r\n"));
	free(got);

	/* the module did not flag it: the driver's own verdict disagrees */
	rec[3].flags = 0;
	vb_records_check(&run, 4, rec, &c);
	assert_int_equal(c.split_bad, 1);
	assert_int_equal(c.flag_disagree, 1);
	assert_true(c.inconsistent);
	/* ... nor the other way round: flagged, in order */
	ex[3].tsc_handler_in = ex[3].tsc_stored + 15;
	rec[0].flags = VB_SAMPLE_SPLIT_BAD;
	vb_records_check(&run, 4, rec, &c);
	assert_int_equal(c.split_bad, 1);
	assert_int_equal(c.first_split_bad, 0);
	assert_int_equal(c.flag_disagree, 1);
	got = rows(&run, rec);
	assert_non_null(strstr(got, ",lfence,4,0,0,100,,,ok,0,0\r\n"));
	free(got);

	/* the baseline's record has no exit: its flag means nothing */
	rec[0].flags = 0;
	rec[1].flags = VB_SAMPLE_SPLIT_BAD;
	vb_records_check(&run, 4, rec, &c);
	assert_int_equal(c.split_bad, 0);
	assert_false(c.inconsistent);

	/* mode root: the flag on any record is malformed */
	run.point.mode = VB_MODE_ROOT;
	run.point.field = 0;
	run.point.instruction = VB_INSN_MOV;
	run.exit_buf = 0;
	rec[0].instruction = rec[3].instruction = VB_INSN_MOV;
	rec[0].stored = rec[3].stored = run.expected = 7;
	vb_records_check(&run, 4, rec, &c);
	assert_int_equal(c.bad_records, 1);
	assert_true(c.inconsistent);
}

/* ---- a run with the fake module ------------------------------------- */

static const char dirty_ini[] =
	"[global]\nsamples = 10\n[dirty]\nmode = guest\n"
	"instruction = vmcall, mov\nfield = exception-bitmap\n";

static void test_split_run(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "split");
	char *path = harness_file(h, "d.ini", dirty_ini), *line;
	struct csv_table s, p;
	size_t i, split = 0;

	/* records 4 and 7 (vmcall's) out of order; mov's have no exits */
	h->fake.split_bad[0] = 4;
	h->fake.split_bad[1] = 7;
	h->fake.n_split_bad = 2;
	assert_int_equal(harness_main(h, "run", "-c", path, "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->fake.runs[0].point.field, VB_FIELD_EXCEPTION_BITMAP);
	assert_int_equal(h->fake.runs[1].point.field, 0);	/* mov: none */
	line = strstr(h->err_buf, "warning: ");
	assert_non_null(line);
	assert_string_equal(line, "warning: 2 of 10 mode=guest records with a VM exit had their exit/entry split out of order (VB_SAMPLE_SPLIT_BAD: the TSC the CPU stored at the exit, the handler's RDTSCs and the guest's bracket not in sequence), in 1 point, the first at point 0 (vmcall field=exception-bitmap), sample 2: their exit_ticks and entry_ticks are empty, their round trips and checks kept (meta.csv split_bad)\n");
	assert_meta_row(dir, "split_bad", "2");
	assert_meta_row(dir, "split_records", "10");
	assert_meta_row(dir, "field", "exception-bitmap");
	csv_table_read(&s, dir, "samples.csv");
	for (i = 1; i < s.rows; i++) {
		const char *x = csv_cell(&s, i, "exit_ticks");
		const char *n = csv_cell(&s, i, "entry_ticks");
		int vmcall = !strcmp(csv_cell(&s, i, "instruction"), "vmcall");

		assert_string_equal(csv_cell(&s, i, "check"), "ok");
		assert_true(!*x == !*n);
		assert_true(!*x || vmcall);
		if (!*x)
			continue;
		split++;
		/* the fake's readings: 15 + record % 3, then what is left */
		assert_true(atoi(x) >= 15 && atoi(x) <= 17);
		assert_true(atoi(x) + atoi(n) <= atoi(csv_cell(&s, i, "tsc")));
	}
	assert_int_equal(split, 8);
	csv_table_free(&s);
	csv_table_read(&p, dir, "points.csv");
	assert_string_equal(csv_cell(&p, 1, "field"), "exception-bitmap");
	assert_string_equal(csv_cell(&p, 1, "reason"), "2 records without their exit/entry split (readings out of order): exit_ticks and entry_ticks empty");
	assert_string_equal(csv_cell(&p, 2, "reason"), "");
	csv_table_free(&p);
	free(path);
}

/* A module whose flag disagrees with the readings: inconsistent, exit 3. */
static void test_split_disagree(void **state)
{
	struct harness *h = *state;
	const char *dir = harness_outdir(h, "disagree");
	char *path = harness_file(h, "d.ini", dirty_ini);

	h->fake.split_bad[0] = 0;
	h->fake.n_split_bad = 1;
	h->fake.split_unflagged = 1;
	assert_int_equal(harness_main(h, "run", "-c", path, "-o", dir, NULL),
			 VB_EXIT_CHECK);
	assert_non_null(strstr(h->err_buf, "1 with a wrong mismatch flag"));
	assert_meta_row(dir, "split_bad", "1");
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_field_accepted, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_field_refused, harness_setup, harness_teardown),
		cmocka_unit_test(test_split_rows),
		cmocka_unit_test_setup_teardown(test_split_run, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_split_disagree, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
