// SPDX-License-Identifier: GPL-2.0
/* The driver's own check of every record, and their samples.csv rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "records.h"

#define EXPECTED	0x1234000ull
#define POISON		0xa5a5a5a5a5a5a5a5ull

static struct vb_run make_run(uint32_t insn, uint32_t samples)
{
	struct vb_run run;

	memset(&run, 0, sizeof(run));
	run.point.cpu = 2;
	run.point.instruction = insn;
	run.point.samples = samples;
	run.point.unroll = 4;
	run.point.offset = 8;
	run.point.vmcs = VB_VMCS_LOADED;
	run.expected = EXPECTED;
	run.poison = POISON;
	run.page_kib = 4;
	run.records = VB_RECORDS_NEEDED(insn, samples);
	return run;
}

/* Pairs interleaved, order alternating, all correct. */
static void fill(const struct vb_run *run, struct vb_sample *rec)
{
	uint32_t i, n = run->records, ri = run->point.instruction;

	for (i = 0; i < n; i++) {
		uint32_t k = ri ? i / 2 : i;
		int insn = ri && ((i % 2 == 0) == (k % 2 == 0));

		memset(&rec[i], 0, sizeof(rec[i]));
		rec[i].sample = k;
		rec[i].instruction = insn ? ri : VB_INSN_NONE;
		rec[i].tsc_begin = 100 * i;
		rec[i].tsc_end = 100 * i + (insn ? 40 + i : 20);
		rec[i].stored = insn ? run->expected : run->poison;
	}
}

static void test_page_names(void **state)
{
	char buf[24];

	(void)state;
	assert_string_equal(vb_page_name(4, buf, sizeof(buf)), "4k");
	assert_string_equal(vb_page_name(2048, buf, sizeof(buf)), "2m");
	assert_string_equal(vb_page_name(1048576, buf, sizeof(buf)), "1g");
	assert_string_equal(vb_page_name(64, buf, sizeof(buf)), "64k");
	assert_string_equal(vb_page_name(0, buf, sizeof(buf)), "unknown");
}

static void test_record_ok(void **state)
{
	struct vb_run run = make_run(VB_INSN_VMPTRST, 1);
	struct vb_sample r = { .stored = EXPECTED, .instruction = VB_INSN_VMPTRST };

	(void)state;
	assert_true(vb_record_ok(&run, &r));
	r.stored = POISON;	/* VMPTRST stored nothing */
	assert_false(vb_record_ok(&run, &r));
	r.instruction = VB_INSN_NONE;	/* the baseline must keep the poison */
	assert_true(vb_record_ok(&run, &r));
	r.stored = EXPECTED;
	assert_false(vb_record_ok(&run, &r));
	r.instruction = VB_INSN_MOV;
	assert_true(vb_record_ok(&run, &r));
	r.instruction = 7;
	assert_false(vb_record_ok(&run, &r));
	/* VMCS none: all ones expected */
	run.expected = ~0ull;
	r.instruction = VB_INSN_VMPTRST;
	r.stored = ~0ull;
	assert_true(vb_record_ok(&run, &r));
}

/* The reference chains are checked by their accumulator. */
static void test_record_ok_chains(void **state)
{
	struct vb_run run = make_run(VB_INSN_ADD, 1);
	struct vb_sample r = { .instruction = VB_INSN_ADD };

	(void)state;
	run.point.unroll = 8;
	r.stored = 9;		/* 1 + 8 adds */
	assert_true(vb_record_ok(&run, &r));
	r.stored = 8;
	assert_false(vb_record_ok(&run, &r));
	r.instruction = VB_INSN_IMUL;	/* 1 * 1 * ... stays 1 */
	r.stored = 1;
	assert_true(vb_record_ok(&run, &r));
	r.stored = 9;
	assert_false(vb_record_ok(&run, &r));
	r.instruction = VB_INSN_CHASE;	/* the operand's own address */
	run.point.offset = 4092;
	r.stored = 0x7f0000012ffcull;
	assert_true(vb_record_ok(&run, &r));
	r.stored = 0x7f0000013000ull;
	assert_false(vb_record_ok(&run, &r));
	r.stored = 0;
	assert_false(vb_record_ok(&run, &r));
}

/*
 * The family: what the block left against vb_family_expected() (fixed
 * where the ABI fixes it, run.expected where only the module knows it),
 * and never a record in VMfail.
 */
static void test_record_ok_family(void **state)
{
	struct vb_run run = make_run(VB_INSN_VMREAD, 1);
	struct vb_sample r = { .stored = EXPECTED, .instruction = VB_INSN_VMREAD };

	(void)state;
	run.point.field = VB_FIELD_GUEST_RIP;
	assert_true(vb_record_ok(&run, &r));
	r.stored = POISON;
	assert_false(vb_record_ok(&run, &r));
	r.stored = EXPECTED;
	r.flags = VB_SAMPLE_VMFAIL | VB_SAMPLE_MISMATCH;	/* right value, VMfail */
	assert_false(vb_record_ok(&run, &r));
	r.flags = 0;
	r.instruction = VB_INSN_NONE;	/* its baseline keeps the poison */
	assert_false(vb_record_ok(&run, &r));
	r.stored = POISON;
	assert_true(vb_record_ok(&run, &r));

	/* invvpid and invept read nothing back: 0, whatever run.expected says */
	run.point.instruction = r.instruction = VB_INSN_INVVPID;
	run.point.field = 0;
	run.point.type = VB_TYPE_SINGLE;
	r.stored = 0;
	assert_int_equal(vb_family_expected(&run), 0);
	assert_true(vb_record_ok(&run, &r));
	r.stored = EXPECTED;
	assert_false(vb_record_ok(&run, &r));
	/* vmclear current and vmxon-vmxoff: no current VMCS after */
	run.point.type = 0;
	run.point.instruction = r.instruction = VB_INSN_VMCLEAR;
	run.point.target = VB_TARGET_CURRENT;
	assert_int_equal(vb_family_expected(&run), ~0ull);
	r.stored = ~0ull;
	assert_true(vb_record_ok(&run, &r));
	run.point.target = VB_TARGET_OTHER;	/* the window's VMCS still */
	assert_false(vb_record_ok(&run, &r));
	r.stored = EXPECTED;
	assert_true(vb_record_ok(&run, &r));
	run.point.target = 0;
	run.point.instruction = r.instruction = VB_INSN_VMXON;
	assert_false(vb_record_ok(&run, &r));
	r.stored = ~0ull;
	assert_true(vb_record_ok(&run, &r));
}

/* A VMfail is a mismatch of its own: counted, and only a VMX block's. */
static void test_check_vmfail(void **state)
{
	struct vb_run run = make_run(VB_INSN_VMWRITE, 10);
	struct vb_sample rec[20];
	struct vb_check c;
	char label[64];

	(void)state;
	run.point.field = VB_FIELD_EXCEPTION_BITMAP;
	fill(&run, rec);
	vb_records_check(&run, 20, rec, &c);
	assert_int_equal(c.mismatches, 0);
	assert_int_equal(c.vmfails, 0);
	assert_int_equal(c.first_vmfail, UINT32_MAX);
	assert_false(c.inconsistent);

	/* records 4 and 8 (both vmwrite's) failed; the module says so */
	assert_int_equal(rec[4].instruction, VB_INSN_VMWRITE);
	assert_int_equal(rec[8].instruction, VB_INSN_VMWRITE);
	rec[4].flags = rec[8].flags = VB_SAMPLE_VMFAIL | VB_SAMPLE_MISMATCH;
	run.mismatches = 2;
	vb_records_check(&run, 20, rec, &c);
	assert_int_equal(c.vmfails, 2);
	assert_int_equal(c.first_vmfail, 4);
	assert_int_equal(c.mismatches, 2);
	assert_int_equal(c.stored_mismatches, 0);	/* their values were right */
	assert_false(c.inconsistent);
	assert_false(vb_record_passes(&run, rec, 4));

	/* VMfail without MISMATCH: the flags disagree */
	rec[8].flags = VB_SAMPLE_VMFAIL;
	vb_records_check(&run, 20, rec, &c);
	assert_int_equal(c.flag_disagree, 1);
	assert_true(c.inconsistent);

	/* on a baseline record, which runs no VMX instruction: malformed */
	fill(&run, rec);
	assert_int_equal(rec[1].instruction, VB_INSN_NONE);
	rec[1].flags = VB_SAMPLE_VMFAIL | VB_SAMPLE_MISMATCH;
	run.mismatches = 1;
	vb_records_check(&run, 20, rec, &c);
	assert_int_equal(c.bad_records, 1);
	assert_true(c.inconsistent);

	assert_string_equal(vb_insn_label(&run.point, label, sizeof(label)),
			    "vmwrite field=exception-bitmap");
	run.point.instruction = VB_INSN_VMPTRST;
	run.point.field = 0;
	assert_string_equal(vb_insn_label(&run.point, label, sizeof(label)),
			    "vmptrst");
}

static void test_check_counts(void **state)
{
	struct vb_run run = make_run(VB_INSN_VMPTRST, 50);
	struct vb_sample rec[100];
	struct vb_check c;

	(void)state;
	fill(&run, rec);
	vb_records_check(&run, 100, rec, &c);
	assert_int_equal(c.records, 100);
	assert_int_equal(c.needed, 100);
	assert_int_equal(c.mismatches, 0);
	assert_false(c.inconsistent);

	/* the module counts 3 and flags them: consistent, 3 mismatches */
	rec[5].stored = 0;
	rec[6].stored = EXPECTED;	/* a baseline record that was written */
	rec[99].stored ^= 1;
	rec[5].flags = rec[6].flags = rec[99].flags = VB_SAMPLE_MISMATCH;
	run.mismatches = 3;
	vb_records_check(&run, 100, rec, &c);
	assert_int_equal(c.mismatches, 3);
	assert_int_equal(c.module_mismatches, 3);
	assert_false(c.inconsistent);

	/* the module says 0: the driver does not trust it */
	run.mismatches = 0;
	vb_records_check(&run, 100, rec, &c);
	assert_int_equal(c.mismatches, 3);
	assert_true(c.inconsistent);

	/* count right but a flag missing */
	run.mismatches = 3;
	rec[99].flags = 0;
	vb_records_check(&run, 100, rec, &c);
	assert_int_equal(c.flag_disagree, 1);
	assert_true(c.inconsistent);
}

static void test_check_shape(void **state)
{
	struct vb_run run = make_run(VB_INSN_MOV, 10);
	struct vb_sample rec[20];
	struct vb_check c;

	(void)state;
	fill(&run, rec);
	vb_records_check(&run, 20, rec, &c);
	assert_false(c.inconsistent);

	run.records = 12;	/* short, not interrupted */
	vb_records_check(&run, 20, rec, &c);
	assert_true(c.short_run);
	assert_true(c.inconsistent);
	run.result_flags = VB_RUN_INTERRUPTED;	/* short and interrupted: fine */
	vb_records_check(&run, 20, rec, &c);
	assert_false(c.inconsistent);
	assert_int_equal(c.records, 12);

	run.result_flags = 0;
	run.records = 25;	/* more than the buffer holds */
	vb_records_check(&run, 20, rec, &c);
	assert_true(c.overflow);
	assert_int_equal(c.records, 20);

	run.records = 20;
	rec[3].instruction = VB_INSN_VMPTRST;	/* not this run's instruction */
	rec[3].stored = EXPECTED;
	vb_records_check(&run, 20, rec, &c);
	assert_int_equal(c.bad_records, 1);
	assert_true(c.inconsistent);
	fill(&run, rec);
	rec[4].sample = 10;	/* past the samples asked for */
	vb_records_check(&run, 20, rec, &c);
	assert_int_equal(c.bad_records, 1);

	fill(&run, rec);
	rec[7].tsc_end = rec[7].tsc_begin - 1;
	vb_records_check(&run, 20, rec, &c);
	assert_int_equal(c.tsc_backwards, 1);
	assert_false(c.inconsistent);
}

static char *rows(const struct vb_run *run, const struct vb_sample *rec,
		  uint32_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(vb_records_header(f, NULL, 0), 0);
	assert_int_equal(vb_records_write(f, 7, run, rec, n, 0, NULL), 0);
	fclose(f);
	return buf;
}

static void test_rows(void **state)
{
	struct vb_run run = make_run(VB_INSN_VMPTRST, 2);
	struct vb_sample rec[4];
	char *got;

	(void)state;
	fill(&run, rec);
	rec[2].stored = 0;
	rec[3].tsc_end = 0;	/* backwards: tsc left empty */
	got = rows(&run, rec, 4);
	assert_string_equal(got,
		"point,instruction,target,field,type,mode,cpu,offset,cache,memtype,"
		"page,tlb,ad,vmcs,serialize,unroll,pass,sample,tsc,exit_ticks,"
		"entry_ticks,check,flag_nmi,flag_smi\r\n"
		"7,vmptrst,,,,root,2,8,hot,wb,4k,warm,set,loaded,lfence,4,0,0,40,,,ok,0,0\r\n"
		"7,none,,,,root,2,8,hot,wb,4k,warm,set,loaded,lfence,4,0,0,20,,,ok,0,0\r\n"
		"7,none,,,,root,2,8,hot,wb,4k,warm,set,loaded,lfence,4,0,1,20,,,mismatch,0,0\r\n"
		"7,vmptrst,,,,root,2,8,hot,wb,4k,warm,set,loaded,lfence,4,0,1,,,,ok,0,0\r\n");
	free(got);

	/* every axis from the RUN's fields; page as the module reports it */
	run = make_run(VB_INSN_NONE, 2);
	run.point.vmcs = VB_VMCS_NONE;
	run.point.page = VB_PAGE_2M;
	run.page_kib = 2048;
	run.point.cache = VB_CACHE_FLUSHOPT;
	run.point.memtype = VB_MEM_UC_MINUS;
	run.point.tlb = VB_TLB_COLD;
	run.point.ad = VB_AD_CLEAR;
	run.point.serialize = VB_SER_MFENCE;
	run.point.offset = 2097148;
	fill(&run, rec);
	got = rows(&run, rec, 2);
	assert_non_null(strstr(got, "\r\n7,none,,,,root,2,2097148,flushopt,uc-,2m,cold,clear,none,mfence,4,0,0,20,,,ok,0,0\r\n"
			       "7,none,,,,root,2,2097148,flushopt,uc-,2m,cold,clear,none,mfence,4,0,1,20,,,ok,0,0\r\n"));
	free(got);

	/* NMI and SMI flags: their own columns, 0/1 */
	rec[0].flags = VB_SAMPLE_NMI;
	rec[1].flags = VB_SAMPLE_SMI | VB_SAMPLE_NMI | VB_SAMPLE_PMC_INVALID;
	got = rows(&run, rec, 2);
	assert_non_null(strstr(got, ",mfence,4,0,0,20,,,ok,1,0\r\n"
			       "7,none,,,,root,2,2097148,flushopt,uc-,2m,cold,clear,none,"
			       "mfence,4,0,1,20,,,ok,1,1\r\n"));
	free(got);

	run.point.serialize = VB_SER_CPUID;
	run.page_kib = 1048576;
	run.point.cache = VB_CACHE_FLUSHED;
	run.point.memtype = VB_MEM_WC;
	fill(&run, rec);
	got = rows(&run, rec, 1);
	assert_non_null(strstr(got, "\r\n7,none,,,,root,2,2097148,flushed,wc,1g,cold,clear,none,cpuid,4,0,0,20,,,ok,0,0\r\n"));
	free(got);

	/* the family: the point's variant by name, on its baseline's rows too */
	run = make_run(VB_INSN_INVEPT, 1);
	run.point.type = VB_TYPE_GLOBAL;
	run.expected = 0;
	fill(&run, rec);
	rec[0].flags = VB_SAMPLE_VMFAIL | VB_SAMPLE_MISMATCH;	/* a VMfail */
	got = rows(&run, rec, 2);
	assert_non_null(strstr(got, "\r\n7,invept,,,global,root,2,8,hot,wb,4k,warm,set,loaded,lfence,4,0,0,40,,,mismatch,0,0\r\n"
			       "7,none,,,global,root,2,8,hot,wb,4k,warm,set,loaded,lfence,4,0,0,20,,,ok,0,0\r\n"));
	free(got);
	run = make_run(VB_INSN_VMPTRLD, 1);
	run.point.target = VB_TARGET_OTHER;
	fill(&run, rec);
	got = rows(&run, rec, 1);
	assert_non_null(strstr(got, "\r\n7,vmptrld,other,,,root,"));
	free(got);
	run = make_run(VB_INSN_VMREAD, 1);
	run.point.field = VB_FIELD_VM_INSN_ERROR;
	fill(&run, rec);
	got = rows(&run, rec, 1);
	assert_non_null(strstr(got, "\r\n7,vmread,,vm-instruction-error,,root,"));
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_names),
		cmocka_unit_test(test_record_ok),
		cmocka_unit_test(test_record_ok_chains),
		cmocka_unit_test(test_record_ok_family),
		cmocka_unit_test(test_check_vmfail),
		cmocka_unit_test(test_check_counts),
		cmocka_unit_test(test_check_shape),
		cmocka_unit_test(test_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
