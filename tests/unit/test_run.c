// SPDX-License-Identifier: GPL-2.0
/*
 * `run` end to end with the fake device: the rows and meta.csv written,
 * the driver's own mismatch count and exit 3, interruption and exit 130,
 * refusals before any measurement.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"


/*
 * A small RFC 4180 reader: the fields of the record starting at *p,
 * unquoted, NUL-separated in out; returns the field count, advances *p.
 */
static int csv_record(const char **p, char *out, size_t len, const char **fields,
		      int max)
{
	const char *s = *p;
	size_t o = 0;
	int n = 0;

	if (!*s)
		return 0;
	for (;;) {
		fields[n++] = out + o;
		if (*s == '"') {
			for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
				if (*s == '"')
					s++;
				out[o++] = *s;
			}
			assert_true(*s == '"');
			s++;
		} else {
			while (*s && *s != ',' && *s != '\r' && *s != '\n')
				out[o++] = *s++;
		}
		out[o++] = '\0';
		assert_true(o < len);
		if (*s == ',' && n < max) {
			s++;
			continue;
		}
		/* RFC 4180: every record ends in CRLF */
		assert_true(s[0] == '\r' && s[1] == '\n');
		*p = s + 2;
		return n;
	}
}

/* meta.csv value of key, or NULL; checks the shape of every row. */
static char *meta_value(const char *text, const char *key)
{
	const char *p = text, *f[4];
	char buf[4096];
	int first = 1, n;

	assert_non_null(text);
	while ((n = csv_record(&p, buf, sizeof(buf), f, 4)) > 0) {
		assert_int_equal(n, 2);
		if (first) {
			assert_string_equal(f[0], "key");
			assert_string_equal(f[1], "value");
			first = 0;
		} else if (!strcmp(f[0], key)) {
			return strdup(f[1]);
		}
	}
	return NULL;
}

static void assert_meta(const char *text, const char *key, const char *want)
{
	char *v = meta_value(text, key);

	if (!v || strcmp(v, want))
		fail_msg("meta %s: got '%s', want '%s'", key, v ? v : "(none)",
			 want);
	free(v);
}

struct row {
	char buf[512];
	const char *f[16];
};

/* Parses samples.csv: checks the header, returns the rows (malloc'd). */
static struct row *read_samples(const char *dir, size_t *nrows)
{
	static const char *const header[] = {
		"point", "instruction", "cpu", "offset", "cache", "memtype", "page",
		"tlb", "vmcs", "serialize", "unroll", "sample", "tsc", "check",
	};
	char *text = slurp_in(dir, "samples.csv");
	const char *p = text;
	struct row hdr, *rows = NULL;
	size_t n = 0, i;
	int k;

	assert_non_null(text);
	assert_int_equal(csv_record(&p, hdr.buf, sizeof(hdr.buf), hdr.f, 16), 14);
	for (i = 0; i < 14; i++)
		assert_string_equal(hdr.f[i], header[i]);
	/* one slot per line: rows hold pointers into themselves */
	rows = calloc(count_lines(text) + 1, sizeof(*rows));
	assert_non_null(rows);
	for (;;) {
		k = csv_record(&p, rows[n].buf, sizeof(rows[n].buf), rows[n].f, 16);
		if (!k)
			break;
		assert_int_equal(k, 14);
		n++;
	}
	free(text);
	*nrows = n;
	return rows;
}

static const char *outdir(struct harness *h, const char *name)
{
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/%s", h->dir, name);
	return dir;
}

static void test_run_ok(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "deep/er/run1");
	struct row *r;
	size_t n, i;
	char *meta, want[512];

	assert_int_equal(harness_main(h, "run", "--cpu", "3", "--samples", "50",
				      "--unroll", "8", "--offset", "4092", "-o",
				      dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	assert_int_equal(fake_pinned_cpu, 3);
	/* what the module was asked for */
	assert_int_equal(h->fake.last_run.cpu, 3);
	assert_int_equal(h->fake.last_run.samples, 50);
	assert_int_equal(h->fake.last_run.unroll, 8);
	assert_int_equal(h->fake.last_run.offset, 4092);
	assert_int_equal(h->fake.last_run.instruction, VB_INSN_VMPTRST);
	assert_int_equal(h->fake.last_run.vmcs, VB_VMCS_LOADED);
	assert_int_equal(h->fake.last_run.serialize, VB_SER_LFENCE);
	assert_int_equal(h->fake.last_run.flags, 0);
	assert_int_equal(h->fake.last_run.buf_len, 100);
	assert_int_equal(h->fake.opens, 1);
	assert_int_equal(h->fake.closes, 1);

	r = read_samples(dir, &n);
	assert_int_equal(n, 100);
	for (i = 0; i < n; i++) {
		unsigned long k = i / 2;
		/* interleaved pairs, order alternating pair by pair */
		int insn_first = k % 2 == 0, is_insn = (i % 2 == 0) == insn_first;

		assert_string_equal(r[i].f[0], "0");
		assert_string_equal(r[i].f[1], is_insn ? "vmptrst" : "none");
		assert_string_equal(r[i].f[2], "3");
		assert_string_equal(r[i].f[3], "4092");
		assert_string_equal(r[i].f[4], "hot");
		assert_string_equal(r[i].f[5], "wb");
		assert_string_equal(r[i].f[6], "4k");
		assert_string_equal(r[i].f[7], "warm");
		assert_string_equal(r[i].f[8], "loaded");
		assert_string_equal(r[i].f[9], "lfence");
		assert_string_equal(r[i].f[10], "8");
		assert_int_equal(strtoul(r[i].f[11], NULL, 10), k);
		assert_int_equal(strtoul(r[i].f[12], NULL, 10),
				 is_insn ? 100 + k % 7 : 30);
		assert_string_equal(r[i].f[13], "ok");
	}
	free(r);

	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "tool", "vmptrst-bench");
	assert_meta(meta, "abi_version", "1");
	assert_meta(meta, "module_version", "0.1-test");
	assert_meta(meta, "tsc_khz", "2400000");
	assert_meta(meta, "vmcs_revision", "4");
	assert_meta(meta, "target_cpu", "3");
	assert_meta(meta, "samples", "50");
	assert_meta(meta, "unroll", "8");
	assert_meta(meta, "instruction", "vmptrst");
	assert_meta(meta, "vmcs", "loaded");
	assert_meta(meta, "offset", "4092");
	assert_meta(meta, "serialize", "lfence");
	assert_meta(meta, "page", "4k");
	assert_meta(meta, "records", "100");
	assert_meta(meta, "mismatches", "0");
	assert_meta(meta, "windows", "2");
	assert_meta(meta, "max_window_tsc", "12345");
	assert_meta(meta, "interrupted", "no");
	assert_meta(meta, "platform", "native");
	assert_meta(meta, "timing_note", "none");
	assert_meta(meta, "cpu_vendor", "GenuineIntel");
	assert_meta(meta, "cpu_family", "6");
	assert_meta(meta, "cpu_model", "158");
	assert_meta(meta, "cpu_stepping", "10");
	/* the fixture's cpu3 has no sysfs microcode: /proc/cpuinfo's */
	assert_meta(meta, "microcode", "0xf6");
	assert_meta(meta, "cpu_model_name",
		    "Intel(R) Xeon(R) CPU E-2176G @ 3.70GHz");
	snprintf(want, sizeof(want), "vmptrst-bench run --cpu 3 --samples 50 "
		 "--unroll 8 --offset 4092 -o %s", dir);
	assert_meta(meta, "command_line", want);
	free(meta);
	assert_non_null(strstr(h->out_buf, "100 records"));
}

static void test_run_none_2m(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "none");
	struct row *r;
	size_t n, i;
	char *meta;

	h->fake.page_kib = 2048;
	fake_cpuid_hypervisor = 1;	/* overridden by --platform */
	assert_int_equal(harness_main(h, "run", "--instruction", "none",
				      "--vmcs", "none", "--samples", "7",
				      "--platform", "bochs", "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->fake.last_run.buf_len, 7);
	assert_int_equal(h->fake.last_run.vmcs, VB_VMCS_NONE);
	r = read_samples(dir, &n);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++) {
		assert_string_equal(r[i].f[1], "none");
		assert_string_equal(r[i].f[6], "2m");
		assert_string_equal(r[i].f[8], "none");
		assert_int_equal(strtoul(r[i].f[11], NULL, 10), i);
	}
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "page", "2m");
	assert_meta(meta, "platform", "bochs");
	assert_meta(meta, "timing_note", "emulated: timings are not real");
	free(meta);
}

static void test_mismatches(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "mism");
	struct row *r;
	size_t n, i, bad = 0;
	char *meta;

	h->fake.bad[0] = 0;	/* a vmptrst record */
	h->fake.bad[1] = 17;	/* a baseline record that lost its poison */
	h->fake.bad[2] = 18;
	h->fake.n_bad = 3;
	h->fake.flag_bad = 1;
	assert_int_equal(harness_main(h, "run", "--instruction", "mov",
				      "--samples", "10", "-o", dir, NULL),
			 VB_EXIT_CHECK);
	assert_true(strstr(h->err_buf, "vmptrst-bench: 3 of 20 records failed the check"));
	assert_non_null(strstr(h->err_buf, "0x12345000 expected"));
	assert_null(strstr(h->err_buf, "inconsistent"));
	r = read_samples(dir, &n);
	assert_int_equal(n, 20);	/* all rows still written */
	for (i = 0; i < n; i++) {
		int want_bad = i == 0 || i == 17 || i == 18;

		assert_string_equal(r[i].f[13], want_bad ? "mismatch" : "ok");
		bad += want_bad;
		assert_true(!strcmp(r[i].f[1], "mov") || !strcmp(r[i].f[1], "none"));
	}
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "mismatches", "3");
	assert_meta(meta, "records", "20");
	free(meta);
	assert_int_equal(bad, 3);
}

static void test_module_count_wrong(void **state)
{
	struct harness *h = *state;
	char *meta;

	/* the module hides two mismatches: the driver's own count rules */
	h->fake.bad[0] = 4;
	h->fake.bad[1] = 9;
	h->fake.n_bad = 2;
	h->fake.flag_bad = 1;
	h->fake.count_delta = -2;
	assert_int_equal(harness_main(h, "run", "--samples", "10", "-o",
				      outdir(h, "a"), NULL), VB_EXIT_CHECK);
	assert_non_null(strstr(h->err_buf, "2 of 20 records failed"));
	assert_non_null(strstr(h->err_buf, "inconsistent results from the module: "
			       "0 mismatches counted by the module, 2 by the driver"));
	meta = slurp_in(outdir(h, "a"), "meta.csv");
	assert_meta(meta, "mismatches", "2");
	free(meta);

	/* the module reports a mismatch that is not there */
	h->fake.n_bad = 0;
	h->fake.count_delta = 1;
	assert_int_equal(harness_main(h, "run", "--samples", "10", "-o",
				      outdir(h, "b"), NULL), VB_EXIT_CHECK);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "1 mismatches counted by the module, 0 by the driver"));
}

static void test_interrupted(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "intr");
	struct sigaction now;
	struct row *r;
	size_t n;
	char *meta;

	/* the module stopped between windows: partial results are written */
	h->fake.stop_after = 13;
	h->fake.raise_sig = SIGINT;
	assert_int_equal(harness_main(h, "run", "--samples", "100", "-o", dir,
				      NULL), VB_EXIT_INTERRUPTED);
	assert_non_null(strstr(h->err_buf, "interrupted: wrote the 13 of 200 records"));
	r = read_samples(dir, &n);
	assert_int_equal(n, 13);
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "interrupted", "yes");
	assert_meta(meta, "records", "13");
	free(meta);
	/* the driver's handlers are gone again */
	assert_int_equal(sigaction(SIGINT, NULL, &now), 0);
	assert_true(now.sa_handler == SIG_DFL);
	assert_int_equal(sigaction(SIGTERM, NULL, &now), 0);
	assert_true(now.sa_handler == SIG_DFL);

	/* SIGTERM, the kernel returned EINTR with nothing: header only */
	h->fake.raise_sig = SIGTERM;
	h->fake.run_err = EINTR;
	assert_int_equal(harness_main(h, "run", "--samples", "100", "--force",
				      "-o", dir, NULL), VB_EXIT_INTERRUPTED);
	r = read_samples(dir, &n);
	assert_int_equal(n, 0);
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "interrupted", "yes");
	assert_meta(meta, "records", "0");
	free(meta);

	/* interrupted with a mismatch: the mismatch decides the exit code */
	h->fake.raise_sig = 0;
	h->fake.run_err = 0;
	h->fake.bad[0] = 2;
	h->fake.n_bad = 1;
	h->fake.flag_bad = 1;
	assert_int_equal(harness_main(h, "run", "--samples", "100", "--force",
				      "-o", dir, NULL), VB_EXIT_CHECK);
	assert_int_equal(count_lines(h->err_buf), 2);
}

static void test_refusals(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "refused");

	h->fake.info.flags &= ~VB_INFO_VMX;
	assert_int_equal(harness_main(h, "run", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "CPU 0 has no VMX"));
	h->fake.info.flags |= VB_INFO_VMX | VB_INFO_VMX_IN_USE;
	assert_int_equal(harness_main(h, "run", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "owned by another hypervisor"));
	assert_non_null(strstr(h->err_buf, "rmmod kvm_intel kvm"));
	assert_non_null(strstr(h->err_buf, "kvm.enable_virt_at_load=0"));
	h->fake.info.flags &= ~(VB_INFO_VMX_IN_USE | VB_INFO_FEAT_VMX);
	assert_int_equal(harness_main(h, "run", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "disabled by firmware"));
	h->fake.info.flags |= VB_INFO_FEAT_VMX;
	h->fake.module_abi = 7;
	assert_int_equal(harness_main(h, "run", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "driver ABI 1, module ABI 7"));
	h->fake.module_abi = 0;
	fake_pin_err = EINVAL;
	assert_int_equal(harness_main(h, "run", "--cpu", "77", "-o", dir, NULL),
			 VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "CPU 77: cannot pin to it"));
	/* never measured, and nothing created */
	assert_int_equal(h->fake.run_calls, 0);
	assert_int_not_equal(access(dir, F_OK), 0);
}

static void test_no_overwrite(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "keep");
	char *before, *after;

	assert_int_equal(harness_main(h, "run", "--samples", "3", "-o", dir, NULL),
			 VB_EXIT_OK);
	before = slurp_in(dir, "samples.csv");
	assert_int_equal(harness_main(h, "run", "--samples", "5", "-o", dir, NULL),
			 VB_EXIT_ERROR);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "samples.csv exists and is not empty"));
	assert_int_equal(h->fake.run_calls, 1);	/* refused before measuring */
	after = slurp_in(dir, "samples.csv");
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(harness_main(h, "run", "--samples", "5", "--force",
				      "-o", dir, NULL), VB_EXIT_OK);
	after = slurp_in(dir, "samples.csv");
	assert_int_equal(count_lines(after), 11);
	assert_int_equal(count_lines(before), 7);
	free(before);
	free(after);
}

static void test_quoted_meta(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "a,\"b\"");
	char want[512], *meta, *raw;

	assert_int_equal(harness_main(h, "run", "--samples", "1", "-o", dir, NULL),
			 VB_EXIT_OK);
	meta = slurp_in(dir, "meta.csv");
	snprintf(want, sizeof(want), "vmptrst-bench run --samples 1 -o %s", dir);
	assert_meta(meta, "command_line", want);
	/* every key present, nothing omitted, "unknown" where no source */
	raw = meta_value(meta, "microcode");
	assert_non_null(raw);
	free(raw);
	assert_non_null(strstr(meta, "\r\ncommand_line,\"vmptrst-bench run"));
	assert_non_null(strstr(meta, "a,\"\"b\"\"\"\r\n"));
	free(meta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_ok, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_run_none_2m, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_mismatches, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_module_count_wrong, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_interrupted, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_no_overwrite, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_quoted_meta, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
