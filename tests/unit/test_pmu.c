// SPDX-License-Identifier: GPL-2.0
/*
 * PMU event names through libpfm4 on the host, with Intel PMUs forced
 * (LIBPFM_FORCE_PMU, read by pfm_initialize): known events give the
 * encodings of Intel's event tables, bad names libpfm4's error and the
 * closest names, pmu::EVENT:UMASK works, software events are type 1;
 * passes; hybrid core types from a /sys fixture; the `events` listing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "pmu.h"
#include "sweep.h"

/* The group's process has LIBPFM_FORCE_PMU set already: check it. */
static void force_pmu(const char *pmu)
{
	const char *now = getenv("LIBPFM_FORCE_PMU");

	if (pmu ? !now || strcmp(now, pmu) : now != NULL)
		fail_msg("LIBPFM_FORCE_PMU is %s, this test needs %s",
			 now ? now : "unset", pmu ? pmu : "unset");
}

static int teardown_pmu(void **state)
{
	(void)state;
	vb_pmu_fini();
	return 0;
}

struct known {
	const char *name;
	uint32_t type;
	uint64_t config;
};

static void expect(const char *pmu, const struct known *k, size_t n)
{
	struct vb_event_enc e;
	char err[512];
	size_t i;

	force_pmu(pmu);
	for (i = 0; i < n; i++) {
		if (vb_pmu_encode(k[i].name, NULL, &e, err, sizeof(err)))
			fail_msg("%s %s: %s", pmu, k[i].name, err);
		if (e.ev.type != k[i].type || e.ev.config != k[i].config ||
		    e.ev.config1 || e.ev.config2)
			fail_msg("%s %s: type %u config 0x%llx, want %u 0x%llx",
				 pmu, k[i].name, e.ev.type,
				 (unsigned long long)e.ev.config, k[i].type,
				 (unsigned long long)k[i].config);
		assert_string_equal(e.name, k[i].name);
		assert_string_equal(e.pmu, pmu);
		assert_true(e.hw);
		/* libpfm4's name says kernel mode, as the module counts */
		assert_non_null(strstr(e.fstr, ":k=1"));
		assert_non_null(strstr(e.fstr, ":u=0"));
	}
}

/* Event (bits 7:0), umask (15:8), edge (18), cmask (31:24): Intel SDM. */
static void test_skx(void **state)
{
	static const struct known k[] = {
		{ "UOPS_ISSUED.ANY", 4, 0x010e },
		{ "IDQ.MS_UOPS", 4, 0x3079 },
		{ "MACHINE_CLEARS.COUNT", 4, 0x010401c3 },	/* edge, cmask 1 */
		{ "DTLB_STORE_MISSES.WALK_COMPLETED", 4, 0x0e49 },
		{ "INST_RETIRED:ANY_P", 4, 0x00c0 },
		{ "skx::UOPS_ISSUED:ANY", 4, 0x010e },
		{ "uops_issued.any", 4, 0x010e },		/* any case */
		{ "UNHALTED_CORE_CYCLES", 4, 0x003c },
		{ "UNHALTED_REFERENCE_CYCLES", 4, 0x0300 },	/* fixed 2 */
		{ "INSTRUCTION_RETIRED", 4, 0x00c0 },
	};
	struct vb_event_enc e;
	char err[512];

	(void)state;
	expect("skx", k, sizeof(k) / sizeof(k[0]));
	assert_int_equal(vb_pmu_encode("IDQ.MS_UOPS", NULL, &e, err,
				       sizeof(err)), 0);
	assert_int_equal(e.counters, 8);
	/* the PMU asked for is put in front */
	assert_int_equal(vb_pmu_encode("IDQ.MS_UOPS", "skx", &e, err,
				       sizeof(err)), 0);
	assert_int_equal(strncmp(e.fstr, "skx::IDQ:MS_UOPS", 16), 0);
	assert_int_equal(vb_pmu_encode("IDQ.MS_UOPS", "icx", &e, err,
				       sizeof(err)), -1);
}

static void test_icx(void **state)
{
	static const struct known icx[] = {
		{ "INST_RETIRED.ANY", 4, 0x0100 },	/* fixed counter 0 */
		{ "UOPS_ISSUED.ANY", 4, 0x010e },
		{ "IDQ.MS_UOPS", 4, 0x3079 },
		{ "MACHINE_CLEARS.COUNT", 4, 0x010401c3 },
		{ "icx::INST_RETIRED:ANY_P", 4, 0x00c0 },
	};

	(void)state;
	expect("icx", icx, sizeof(icx) / sizeof(icx[0]));
}

static void test_spr(void **state)
{
	static const struct known spr[] = {
		{ "INST_RETIRED.ANY", 4, 0x01c0 },
		{ "UOPS_ISSUED.ANY", 4, 0x01ae },	/* moved on Golden Cove */
		{ "IDQ.MS_UOPS", 4, 0x2079 },
		{ "MACHINE_CLEARS.COUNT", 4, 0x010401c3 },
		{ "CPU_CLK_UNHALTED.THREAD", 4, 0x0200 },	/* fixed 1 */
		{ "spr::UOPS_ISSUED:ANY", 4, 0x01ae },
	};

	(void)state;
	expect("spr", spr, sizeof(spr) / sizeof(spr[0]));
}

static void test_bad_names(void **state)
{
	struct vb_event_enc e;
	char err[512];

	(void)state;
	force_pmu("skx");
	/* skx has no INST_RETIRED.ANY (fixed counter 0 is INSTRUCTION_RETIRED) */
	assert_int_equal(vb_pmu_encode("INST_RETIRED.ANY", NULL, &e, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid event attribute"));
	assert_non_null(strstr(err, "did you mean INST_RETIRED.ANY_P"));

	assert_int_equal(vb_pmu_encode("UOPS_ISUED.ANY", NULL, &e, err,
				       sizeof(err)), -1);
	assert_true(!strncmp(err, "event not found (libpfm4; did you mean "
			     "UOPS_ISSUED.ANY", 54));

	/* pmu:: forms: suggestions from that PMU, in the user's spelling */
	assert_int_equal(vb_pmu_encode("skx::IDQ:MS_UOP", NULL, &e, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "did you mean skx::IDQ:MS_UOPS"));

	/* nothing close: where to look instead */
	assert_int_equal(vb_pmu_encode("NO_SUCH_THING_AT_ALL", NULL, &e, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "see 'vmptrst-bench events'"));
	assert_null(strstr(err, "did you mean"));
}

static void test_software(void **state)
{
	static const char *const names[] = { "cpu-clock", "perf::CPU-CLOCK",
		"PERF_COUNT_SW_CPU_CLOCK" };
	struct vb_event_enc e;
	char err[512];
	size_t i;

	(void)state;
	force_pmu(NULL);	/* perf's generic PMU is active on any host */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (vb_pmu_encode(names[i], NULL, &e, err, sizeof(err)))
			fail_msg("%s: %s", names[i], err);
		assert_int_equal(e.ev.type, 1);		/* PERF_TYPE_SOFTWARE */
		assert_int_equal(e.ev.config, 0);	/* PERF_COUNT_SW_CPU_CLOCK */
		assert_false(e.hw);
	}
	/* the generic names of the fixed counters */
	assert_int_equal(vb_pmu_encode("instructions", NULL, &e, err,
				       sizeof(err)), 0);
	assert_int_equal(e.ev.type, 0);		/* PERF_TYPE_HARDWARE */
	assert_int_equal(e.ev.config, 1);	/* PERF_COUNT_HW_INSTRUCTIONS */
	assert_true(e.hw);
	assert_int_equal(vb_pmu_encode("ref-cycles", NULL, &e, err,
				       sizeof(err)), 0);
	assert_int_equal(e.ev.config, 9);	/* PERF_COUNT_HW_REF_CPU_CYCLES */
}

static void test_hybrid(void **state)
{
	const char *hy = FIXTURES "/hybrid", *dell = FIXTURES "/dell";

	(void)state;
	assert_true(vb_cpulist_has("0-7,16", 0));
	assert_true(vb_cpulist_has("0-7,16", 7));
	assert_true(vb_cpulist_has("0-7,16", 16));
	assert_false(vb_cpulist_has("0-7,16", 8));
	assert_false(vb_cpulist_has("0-7,16", 17));
	assert_false(vb_cpulist_has("", 0));
	assert_false(vb_cpulist_has("x", 0));
	assert_string_equal(vb_pmu_core_type(hy, 3), "cpu_core");
	assert_string_equal(vb_pmu_core_type(hy, 16), "cpu_core");
	assert_string_equal(vb_pmu_core_type(hy, 8), "cpu_atom");
	assert_string_equal(vb_pmu_core_type(hy, 15), "cpu_atom");
	assert_null(vb_pmu_core_type(hy, 17));
	assert_null(vb_pmu_core_type(dell, 0));	/* not hybrid */
	assert_null(vb_pmu_for_core_type(NULL));
	assert_null(vb_pmu_for_core_type("cpu_other"));
}

/* A plan from flags alone; its events encoded. */
static int plan_of(const char *events, struct vb_plan *p, char *err,
		   size_t len)
{
	struct vb_section *flags = calloc(1, sizeof(*flags));
	int ret;

	assert_non_null(flags);
	if (vb_key_parse(VB_KEY_EVENTS, events, &flags->key[VB_KEY_EVENTS].val,
			 err, len))
		fail_msg("%s: %s", events, err);
	flags->key[VB_KEY_EVENTS].set = 1;
	ret = vb_plan_build(NULL, flags, p, err, len);
	free(flags);
	if (!ret)
		ret = vb_plan_events(p, FIXTURES "/dell", err, len);
	return ret;
}

static void test_passes(void **state)
{
	struct vb_plan p;
	char err[1024];

	(void)state;
	force_pmu("skx");	/* 8 generic counters */
	assert_int_equal(plan_of("UOPS_ISSUED.ANY, IDQ.MS_UOPS, "
		"MACHINE_CLEARS.COUNT, INST_RETIRED.ANY_P, UNHALTED_CORE_CYCLES, "
		"DTLB_STORE_MISSES.WALK_COMPLETED, IDQ.DSB_UOPS, IDQ.MITE_UOPS, "
		"UOPS_RETIRED.ALL, BR_MISP_RETIRED.ALL_BRANCHES", &p, err,
		sizeof(err)), 0);
	assert_int_equal(p.n_evset, 1);
	assert_int_equal(p.evset[0].n, 10);
	assert_int_equal(p.evset[0].group_size, 8);
	assert_int_equal(p.evset[0].npass, 2);
	assert_int_equal(p.evset[0].pass_start[1], 8);
	assert_int_equal(p.evset[0].pass_start[2], 10);
	assert_int_equal(p.max_passes, 2);
	assert_int_equal(p.n_evcol, 10);
	assert_string_equal(p.evcol[9], "BR_MISP_RETIRED.ALL_BRANCHES");
	/* every pass measures every sample */
	assert_int_equal(p.records, 2 * 2 * 10000);
	vb_plan_free(&p);

	/* a bad name: the location and libpfm4's word, nothing planned */
	assert_int_equal(plan_of("IDQ.MS_UOPS, UOPS_ISUED.ANY", &p, err,
				 sizeof(err)), -1);
	assert_non_null(strstr(err, "command line: events: UOPS_ISUED.ANY: "
			       "event not found (libpfm4; did you mean "
			       "UOPS_ISSUED.ANY"));
	vb_plan_free(&p);
}

static void test_passes_software(void **state)
{
	struct vb_plan p;
	char err[1024];

	(void)state;
	/* software events take no counter, but an ABI slot each */
	force_pmu(NULL);
	assert_int_equal(plan_of("cpu-clock, task-clock, page-faults, "
		"context-switches, cpu-migrations, minor-faults, major-faults, "
		"cgroup-switches, perf::PERF_COUNT_SW_CPU_CLOCK", &p, err,
		sizeof(err)), 0);
	assert_int_equal(p.evset[0].npass, 2);
	assert_int_equal(p.evset[0].pass_start[1], VB_MAX_EVENTS);
	vb_plan_free(&p);
}

static void test_list(void **state)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n;

	(void)state;
	force_pmu("skx");
	assert_non_null(f);
	n = vb_pmu_list(f, "uops_issued", err, sizeof(err));
	fclose(f);
	assert_true(n > 2);
	assert_int_equal(count_lines(buf), (size_t)n);
	assert_non_null(strstr(buf, "skx::UOPS_ISSUED:ANY  "));
	assert_null(strstr(buf, "IDQ"));
	free(buf);

	f = open_memstream(&buf, &len);
	assert_int_equal(vb_pmu_list(f, "*ms_uops", err, sizeof(err)), 1);
	fclose(f);
	assert_true(!strncmp(buf, "skx::IDQ:MS_UOPS  ", 18));
	free(buf);

	f = open_memstream(&buf, &len);
	/* a substring: IDQ:MS_UOPS and IDQ:MS_UOPS_CYCLES */
	assert_int_equal(vb_pmu_list(f, "IDQ.MS_UOPS", err, sizeof(err)), 2);
	assert_int_equal(vb_pmu_list(f, "zzz_nothing", err, sizeof(err)), 0);
	fclose(f);
	free(buf);
}

static void test_events_command(void **state)
{
	struct harness *h = *state;

	force_pmu("skx");
	assert_int_equal(harness_main(h, "events", "idq.ms", NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "skx::IDQ:MS_UOPS  "));
	assert_int_equal(h->err_len, 0);
	assert_int_equal(harness_main(h, "events", "zzz", NULL), VB_EXIT_ERROR);
	assert_string_equal(h->err_buf, "vmptrst-bench: events: no event matches "
			    "that pattern (a substring or a glob, any case)\n");
	assert_int_equal(harness_main(h, "events", "a", "b", NULL),
			 VB_EXIT_USAGE);
	/* the whole list */
	assert_int_equal(harness_main(h, "events", NULL), VB_EXIT_OK);
	assert_true(count_lines(h->out_buf) > 100);
}

/* plan validates names before anything, with the file and line */
static void test_plan_validates(void **state)
{
	struct harness *h = *state;
	char *cfg;

	force_pmu("skx");
	cfg = harness_file(h, "ev.ini", "[global]\nsamples = 10\n[a]\n"
			   "events = IDQ.MS_UOPS\n[b]\nunroll = 2\n"
			   "events = IDQ.MS_UOPS, MACHINE_CLEAR.COUNT\n");
	assert_int_equal(harness_main(h, "plan", "-c", cfg, NULL),
			 VB_EXIT_USAGE);
	assert_non_null(strstr(h->err_buf, "ev.ini:7: [b] events: "
			       "MACHINE_CLEAR.COUNT: event not found (libpfm4; "
			       "did you mean MACHINE_CLEARS.COUNT"));
	assert_int_equal(h->out_len, 0);
	assert_int_equal(h->fake.opens, 0);
	/* run refuses it the same way, before the device */
	assert_int_equal(harness_main(h, "run", "-c", cfg, "-o", h->dir, NULL),
			 VB_EXIT_USAGE);
	assert_int_equal(h->fake.opens, 0);
	free(cfg);

	cfg = harness_file(h, "ok.ini", "[global]\nsamples = 10\n"
			   "events = IDQ.MS_UOPS, MACHINE_CLEARS.COUNT\n");
	assert_int_equal(harness_main(h, "plan", "-c", cfg, NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "records=20 events=2 passes=1\n"));
	assert_non_null(strstr(h->out_buf, "event [global]: "
			       "MACHINE_CLEARS.COUNT pass=0 type=4 "
			       "config=0x10401c3 "));
	free(cfg);
	/* the flag too, and "none" turns a [global] list off */
	assert_int_equal(harness_main(h, "plan", "--events", "IDQ.MS_UOPZ",
				      NULL), VB_EXIT_USAGE);
	assert_non_null(strstr(h->err_buf, "command line: events: IDQ.MS_UOPZ: "));
	cfg = harness_file(h, "none.ini", "[global]\nsamples = 10\n"
			   "events = IDQ.MS_UOPS\n[a]\n[b]\nevents = none\n");
	assert_int_equal(harness_main(h, "plan", "-c", cfg, NULL), VB_EXIT_OK);
	assert_non_null(strstr(h->out_buf, "[a]: "));
	assert_non_null(strstr(h->out_buf, "[b]: "));
	assert_int_equal(count_lines(h->out_buf), 4);	/* 2 points, 1 event */
	free(cfg);
}

#define T(f)	cmocka_unit_test_teardown(f, teardown_pmu)
#define TH(f)	cmocka_unit_test_setup_teardown(f, harness_setup, \
						harness_teardown)

static const struct CMUnitTest skx[] = {
	T(test_skx), T(test_bad_names), T(test_passes), T(test_list),
	TH(test_events_command), TH(test_plan_validates),
};
static const struct CMUnitTest icx[] = { T(test_icx) };
static const struct CMUnitTest spr[] = { T(test_spr) };
static const struct CMUnitTest host[] = {
	T(test_software), T(test_hybrid), T(test_passes_software),
};

int main(int argc, char **argv)
{
	static const struct test_group g[] = {
		{ "pmu_skx", "skx", skx, sizeof(skx) / sizeof(skx[0]) },
		{ "pmu_icx", "icx", icx, sizeof(icx) / sizeof(icx[0]) },
		{ "pmu_spr", "spr", spr, sizeof(spr) / sizeof(spr[0]) },
		{ "pmu_host", NULL, host, sizeof(host) / sizeof(host[0]) },
	};
	int rc = run_test_groups(argc, argv, g, sizeof(g) / sizeof(g[0]));

	vb_pmu_fini();
	return rc;
}
