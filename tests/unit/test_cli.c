// SPDX-License-Identifier: GPL-2.0
/* The command line: defaults, ranges, one-line errors with exit 2, help. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "harness.h"
#include "platform.h"


static int parse(struct harness *h, struct vb_opts *o, enum vb_cmd cmd, ...)
{
	char *argv[32];
	va_list ap;
	int argc = 0, rc;

	argv[argc++] = (char *)vb_cmd_name(cmd);
	va_start(ap, cmd);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	rc = vb_cli_parse(cmd, argc, argv, o, &h->env);
	fflush(h->err);
	return rc;
}

/* The one value of sweep key k as given on the command line. */
static unsigned int flag1(const struct vb_opts *o, enum vb_key k)
{
	assert_true(o->flags.key[k].set);
	assert_int_equal(o->flags.key[k].val.n, 1);
	assert_int_equal(o->flags.key[k].line, 0);
	return o->flags.key[k].val.v[0];
}

static void test_run_defaults(void **state)
{
	struct harness *h = *state;
	struct vb_opts o;
	int k;

	assert_int_equal(parse(h, &o, VB_CMD_RUN, "-o", "d", NULL), VB_EXIT_OK);
	/* no sweep key set: the defaults come with the plan (test_sweep) */
	for (k = 0; k < VB_KEY_COUNT; k++)
		assert_false(o.flags.key[k].set);
	assert_null(o.config);
	assert_int_equal(o.platform, VB_PLATFORM_AUTO);
	assert_string_equal(o.outdir, "d");
	assert_false(o.force);
	assert_false(o.help);
	assert_int_equal(h->err_len, 0);

	assert_int_equal(parse(h, &o, VB_CMD_INFO, NULL), VB_EXIT_OK);
	assert_int_equal(o.cpu, 0);
	assert_int_equal(parse(h, &o, VB_CMD_SELFTEST, "--cpu", "7", NULL),
			 VB_EXIT_OK);
	assert_int_equal(o.cpu, 7);
}

static void test_run_values(void **state)
{
	struct harness *h = *state;
	struct vb_opts o;

	assert_int_equal(parse(h, &o, VB_CMD_RUN, "--cpu", "3", "--samples",
			       "262144", "--unroll=256", "--vmcs", "none",
			       "--instruction", "mov", "--offset", "0x1ff8",
			       "--cache", "flushopt", "--memtype", "uc-",
			       "--page", "2m", "--tlb", "cold", "--ad", "clear",
			       "--serialize", "cpuid", "-c", "x.ini",
			       "--platform", "bochs", "--output", "out", "--force",
			       NULL), VB_EXIT_OK);
	assert_int_equal(flag1(&o, VB_KEY_CPU), 3);
	assert_int_equal(flag1(&o, VB_KEY_SAMPLES), VB_MAX_SAMPLES);
	assert_int_equal(flag1(&o, VB_KEY_UNROLL), VB_MAX_UNROLL);
	assert_int_equal(flag1(&o, VB_KEY_VMCS), VB_VMCS_NONE);
	assert_int_equal(flag1(&o, VB_KEY_INSTRUCTION), VB_INSN_MOV);
	assert_int_equal(flag1(&o, VB_KEY_OFFSET), VB_MAX_OFFSET(VB_PAGE_4K));
	assert_int_equal(flag1(&o, VB_KEY_CACHE), VB_CACHE_FLUSHOPT);
	assert_int_equal(flag1(&o, VB_KEY_MEMTYPE), VB_MEM_UC_MINUS);
	assert_int_equal(flag1(&o, VB_KEY_PAGE), VB_PAGE_2M);
	assert_int_equal(flag1(&o, VB_KEY_TLB), VB_TLB_COLD);
	assert_int_equal(flag1(&o, VB_KEY_AD), VB_AD_CLEAR);
	assert_int_equal(flag1(&o, VB_KEY_SERIALIZE), VB_SER_CPUID);
	assert_false(o.flags.key[VB_KEY_EVENTS].set);
	assert_string_equal(o.config, "x.ini");
	assert_int_equal(o.platform, VB_PLATFORM_BOCHS);
	assert_string_equal(o.outdir, "out");
	assert_true(o.force);

	/* a second parse starts from nothing again (getopt reset) */
	assert_int_equal(parse(h, &o, VB_CMD_RUN, "--instruction", "none",
			       "--samples", "1", "-o", "x", NULL), VB_EXIT_OK);
	assert_int_equal(flag1(&o, VB_KEY_INSTRUCTION), VB_INSN_NONE);
	assert_int_equal(flag1(&o, VB_KEY_SAMPLES), 1);
	assert_false(o.flags.key[VB_KEY_CPU].set);
	assert_null(o.config);
	assert_false(o.force);
}

static void test_flag_lists(void **state)
{
	struct harness *h = *state;
	struct vb_opts o;
	const struct vb_values *v;

	/* a flag is a [global] value: a comma list is an axis */
	assert_int_equal(parse(h, &o, VB_CMD_PLAN, "--offset",
			       "aligned, 8,page-split", "--cpu", "2-4,0",
			       "--unroll", "1,2", "--unroll", "4", NULL),
			 VB_EXIT_OK);
	v = &o.flags.key[VB_KEY_OFFSET].val;
	assert_int_equal(v->n, 3);
	assert_int_equal(v->v[0], VB_OFFSET_NAMED | VB_OFF_ALIGNED);
	assert_int_equal(v->v[1], 8);
	assert_int_equal(v->v[2], VB_OFFSET_NAMED | VB_OFF_PAGE_SPLIT);
	v = &o.flags.key[VB_KEY_CPU].val;
	assert_int_equal(v->n, 4);
	assert_int_equal(v->v[0], 2);
	assert_int_equal(v->v[2], 4);
	assert_int_equal(v->v[3], 0);
	/* the last one given wins */
	assert_int_equal(flag1(&o, VB_KEY_UNROLL), 4);
}

static void test_unroll_powers(void **state)
{
	struct harness *h = *state;
	struct vb_opts o;
	char val[16];
	unsigned int u;

	for (u = 1; u <= VB_MAX_UNROLL * 2; u++) {
		int pow2 = !(u & (u - 1)) && u <= VB_MAX_UNROLL;

		snprintf(val, sizeof(val), "%u", u);
		assert_int_equal(parse(h, &o, VB_CMD_RUN, "--unroll", val,
				       "-o", "d", NULL),
				 pow2 ? VB_EXIT_OK : VB_EXIT_USAGE);
		if (pow2)
			assert_int_equal(flag1(&o, VB_KEY_UNROLL), u);
	}
}

struct bad_case {
	enum vb_cmd cmd;
	const char *argv[6];
	const char *want;	/* in the message, beside "vmptrst-bench: " */
};

static const struct bad_case bad[] = {
	{ VB_CMD_RUN, { "--unroll", "3", "-o", "d" }, "--unroll=3: not a power of two" },
	{ VB_CMD_RUN, { "--unroll", "0", "-o", "d" }, "--unroll=0: out of range 1..256" },
	{ VB_CMD_RUN, { "--unroll", "512", "-o", "d" }, "--unroll=512: out of range" },
	{ VB_CMD_RUN, { "--samples", "0", "-o", "d" }, "--samples=0: out of range 1..262144" },
	{ VB_CMD_RUN, { "--samples", "262145", "-o", "d" }, "--samples=262145: out of range" },
	{ VB_CMD_RUN, { "--samples", "-1", "-o", "d" }, "--samples=-1: out of range 1..262144" },
	{ VB_CMD_RUN, { "--samples", "12x", "-o", "d" }, "--samples=12x: not a number" },
	{ VB_CMD_RUN, { "--wait-vmx", "-1", "-o", "d" }, "--wait-vmx=-1: out of range 0..3600" },
	{ VB_CMD_RUN, { "--wait-vmx", "3601", "-o", "d" }, "--wait-vmx=3601: out of range 0..3600" },
	{ VB_CMD_RUN, { "--wait-vmx", "ten", "-o", "d" }, "--wait-vmx=ten: not a number" },
	{ VB_CMD_RUN, { "--wait-vmx", "1,2", "-o", "d" }, "--wait-vmx=1,2: one value only: wait-vmx is not an axis" },
	{ VB_CMD_RUN, { "--wait-vmx", "-o", "d" }, "--wait-vmx=-o: not a number" },
	{ VB_CMD_RUN, { "--samples", "", "-o", "d" }, "--samples=: empty value" },
	{ VB_CMD_RUN, { "--samples", "1,2", "-o", "d" }, "--samples=1,2: one value only: samples is not an axis" },
	{ VB_CMD_RUN, { "--cache", "", "-o", "d" }, "--cache=: empty value (an axis needs at least one value)" },
	{ VB_CMD_RUN, { "--cache", "hot,", "-o", "d" }, "--cache=hot,: empty element in the list" },
	{ VB_CMD_RUN, { "--cache", "hot,flushd", "-o", "d" }, "--cache=hot,flushd: value flushd: not one of hot|flushed|flushopt (did you mean flushed?)" },
	{ VB_CMD_RUN, { "--unroll", "1,3", "-o", "d" }, "--unroll=1,3: value 3: not a power of two in 1..256" },
	{ VB_CMD_RUN, { "--unroll", "1,2,1", "-o", "d" }, "--unroll=1,2,1: value 1 listed twice" },
	{ VB_CMD_RUN, { "--offset", "aligned,0", "-o", "d" }, "--offset=aligned,0: value 0 listed twice" },
	{ VB_CMD_RUN, { "--offset", "split", "-o", "d" }, "--offset=split: neither a number of bytes nor one of aligned|misaligned|line-split|page-split" },
	{ VB_CMD_RUN, { "--offset", "4194297", "-o", "d" }, "--offset=4194297: out of range 0..4194296" },
	{ VB_CMD_RUN, { "--cpu", "3-1", "-o", "d" }, "--cpu=3-1: range 3-1 runs backwards" },
	{ VB_CMD_RUN, { "--memtype", "uc", "-o", "d" }, "--memtype=uc: not one of wb|wc|uc-|wt (did you mean uc-?)" },
	{ VB_CMD_RUN, { "--events", "a,,b", "-o", "d" }, "--events=a,,b: empty element in the list" },
	{ VB_CMD_RUN, { "--events", "cycles, CYCLES", "-o", "d" }, "--events=cycles, CYCLES: event CYCLES listed twice" },
	{ VB_CMD_RUN, { "--require-events=yes", "-o", "d" }, "option '--require-events' takes no value" },
	{ VB_CMD_PLAN, { "--serialize", "sfence" }, "plan: --serialize=sfence: not one of lfence|cpuid|mfence" },
	{ VB_CMD_PLAN, { "-o", "d" }, "plan: unknown option '-o'" },
	{ VB_CMD_PLAN, { "-c" }, "plan: option '--config' needs a value" },
	{ VB_CMD_RUN, { "--samples", "99999999999999999999999", "-o", "d" }, "--samples=99999999999999999999999: out of range 1..262144" },
	{ VB_CMD_RUN, { "--offset", "8185", "-o", "d" }, "command line: offset=8185 with page=4k: out of range 0..8184 for 4k pages" },
	{ VB_CMD_RUN, { "--offset", "0x", "-o", "d" }, "--offset=0x: not a number" },
	{ VB_CMD_RUN, { "--cpu", "1024", "-o", "d" }, "--cpu=1024: out of range 0..1023" },
	{ VB_CMD_RUN, { "--cpu", "1x", "-o", "d" }, "--cpu=1x: not a number" },
	{ VB_CMD_RUN, { "--vmcs", "current", "-o", "d" }, "--vmcs=current: not one of loaded|none" },
	{ VB_CMD_RUN, { "--instruction", "vmlaunch", "-o", "d" }, "--instruction=vmlaunch: not one of none|vmptrst|mov|add|imul|chase|cpuid|vmcall|vmptrld|vmclear|vmread|vmwrite|invvpid|invept|vmxon-vmxoff|rdmsr|io|xsetbv|invd|cr3-load" },
	{ VB_CMD_RUN, { "--instruction", "vmptrd", "-o", "d" }, "--instruction=vmptrd: not one of none|vmptrst|mov|add|imul|chase|cpuid|vmcall|vmptrld|vmclear|vmread|vmwrite|invvpid|invept|vmxon-vmxoff|rdmsr|io|xsetbv|invd|cr3-load (did you mean vmptrld?)" },
	{ VB_CMD_RUN, { "--field", "guest-rp", "-o", "d" }, "--field=guest-rp: not one of guest-cs-sel|exception-bitmap|guest-debugctl|guest-rip|vm-instruction-error (did you mean guest-rip?)" },
	{ VB_CMD_RUN, { "--type", "", "-o", "d" }, "--type=: empty value (an axis needs at least one value)" },
	{ VB_CMD_RUN, { "--target", "vmcs", "-o", "d" }, "--target=vmcs: not one of same|other|current" },
	{ VB_CMD_RUN, { "--target", "same", "-o", "d" }, "command line: target=same: no instruction of the group takes a target (vmptrld and vmclear do; the group's instruction: vmptrst)" },
	{ VB_CMD_RUN, { "--instruction", "vmread", "--target", "same", "-o", "d" }, "command line: target=same: no instruction of the group takes a target (vmptrld and vmclear do; the group's instruction: vmread)" },
	{ VB_CMD_PLAN, { "--instruction", "invvpid", "--type", "global" }, "command line: type=global: no instruction of the group takes type global (invvpid takes address|single|all|single-global)" },
	{ VB_CMD_PLAN, { "--instruction", "vmclear", "--unroll", "1,2" }, "command line: unroll=2 with instruction=vmclear: vmclear current needs unroll 1; the module refuses the combination: give these points a group of their own" },
	{ VB_CMD_PLAN, { "--instruction", "vmread", "--mode", "guest" }, "command line: instruction=vmread with mode=guest: the VMX family runs in mode root; the module refuses the combination" },
	{ VB_CMD_RUN, { "--platform", "kvm", "-o", "d" }, "--platform=kvm: not one of native|qemu|bochs|vm" },
	{ VB_CMD_RUN, { "--samples" }, "option '--samples' needs a value" },
	{ VB_CMD_RUN, { "-o" }, "option '--output' needs a value" },
	{ VB_CMD_RUN, { "-o", "" }, "--output: empty value" },
	{ VB_CMD_RUN, { "--force=yes", "-o", "d" }, "option '--force' takes no value" },
	{ VB_CMD_RUN, { "--unrool", "2", "-o", "d" }, "unknown option '--unrool' (did you mean --unroll?)" },
	{ VB_CMD_RUN, { "--sample=2", "-o", "d" }, NULL },	/* GNU abbreviation: accepted */
	{ VB_CMD_RUN, { "--bogus", "-o", "d" }, "unknown option '--bogus' (see 'vmptrst-bench run --help')" },
	{ VB_CMD_RUN, { "-x", "-o", "d" }, "unknown option '-x'" },
	{ VB_CMD_RUN, { "--samples", "5" }, "run: -o DIR is required" },
	{ VB_CMD_RUN, { "-o", "d", "extra" }, "unexpected argument 'extra'" },
	{ VB_CMD_INFO, { "--samples", "5" }, "info: unknown option '--samples'" },
	{ VB_CMD_INFO, { "--cpu", "x" }, "info: --cpu=x: not a number" },
	{ VB_CMD_SELFTEST, { "--cpu", "5000" }, "selftest: --cpu=5000: out of range" },
	{ VB_CMD_SELFTEST, { "--cpus", "1" }, "did you mean --cpu?" },
};

static void test_bad_options(void **state)
{
	struct harness *h = *state;
	size_t i;

	/* a command line that passes stops at the device: nothing written */
	h->fake.open_err = ENOENT;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *a[8] = { NULL };
		int rc;

		memcpy(a, bad[i].argv, sizeof(bad[i].argv));
		rc = harness_main(h, vb_cmd_name(bad[i].cmd), a[0], a[1], a[2],
				  a[3], a[4], a[5], NULL);
		if (!bad[i].want) {
			assert_int_equal(rc, VB_EXIT_ERROR);
			assert_non_null(strstr(h->err_buf, "module not loaded"));
			continue;
		}
		if (rc != VB_EXIT_USAGE || count_lines(h->err_buf) != 1 ||
		    strncmp(h->err_buf, "vmptrst-bench: ", 15) ||
		    !strstr(h->err_buf, bad[i].want))
			fail_msg("case %zu (%s %s): rc %d, stderr '%s', want '%s'",
				 i, bad[i].argv[0], bad[i].argv[1] ? bad[i].argv[1] : "",
				 rc, h->err_buf, bad[i].want);
		/* nothing was touched: no device opened */
		assert_int_equal(h->fake.opens, 0);
		assert_int_equal(h->out_len, 0);
	}
}

static void test_top_level(void **state)
{
	struct harness *h = *state;
	char want[64];

	assert_int_equal(harness_main(h, NULL), VB_EXIT_USAGE);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_int_equal(harness_main(h, "frobnicate", NULL), VB_EXIT_USAGE);
	assert_non_null(strstr(h->err_buf, "unknown command 'frobnicate'"));
	assert_int_equal(harness_main(h, "--frob", NULL), VB_EXIT_USAGE);
	assert_non_null(strstr(h->err_buf, "unknown option '--frob'"));

	assert_int_equal(harness_main(h, "--version", NULL), VB_EXIT_OK);
	snprintf(want, sizeof(want), "vmptrst-bench %s (commit ", VB_TOOL_VERSION);
	assert_non_null(strstr(h->out_buf, want));
	snprintf(want, sizeof(want), "ABI %u)", VB_ABI_VERSION);
	assert_non_null(strstr(h->out_buf, want));

	assert_int_equal(harness_main(h, "--help", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "selftest"));
	assert_non_null(strstr(h->out_buf, "130"));
	assert_int_equal(h->err_len, 0);
}

static void test_subcommand_help(void **state)
{
	struct harness *h = *state;
	static const char *const run_opts[] = { "--cpu", "--samples", "--unroll",
		"--vmcs", "--instruction", "--offset", "--platform", "--output",
		"--force", "--help", "1..262144, default 10000",
		"loaded|none, default loaded", "--config", "--cache", "--memtype",
		"--page", "--tlb", "--ad", "--serialize", "--events",
		"--require-events", "--cross-check", "pass,sample,tsc,exit_ticks,entry_ticks,check,",
		"0..4194296|aligned|misaligned|line-split|page-split, default 0",
		"hot|flushed|flushopt, default hot", "wb|wc|uc-|wt, default wb",
		"4k|2m|1g, default 4k", "warm|cold, default warm",
		"set|clear, default set", "lfence|cpuid|mfence, default lfence" };
	size_t i;

	/* --help wins over a missing -o and over bad values given after it */
	assert_int_equal(harness_main(h, "run", "--help", NULL), VB_EXIT_OK);
	for (i = 0; i < sizeof(run_opts) / sizeof(run_opts[0]); i++)
		if (!strstr(h->out_buf, run_opts[i]))
			fail_msg("run --help lacks %s", run_opts[i]);
	assert_int_equal(h->fake.opens, 0);

	assert_int_equal(harness_main(h, "info", "-h", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "--cpu"));
	assert_null(strstr(h->out_buf, "--samples"));

	assert_int_equal(harness_main(h, "plan", "--help", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "usage: vmptrst-bench plan [OPTIONS] [-c FILE]"));
	assert_non_null(strstr(h->out_buf, "--unroll"));
	assert_null(strstr(h->out_buf, "--output"));

	assert_int_equal(harness_main(h, "help", "selftest", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "usage: vmptrst-bench selftest"));

	/* help keys: the key reference, as text and as configs/README.md's table */
	assert_int_equal(harness_main(h, "help", "keys", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "rounds"));
	assert_null(strstr(h->out_buf, "| key |"));
	assert_int_equal(harness_main(h, "help", "keys", "--markdown", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "| key | flag | values | meaning | default |"));
	assert_int_equal(harness_main(h, "help", "keys", "--md", NULL), VB_EXIT_USAGE);
	assert_non_null(strstr(h->err_buf, "help keys: unknown option '--md' (only --markdown)"));
	assert_int_equal(h->fake.opens, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_defaults, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_run_values, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_flag_lists, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_unroll_powers, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_bad_options, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_top_level, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_subcommand_help, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
