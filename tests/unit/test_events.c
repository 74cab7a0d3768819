// SPDX-License-Identifier: GPL-2.0
/*
 * `run` with PMU events against the fake device (values per record,
 * counters the module could not create, VB_SAMPLE_PMC_INVALID, passes, no
 * PMU at all, --require-events, the cross-check) and the samples.csv and
 * meta.csv they leave.  The fake's value of event e in record i is
 * (config & 0xffff) * 100000 + i; its event_total adds 7.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "pmu.h"

#define NAXES	16	/* point .. unroll */
#define C_PASS	16
#define C_SAMPLE 17
#define C_CHECK	21
#define C_EV	24	/* the first event column */
/* points.csv */
#define P_STATUS 17
#define P_REASON 18
#define P_RECORDS 19

struct row {
	char buf[1024];
	const char *f[64];
	int n;
};

/* One RFC 4180 record (every record ends in CRLF); 0 at the end. */
static int csv_record(const char **p, struct row *r)
{
	const char *s = *p;
	size_t o = 0;

	r->n = 0;
	if (!*s)
		return 0;
	for (;;) {
		r->f[r->n++] = r->buf + o;
		if (*s == '"') {
			for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
				if (*s == '"')
					s++;
				r->buf[o++] = *s;
			}
			assert_true(*s == '"');
			s++;
		} else {
			while (*s && *s != ',' && *s != '\r' && *s != '\n')
				r->buf[o++] = *s++;
		}
		r->buf[o++] = '\0';
		assert_true(o < sizeof(r->buf) && r->n < 64);
		if (*s == ',') {
			s++;
			continue;
		}
		assert_true(s[0] == '\r' && s[1] == '\n');
		*p = s + 2;
		return r->n;
	}
}

/* Every record of dir/name; rows[0] is the header. */
static struct row *read_all(const char *dir, const char *name, size_t *n)
{
	char *text = slurp_in(dir, name);
	const char *p = text;
	struct row *rows;
	size_t k = 0;

	if (!text)
		fail_msg("%s/%s: missing", dir, name);
	rows = calloc(count_lines(text) + 1, sizeof(*rows));
	assert_non_null(rows);
	while (csv_record(&p, &rows[k]))
		k++;
	free(text);
	*n = k;
	return rows;
}

static char *meta(const char *dir, const char *key)
{
	size_t n, i;
	struct row *r = read_all(dir, "meta.csv", &n);
	char *v = NULL;

	for (i = 1; i < n && !v; i++) {
		assert_int_equal(r[i].n, 2);
		if (!strcmp(r[i].f[0], key))
			v = strdup(r[i].f[1]);
	}
	free(r);
	return v;
}

static void assert_meta(const char *dir, const char *key, const char *want)
{
	char *v = meta(dir, key);

	if (!v || strcmp(v, want))
		fail_msg("meta %s: got '%s', want '%s'", key, v ? v : "(none)",
			 want);
	free(v);
}

static void assert_meta_has(const char *dir, const char *key, const char *part)
{
	char *v = meta(dir, key);

	if (!v || !strstr(v, part))
		fail_msg("meta %s: got '%s', want it to hold '%s'", key,
			 v ? v : "(none)", part);
	free(v);
}

static const char *outdir(struct harness *h)
{
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/out", h->dir);
	return dir;
}

static void assert_header(const struct row *hdr, const char *const *events,
			  int nev)
{
	static const char *const fixed[] = { "point", "instruction", "target",
		"field", "type", "mode", "cpu", "offset", "cache", "memtype", "page", "tlb", "ad", "vmcs",
		"serialize", "unroll", "pass", "sample", "tsc", "exit_ticks",
		"entry_ticks", "check",
		"flag_nmi", "flag_smi" };
	int i;

	assert_int_equal(hdr->n, C_EV + nev);
	for (i = 0; i < C_EV; i++)
		assert_string_equal(hdr->f[i], fixed[i]);
	for (i = 0; i < nev; i++)
		assert_string_equal(hdr->f[C_EV + i], events[i]);
}

static void assert_value(const struct row *r, int col, uint64_t config,
			 unsigned int rec)
{
	char want[32];

	snprintf(want, sizeof(want), "%llu",
		 (unsigned long long)((config & 0xffff) * 100000 + rec));
	assert_string_equal(r->f[col], want);
}

static void test_values(void **state)
{
	static const char *const ev[] = { "UOPS_ISSUED.ANY", "IDQ.MS_UOPS" };
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct row *r;
	size_t n, i;

	assert_int_equal(harness_main(h, "run", "--samples", "4", "--events",
				      "UOPS_ISSUED.ANY, IDQ.MS_UOPS", "-o", dir,
				      NULL), VB_EXIT_OK);
	assert_int_equal(h->err_len, 0);
	/* what the module was asked for */
	assert_int_equal(h->fake.run_calls, 1);
	assert_int_equal(h->fake.last_run.nevents, 2);
	assert_int_equal(h->fake.last_run.events[0].type, 4);
	assert_int_equal(h->fake.last_run.events[0].config, 0x10e);
	assert_int_equal(h->fake.last_run.events[1].config, 0x3079);
	assert_int_equal(h->fake.last_run.events[1].config1, 0);
	assert_int_equal(h->fake.last_run.reserved2, 0);
	assert_true(h->fake.last_run.pmc_buf != 0);

	r = read_all(dir, "samples.csv", &n);
	assert_header(&r[0], ev, 2);
	assert_int_equal(n, 1 + 8);
	for (i = 1; i < n; i++) {
		assert_int_equal(r[i].n, C_EV + 2);
		assert_string_equal(r[i].f[C_PASS], "0");
		assert_string_equal(r[i].f[C_CHECK], "ok");
		assert_value(&r[i], C_EV, 0x10e, (unsigned int)(i - 1));
		assert_value(&r[i], C_EV + 1, 0x3079, (unsigned int)(i - 1));
	}
	free(r);
	assert_meta(dir, "events", "UOPS_ISSUED.ANY IDQ.MS_UOPS");
	assert_meta(dir, "event_passes", "1");
	assert_meta(dir, "pmu", "ok");
	assert_meta(dir, "pmc_invalid_records", "0");
	assert_meta(dir, "cross_check", "not requested");
	assert_meta_has(dir, "event.UOPS_ISSUED.ANY", "type=4 config=0x10e "
			"config1=0x0 config2=0x0 pmu=skx fstr=skx::UOPS_ISSUED:ANY");
	assert_meta_has(dir, "event.IDQ.MS_UOPS", "config=0x3079 ");
}

static void test_no_events(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct row *r;
	size_t n;

	assert_int_equal(harness_main(h, "run", "--samples", "2", "-o", dir,
				      NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.last_run.nevents, 0);
	assert_int_equal(h->fake.last_run.pmc_buf, 0);
	r = read_all(dir, "samples.csv", &n);
	assert_header(&r[0], NULL, 0);
	assert_string_equal(r[1].f[C_PASS], "0");
	free(r);
	assert_meta(dir, "events", "none");
	assert_meta(dir, "event_passes", "0");
	assert_meta(dir, "pmu", "not requested");
	assert_meta(dir, "cross_check", "not requested");
}

static void test_event_err(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct row *r;
	size_t n, i;

	h->fake.err_config = 0x3079;
	h->fake.err_config_errno = EBUSY;
	assert_int_equal(harness_main(h, "run", "--samples", "3", "--unroll",
				      "1,2", "--events",
				      "UOPS_ISSUED.ANY,IDQ.MS_UOPS", "-o", dir,
				      NULL), VB_EXIT_OK);
	/* the why, once for the run, not once per point */
	assert_string_equal(h->err_buf, "vmptrst-bench: event IDQ.MS_UOPS: the "
		"module could not create its counter on CPU 0: Device or "
		"resource busy (counter in use: the NMI watchdog or another "
		"tool?); its column stays empty\n");
	r = read_all(dir, "samples.csv", &n);
	assert_int_equal(n, 1 + 12);
	for (i = 1; i < n; i++) {
		assert_value(&r[i], C_EV, 0x10e, (unsigned int)(i - 1) % 6);
		assert_string_equal(r[i].f[C_EV + 1], "");	/* never 0 */
	}
	free(r);
	assert_meta(dir, "pmu", "ok");	/* the other counter worked */
	assert_meta_has(dir, "event_error.IDQ.MS_UOPS", "Device or resource "
			"busy");
	assert_null(meta(dir, "event_error.UOPS_ISSUED.ANY"));
}

static void test_pmc_invalid(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct row *r;
	size_t n, i;

	h->fake.pmc_invalid_every = 3;
	assert_int_equal(harness_main(h, "run", "--samples", "6", "--events",
				      "UOPS_ISSUED.ANY", "-o", dir, NULL),
			 VB_EXIT_OK);
	r = read_all(dir, "samples.csv", &n);
	assert_int_equal(n, 1 + 12);
	for (i = 1; i < n; i++) {
		if ((i - 1) % 3 == 0) {
			assert_string_equal(r[i].f[C_EV], "");
			assert_true(r[i].f[C_EV - 6][0] != '\0');  /* tsc kept */
		} else {
			assert_value(&r[i], C_EV, 0x10e, (unsigned int)(i - 1));
		}
	}
	free(r);
	assert_meta(dir, "pmc_invalid_records", "4");
}

static const char *const ten[] = { "UOPS_ISSUED.ANY", "IDQ.MS_UOPS",
	"MACHINE_CLEARS.COUNT", "INST_RETIRED.ANY_P", "UNHALTED_CORE_CYCLES",
	"DTLB_STORE_MISSES.WALK_COMPLETED", "IDQ.DSB_UOPS", "IDQ.MITE_UOPS",
	"UOPS_RETIRED.ALL", "BR_MISP_RETIRED.ALL_BRANCHES" };

static void test_passes(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	char list[1024] = "";
	struct row *r, *p;
	size_t n, np, i, c;

	for (i = 0; i < 10; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? ", " : "", ten[i]);
	assert_int_equal(harness_main(h, "run", "--samples", "3", "--cpu",
				      "1,2", "--events", list, "-o", dir, NULL),
			 VB_EXIT_OK);
	/* skx has 8 generic counters: two RUNs per point */
	assert_int_equal(h->fake.run_calls, 4);
	assert_int_equal(h->fake.runs[0].nevents, 8);
	assert_int_equal(h->fake.runs[1].nevents, 2);
	assert_int_equal(h->fake.runs[1].events[0].config, 0x01c2); /* UOPS_RETIRED.ALL */
	assert_int_equal(h->fake.runs[1].point.cpu, 1);
	assert_int_equal(h->fake.runs[2].point.cpu, 2);
	assert_int_equal(h->fake.runs[2].nevents, 8);

	r = read_all(dir, "samples.csv", &n);
	assert_header(&r[0], ten, 10);
	assert_int_equal(n, 1 + 2 * 2 * 6);
	for (i = 1; i < n; i++) {
		int pass = (int)((i - 1) / 6) % 2;
		unsigned int rec = (unsigned int)(i - 1) % 6;

		assert_int_equal(atoi(r[i].f[C_PASS]), pass);
		assert_int_equal(atoi(r[i].f[0]), (int)((i - 1) / 12));
		assert_int_equal(atoi(r[i].f[C_SAMPLE]), (int)rec / 2);
		for (c = 0; c < 10; c++) {
			int in_pass = pass ? c >= 8 : c < 8;
			const struct vb_event *ev =
				&h->fake.runs[pass].events[pass ? c - 8 : c];

			if (in_pass)
				assert_value(&r[i], (int)(C_EV + c),
					     ev->config, rec);
			else
				assert_string_equal(r[i].f[C_EV + c], "");
		}
	}
	free(r);
	assert_meta(dir, "event_passes", "2");
	p = read_all(dir, "points.csv", &np);
	assert_int_equal(np, 3);
	assert_string_equal(p[1].f[P_STATUS], "measured");
	assert_string_equal(p[1].f[P_RECORDS], "12");	/* records of both passes */
	free(p);
}

/* Ctrl-C during a point's first pass: the second does not run. */
static void sigint_hook(struct fake_dev *f, const struct vb_run *run)
{
	(void)run;
	if (!f->run_calls)
		raise(SIGINT);	/* the fake module carries on regardless */
}

static void test_interrupted_between_passes(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	char list[1024] = "";
	struct row *p;
	size_t np, i;

	for (i = 0; i < 10; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? ", " : "", ten[i]);
	h->fake.run_hook = sigint_hook;
	assert_int_equal(harness_main(h, "run", "--samples", "3", "--cpu",
				      "1,2", "--events", list, "-o", dir, NULL),
			 VB_EXIT_INTERRUPTED);
	assert_int_equal(h->fake.run_calls, 1);
	assert_string_equal(h->err_buf, "vmptrst-bench: interrupted at point 0 of 2: kept its 6 of 12 records; 1 points not run (see points.csv)\n");
	p = read_all(dir, "points.csv", &np);
	assert_int_equal(np, 3);
	assert_string_equal(p[1].f[P_STATUS], "interrupted");
	assert_string_equal(p[1].f[P_REASON], "interrupted after pass 1 of 2");
	assert_string_equal(p[1].f[P_RECORDS], "6");
	assert_string_equal(p[2].f[P_STATUS], "not-run");
	free(p);
	assert_meta(dir, "interrupted", "yes");
	assert_meta(dir, "samples", "1");	/* 6 of 12 records: 3 of 6 pairs */
}

static void test_no_pmu(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct row *r;
	size_t n, i;

	h->fake.hw_err = ENOENT;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--unroll",
				      "1,2,4", "--events",
				      "UOPS_ISSUED.ANY,IDQ.MS_UOPS", "-o", dir,
				      NULL), VB_EXIT_OK);
	/* once, and no line per event on top */
	assert_string_equal(h->err_buf, "vmptrst-bench: no usable PMU on CPU 0: "
		"the module could not create any hardware counter: No such "
		"file or directory (no PMU for it: a VM or an emulator?); "
		"measuring the TSC only, the event columns stay empty\n");
	r = read_all(dir, "samples.csv", &n);
	assert_int_equal(n, 1 + 12);
	for (i = 1; i < n; i++) {
		assert_string_equal(r[i].f[C_EV], "");
		assert_string_equal(r[i].f[C_EV + 1], "");
		assert_true(r[i].f[C_EV - 6][0] != '\0');
	}
	free(r);
	assert_meta(dir, "pmu", "unavailable: No such file or directory (no "
		    "PMU for it: a VM or an emulator?)");
	assert_meta(dir, "points_measured", "3");
}

static void test_require_events(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	char *cfg;

	h->fake.hw_err = EOPNOTSUPP;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--unroll",
				      "1,2", "--events", "IDQ.MS_UOPS",
				      "--require-events", "-o", dir, NULL),
			 VB_EXIT_ERROR);
	assert_string_equal(h->err_buf, "vmptrst-bench: point 0: no usable PMU "
		"on CPU 0 (Operation not supported (no PMU for it: a VM or an "
		"emulator?)) and require-events is set\n");
	assert_int_equal(h->fake.run_calls, 1);	/* stopped there */

	/* the config key does the same; without it the run goes on */
	cfg = harness_file(h, "req.ini", "[global]\nsamples = 2\nevents = "
			   "IDQ.MS_UOPS\nrequire-events = yes\n");
	assert_int_equal(harness_main(h, "run", "-c", cfg, "--force", "-o",
				      dir, NULL), VB_EXIT_ERROR);
	h->fake.hw_err = 0;
	assert_int_equal(harness_main(h, "run", "-c", cfg, "--force", "-o",
				      dir, NULL), VB_EXIT_OK);
	free(cfg);
}

static void test_cross_check(void **state)
{
	struct harness *h = *state;
	const char *dir = outdir(h);
	unsigned long long sum = 0, i;
	char want[256];

	assert_int_equal(harness_main(h, "run", "--samples", "5", "--cpu", "3",
				      "--events", "UOPS_ISSUED.ANY,IDQ.MS_UOPS",
				      "--cross-check", "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->perf.opens, 2);
	assert_int_equal(h->perf.reads, 2);
	assert_int_equal(h->perf.closes, 2);
	assert_int_equal(h->perf.cpu, 3);
	for (i = 0; i < 10; i++)
		sum += 0x10e * 100000ull + i;
	snprintf(want, sizeof(want), "samples_sum=%llu module_total=%llu "
		 "perf=1000000 ratio=%.4f", sum, sum + 7, sum / 1e6);
	assert_meta(dir, "cross_check", "ok");
	assert_meta(dir, "cross_check.UOPS_ISSUED.ANY", want);

	/* perf_event_open fails: said so, no numbers */
	h->perf.open_err = EACCES;
	assert_int_equal(harness_main(h, "run", "--samples", "5", "--events",
				      "UOPS_ISSUED.ANY", "--cross-check",
				      "--force", "-o", dir, NULL), VB_EXIT_OK);
	assert_meta(dir, "cross_check", "unavailable: Permission denied");
	assert_meta(dir, "cross_check.UOPS_ISSUED.ANY",
		    "unavailable: Permission denied");

	/* multiplexed: not comparable */
	h->perf.open_err = 0;
	h->perf.multiplexed = 1;
	assert_int_equal(harness_main(h, "run", "--samples", "5", "--events",
				      "UOPS_ISSUED.ANY", "--cross-check",
				      "--force", "-o", dir, NULL), VB_EXIT_OK);
	assert_meta_has(dir, "cross_check.UOPS_ISSUED.ANY", "unavailable: perf "
			"multiplexed");
	assert_meta(dir, "cross_check", "partial: 1 of 1 events unavailable "
		    "(see cross_check.EVENT)");
}

/* A software event counts where no hardware counter can be created. */
static void test_software_only(void **state)
{
	static const char *const ev[] = { "cpu-clock", "instructions" };
	struct harness *h = *state;
	const char *dir = outdir(h);
	struct row *r;
	size_t n, i;

	h->fake.hw_err = EOPNOTSUPP;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--events",
				      "cpu-clock, instructions", "-o", dir,
				      NULL), VB_EXIT_OK);
	assert_int_equal(h->fake.last_run.events[0].type, 1);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, "no usable PMU on CPU 0"));
	r = read_all(dir, "samples.csv", &n);
	assert_header(&r[0], ev, 2);
	for (i = 1; i < n; i++) {
		assert_value(&r[i], C_EV, 0, (unsigned int)(i - 1));
		assert_string_equal(r[i].f[C_EV + 1], "");
	}
	free(r);
	assert_meta_has(dir, "pmu", "unavailable: Operation not supported");

	/* cpu-clock alone asks for no PMU */
	h->fake.hw_err = 0;
	assert_int_equal(harness_main(h, "run", "--samples", "2", "--events",
				      "cpu-clock", "--force", "-o", dir, NULL),
			 VB_EXIT_OK);
	assert_meta(dir, "pmu", "not requested");
}

#define TH(f)	cmocka_unit_test_setup_teardown(f, harness_setup, \
						harness_teardown)

static const struct CMUnitTest skx[] = {
	TH(test_values), TH(test_no_events), TH(test_event_err),
	TH(test_pmc_invalid), TH(test_passes),
	TH(test_interrupted_between_passes), TH(test_no_pmu),
	TH(test_require_events), TH(test_cross_check),
};
static const struct CMUnitTest host[] = { TH(test_software_only) };

int main(int argc, char **argv)
{
	static const struct test_group g[] = {
		{ "events_skx", "skx", skx, sizeof(skx) / sizeof(skx[0]) },
		{ "events_host", NULL, host, sizeof(host) / sizeof(host[0]) },
	};
	int rc = run_test_groups(argc, argv, g, sizeof(g) / sizeof(g[0]));

	vb_pmu_fini();
	return rc;
}
