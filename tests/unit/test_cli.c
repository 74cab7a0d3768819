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

static void test_run_defaults(void **state)
{
	struct harness *h = *state;
	struct vb_opts o;

	assert_int_equal(parse(h, &o, VB_CMD_RUN, "-o", "d", NULL), VB_EXIT_OK);
	assert_int_equal(o.cpu, 0);
	assert_int_equal(o.samples, 10000);
	assert_int_equal(o.unroll, 1);
	assert_int_equal(o.vmcs, VB_VMCS_LOADED);
	assert_int_equal(o.instruction, VB_INSN_VMPTRST);
	assert_int_equal(o.offset, 0);
	assert_int_equal(o.platform, VB_PLATFORM_AUTO);
	assert_string_equal(o.outdir, "d");
	assert_false(o.force);
	assert_false(o.help);
	assert_int_equal(h->err_len, 0);
}

static void test_run_values(void **state)
{
	struct harness *h = *state;
	struct vb_opts o;

	assert_int_equal(parse(h, &o, VB_CMD_RUN, "--cpu", "3", "--samples",
			       "262144", "--unroll=256", "--vmcs", "none",
			       "--instruction", "mov", "--offset", "0x1ff8",
			       "--platform", "bochs", "--output", "out", "--force",
			       NULL), VB_EXIT_OK);
	assert_int_equal(o.cpu, 3);
	assert_int_equal(o.samples, VB_MAX_SAMPLES);
	assert_int_equal(o.unroll, VB_MAX_UNROLL);
	assert_int_equal(o.vmcs, VB_VMCS_NONE);
	assert_int_equal(o.instruction, VB_INSN_MOV);
	assert_int_equal(o.offset, VB_MAX_OFFSET);
	assert_int_equal(o.platform, VB_PLATFORM_BOCHS);
	assert_string_equal(o.outdir, "out");
	assert_true(o.force);

	/* a second parse starts from the defaults again (getopt reset) */
	assert_int_equal(parse(h, &o, VB_CMD_RUN, "--instruction", "none",
			       "--samples", "1", "-o", "x", NULL), VB_EXIT_OK);
	assert_int_equal(o.instruction, VB_INSN_NONE);
	assert_int_equal(o.samples, 1);
	assert_int_equal(o.cpu, 0);
	assert_false(o.force);
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
			assert_int_equal(o.unroll, u);
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
	{ VB_CMD_RUN, { "--samples", "-1", "-o", "d" }, "--samples=-1: not a number" },
	{ VB_CMD_RUN, { "--samples", "12x", "-o", "d" }, "--samples=12x: not a number" },
	{ VB_CMD_RUN, { "--samples", "", "-o", "d" }, "--samples=: not a number" },
	{ VB_CMD_RUN, { "--samples", "99999999999999999999999", "-o", "d" }, "not a number" },
	{ VB_CMD_RUN, { "--offset", "8185", "-o", "d" }, "--offset=8185: out of range 0..8184" },
	{ VB_CMD_RUN, { "--offset", "0x", "-o", "d" }, "--offset=0x: not a number" },
	{ VB_CMD_RUN, { "--cpu", "1024", "-o", "d" }, "--cpu=1024: out of range 0..1023" },
	{ VB_CMD_RUN, { "--cpu", " 1", "-o", "d" }, "--cpu= 1: not a number" },
	{ VB_CMD_RUN, { "--vmcs", "current", "-o", "d" }, "--vmcs=current: not one of loaded|none" },
	{ VB_CMD_RUN, { "--instruction", "vmptrld", "-o", "d" }, "--instruction=vmptrld: not one of none|vmptrst|mov" },
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
		"loaded|none, default loaded", "0..8184, default 0" };
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

	assert_int_equal(harness_main(h, "help", "selftest", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "usage: vmptrst-bench selftest"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_defaults, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_run_values, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_unroll_powers, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_bad_options, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_top_level, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_subcommand_help, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
