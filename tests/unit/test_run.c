// SPDX-License-Identifier: GPL-2.0
/*
 * `run` end to end with the fake device: the rows, points.csv and meta.csv
 * written, the driver's own mismatch count and exit 3, sweeps over several
 * points and CPUs, skipped points, interruption and exit 130, rows on disk
 * before the next point's RUN, refusals before any measurement.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
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
	char buf[768];
	const char *f[32];
};

enum { S_POINT, S_INSN, S_TARGET, S_FIELD, S_TYPE, S_MODE, S_CPU, S_OFFSET,
       S_CACHE, S_MEMTYPE, S_PAGE, S_TLB, S_AD, S_VMCS, S_SER, S_UNROLL, S_PASS, S_SAMPLE, S_TSC, S_EXIT_TICKS,
       S_ENTRY_TICKS, S_CHECK, S_NMI, S_SMI, S_NCOLS };
enum { P_TARGET = 2, P_FIELD, P_TYPE, P_MODE, P_UNROLL = 15, P_SAMPLES,
       P_STATUS, P_REASON, P_RECORDS,
       P_MISM, P_WINDOWS, P_MAXWIN, P_PAGEKIB, P_VMXWAIT, P_EXIT_REASON,
       P_EXIT_QUAL, P_EXIT_INFO, P_EXIT_LEN, P_SECTION, P_NCOLS };

static const char *const samples_header[S_NCOLS] = {
	"point", "instruction", "target", "field", "type", "mode", "cpu",
	"offset", "cache", "memtype", "page", "tlb", "ad", "vmcs", "serialize",
	"unroll", "pass", "sample", "tsc", "exit_ticks", "entry_ticks", "check",
	"flag_nmi", "flag_smi",
};

static const char *const points_header[P_NCOLS] = {
	"point", "instruction", "target", "field", "type", "mode", "cpu",
	"offset", "cache", "memtype", "page", "tlb", "ad", "vmcs", "serialize",
	"unroll", "samples", "status",
	"reason", "records", "mismatches", "windows", "max_window_tsc",
	"page_kib", "vmx_wait_ms", "exit_reason", "exit_qualification",
	"exit_insn_info", "exit_insn_len", "section",
};

/* Parses dir/name: checks the header, returns the rows (malloc'd). */
static struct row *read_csv(const char *dir, const char *name,
			    const char *const *header, int ncols, size_t *nrows)
{
	char *text = slurp_in(dir, name);
	const char *p = text;
	struct row hdr, *rows = NULL;
	size_t n = 0;
	int i, k;

	if (!text)
		fail_msg("%s/%s: missing", dir, name);
	assert_int_equal(csv_record(&p, hdr.buf, sizeof(hdr.buf), hdr.f, 32),
			 ncols);
	for (i = 0; i < ncols; i++)
		assert_string_equal(hdr.f[i], header[i]);
	/* one slot per line: rows hold pointers into themselves */
	rows = calloc(count_lines(text) + 1, sizeof(*rows));
	assert_non_null(rows);
	for (;;) {
		k = csv_record(&p, rows[n].buf, sizeof(rows[n].buf), rows[n].f, 32);
		if (!k)
			break;
		assert_int_equal(k, ncols);
		n++;
	}
	free(text);
	*nrows = n;
	return rows;
}

static struct row *read_samples(const char *dir, size_t *nrows)
{
	return read_csv(dir, "samples.csv", samples_header, S_NCOLS, nrows);
}

static struct row *read_points(const char *dir, size_t *nrows)
{
	return read_csv(dir, "points.csv", points_header, P_NCOLS, nrows);
}

/* points.csv holds n rows, each with the status and reason wanted. */
struct want_point {
	const char *status, *reason;
};

static void assert_points(const char *dir, const struct want_point *want,
			  size_t n)
{
	struct row *r;
	size_t rows, i;

	r = read_points(dir, &rows);
	assert_int_equal(rows, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(r[i].f[P_STATUS], want[i].status);
		assert_string_equal(r[i].f[P_REASON], want[i].reason);
	}
	free(r);
}

/* Rows of samples.csv whose point column is `point`. */
static size_t rows_of(const struct row *r, size_t n, unsigned int point)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += strtoul(r[i].f[S_POINT], NULL, 10) == point;
	return k;
}

static const char *outdir(struct harness *h, const char *name)
{
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/%s", h->dir, name);
	return dir;
}

static void test_run_ok(void **state)
{
	/* meta.csv of the one-point run below, key and value */
	static const char *const want_meta[][2] = {
		{ "tool", "vmptrst-bench" },
		{ "abi_version", ABI_STR },
		{ "module_version", "0.1-test" },
		{ "tsc_khz", "2400000" },
		{ "vmcs_revision", "4" },
		{ "target_cpu", "3" },
		{ "samples", "50" },
		{ "unroll", "8" },
		{ "instruction", "vmptrst" },
		{ "vmcs", "loaded" },
		{ "offset", "4092" },
		{ "serialize", "lfence" },
		{ "page", "4k" },
		{ "records", "100" },
		{ "mismatches", "0" },
		{ "windows", "2" },
		{ "max_window_tsc", "12345" },
		{ "interrupted", "no" },
		{ "config", "none" },
		{ "config_sha256", "none" },
		{ "points", "1" },
		{ "points_measured", "1" },
		{ "points_skipped", "0" },
		{ "cache", "hot" },
		{ "ad", "set" },
		{ "platform", "native" },
		{ "timing_note", "none" },
		{ "cpu_vendor", "GenuineIntel" },
		{ "cpu_family", "6" },
		{ "cpu_model", "158" },
		{ "cpu_stepping", "10" },
	};
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
	assert_int_equal(h->fake.last_run.point.cpu, 3);
	assert_int_equal(h->fake.last_run.point.samples, 50);
	assert_int_equal(h->fake.last_run.point.unroll, 8);
	assert_int_equal(h->fake.last_run.point.offset, 4092);
	assert_int_equal(h->fake.last_run.point.instruction, VB_INSN_VMPTRST);
	assert_int_equal(h->fake.last_run.point.vmcs, VB_VMCS_LOADED);
	assert_int_equal(h->fake.last_run.point.serialize, VB_SER_LFENCE);
	assert_int_equal(h->fake.last_run.flags, 0);
	assert_int_equal(h->fake.last_run.wait_vmx_ms, 0);
	assert_int_equal(h->fake.last_run.point.cache, VB_CACHE_HOT);
	assert_int_equal(h->fake.last_run.point.memtype, VB_MEM_WB);
	assert_int_equal(h->fake.last_run.point.page, VB_PAGE_4K);
	assert_int_equal(h->fake.last_run.point.tlb, VB_TLB_WARM);
	assert_int_equal(h->fake.last_run.point.ad, VB_AD_SET);
	assert_int_equal(h->fake.last_run.buf_len, 100);
	assert_int_equal(h->fake.run_calls, 1);
	assert_int_equal(h->fake.opens, 1);
	assert_int_equal(h->fake.closes, 1);

	r = read_samples(dir, &n);
	assert_int_equal(n, 100);
	for (i = 0; i < n; i++) {
		unsigned long k = i / 2;
		/* interleaved pairs, order alternating pair by pair */
		int insn_first = k % 2 == 0, is_insn = (i % 2 == 0) == insn_first;

		assert_string_equal(r[i].f[S_POINT], "0");
		assert_string_equal(r[i].f[S_INSN], is_insn ? "vmptrst" : "none");
		assert_string_equal(r[i].f[S_CPU], "3");
		assert_string_equal(r[i].f[S_OFFSET], "4092");
		assert_string_equal(r[i].f[S_CACHE], "hot");
		assert_string_equal(r[i].f[S_MEMTYPE], "wb");
		assert_string_equal(r[i].f[S_PAGE], "4k");
		assert_string_equal(r[i].f[S_TLB], "warm");
		assert_string_equal(r[i].f[S_AD], "set");
		assert_string_equal(r[i].f[S_VMCS], "loaded");
		assert_string_equal(r[i].f[S_SER], "lfence");
		assert_string_equal(r[i].f[S_UNROLL], "8");
		assert_int_equal(strtoul(r[i].f[S_SAMPLE], NULL, 10), k);
		assert_int_equal(strtoul(r[i].f[S_TSC], NULL, 10),
				 is_insn ? 100 + k % 7 : 30);
		assert_string_equal(r[i].f[S_CHECK], "ok");
	}
	free(r);

	meta = slurp_in(dir, "meta.csv");
	for (i = 0; i < sizeof(want_meta) / sizeof(want_meta[0]); i++)
		assert_meta(meta, want_meta[i][0], want_meta[i][1]);
	/* the fixture's cpu3 has no sysfs microcode: /proc/cpuinfo's */
	assert_meta(meta, "microcode", "0xf6");
	assert_meta(meta, "cpu_model_name",
		    "Intel(R) Xeon(R) CPU E-2176G @ 3.70GHz");
	snprintf(want, sizeof(want), "vmptrst-bench run --cpu 3 --samples 50 "
		 "--unroll 8 --offset 4092 -o %s", dir);
	assert_meta(meta, "command_line", want);
	free(meta);
	assert_non_null(strstr(h->out_buf, "100 records from 1 point (1 measured, "
			       "0 skipped"));

	r = read_points(dir, &n);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].f[0], "0");
	assert_string_equal(r[0].f[S_OFFSET], "4092");
	assert_string_equal(r[0].f[P_UNROLL], "8");
	assert_string_equal(r[0].f[P_SAMPLES], "50");
	assert_string_equal(r[0].f[P_STATUS], "measured");
	assert_string_equal(r[0].f[P_REASON], "");
	assert_string_equal(r[0].f[P_RECORDS], "100");
	assert_string_equal(r[0].f[P_MISM], "0");
	assert_string_equal(r[0].f[P_WINDOWS], "2");
	assert_string_equal(r[0].f[P_MAXWIN], "12345");
	assert_string_equal(r[0].f[P_PAGEKIB], "4");
	free(r);
	assert_null(slurp_in(dir, "meta.csv.tmp"));
}

static void test_run_none_2m(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "none");
	struct row *r;
	size_t n, i;
	char *meta;

	fake_cpuid_hypervisor = 1;	/* overridden by --platform */
	assert_int_equal(harness_main(h, "run", "--instruction", "none",
				      "--vmcs", "none", "--samples", "7",
				      "--page", "2m", "--offset", "page-split",
				      "--platform", "bochs", "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->fake.last_run.point.page, VB_PAGE_2M);
	assert_int_equal(h->fake.last_run.point.offset, (2u << 20) - 4);
	assert_int_equal(h->fake.last_run.buf_len, 7);
	assert_int_equal(h->fake.last_run.point.vmcs, VB_VMCS_NONE);
	r = read_samples(dir, &n);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++) {
		assert_string_equal(r[i].f[S_INSN], "none");
		assert_string_equal(r[i].f[S_PAGE], "2m");
		assert_string_equal(r[i].f[S_OFFSET], "2097148");
		assert_string_equal(r[i].f[S_VMCS], "none");
		assert_int_equal(strtoul(r[i].f[S_SAMPLE], NULL, 10), i);
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

		assert_string_equal(r[i].f[S_CHECK], want_bad ? "mismatch" : "ok");
		bad += want_bad;
		assert_true(!strcmp(r[i].f[S_INSN], "mov") ||
			    !strcmp(r[i].f[S_INSN], "none"));
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
	assert_non_null(strstr(h->err_buf, "interrupted at point 0 of 1: kept its "
			       "13 of 200 records; 0 points not run"));
	r = read_samples(dir, &n);
	assert_int_equal(n, 13);
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "interrupted", "yes");
	assert_meta(meta, "records", "13");
	free(meta);
	r = read_points(dir, &n);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].f[P_STATUS], "interrupted");
	assert_string_equal(r[0].f[P_REASON], "interrupted after 13 of 200 records");
	assert_string_equal(r[0].f[P_RECORDS], "13");
	free(r);
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
	assert_non_null(strstr(h->err_buf, "CPU 0: another hypervisor owns VMX (kvm_intel is not loaded); stop it for the run, or use --wait-vmx SECONDS"));
	h->fake.info.flags &= ~(VB_INFO_VMX_IN_USE | VB_INFO_FEAT_VMX |
				VB_INFO_KERNEL_VMX);
	assert_int_equal(harness_main(h, "run", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "disabled by firmware"));
	h->fake.info.flags |= VB_INFO_FEAT_VMX | VB_INFO_KERNEL_VMX;
	h->fake.module_abi = 99;
	assert_int_equal(harness_main(h, "run", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "driver ABI " ABI_STR ", module ABI 99"));
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
	assert_non_null(strstr(h->err_buf, "samples.csv exists and holds measured rows"));
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


/* A sweep over a config file: each point's RUN, rows, points.csv, meta. */
static const char sweep_ini[] =
	"; two groups, one inheriting [global]\n"
	"[global]\n"
	"samples = 4\n"
	"cpu = 1, 2\n"
	"\n"
	"[insn]\n"
	"instruction = vmptrst, none\n"
	"\n"
	"[flush]\n"
	"cpu = 2\n"
	"cache = flushed\n"
	"offset = line-split\n"
	"samples = 3\n";

static void test_sweep_run(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "sweep");
	char *ini = harness_file(h, "sweep.ini", sweep_ini), *meta, sha[65];
	struct row *r;
	size_t n;

	assert_int_equal(harness_main(h, "run", "-c", ini, "--unroll", "1",
				      "-o", dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	/* cpu outermost within a group: 1/vmptrst 1/none 2/vmptrst 2/none */
	assert_int_equal(h->fake.run_calls, 5);
	assert_int_equal(h->fake.runs[0].point.cpu, 1);
	assert_int_equal(h->fake.runs[0].point.instruction, VB_INSN_VMPTRST);
	assert_int_equal(h->fake.runs[1].point.cpu, 1);
	assert_int_equal(h->fake.runs[1].point.instruction, VB_INSN_NONE);
	assert_int_equal(h->fake.runs[2].point.cpu, 2);
	assert_int_equal(h->fake.runs[3].point.instruction, VB_INSN_NONE);
	assert_int_equal(h->fake.runs[4].point.cache, VB_CACHE_FLUSHED);
	assert_int_equal(h->fake.runs[4].point.offset, 60);
	assert_int_equal(h->fake.runs[4].point.samples, 3);
	assert_int_equal(h->fake.runs[4].buf_len, 6);
	/* each RUN pinned to its own CPU */
	assert_int_equal(h->fake.pinned_at_run[0], 1);
	assert_int_equal(h->fake.pinned_at_run[1], 1);
	assert_int_equal(h->fake.pinned_at_run[2], 2);
	assert_int_equal(h->fake.pinned_at_run[4], 2);
	/* INFO on both CPUs before anything was measured */
	assert_int_equal(h->fake.info_calls, 2);

	r = read_samples(dir, &n);
	assert_int_equal(n, 8 + 4 + 8 + 4 + 6);
	assert_int_equal(rows_of(r, n, 0), 8);
	assert_int_equal(rows_of(r, n, 1), 4);
	assert_int_equal(rows_of(r, n, 4), 6);
	assert_string_equal(r[n - 1].f[S_POINT], "4");
	assert_string_equal(r[n - 1].f[S_CACHE], "flushed");
	assert_string_equal(r[n - 1].f[S_OFFSET], "60");
	assert_string_equal(r[n - 1].f[S_CPU], "2");
	assert_string_equal(r[8].f[S_INSN], "none");
	assert_string_equal(r[8].f[S_POINT], "1");
	free(r);

	r = read_points(dir, &n);
	assert_int_equal(n, 5);
	assert_string_equal(r[3].f[0], "3");
	assert_string_equal(r[3].f[S_INSN], "none");
	assert_string_equal(r[3].f[S_CPU], "2");
	assert_string_equal(r[3].f[P_SAMPLES], "4");
	assert_string_equal(r[3].f[P_RECORDS], "4");
	assert_string_equal(r[4].f[S_CACHE], "flushed");
	assert_string_equal(r[4].f[P_STATUS], "measured");
	/* the config's section names, as `plan` prints them */
	assert_string_equal(r[0].f[P_SECTION], "insn");
	assert_string_equal(r[3].f[P_SECTION], "insn");
	assert_string_equal(r[4].f[P_SECTION], "flush");
	free(r);

	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "config", ini);
	vb_sha256_hex(sweep_ini, strlen(sweep_ini), sha);
	assert_meta(meta, "config_sha256", sha);
	assert_meta(meta, "points", "5");
	assert_meta(meta, "points_measured", "5");
	assert_meta(meta, "points_skipped", "0");
	assert_meta(meta, "samples", "19");
	assert_meta(meta, "records", "30");
	assert_meta(meta, "target_cpu", "1 2");
	assert_meta(meta, "instruction", "vmptrst none");
	assert_meta(meta, "cache", "hot flushed");
	assert_meta(meta, "offset", "0 60");
	assert_meta(meta, "windows", "5");
	assert_meta(meta, "max_window_tsc", "12345");
	free(meta);
	free(ini);
}

/* Points the machine cannot set up: skipped with a reason, the run goes on. */
static void test_skipped(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "skip");
	char *ini = harness_file(h, "skip.ini",
		"[global]\nsamples = 2\n"
		"[mem]\nmemtype = wb, wt\n"
		"[pages]\npage = 4k, 1g\n"
		"[flush]\ncache = flushopt, flushed\n");
	char *meta;
	struct row *r;
	size_t n;

	h->fake.skip_pages = 1u << VB_PAGE_1G;
	h->fake.no_clflushopt = 1;
	assert_int_equal(harness_main(h, "run", "-c", ini, "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->fake.run_calls, 6);
	assert_non_null(strstr(h->out_buf, "12 records from 6 points (3 "
			       "measured, 3 skipped: see points.csv)"));
	r = read_points(dir, &n);
	assert_int_equal(n, 6);
	assert_string_equal(r[1].f[P_STATUS], "skipped");
	assert_string_equal(r[1].f[P_REASON],
			    "memory type wt not available to the module");
	assert_string_equal(r[1].f[P_RECORDS], "0");
	assert_string_equal(r[1].f[P_MISM], "");	/* never measured */
	assert_string_equal(r[1].f[P_WINDOWS], "");
	assert_string_equal(r[3].f[S_PAGE], "1g");
	assert_string_equal(r[3].f[P_STATUS], "skipped");
	assert_string_equal(r[3].f[P_REASON], "page size 1g not available "
			    "(the buffer got 4k pages)");
	assert_string_equal(r[3].f[P_PAGEKIB], "4");
	assert_string_equal(r[4].f[P_REASON], "the CPU has no CLFLUSHOPT");
	assert_string_equal(r[5].f[P_STATUS], "measured");
	assert_string_equal(r[5].f[P_REASON], "");
	free(r);
	r = read_samples(dir, &n);
	assert_int_equal(n, 12);
	assert_int_equal(rows_of(r, n, 1), 0);
	assert_int_equal(rows_of(r, n, 3), 0);
	assert_int_equal(rows_of(r, n, 4), 0);
	assert_int_equal(rows_of(r, n, 5), 4);
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "points_measured", "3");
	assert_meta(meta, "points_skipped", "3");
	assert_meta(meta, "page", "4k 1g");	/* the plan's, skipped too */
	assert_meta(meta, "page_measured", "4k");	/* 1g never was */
	assert_meta(meta, "samples", "6");	/* 3 measured points of 2 */
	assert_meta(meta, "samples_planned", "12");
	assert_meta(meta, "memtype", "wb wt");
	free(meta);
	free(ini);
}

/* A module that measured on the wrong page, or returned rows when skipping. */
static void test_module_disagrees(void **state)
{
	struct harness *h = *state;
	struct row *r;
	size_t n;

	h->fake.page_kib = 4;	/* a 2m point measured on 4k pages */
	assert_int_equal(harness_main(h, "run", "--page", "2m", "--samples", "2",
				      "-o", outdir(h, "a"), NULL), VB_EXIT_CHECK);
	assert_non_null(strstr(h->err_buf, "1 points measured on another page "
			       "size than asked"));
	r = read_samples(outdir(h, "a"), &n);
	assert_int_equal(n, 4);
	assert_string_equal(r[0].f[S_PAGE], "4k");	/* as the module says */
	free(r);

	h->fake.page_kib = 0;
	h->fake.skipped_records = 3;
	assert_int_equal(harness_main(h, "run", "--memtype", "wt", "-o",
				      outdir(h, "b"), NULL), VB_EXIT_CHECK);
	assert_non_null(strstr(h->err_buf, "inconsistent results"));
	assert_non_null(strstr(h->err_buf, "3 malformed"));
}

/* Ctrl-C in the middle of point 1: its partial rows kept, the rest not-run. */
static void test_interrupted_sweep(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "isweep");
	struct sigaction now;
	struct row *r;
	size_t n, i;
	char *meta;

	h->fake.stop_at_run = 2;
	h->fake.stop_after = 5;
	h->fake.raise_sig = SIGINT;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2,4,8",
				      "--samples", "10", "-o", dir, NULL),
			 VB_EXIT_INTERRUPTED);
	assert_int_equal(h->fake.run_calls, 2);		/* nothing after */
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "interrupted at point 1 of 4: kept "
			       "its 5 of 20 records; 2 points not run"));
	assert_int_equal(h->out_len, 0);
	r = read_samples(dir, &n);
	assert_int_equal(n, 25);
	assert_int_equal(rows_of(r, n, 0), 20);
	assert_int_equal(rows_of(r, n, 1), 5);
	free(r);
	r = read_points(dir, &n);
	assert_int_equal(n, 4);		/* every point of the plan */
	assert_string_equal(r[0].f[P_STATUS], "measured");
	assert_string_equal(r[1].f[P_STATUS], "interrupted");
	assert_string_equal(r[1].f[P_RECORDS], "5");
	for (i = 2; i < 4; i++) {
		assert_string_equal(r[i].f[P_STATUS], "not-run");
		assert_string_equal(r[i].f[P_REASON], "");
		assert_string_equal(r[i].f[P_RECORDS], "");
		assert_string_equal(r[i].f[P_PAGEKIB], "");
	}
	assert_string_equal(r[3].f[P_UNROLL], "8");
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "interrupted", "yes");
	assert_meta(meta, "records", "25");
	assert_meta(meta, "samples", "12");	/* 10, and 5 records: 2 pairs */
	assert_meta(meta, "samples_planned", "40");
	assert_meta(meta, "unroll", "1 2 4 8");
	assert_meta(meta, "points_measured", "1");
	assert_non_null(strstr(meta, "end_time,2"));
	free(meta);
	assert_int_equal(sigaction(SIGINT, NULL, &now), 0);
	assert_true(now.sa_handler == SIG_DFL);
}

/* Ctrl-C after the module finished point 1: it is complete, 2.. not run. */
static void test_interrupted_between(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "ibetween");
	struct row *r;
	size_t n;

	h->fake.stop_at_run = 2;
	h->fake.raise_sig = SIGTERM;
	assert_int_equal(harness_main(h, "run", "--cpu", "0,1,2", "--samples",
				      "3", "-o", dir, NULL), VB_EXIT_INTERRUPTED);
	assert_int_equal(h->fake.run_calls, 2);
	assert_non_null(strstr(h->err_buf, "interrupted after 2 of 3 points; 1 "
			       "points not run"));
	r = read_points(dir, &n);
	assert_int_equal(n, 3);
	assert_string_equal(r[1].f[P_STATUS], "measured");
	assert_string_equal(r[2].f[P_STATUS], "not-run");
	free(r);
}

/* A RUN that fails mid-sweep: exit 1, earlier rows kept, the rest not-run. */
static void test_failed_point(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "fail");
	struct row *r;
	size_t n;

	h->fake.run_err = EIO;
	h->fake.fail_at_run = 2;
	assert_int_equal(harness_main(h, "run", "--vmcs", "loaded,none",
				      "--serialize", "lfence,mfence",
				      "--samples", "2", "-o", dir, NULL),
			 VB_EXIT_ERROR);
	assert_int_equal(h->fake.run_calls, 2);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "CPU 0: RUN: a VMX instruction failed"));
	r = read_samples(dir, &n);
	assert_int_equal(n, 4);
	free(r);
	r = read_points(dir, &n);
	assert_int_equal(n, 4);
	assert_string_equal(r[0].f[P_STATUS], "measured");
	assert_string_equal(r[1].f[P_STATUS], "failed");
	assert_string_equal(r[1].f[P_REASON], "CPU 0: RUN: a VMX instruction "
			    "failed; see dmesg");
	assert_string_equal(r[2].f[P_STATUS], "not-run");
	assert_string_equal(r[3].f[P_STATUS], "not-run");
	free(r);
	assert_int_equal(h->fake.opens, h->fake.closes);
}

/* Streaming: at each RUN, the earlier points are already in the files. */
struct stream_check {
	char dir[256];
	unsigned int runs, bad;
	size_t rows_seen[8], points_seen[8];
};

static void stream_hook(struct fake_dev *f, const struct vb_run *run)
{
	struct stream_check *c = f->hook_arg;
	char *s = slurp_in(c->dir, "samples.csv");
	char *p = slurp_in(c->dir, "points.csv");

	(void)run;
	if (c->runs < 8) {
		/* header + the earlier points' rows, on disk already */
		c->rows_seen[c->runs] = s ? count_lines(s) : 0;
		c->points_seen[c->runs] = p ? count_lines(p) : 0;
	}
	c->runs++;
	free(s);
	free(p);
}

static void test_streaming(void **state)
{
	struct harness *h = *state;
	struct stream_check c;
	unsigned int i;
	char *ini = harness_file(h, "s.ini", "[a]\nsamples=5\n[b]\nsamples=3\n"
				 "[c]\nsamples=1\n");

	memset(&c, 0, sizeof(c));
	snprintf(c.dir, sizeof(c.dir), "%s", outdir(h, "stream"));
	h->fake.run_hook = stream_hook;
	h->fake.hook_arg = &c;
	/* points of 10, 6, 2 records (samples 5, 3, 1) via three groups */
	assert_int_equal(harness_main(h, "run", "-c", ini, "-o", c.dir, NULL),
			 VB_EXIT_OK);
	free(ini);
	assert_int_equal(c.runs, 3);
	assert_int_equal(c.rows_seen[0], 1);
	assert_int_equal(c.rows_seen[1], 1 + 10);
	assert_int_equal(c.rows_seen[2], 1 + 10 + 6);
	for (i = 0; i < 3; i++)
		assert_int_equal(c.points_seen[i], 1 + i);
}

/* One point's records in memory at a time: the buffer fits the largest. */
static void test_buffer_per_point(void **state)
{
	struct harness *h = *state;
	char *ini = harness_file(h, "m.ini", "[a]\nsamples=7\n[b]\n"
				 "samples=262144\ninstruction = none\n[c]\n"
				 "samples=3\n");

	assert_int_equal(harness_main(h, "run", "-c", ini, "-o",
				      outdir(h, "buf"), NULL), VB_EXIT_OK);
	free(ini);
	assert_int_equal(h->fake.runs[0].buf_len, 14);
	assert_int_equal(h->fake.runs[1].buf_len, 262144);
	assert_int_equal(h->fake.runs[2].buf_len, 6);
	/* the same buffer every time: allocated once, for the largest */
	assert_true(h->fake.runs[0].buf == h->fake.runs[1].buf);
	assert_true(h->fake.runs[2].buf == h->fake.runs[1].buf);
}

/* Progress on a terminal: point i/N; nothing when stderr is not one. */
static void test_progress(void **state)
{
	struct harness *h = *state;

	h->env.progress = 1;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2,4",
				      "--samples", "3", "-o", outdir(h, "p1"),
				      NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->err_buf, "point 1/3 (0%) [command-line] ETA --:--"));
	assert_non_null(strstr(h->err_buf, "point 3/3 (67%)"));
	assert_non_null(strstr(h->err_buf, "ETA 0:00:00"));
	assert_null(strchr(h->err_buf, '\n'));	/* one line, rewritten */
	h->env.progress = 0;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2,4",
				      "--samples", "3", "-o", outdir(h, "p2"),
				      NULL), VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	assert_int_equal(count_lines(h->out_buf), 1);	/* the summary */
}

/* Several CPUs: each checked before anything is measured. */
static void test_cpu_refused(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "cpus");

	/* INFO on the second CPU says another hypervisor owns VMX */
	h->fake.flags_change_after = 1;
	h->fake.changed_flags = h->fake.info.flags | VB_INFO_VMX_IN_USE;
	assert_int_equal(harness_main(h, "run", "--cpu", "4,5", "-o", dir, NULL),
			 VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "CPU 4: another hypervisor owns VMX"));
	assert_int_equal(h->fake.run_calls, 0);
	assert_int_not_equal(access(dir, F_OK), 0);
	/* a bad config: exit 2 before the device is opened */
	assert_int_equal(harness_main(h, "run", "-c", "/nonexistent.ini", "-o",
				      dir, NULL), VB_EXIT_USAGE);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "/nonexistent.ini: cannot read the "
			       "config file"));
	assert_int_equal(h->fake.opens, 1);
}

/* --wait-vmx: every RUN asks for it; meta.csv and points.csv say the wait. */
static void test_wait_vmx(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "wait");
	char *ini = harness_file(h, "wait.ini",
		"[global]\nsamples = 2\nwait-vmx = 5\n"
		"[now]\nwait-vmx = 0\n[later]\nunroll = 1, 2\n");
	struct row *r;
	size_t n;
	char *meta;

	/* default: no wait, 0 in meta.csv */
	assert_int_equal(harness_main(h, "run", "--samples", "2", "-o", dir,
				      NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.last_run.wait_vmx_ms, 0);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "wait_vmx", "0");
	assert_meta(meta, "vmx_wait_ms", "0");
	free(meta);
	r = read_points(dir, &n);
	assert_string_equal(r[0].f[P_VMXWAIT], "0");
	free(r);

	/* the flag: seconds to ms in every RUN; the module's waits summed */
	h->fake.vmx_wait_ms = 1500;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--unroll",
				      "1,2", "--wait-vmx", "60", "--force",
				      "-o", dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.run_calls, 3);
	assert_int_equal(h->fake.runs[1].wait_vmx_ms, 60000);
	assert_int_equal(h->fake.runs[2].wait_vmx_ms, 60000);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "wait_vmx", "60");
	assert_meta(meta, "vmx_wait_ms", "3000");
	assert_meta(meta, "stopped", "no");
	free(meta);
	r = read_points(dir, &n);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].f[P_VMXWAIT], "1500");
	assert_string_equal(r[1].f[P_VMXWAIT], "1500");
	free(r);

	/* the config key, per group, [global] inherited */
	h->fake.vmx_wait_ms = 0;
	h->fake.run_calls = 0;
	assert_int_equal(harness_main(h, "run", "-c", ini, "--force", "-o", dir,
				      NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.run_calls, 3);
	assert_int_equal(h->fake.runs[0].wait_vmx_ms, 0);
	assert_int_equal(h->fake.runs[1].wait_vmx_ms, 5000);
	assert_int_equal(h->fake.runs[2].wait_vmx_ms, 5000);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "wait_vmx", "0 5");
	free(meta);
	/* plan shows it */
	assert_int_equal(harness_main(h, "plan", "-c", ini, NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "[later]: "));
	assert_non_null(strstr(h->out_buf, " wait-vmx=5s\n"));
	/* the flag over [global], not over a group's own value */
	h->fake.run_calls = 0;
	assert_int_equal(harness_main(h, "run", "-c", ini, "--wait-vmx", "7",
				      "--force", "-o", dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.runs[0].wait_vmx_ms, 0);
	assert_int_equal(h->fake.runs[1].wait_vmx_ms, 7000);
	free(ini);
}

/* VMX taken mid-run: the point's rows kept, the rest not-run, one line, exit 1. */
static void test_vmx_taken(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "taken");
	struct row *r;
	size_t n, i;
	char *meta, *win;

	/* kvm_intel loaded, enable_virt_at_load=N: a VM started */
	harness_put(h, "sys/module/kvm_intel/initstate", "live\n");
	h->env.root = harness_put(h, "sys/module/kvm/parameters/"
				  "enable_virt_at_load", "N\n");
	h->fake.info.flags |= VB_INFO_KVM;
	h->fake.stop_at_run = 2;
	h->fake.stop_after = 20;
	h->fake.stop_flag = VB_RUN_VMX_TAKEN;
	h->fake.vmx_wait_ms = 0;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2,4,8",
				      "--samples", "50", "-o", dir, NULL),
			 VB_EXIT_ERROR);
	assert_int_equal(h->fake.run_calls, 2);		/* nothing after */
	assert_string_equal(h->err_buf, "vmptrst-bench: run stopped at point 1: another hypervisor turned VMX on on CPU 0 during the run (KVM does while it has VMs: a VM started); kept the point's 20 of 100 records, 2 points not run (see points.csv); rerun with --wait-vmx SECONDS to wait for it\n");
	assert_int_equal(h->out_len, 0);
	r = read_samples(dir, &n);
	assert_int_equal(n, 120);
	assert_int_equal(rows_of(r, n, 0), 100);
	assert_int_equal(rows_of(r, n, 1), 20);
	for (i = 0; i < n; i++)
		assert_string_equal(r[i].f[S_CHECK], "ok");
	free(r);
	r = read_points(dir, &n);
	assert_int_equal(n, 4);
	assert_string_equal(r[0].f[P_STATUS], "measured");
	assert_string_equal(r[1].f[P_STATUS], "stopped");
	assert_string_equal(r[1].f[P_REASON], "stopped after 20 of 100 records: another hypervisor turned VMX on on CPU 0");
	assert_string_equal(r[1].f[P_RECORDS], "20");
	assert_string_equal(r[1].f[P_MISM], "0");
	assert_string_equal(r[1].f[P_VMXWAIT], "0");
	for (i = 2; i < 4; i++) {
		assert_string_equal(r[i].f[P_STATUS], "not-run");
		assert_string_equal(r[i].f[P_VMXWAIT], "");
	}
	free(r);
	win = slurp_in(dir, "windows.csv");
	assert_non_null(strstr(win, "\r\n1,0,0,"));	/* its window, described */
	free(win);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "stopped", "point 1: vmx_taken on CPU 0");
	assert_meta(meta, "interrupted", "no");
	assert_meta(meta, "records", "120");
	assert_meta(meta, "points_measured", "1");
	assert_non_null(strstr(meta, "end_time,2"));
	free(meta);

	/* having waited: what to do differs */
	h->fake.run_calls = 0;
	h->fake.vmx_wait_ms = 30000;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2,4,8",
				      "--samples", "50", "--wait-vmx", "30",
				      "--force", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "(KVM does while it has VMs: a VM started); kept the point's 20 of 100 records, 2 points not run (see points.csv); it still held VMX after --wait-vmx 30: rerun with a longer wait, or once it is done\n"));
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "vmx_wait_ms", "60000");
	free(meta);
	r = read_points(dir, &n);
	assert_string_equal(r[1].f[P_VMXWAIT], "30000");
	free(r);

	/* kvm loaded with enable_virt_at_load=Y: unload or reload it */
	h->env.root = harness_put(h, "sys/module/kvm/parameters/"
				  "enable_virt_at_load", "Y\n");
	h->fake.run_calls = 0;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2,4,8",
				      "--samples", "50", "--force", "-o", dir,
				      NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "during the run (kvm_intel does when it is loaded with kvm.enable_virt_at_load=Y); kept the point's 20 of 100 records, 2 points not run (see points.csv); rmmod kvm_intel kvm, or reload kvm with enable_virt_at_load=0, and rerun\n"));

	/* no kvm at all */
	h->env.root = FIXTURES "/dell";
	h->fake.info.flags &= ~VB_INFO_KVM;
	h->fake.vmx_wait_ms = 0;
	h->fake.run_calls = 0;
	assert_int_equal(harness_main(h, "run", "--unroll", "1,2,4,8",
				      "--samples", "50", "--force", "-o", dir,
				      NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "during the run (kvm_intel is not loaded: some other hypervisor); "));
}

/* The crash-time cover lost mid-run (kvm loaded on 6.12): the same shape. */
static void test_no_cover(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "cover");
	struct row *r;
	size_t n;
	char *meta;

	h->fake.stop_at_run = 1;
	h->fake.stop_after = 6;
	h->fake.stop_flag = VB_RUN_NO_COVER;
	assert_int_equal(harness_main(h, "run", "--cpu", "2,3", "--samples",
				      "10", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_int_equal(h->fake.run_calls, 1);
	assert_string_equal(h->err_buf, "vmptrst-bench: run stopped at point 0: kvm was loaded during the run, and on this kernel KVM takes the kernel's single crash-time VMXOFF callback whenever it turns VMX on, so the module could not keep a crash or kdump from hanging CPU 2; kept the point's 6 of 20 records, 1 points not run (see points.csv); unload kvm_intel and kvm and rerun (or rerun with --wait-vmx SECONDS to wait for that)\n");
	r = read_points(dir, &n);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].f[P_STATUS], "stopped");
	assert_string_equal(r[0].f[P_REASON], "stopped after 6 of 20 records: kvm was loaded, the kernel's crash-time VMXOFF callback could no longer cover the RUN");
	assert_string_equal(r[1].f[P_STATUS], "not-run");
	free(r);
	r = read_samples(dir, &n);
	assert_int_equal(n, 6);
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "stopped", "point 0: no_cover on CPU 2");
	assert_meta(meta, "page", "4k");	/* its rows are measured rows */
	free(meta);
	/* having waited */
	h->fake.run_calls = 0;
	assert_int_equal(harness_main(h, "run", "--cpu", "2,3", "--samples",
				      "10", "--wait-vmx", "3600", "--force",
				      "-o", dir, NULL), VB_EXIT_ERROR);
	assert_non_null(strstr(h->err_buf, "; kvm was still loaded after --wait-vmx 3600: unload kvm_intel and kvm and rerun\n"));
	assert_int_equal(h->fake.last_run.wait_vmx_ms, VB_MAX_WAIT_VMX_MS);
	/* a failed check still says so, and wins the exit code */
	h->fake.bad[0] = 3;
	h->fake.n_bad = 1;
	h->fake.flag_bad = 1;
	h->fake.run_calls = 0;
	assert_int_equal(harness_main(h, "run", "--cpu", "2,3", "--samples",
				      "10", "--force", "-o", dir, NULL),
			 VB_EXIT_CHECK);
	assert_int_equal(count_lines(h->err_buf), 2);
	assert_non_null(strstr(h->err_buf, "failed the check"));
	assert_non_null(strstr(h->err_buf, "run stopped at point 0"));
}

/* VMX busy when the run starts: refused at once, or waited for. */
static void test_busy_at_start(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "start");

	h->fake.info.flags |= VB_INFO_VMX_IN_USE;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "-o", dir,
				      NULL), VB_EXIT_ERROR);
	assert_int_equal(h->fake.run_calls, 0);
	assert_int_not_equal(access(dir, F_OK), 0);
	/* with --wait-vmx: said once, and each RUN may wait */
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--wait-vmx",
				      "10", "-o", dir, NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.run_calls, 1);
	assert_int_equal(h->fake.last_run.wait_vmx_ms, 10000);
	assert_string_equal(h->err_buf, "vmptrst-bench: CPU 0: another hypervisor owns VMX (kvm_intel is not loaded): each RUN there waits up to 10 s for that to change (--wait-vmx)\n");
	/* NO_COVER alike */
	h->fake.info.flags &= ~VB_INFO_VMX_IN_USE;
	h->fake.info.flags |= VB_INFO_NO_COVER;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--wait-vmx",
				      "10", "--force", "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_non_null(strstr(h->err_buf, "CPU 0: kvm is loaded: on this kernel KVM takes"));
	/* a CPU the module left in VMX operation: no wait helps */
	h->fake.info.flags |= VB_INFO_CPU_STUCK;
	h->fake.run_calls = 0;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--wait-vmx",
				      "10", "--force", "-o", dir, NULL),
			 VB_EXIT_ERROR);
	assert_int_equal(h->fake.run_calls, 0);
	assert_string_equal(h->err_buf, "vmptrst-bench: CPU 0 was left in VMX operation after VMXOFF failed; reboot before measuring on it\n");
}

/* serialize=cpuid on a CPU without RDTSCP: skipped, named; others run. */
static void test_skip_rdtscp(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "rdtscp");
	struct row *r;
	size_t n;

	h->fake.no_rdtscp = 1;
	assert_int_equal(harness_main(h, "run", "--serialize",
				      "lfence,cpuid,mfence", "--samples", "4",
				      "-o", dir, NULL), VB_EXIT_OK);
	r = read_points(dir, &n);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].f[P_STATUS], "measured");
	assert_string_equal(r[1].f[P_STATUS], "skipped");
	assert_string_equal(r[1].f[P_REASON], "the CPU has no RDTSCP (CPUID.80000001H:EDX[27]): serialize=cpuid executes it");
	assert_string_equal(r[2].f[P_STATUS], "measured");
	free(r);
	r = read_samples(dir, &n);
	assert_int_equal(rows_of(r, n, 1), 0);
	assert_int_equal(n, 16);
	free(r);
}

/*
 * The user backend (the real engine at ring 3) asks env's CPUID, never the
 * CPU directly: the fake's CPU has neither RDTSCP nor CLFLUSHOPT, so its
 * serialize=cpuid and cache=flushopt points are skipped with the module's
 * reasons whatever this host has (a feature is only ever hidden here, never
 * claimed: executing RDTSCP where CPUID denies it may #UD).  Its
 * timing_note adds to the platform's, a guest's here.
 */
static void test_user_backend(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "user");
	struct row *r;
	size_t n;
	char *meta, *note;

	fake_cpuid_no_rdtscp = 1;
	fake_cpuid_hypervisor = 1;	/* dell's DMI with the bit: a guest */
	assert_int_equal(harness_main(h, "run", "--backend", "user",
				      "--instruction", "mov", "--cache",
				      "hot,flushopt", "--serialize",
				      "lfence,cpuid", "--samples", "20", "-o",
				      dir, NULL), VB_EXIT_OK);
	r = read_points(dir, &n);
	assert_int_equal(n, 4);
	assert_string_equal(r[0].f[S_SER], "lfence");
	assert_string_equal(r[0].f[P_STATUS], "measured");
	assert_string_equal(r[0].f[P_RECORDS], "40");
	assert_string_equal(r[1].f[S_SER], "cpuid");
	assert_string_equal(r[1].f[P_STATUS], "skipped");
	assert_string_equal(r[1].f[P_REASON], "the CPU has no RDTSCP (CPUID.80000001H:EDX[27]): serialize=cpuid executes it");
	assert_string_equal(r[2].f[S_CACHE], "flushopt");
	assert_string_equal(r[2].f[P_REASON], "the CPU has no CLFLUSHOPT");
	assert_string_equal(r[3].f[P_STATUS], "skipped");
	free(r);
	r = read_samples(dir, &n);
	assert_int_equal(n, 40);
	free(r);
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "platform", "vm");
	assert_meta(meta, "backend", "user");
	note = meta_value(meta, "timing_note");
	assert_non_null(note);
	assert_true(!strncmp(note, "guest: timings include the hypervisor; ", 39));
	assert_non_null(strstr(note, "invisible; user backend: ring 3, interrupts on; windows are not IRQ-off"));
	free(note);
	free(meta);
}

/* A guest's wc and uc- points may have measured WB: their reason says so. */
static void test_guest_pat(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h, "pat");
	struct row *r;
	size_t n;

	fake_cpuid_hypervisor = 1;
	h->fake.stop_at_run = 3;	/* uc- interrupted: the notes compose */
	h->fake.stop_after = 2;
	assert_int_equal(harness_main(h, "run", "--memtype", "wb,wc,uc-",
				      "--samples", "4", "-o", dir, NULL),
			 VB_EXIT_INTERRUPTED);
	r = read_points(dir, &n);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].f[P_REASON], "");
	assert_string_equal(r[1].f[P_STATUS], "measured");
	assert_string_equal(r[1].f[P_REASON], "guest: the hypervisor may ignore guest PAT (KVM with EPT does): this point may have measured WB");
	assert_string_equal(r[2].f[P_STATUS], "interrupted");
	assert_string_equal(r[2].f[P_REASON], "interrupted after 2 of 8 records; guest: the hypervisor may ignore guest PAT (KVM with EPT does): this point may have measured WB");
	free(r);
	/* natively: nothing to say */
	fake_cpuid_hypervisor = 0;
	h->fake.stop_at_run = 0;
	h->fake.stop_after = 0;
	assert_int_equal(harness_main(h, "run", "--memtype", "wb,wc,uc-",
				      "--samples", "4", "--force", "-o", dir,
				      NULL), VB_EXIT_OK);
	r = read_points(dir, &n);
	assert_string_equal(r[1].f[P_REASON], "");
	assert_string_equal(r[2].f[P_REASON], "");
	free(r);
}

/* The CPU of point 1 goes offline after the start: it fails, exit 1. */
static void pin_lost_hook(struct fake_dev *f, const struct vb_run *run)
{
	(void)f;
	(void)run;
	fake_pin_err = ENXIO;	/* from now on */
}

static void test_pin_lost(void **state)
{
	static const struct want_point want[] = {
		{ "measured", "" },
		{ "failed", "CPU 2: cannot pin to it (No such device or address)" },
		{ "not-run", "" },
	};
	struct harness *h = *state;
	const char *dir = outdir(h, "pinlost");
	char *meta;

	h->fake.run_hook = pin_lost_hook;
	assert_int_equal(harness_main(h, "run", "--cpu", "1,2,3", "--samples",
				      "2", "-o", dir, NULL), VB_EXIT_ERROR);
	assert_int_equal(h->fake.run_calls, 1);
	assert_string_equal(h->err_buf, "vmptrst-bench: CPU 2: cannot pin to it (No such device or address)\n");
	assert_points(dir, want, sizeof(want) / sizeof(want[0]));
	meta = slurp_in(dir, "meta.csv");
	assert_meta(meta, "points_measured", "1");
	assert_meta(meta, "interrupted", "no");
	free(meta);
	assert_int_equal(h->fake.opens, h->fake.closes);
}

/* From the second RUN on no file may grow 100 bytes past samples.csv then. */
static void fsize_hook(struct fake_dev *f, const struct vb_run *run)
{
	struct rlimit rl;
	struct stat st;

	(void)run;
	if (f->run_calls != 1)
		return;
	assert_int_equal(stat(f->hook_arg, &st), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = (rlim_t)st.st_size + 100;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

/*
 * A file that cannot be written: one line naming the folder, exit 1.
 * With 200 samples a point's rows overflow stdio's buffer while they are
 * written; with 4 they fail when the point's files are flushed.
 */
static void test_write_fails(void **state)
{
	static const char *const samples[] = { "200", "4" };
	struct harness *h = *state;
	struct sigaction ign, old;
	struct rlimit saved;
	char want[512];
	size_t i;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	assert_int_equal(sigaction(SIGXFSZ, &ign, &old), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	h->fake.run_hook = fsize_hook;
	for (i = 0; i < 2; i++) {
		const char *dir = outdir(h, samples[i]);
		char file[300];
		int rc;

		snprintf(file, sizeof(file), "%s/samples.csv", dir);
		h->fake.hook_arg = file;
		h->fake.run_calls = 0;
		rc = harness_main(h, "run", "--unroll", "1,2,4", "--samples",
				  samples[i], "-o", dir, NULL);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
		assert_int_equal(rc, VB_EXIT_ERROR);
		assert_int_equal(h->fake.run_calls, 2);	/* nothing after */
		snprintf(want, sizeof(want), "vmptrst-bench: %s: write failed: File too large\n", dir);
		assert_string_equal(h->err_buf, want);
		assert_int_equal(h->out_len, 0);
	}
	assert_int_equal(sigaction(SIGXFSZ, &old, NULL), 0);
}

/* What the user backend cannot measure is refused before anything runs. */
static void test_user_refused(void **state)
{
	struct harness *h = *state;

	assert_int_equal(harness_main(h, "run", "--backend", "user",
				      "--instruction", "mov,vmptrst", "-o",
				      outdir(h, "refused"), NULL),
			 VB_EXIT_USAGE);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_true(!strncmp(h->err_buf, "vmptrst-bench: --backend user: point 1: ", 40));
	assert_null(slurp_in(outdir(h, "refused"), "meta.csv"));
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
		cmocka_unit_test_setup_teardown(test_sweep_run, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_skipped, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_module_disagrees, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_sweep, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_between, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_failed_point, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_streaming, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_buffer_per_point, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_progress, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_cpu_refused, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_wait_vmx, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_vmx_taken, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_no_cover, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_busy_at_start, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_skip_rdtscp, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_user_backend, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_guest_pat, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_pin_lost, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_write_fails, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_user_refused, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
