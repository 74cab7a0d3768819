/*
 * vb_check: the module's ioctl ABI, exercised from inside an emulated
 * machine.  Every check can fail; each failure names file:line and what was
 * seen.  It counts every stored VMPTRST value itself instead of trusting the
 * module's own count.
 *
 *   vb_check --expect-vmx yes|no|owned [--hold | --stuck | --release]
 *            [--cpu N] [--samples N]
 *
 * The module is the tests' build (TEST_HOOKS=1), but with --release.
 * owned: another hypervisor (kvm_intel) has turned VMX on; the module must
 * say so and refuse, touching nothing.  --hold (module loaded with
 * debug_hold=1): the module's own VMX hold, VMPTRST at ring 3 inside and
 * outside VMX operation, and the crash-time VMXOFF callback.  --stuck: an
 * injected VMXOFF failure, which leaves the module pinned (a boot's last
 * step).  --release: the module users load, which has no test hooks: HOLD
 * is an unknown ioctl, the test parameters do not exist, a RUN works.
 *
 * Prints one line per check and, last, "vb_check: N passed, N failed".
 * Exit status 0 only if nothing failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmptrst_bench_abi.h"
#include "vb_expect.h"

#define X86_TRAP_UD 6

static int passed, failed;
static int fd = -1;
static unsigned int cpu;
static bool owned;
static uint32_t info_tsc_khz;	/* INFO's tsc_khz: 1 ms of TSC ticks */

static void check_refused_run(int want, const char *why);
static void check_selftest(const char *when);
static void check_no_rdtscp(void);
static void check_owned_selftest(void);
static uint32_t check_run(uint32_t insn, uint32_t vmcs, uint32_t unroll,
			  uint32_t offset, uint32_t samples);

/* ioctl returning 0 or the errno it failed with. */
static int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) == 0 ? 0 : errno;
}

static struct vb_info info_of(unsigned int c, int *err)
{
	struct vb_info in = { .size = sizeof(in), .abi_version = VB_ABI_VERSION,
			      .cpu = c };
	*err = xioctl(VB_IOC_INFO, &in);
	return in;
}

static struct vb_run run_req(uint32_t insn, uint32_t unroll, uint32_t samples,
			     uint32_t vmcs, uint32_t offset,
			     struct vb_sample *buf, uint32_t buf_len)
{
	struct vb_run r = {
		.size = sizeof(r), .abi_version = VB_ABI_VERSION,
		.point = { .cpu = cpu, .instruction = insn, .unroll = unroll,
			   .samples = samples, .vmcs = vmcs,
			   .serialize = VB_SER_LFENCE, .offset = offset },
		.buf = (uintptr_t)buf, .buf_len = buf_len,
	};
	return r;
}

static void check_device(void)
{
	struct stat st = { 0 };

	CHECK(stat(VB_DEVICE_PATH, &st) == 0 && S_ISCHR(st.st_mode),
	      "%s is a character device", VB_DEVICE_PATH);
	CHECK((st.st_mode & 07777) == 0600, "device mode is 0600 (is %04o)",
	      (unsigned int)(st.st_mode & 07777));
	fd = open(VB_DEVICE_PATH, O_RDWR);
	CHECK(fd >= 0, "open %s: %s", VB_DEVICE_PATH,
	      fd >= 0 ? "ok" : strerror(errno));
	if (fd < 0) {
		printf("vb_check: %d passed, %d failed\n", passed, failed);
		exit(1);
	}
	CHECK(xioctl(_IOWR(VB_IOC_MAGIC, 99, struct vb_run), NULL) == ENOTTY,
	      "unknown ioctl gets ENOTTY");
}

static struct vb_info check_info(bool expect_vmx)
{
	struct vb_info in, bad;
	int err;

	in = info_of(cpu, &err);
	CHECK(err == 0, "INFO on cpu %u: %s", cpu, strerror(err));
	info_tsc_khz = in.tsc_khz;
	CHECK(in.abi_version == VB_ABI_VERSION, "INFO abi_version %u",
	      in.abi_version);
	CHECK(in.module_version[0] != '\0' &&
	      memchr(in.module_version, 0, sizeof(in.module_version)),
	      "INFO module_version '%.16s'", in.module_version);
	CHECK(in.online_cpus >= 1 && in.max_samples == VB_MAX_SAMPLES,
	      "INFO online_cpus %u, max_samples %u", in.online_cpus,
	      in.max_samples);
	CHECK(!!(in.flags & VB_INFO_VMX) == expect_vmx,
	      "INFO says VMX %s (flags %#x), expected %s",
	      in.flags & VB_INFO_VMX ? "yes" : "no", in.flags,
	      expect_vmx ? "yes" : "no");
	if (!owned)
		CHECK(!(in.flags & VB_INFO_VMX_IN_USE),
		      "INFO: VMX not in use by anyone");
	else
		CHECK(in.flags & VB_INFO_VMX_IN_USE,
		      "INFO: VMX in use by another hypervisor (flags %#x)",
		      in.flags);
	if (expect_vmx) {
		CHECK((in.flags & VB_INFO_FEAT_LOCKED) &&
		      (in.flags & VB_INFO_FEAT_VMX),
		      "IA32_FEATURE_CONTROL locked with VMX on (%#" PRIx64 ")",
		      (uint64_t)in.feature_control);
		CHECK(in.flags & VB_INFO_KERNEL_VMX,
		      "INFO: the kernel's own verdict says VMX usable (flags %#x)",
		      in.flags);
		CHECK(in.flags & VB_INFO_RDTSCP, "INFO: RDTSCP (flags %#x)",
		      in.flags);
		CHECK(!(in.flags & VB_INFO_CPU_STUCK),
		      "INFO: the CPU is not stuck in VMX operation (flags %#x)",
		      in.flags);
		CHECK((in.flags & VB_INFO_VMX_BASIC) && in.vmcs_memtype == 6 &&
		      in.vmcs_size > 0 && in.vmcs_size <= 4096 &&
		      in.vmcs_revision == (in.vmx_basic & 0x7fffffff),
		      "VMX_BASIC %#" PRIx64 ": revision %#x, size %u, memtype %u",
		      (uint64_t)in.vmx_basic, in.vmcs_revision, in.vmcs_size,
		      in.vmcs_memtype);
	}

	bad = in;
	bad.size = sizeof(bad) - 8;
	bad.cpu = cpu;
	CHECK(xioctl(VB_IOC_INFO, &bad) == EINVAL, "INFO with a wrong size: EINVAL");
	memset(&bad, 0, sizeof(bad));
	bad.size = sizeof(bad);
	bad.abi_version = VB_ABI_VERSION + 7;
	bad.cpu = cpu;
	err = xioctl(VB_IOC_INFO, &bad);
	CHECK(err == 0 && bad.abi_version == VB_ABI_VERSION,
	      "INFO from a newer driver answers with the module's ABI %u (%s)",
	      bad.abi_version, strerror(err));
	info_of(100000, &err);
	CHECK(err == ENXIO, "INFO on cpu 100000: ENXIO (got %s)", strerror(err));
	return in;
}

/* Each bad field alone must get EINVAL and leave the buffer untouched. */
static void check_bad_runs(void)
{
	static struct vb_sample buf[8];
	struct {
		const char *what;
		struct vb_run r;
	} cases[] = {
		{ "instruction count", run_req(VB_INSN_COUNT, 1, 4, 0, 0, buf, 8) },
		{ "unroll 0", run_req(1, 0, 4, 0, 0, buf, 8) },
		{ "unroll 3", run_req(1, 3, 4, 0, 0, buf, 8) },
		{ "unroll 512", run_req(1, 512, 4, 0, 0, buf, 8) },
		{ "samples 0", run_req(1, 1, 0, 0, 0, buf, 8) },
		{ "samples max+1", run_req(1, 1, VB_MAX_SAMPLES + 1, 0, 0, buf,
					   8) },
		{ "vmcs 2", run_req(1, 1, 4, 2, 0, buf, 8) },
		{ "offset max+1", run_req(1, 1, 4, 0, VB_MAX_OFFSET(VB_PAGE_4K) + 1, buf, 8) },
		{ "buf_len 7 for 4 pairs", run_req(1, 1, 4, 0, 0, buf, 7) },
		{ "buf NULL", run_req(1, 1, 4, 0, 0, NULL, 8) },
	};
	/* Fields set on a valid 4-sample request (unroll 1, or 2 where
	 * given): one or two u32 fields of struct vb_run (P: of its point),
	 * and the errno. */
#define F(field) offsetof(struct vb_run, field)
#define P(field) offsetof(struct vb_run, point.field)
	static const struct {
		const char *what;
		uint32_t unroll;
		size_t f1;
		uint32_t v1;
		size_t f2;
		uint32_t v2;
		int want;
	} set[] = {
		{ "serialize count", 1, P(serialize), VB_SER_COUNT, 0, 0, EINVAL },
		{ "cache count", 1, P(cache), VB_CACHE_COUNT, 0, 0, EINVAL },
		{ "memtype count", 1, P(memtype), VB_MEM_COUNT, 0, 0, EINVAL },
		{ "page count", 1, P(page), VB_PAGE_COUNT, 0, 0, EINVAL },
		{ "tlb count", 1, P(tlb), VB_TLB_COUNT, 0, 0, EINVAL },
		{ "ad count", 1, P(ad), VB_AD_COUNT, 0, 0, EINVAL },
		{ "wait_vmx_ms max+1", 1, F(wait_vmx_ms),
		  VB_MAX_WAIT_VMX_MS + 1, 0, 0, EINVAL },
		{ "cache flushed and unroll 2 (per-sample setup needs unroll 1)",
		  2, P(cache), VB_CACHE_FLUSHED, 0, 0, EINVAL },
		{ "tlb cold and unroll 2", 2, P(tlb), VB_TLB_COLD, 0, 0, EINVAL },
		{ "ad clear on page 2m", 1, P(ad), VB_AD_CLEAR, P(page),
		  VB_PAGE_2M, EINVAL },
		{ "page 2m and offset beyond its span", 1, P(page), VB_PAGE_2M,
		  P(offset), VB_MAX_OFFSET(VB_PAGE_2M) + 1, EINVAL },
		{ "flags 1", 1, F(flags), 1, 0, 0, EINVAL },
		{ "abi_version+1", 1, F(abi_version), VB_ABI_VERSION + 1, 0, 0,
		  EINVAL },
		{ "size 0", 1, F(size), 0, 0, 0, EINVAL },
		{ "cpu 100000", 1, P(cpu), 100000, 0, 0, ENXIO },
	};
#undef P
#undef F
	struct vb_run r;
	size_t i;

	memset(buf, 0xa5, sizeof(buf));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(xioctl(VB_IOC_RUN, &cases[i].r) == EINVAL,
		      "RUN with %s: EINVAL", cases[i].what);
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		r = run_req(1, set[i].unroll, 4, 0, 0, buf, 8);
		memcpy((char *)&r + set[i].f1, &set[i].v1, sizeof(uint32_t));
		if (set[i].f2)
			memcpy((char *)&r + set[i].f2, &set[i].v2,
			       sizeof(uint32_t));
		CHECK(xioctl(VB_IOC_RUN, &r) == set[i].want, "RUN with %s: %s",
		      set[i].what, strerror(set[i].want));
	}
	for (i = 0; i < sizeof(buf); i++)
		if (((unsigned char *)buf)[i] != 0xa5)
			break;
	CHECK(i == sizeof(buf), "rejected RUNs left the buffer untouched");
}

/* VMPTRST outside VMX operation: #UD, and nothing stored. */
static void check_selftest(const char *when)
{
	struct vb_selftest st = { .size = sizeof(st),
				  .abi_version = VB_ABI_VERSION, .cpu = cpu };
	int err = xioctl(VB_IOC_SELFTEST, &st);

	CHECK(err == 0, "SELFTEST %s: %s", when, strerror(err));
	CHECK(err == 0 && st.trap == X86_TRAP_UD,
	      "VMPTRST outside VMX operation %s raised vector %d (expect 6, #UD)",
	      when, st.trap);
	CHECK(err == 0 && st.operand == st.poison,
	      "the #UD VMPTRST %s stored nothing (operand %#" PRIx64 ")", when,
	      (uint64_t)st.operand);
}

/* The first chase record's accumulator (0 if none). */
static uint64_t first_chase(const struct vb_sample *rec, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (rec[i].instruction == VB_INSN_CHASE)
			return rec[i].stored;
	return 0;
}

/* check_point() expectations besides a positive VB_SKIP_* reason. */
#define MEASURED	0
#define PAGE_MAYBE	(-1)	/* measured on that page size, or VB_SKIP_PAGE_SIZE */

/*
 * A real RUN: every record is checked here, independently of the module's
 * count: order of the pairs, sample index, the value stored.  @want says
 * whether the point must be measured, skipped for a reason, or either
 * (page sizes this machine may not have).  Returns the windows used.
 */
static uint32_t check_point(struct vb_run r, const char *what, int want)
{
	uint32_t insn = r.point.instruction, samples = r.point.samples;
	uint32_t need = insn == VB_INSN_NONE ? samples : 2 * samples;
	struct vb_sample *buf = calloc(need, sizeof(*buf));
	uint32_t i, bad_value = 0, bad_order = 0, bad_time = 0, flagged = 0;
	uint64_t chase;
	int err;

	r.buf = (uintptr_t)buf;
	r.buf_len = need;
	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == 0, "RUN %s: %s", what, strerror(err));
	if (err) {
		free(buf);
		return 0;
	}
	if (r.result_flags & VB_RUN_SKIPPED) {
		CHECK(want == (int)r.skip_reason ||
		      (want == PAGE_MAYBE && r.skip_reason == VB_SKIP_PAGE_SIZE &&
		       r.page_kib != vb_page_kib(r.point.page)),
		      "RUN %s: skipped, reason %u, page %u KiB (want %d)", what,
		      r.skip_reason, r.page_kib, want);
		CHECK(r.records == 0, "RUN %s: a skipped point returns no records",
		      what);
		free(buf);
		return 0;
	}
	CHECK(want == MEASURED || want == PAGE_MAYBE,
	      "RUN %s: measured (want skip reason %d)", what, want);
	CHECK(r.page_kib == vb_page_kib(r.point.page),
	      "RUN %s: the page tables map the operand with %u KiB pages (asked %u)",
	      what, r.page_kib, vb_page_kib(r.point.page));
	CHECK(r.records == need && r.windows >= 1,
	      "RUN %s: %u records (expect %u) in %u windows", what, r.records,
	      need, r.windows);
	if (r.point.vmcs == VB_VMCS_NONE)
		CHECK(r.expected == UINT64_MAX,
		      "no current VMCS: expected pointer is all ones (%#" PRIx64 ")",
		      (uint64_t)r.expected);
	else
		CHECK(r.expected != UINT64_MAX && r.expected != 0 &&
		      (r.expected & 0xfff) == 0,
		      "current VMCS: expected pointer is a page-aligned address");
	chase = first_chase(buf, r.records < need ? r.records : need);
	for (i = 0; i < r.records && i < need; i++) {
		const struct vb_sample *s = &buf[i];
		uint32_t pair = insn == VB_INSN_NONE ? i : i / 2;
		uint8_t want_insn = insn;
		uint64_t want_value;

		if (insn != VB_INSN_NONE) {
			bool insn_first = pair & 1;
			bool is_first = !(i & 1);

			want_insn = insn_first == is_first ? insn : VB_INSN_NONE;
		}
		want_value = record_want(want_insn, &r, chase);
		bad_order += s->sample != pair || s->instruction != want_insn;
		bad_value += s->stored != want_value;
		bad_time += s->tsc_end < s->tsc_begin;
		flagged += !!(s->flags & VB_SAMPLE_MISMATCH);
	}
	CHECK(bad_order == 0, "RUN %s: pairs interleaved, order alternating (%u wrong)",
	      what, bad_order);
	CHECK(bad_value == 0,
	      "RUN %s: every stored value checks out, counted here (%u wrong of %u)",
	      what, bad_value, r.records);
	CHECK(r.mismatches == bad_value && flagged == bad_value,
	      "RUN %s: module counted %u mismatches, flagged %u, we counted %u",
	      what, r.mismatches, flagged, bad_value);
	CHECK(bad_time == 0, "RUN %s: tsc_end >= tsc_begin in every record", what);
	/*
	 * The watchdog bound: an IRQ-off window ends after 1 ms by the TSC
	 * (or 4096 samples); allow one more sample's worth, never 2 ms.
	 */
	if (info_tsc_khz)
		CHECK(r.max_window_tsc <= 2ULL * info_tsc_khz,
		      "RUN %s: longest IRQ-off window %" PRIu64 " ticks <= 2 ms (%u ticks)",
		      what, (uint64_t)r.max_window_tsc, 2 * info_tsc_khz);
	printf("# RUN %s: windows %u, longest IRQ-off window %" PRIu64 " TSC ticks\n",
	       what, r.windows, (uint64_t)r.max_window_tsc);
	free(buf);
	return r.windows;
}

static uint32_t check_run(uint32_t insn, uint32_t vmcs, uint32_t unroll,
			  uint32_t offset, uint32_t samples)
{
	char what[96];

	snprintf(what, sizeof(what), "insn %u vmcs %s unroll %u offset %u",
		 insn, vmcs == VB_VMCS_LOADED ? "loaded" : "none", unroll,
		 offset);
	return check_point(run_req(insn, unroll, samples, vmcs, offset, NULL, 0),
			   what, MEASURED);
}

/* Every sweep axis of the RUN ioctl, each value at least once. */
/* One point of check_axes(): its setup and the outcome it must have. */
struct axis_point {
	const char *what;
	uint32_t insn, serialize, cache, memtype, page, tlb, ad, offset;
	int want;
};

static void run_axis_point(const struct axis_point *p, uint32_t samples)
{
	struct vb_run r = run_req(p->insn, 1, samples, VB_VMCS_LOADED,
				  p->offset, NULL, 0);

	r.point.serialize = p->serialize;
	r.point.cache = p->cache;
	r.point.memtype = p->memtype;
	r.point.page = p->page;
	r.point.tlb = p->tlb;
	r.point.ad = p->ad;
	check_point(r, p->what, p->want);
}

static void check_axes(uint32_t samples)
{
	const uint32_t split_2m = (2u << 20) - 4;
	const struct axis_point p[] = {
		{ "serialize cpuid", 1, VB_SER_CPUID, 0, 0, 0, 0, 0, 0, MEASURED },
		{ "serialize mfence", 1, VB_SER_MFENCE, 0, 0, 0, 0, 0, 0, MEASURED },
		{ "mov, serialize mfence", 2, VB_SER_MFENCE, 0, 0, 0, 0, 0, 0, MEASURED },
		{ "cache flushed", 1, 0, VB_CACHE_FLUSHED, 0, 0, 0, 0, 0, MEASURED },
		{ "mov, cache flushed, line split", 2, 0, VB_CACHE_FLUSHED, 0, 0, 0, 0, 60, MEASURED },
		{ "cache flushopt, line split", 1, 0, VB_CACHE_FLUSHOPT, 0, 0, 0, 0, 60, MEASURED },
		{ "tlb cold, page split", 1, 0, 0, 0, 0, VB_TLB_COLD, 0, 4092, MEASURED },
		{ "ad clear, page split", 1, 0, 0, 0, 0, 0, VB_AD_CLEAR, 4092, MEASURED },
		{ "ad clear, flushed, tlb cold", 1, 0, VB_CACHE_FLUSHED, 0, 0, VB_TLB_COLD,
		  VB_AD_CLEAR, 1, MEASURED },
		{ "memtype wc", 1, 0, 0, VB_MEM_WC, 0, 0, 0, 0, MEASURED },
		{ "memtype uc-, page split", 1, 0, 0, VB_MEM_UC_MINUS, 0, 0, 0, 4092, MEASURED },
		{ "mov, memtype uc-, flushed", 2, 0, VB_CACHE_FLUSHED, VB_MEM_UC_MINUS, 0, 0, 0, 8,
		  MEASURED },
		{ "memtype wt", 1, 0, 0, VB_MEM_WT, 0, 0, 0, 0, VB_SKIP_MEMTYPE },
		{ "memtype uc- on page 2m", 1, 0, 0, VB_MEM_UC_MINUS, VB_PAGE_2M, 0, 0, 0,
		  VB_SKIP_MEMTYPE },
		{ "page 2m", 1, 0, 0, 0, VB_PAGE_2M, 0, 0, 0, PAGE_MAYBE },
		{ "page 2m, split across 2 MiB, tlb cold", 1, 0, 0, 0, VB_PAGE_2M, VB_TLB_COLD, 0,
		  split_2m, PAGE_MAYBE },
		{ "page 1g", 1, 0, 0, 0, VB_PAGE_1G, 0, 0, 0, PAGE_MAYBE },
	};
	int before = count_lines(VB_PAT_LIST, NULL), after;
	size_t i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		run_axis_point(&p[i], samples);
	after = count_lines(VB_PAT_LIST, NULL);
	if (before < 0) {
		printf("# skip: PAT bookkeeping check: /sys/kernel/debug/x86/pat_memtype_list is not readable (debugfs not mounted?)\n");
		return;
	}
	/*
	 * The module keeps one WC and one UC- pair from first use until it is
	 * unloaded (the guest script checks the list after rmmod): at most
	 * two entries more, and none more when the points run again.
	 */
	CHECK(after >= before && after <= before + 2,
	      "the kernel's PAT list has %d entries after the memtype runs, %d before (at most the two kept pairs more)",
	      after, before);
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		if (p[i].memtype != VB_MEM_WB)
			run_axis_point(&p[i], samples);
	CHECK(count_lines(VB_PAT_LIST, NULL) == after,
	      "the memtype points again: the PAT list still has %d entries (the kept pages reused)",
	      after);
}

/*
 * Counters: a software event (cpu-clock) goes through the whole perf_event
 * path the hardware counters take (create pinned, check active each window,
 * read per record, total, release); a hardware event where there is no PMU
 * (the emulators) must leave the RUN going with the TSC alone and say why.
 */
static void check_events(uint32_t samples)
{
	uint32_t need = 2 * samples, i, invalid = 0, zero = 0;
	struct vb_sample *buf = calloc(need, sizeof(*buf));
	uint64_t *pmc = calloc((size_t)need * 2, sizeof(*pmc));
	struct vb_run r = run_req(VB_INSN_VMPTRST, 1, samples, VB_VMCS_LOADED, 0,
				  buf, need);
	uint64_t sum = 0, hw_nonzero = 0;
	int err;

	r.nevents = 2;
	r.events[0].type = 1;		/* PERF_TYPE_SOFTWARE */
	r.events[0].config = 0;		/* PERF_COUNT_SW_CPU_CLOCK */
	r.events[1].type = 0;		/* PERF_TYPE_HARDWARE */
	r.events[1].config = 1;		/* PERF_COUNT_HW_INSTRUCTIONS */
	r.pmc_buf = (uintptr_t)pmc;
	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == 0, "RUN with cpu-clock and instructions counters: %s",
	      strerror(err));
	CHECK(r.event_err[0] == 0 && r.event_kind[0] == VB_EVENT_SOFTWARE,
	      "cpu-clock created as a software counter (err %d, kind %u)",
	      r.event_err[0], r.event_kind[0]);
	CHECK(r.event_err[1] != 0 && r.event_kind[1] == VB_EVENT_NONE,
	      "instructions: no hardware PMU here, left out with a reason (err %d, kind %u)",
	      r.event_err[1], r.event_kind[1]);
	for (i = 0; i < r.records && i < need; i++) {
		invalid += !!(buf[i].flags & VB_SAMPLE_PMC_INVALID);
		zero += pmc[2 * i] == 0;
		sum += pmc[2 * i];
		hw_nonzero += pmc[2 * i + 1] != 0;
	}
	CHECK(r.records == need && invalid == 0,
	      "every window found its counter active (%u records flagged invalid)",
	      invalid);
	CHECK(sum > 0 && zero < r.records / 2,
	      "cpu-clock counted per record (%" PRIu64 " ns in all, %u records zero)",
	      sum, zero);
	CHECK(r.event_total[0] >= sum,
	      "cpu-clock over the RUN (%" PRIu64 ") covers the per-record sum (%" PRIu64 ")",
	      (uint64_t)r.event_total[0], sum);
	CHECK(hw_nonzero == 0, "the missing counter's values are all 0 (%" PRIu64 " not)",
	      hw_nonzero);
	r = run_req(VB_INSN_VMPTRST, 1, samples, VB_VMCS_LOADED, 0, buf, need);
	r.nevents = 1;
	r.pmc_buf = 0;
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "RUN with an event but no pmc_buf: EINVAL");
	r.pmc_buf = (uintptr_t)pmc;
	r.events[0].type = 2;		/* PERF_TYPE_TRACEPOINT */
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "RUN with a tracepoint event: EINVAL");
	r.events[0].type = 1;
	r.nevents = VB_MAX_EVENTS + 1;
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "RUN with %u events: EINVAL", r.nevents);
	free(buf);
	free(pmc);
}

/*
 * Noise bookkeeping: one vb_window_stat per IRQ-off window, covering the
 * records without gaps; room for fewer windows than ran is not an error.
 */
static void check_windows(uint32_t samples)
{
	uint32_t need = 2 * samples, i, next = 0, gaps = 0, backwards = 0;
	uint32_t odd_freq = 0, nmi_rec = 0;
	struct vb_sample *buf = calloc(need, sizeof(*buf));
	struct vb_window_stat win[64];
	struct vb_run r = run_req(VB_INSN_VMPTRST, 1, samples, VB_VMCS_LOADED, 0,
				  buf, need);
	int err;

	r.win_buf = (uintptr_t)win;
	r.win_len = 64;
	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == 0, "RUN with a window buffer: %s", strerror(err));
	CHECK(r.windows >= 2 && r.win_written == (r.windows < 64 ? r.windows : 64),
	      "%u windows described of %u", r.win_written, r.windows);
	for (i = 0; i < r.win_written; i++) {
		gaps += win[i].first_record != next;
		next = win[i].first_record + win[i].records;
		backwards += win[i].tsc_end < win[i].tsc_begin ||
			     win[i].tsc_end - win[i].tsc_begin > r.max_window_tsc;
		odd_freq += (win[i].aperf == 0) != (win[i].mperf == 0);
	}
	CHECK(gaps == 0 && next == r.records,
	      "the windows cover the %u records without gaps (%u gaps, end %u)",
	      r.records, gaps, next);
	CHECK(backwards == 0, "every window's TSC span is within max_window_tsc");
	CHECK(odd_freq == 0, "APERF and MPERF read together or not at all");
	for (i = 0; i < r.records; i++)
		nmi_rec += !!(buf[i].flags & VB_SAMPLE_NMI);
	printf("# windows: first has smi %s, nmi %u, aperf %" PRIu64 ", mperf %" PRIu64
	       "; %u records saw an NMI\n",
	       win[0].smi == VB_NOT_READ ? "not readable" : "read", win[0].nmi,
	       (uint64_t)win[0].aperf, (uint64_t)win[0].mperf, nmi_rec);

	r = run_req(VB_INSN_VMPTRST, 1, samples, VB_VMCS_LOADED, 0, buf, need);
	r.win_buf = (uintptr_t)win;
	r.win_len = 1;
	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == 0 && r.win_written == 1 && r.windows >= 2,
	      "room for one window: one described, %u counted (%s)", r.windows,
	      strerror(err));
	r.win_len = VB_MAX_SAMPLES + 1;
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "win_len max+1: EINVAL");
	r.win_len = 4;
	r.win_buf = 0;
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "win_len without win_buf: EINVAL");
	free(buf);
}

/* VMPTRST at CPL 3, here: the signal it raised (SIGILL = #UD, SIGSEGV = #GP). */
static sigjmp_buf ring3_jmp;

static void ring3_trap(int sig)
{
	siglongjmp(ring3_jmp, sig);
}

static int ring3_vmptrst(void)
{
	struct sigaction sa = { .sa_handler = ring3_trap }, old_ill, old_segv;
	uint64_t op = 0x5a5a5a5a5a5a5a5aULL;
	cpu_set_t on;
	int sig;

	CPU_ZERO(&on);	/* on the CPU whose VMX state is meant */
	CPU_SET(cpu, &on);
	if (sched_setaffinity(0, sizeof(on), &on))
		return -2;
	sigaction(SIGILL, &sa, &old_ill);
	sigaction(SIGSEGV, &sa, &old_segv);
	sig = sigsetjmp(ring3_jmp, 1);
	if (sig == 0) {
		__asm__ __volatile__("vmptrst %0" : "=m"(op) : : "memory");
		sig = -1;	/* it stored: impossible at CPL 3 */
	}
	sigaction(SIGILL, &old_ill, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

static int hold(uint32_t c, uint32_t on)
{
	struct vb_hold h = { .size = sizeof(h), .abi_version = VB_ABI_VERSION,
			     .cpu = c, .hold = on };

	return xioctl(VB_IOC_HOLD, &h);
}

/*
 * The crash path (panic, kdump, emergency restart) calls the kernel's one
 * crash-time VMXOFF callback on every CPU; the module's must leave VMX
 * operation where the module turned it on.  HOLD's hold=2 runs it on the
 * held CPU: afterwards VMPTRST is #UD again at ring 3 and in the kernel,
 * INFO sees CR4.VMXE clear, and RUNs work.
 */
static void check_emergency(void)
{
	struct vb_info in;
	int err, sig;

	err = hold(cpu, 1);
	CHECK(err == 0, "HOLD, for the crash-time callback: %s", strerror(err));
	if (err)
		return;
	CHECK(ring3_vmptrst() == SIGSEGV, "held: ring 3 VMPTRST is #GP");
	err = hold(cpu, VB_HOLD_EMERGENCY);
	CHECK(err == 0, "the crash-time VMXOFF callback on the held CPU: %s",
	      strerror(err));
	sig = ring3_vmptrst();
	CHECK(sig == SIGILL, "after the callback: ring 3 VMPTRST is #UD (SIGILL), got %d",
	      sig);
	in = info_of(cpu, &err);
	CHECK(err == 0 && !(in.flags & VB_INFO_VMX_IN_USE),
	      "after the callback: CR4.VMXE clear (INFO flags %#x)", in.flags);
	check_selftest("after the crash-time callback");
	CHECK(hold(cpu, 0) == EINVAL, "after the callback the hold is over");
	check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 1, 0, 50);
}

/*
 * With debug_hold=1: the module keeps VMX on on this CPU.  The reference's
 * branches reachable from here: outside VMX operation VMPTRST is #UD at
 * any CPL; inside, at CPL 3 it is #GP.  And a RUN must refuse a CPU whose
 * VMX is held, exactly as when kvm_intel holds it.
 */
static void check_hold(void)
{
	struct vb_info in;
	int err, sig;

	sig = ring3_vmptrst();
	CHECK(sig == SIGILL, "ring 3 VMPTRST outside VMX operation: SIGILL (#UD), got %d",
	      sig);
	CHECK(hold(cpu, 3) == EINVAL, "HOLD with hold=3: EINVAL");
	CHECK(hold(cpu, VB_HOLD_EMERGENCY) == EINVAL,
	      "the crash-time callback on a CPU nobody holds: EINVAL");
	CHECK(hold(100000, 1) == ENXIO, "HOLD on cpu 100000: ENXIO");
	CHECK(hold(cpu, 0) == EINVAL, "releasing a hold nobody holds: EINVAL");
	err = hold(cpu, 1);
	CHECK(err == 0, "HOLD VMX on cpu %u: %s", cpu, strerror(err));
	if (err)
		return;
	sig = ring3_vmptrst();
	CHECK(sig == SIGSEGV, "ring 3 VMPTRST in VMX root operation: SIGSEGV (#GP), got %d",
	      sig);
	in = info_of(cpu, &err);
	CHECK(err == 0 && (in.flags & VB_INFO_VMX_IN_USE),
	      "INFO during the hold: VMX in use (flags %#x)", in.flags);
	CHECK(hold(cpu, 1) == EBUSY, "a second HOLD: EBUSY");
	owned = true;
	check_refused_run(EBUSY, "while the hold owns VMX");
	check_owned_selftest();
	owned = false;
	err = hold(cpu, 0);
	CHECK(err == 0, "release the hold: %s", strerror(err));
	sig = ring3_vmptrst();
	CHECK(sig == SIGILL, "ring 3 VMPTRST after the release: SIGILL (#UD) again, got %d",
	      sig);
	check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 1, 0, 50);
	check_emergency();
	CHECK(hold(cpu, 1) == 0, "HOLD again, to be released by rmmod");
}

/*
 * The module users load (built without TEST_HOOKS): HOLD is an unknown
 * ioctl whatever it asks, neither test parameter exists, and the module
 * measures (or, without VMX, refuses) as the tests' build does.
 */
static void check_release(bool expect_vmx)
{
	static const char *const params[] = { "inject_fault", "debug_hold" };
	char path[96];
	uint32_t h;
	size_t i;
	int err;

	for (h = VB_HOLD_OFF; h <= VB_HOLD_EMERGENCY; h++) {
		err = hold(cpu, h);
		CHECK(err == ENOTTY, "HOLD hold=%u: ENOTTY, as an unknown ioctl (got %s)",
		      h, strerror(err));
	}
	err = access("/sys/module/vmptrst_bench", F_OK) ? errno : 0;
	CHECK(err == 0, "/sys/module/vmptrst_bench exists (%s)",
	      err ? strerror(err) : "yes");
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		snprintf(path, sizeof(path),
			 "/sys/module/vmptrst_bench/parameters/%s", params[i]);
		err = access(path, F_OK) ? errno : 0;
		CHECK(err == ENOENT, "no module parameter %s (%s: %s)",
		      params[i], path, err ? strerror(err) : "exists");
	}
	check_selftest("in the release build");
	if (expect_vmx)
		check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 4, 0, 50);
	else
		check_refused_run(ENODEV, "without VMX");
}

/*
 * Fault injection: each step of a RUN made to fail as the hardware or the
 * kernel could; after each, the machine must be as before: out of VMX
 * operation with CR4.VMXE clear (SELFTEST sees #UD, not EBUSY), no memory
 * type left behind (PAT list), no buffer left (vmallocinfo), and the next
 * RUN works.
 */
static void check_faults(void)
{
	static const struct {
		int fault;
		const char *what;
		int want;
		uint32_t memtype, samples, nevents;
	} t[] = {
		{ 1, "VMXON fails", EIO, VB_MEM_WB, 20, 0 },
		{ 2, "VMCLEAR fails", EIO, VB_MEM_WB, 20, 0 },
		{ 3, "VMPTRLD fails", EIO, VB_MEM_WB, 20, 0 },
		{ 4, "the guarded VMPTRST faults", EIO, VB_MEM_WB, 20, 0 },
		{ 5, "VMXON fails in a later window", EIO, VB_MEM_UC_MINUS, 9000, 0 },
		{ 6, "ENOMEM after the memory type was set", ENOMEM, VB_MEM_UC_MINUS, 20, 0 },
		{ 7, "no counter can be created", 0, VB_MEM_WB, 20, 1 },
		{ 8, "the records cannot be copied out", EFAULT, VB_MEM_WC, 20, 1 },
	};
	int pat, vm = count_lines("/proc/vmallocinfo", "vmptrst_bench");
	size_t i;

	/*
	 * The module keeps one WC and one UC- page pair from first use to
	 * unload (the guest script compares the PAT list after rmmod): use
	 * both first, so that the count below is the one every fault must
	 * leave behind.
	 */
	for (i = VB_MEM_WC; i <= VB_MEM_UC_MINUS; i++) {
		struct vb_sample buf[8];
		struct vb_run r = run_req(VB_INSN_VMPTRST, 1, 4, VB_VMCS_LOADED,
					  0, buf, 8);

		r.point.memtype = (uint32_t)i;
		CHECK(xioctl(VB_IOC_RUN, &r) == 0, "a RUN on memtype %zu", i);
	}
	pat = count_lines(VB_PAT_LIST, NULL);
	if (vb_set_fault(0)) {
		CHECK(0, "inject_fault parameter writable: %s", strerror(errno));
		return;
	}
	if (pat < 0)
		printf("# skip: PAT checks after injected faults: debugfs's pat_memtype_list not readable\n");
	CHECK(vm >= 0, "/proc/vmallocinfo readable (%d module lines)", vm);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t need = 2 * t[i].samples;
		struct vb_sample *buf = calloc(need, sizeof(*buf));
		uint64_t *pmc = calloc(need, sizeof(*pmc));
		struct vb_run r = run_req(VB_INSN_VMPTRST, 1, t[i].samples,
					  VB_VMCS_LOADED, 0, buf, need);
		int err;

		r.point.memtype = t[i].memtype;
		r.nevents = t[i].nevents;
		r.events[0].type = 1;		/* cpu-clock */
		r.pmc_buf = (uintptr_t)pmc;
		CHECK(vb_set_fault(t[i].fault) == 0, "inject fault %d", t[i].fault);
		err = xioctl(VB_IOC_RUN, &r);
		vb_set_fault(0);
		CHECK(err == t[i].want, "%s: RUN gives %s (want %s)", t[i].what,
		      strerror(err), strerror(t[i].want));
		if (t[i].fault == 7)
			CHECK(r.event_err[0] != 0 && r.records == need,
			      "%s: the run goes on without it (event_err %d, %u records)",
			      t[i].what, r.event_err[0], r.records);
		check_selftest(t[i].what);
		if (pat >= 0)
			CHECK(count_lines(VB_PAT_LIST, NULL) == pat,
			      "%s: PAT list as before (%d entries)", t[i].what,
			      pat);
		CHECK(count_lines("/proc/vmallocinfo", "vmptrst_bench") == vm,
		      "%s: no module buffer left in vmallocinfo (%d before)",
		      t[i].what, vm);
		free(buf);
		free(pmc);
	}
	check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 1, 0, 50);
	check_no_rdtscp();
}

/*
 * serialize=cpuid closes with RDTSCP: on a CPU without it (injected: the
 * module takes the CPU to lack it) the point is skipped with its reason,
 * nothing executed, and the other brackets still run.
 */
static void check_no_rdtscp(void)
{
	struct vb_sample buf[40];
	struct vb_run r = run_req(VB_INSN_VMPTRST, 1, 20, VB_VMCS_LOADED, 0,
				  buf, 40);
	int err;

	r.point.serialize = VB_SER_CPUID;
	CHECK(vb_set_fault(10) == 0, "inject fault 10 (no RDTSCP)");
	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == 0 && (r.result_flags & VB_RUN_SKIPPED) &&
	      r.skip_reason == VB_SKIP_NO_RDTSCP && r.records == 0,
	      "serialize=cpuid without RDTSCP: skipped, reason %u (want %u), %u records, %s",
	      r.skip_reason, VB_SKIP_NO_RDTSCP, r.records, strerror(err));
	r = run_req(VB_INSN_VMPTRST, 1, 20, VB_VMCS_LOADED, 0, buf, 40);
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	CHECK(err == 0 && r.records == 40 && !r.result_flags,
	      "serialize=lfence without RDTSCP still runs (%u records, flags %#x, %s)",
	      r.records, r.result_flags, strerror(err));
	check_selftest("after the RDTSCP skip");
}

/*
 * VMXOFF reporting VMfail (an SMM dual-monitor treatment would): the CPU
 * may still be in VMX operation, so its VMXON and VMCS pages must not go
 * back to the allocator, and the CPU is refused from then on.  Injected:
 * VMXOFF does run, the module is told it failed.  Irreversible until
 * reboot, by design: the module pins itself, so this is a boot's last step.
 */
static void check_stuck(void)
{
	struct vb_sample buf[40];
	struct vb_run r = run_req(VB_INSN_VMPTRST, 1, 20, VB_VMCS_LOADED, 0,
				  buf, 40);
	struct vb_info in;
	int err;

	CHECK(vb_set_fault(9) == 0, "inject fault 9 (VMXOFF fails)");
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	CHECK(err == EIO, "VMXOFF fails: RUN gives %s (want EIO)",
	      strerror(err));
	in = info_of(cpu, &err);
	CHECK(err == 0 && (in.flags & VB_INFO_CPU_STUCK),
	      "INFO: the CPU is marked stuck in VMX operation (flags %#x)",
	      in.flags);
	r = run_req(VB_INSN_VMPTRST, 1, 20, VB_VMCS_LOADED, 0, buf, 40);
	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == EIO, "the next RUN on that CPU is refused: %s (want EIO)",
	      strerror(err));
}

/* What the child of check_concurrency() reports about its long RUN. */
struct child_report {
	int err;
	uint32_t records, result_flags, bad_values;
};

static void on_sigint(int sig)
{
	(void)sig;
}

/*
 * While one process is inside a long RUN: a second RUN gets EBUSY at once,
 * the module cannot be unloaded, and SIGINT stops the long RUN at the end of
 * a window with what it measured, every record of it valid.
 */
static void check_concurrency(void)
{
	const uint32_t samples = VB_MAX_SAMPLES;
	struct child_report rep = { 0 };
	struct vb_sample small[2];
	struct vb_run r;
	int to_parent[2];
	char c = 0;
	pid_t pid;
	int err = 0, i;

	if (pipe(to_parent)) {
		CHECK(0, "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_sigint };
		struct vb_sample *buf = calloc(2 * samples, sizeof(*buf));
		struct vb_run big = run_req(VB_INSN_VMPTRST, VB_MAX_UNROLL, samples,
					    VB_VMCS_LOADED, 0, buf, 2 * samples);
		uint32_t i;

		sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART */
		if (write(to_parent[1], "s", 1) != 1)
			_exit(1);
		/* The parent's short RUNs may hold the module a moment. */
		for (i = 0; i < 1000; i++) {
			rep.err = buf ? xioctl(VB_IOC_RUN, &big) : ENOMEM;
			if (rep.err != EBUSY)
				break;
			sched_yield();
		}
		rep.records = big.records;
		rep.result_flags = big.result_flags;
		for (i = 0; i < big.records; i++)
			rep.bad_values += buf[i].stored !=
				(buf[i].instruction == VB_INSN_NONE ?
				 big.poison : big.expected);
		if (write(to_parent[1], &rep, sizeof(rep)) != sizeof(rep))
			_exit(1);
		_exit(0);
	}
	CHECK(pid > 0 && read(to_parent[0], &c, 1) == 1 && c == 's',
	      "a child process started a long RUN");

	/*
	 * The child may not be inside the ioctl yet when this runs: try until
	 * a RUN is refused, yielding to the child in between.  The child's run
	 * (2^18 samples of 256 VMPTRSTs) outlasts this by far; if it ended
	 * first, the check fails rather than pass without having seen EBUSY.
	 */
	r = run_req(VB_INSN_VMPTRST, 1, 1, VB_VMCS_LOADED, 0, small, 2);
	for (i = 0; i < 1000; i++) {
		struct pollfd p = { .fd = to_parent[0], .events = POLLIN };

		err = xioctl(VB_IOC_RUN, &r);
		if (err != 0 || poll(&p, 1, 0) == 1)
			break;
		sched_yield();
	}
	CHECK(err == EBUSY, "a second RUN meanwhile: EBUSY at once (got %s after %d tries)",
	      strerror(err), i + 1);
	errno = 0;
	CHECK(syscall(SYS_delete_module, "vmptrst_bench", O_NONBLOCK) != 0 &&
	      (errno == EWOULDBLOCK || errno == EBUSY),
	      "rmmod while the device is open in a RUN is refused (%s)",
	      strerror(errno));

	kill(pid, SIGINT);
	CHECK(read(to_parent[0], &rep, sizeof(rep)) == sizeof(rep),
	      "the child reported its RUN");
	waitpid(pid, NULL, 0);
	CHECK(rep.err == 0 && (rep.result_flags & VB_RUN_INTERRUPTED),
	      "SIGINT ended the long RUN with success and VB_RUN_INTERRUPTED (%s, flags %#x)",
	      strerror(rep.err), rep.result_flags);
	CHECK(rep.records > 0 && rep.records < 2 * samples && rep.records % 2 == 0,
	      "the interrupted RUN returned %u of %u records, whole pairs",
	      rep.records, 2 * samples);
	CHECK(rep.bad_values == 0,
	      "every record the interrupted RUN returned checks out (%u wrong)",
	      rep.bad_values);
	close(to_parent[0]);
	close(to_parent[1]);

	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == 0, "a RUN after that succeeds (%s)", strerror(err));
}

/* A RUN that must be refused with @want, leaving the buffer untouched. */
static void check_refused_run(int want, const char *why)
{
	struct vb_sample buf[2];
	struct vb_run r = run_req(VB_INSN_VMPTRST, 1, 1, VB_VMCS_LOADED, 0, buf, 2);
	int err;

	memset(buf, 0xa5, sizeof(buf));
	err = xioctl(VB_IOC_RUN, &r);
	CHECK(err == want, "RUN %s: %s (got %s)", why, strerror(want),
	      strerror(err));
	CHECK(((unsigned char *)buf)[0] == 0xa5 && r.records == 0,
	      "refused RUN %s wrote nothing", why);
}

/* VMX owned by someone else: SELFTEST must not execute VMPTRST there. */
static void check_owned_selftest(void)
{
	struct vb_selftest st = { .size = sizeof(st),
				  .abi_version = VB_ABI_VERSION, .cpu = cpu };
	int err = xioctl(VB_IOC_SELFTEST, &st);

	CHECK(err == EBUSY, "SELFTEST while VMX is owned: EBUSY (got %s)",
	      strerror(err));
}

int main(int argc, char **argv)
{
	bool expect_vmx = false, have_expect = false, hold_mode = false;
	bool stuck_mode = false, release_mode = false;
	uint32_t samples = 200;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--expect-vmx") && i + 1 < argc) {
			i++;
			owned = !strcmp(argv[i], "owned");
			expect_vmx = owned || !strcmp(argv[i], "yes");
			have_expect = true;
		} else if (!strcmp(argv[i], "--hold")) {
			hold_mode = true;
		} else if (!strcmp(argv[i], "--stuck")) {
			stuck_mode = true;
		} else if (!strcmp(argv[i], "--release")) {
			release_mode = true;
		} else if (!strcmp(argv[i], "--cpu") && i + 1 < argc) {
			cpu = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
			samples = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: vb_check --expect-vmx yes|no|owned [--hold | --stuck | --release] [--cpu N] [--samples N]\n");
			return 2;
		}
	}
	if (!have_expect) {
		fprintf(stderr, "vb_check: --expect-vmx is required\n");
		return 2;
	}

	check_device();
	check_info(expect_vmx);
	if (hold_mode || stuck_mode || release_mode) {
		if (hold_mode)
			check_hold();
		else if (stuck_mode)
			check_stuck();
		else
			check_release(expect_vmx);
		close(fd);
		printf("vb_check: %d passed, %d failed\n", passed, failed);
		return failed ? 1 : 0;
	}
	CHECK(hold(cpu, 1) == EOPNOTSUPP, "HOLD without debug_hold=1: EOPNOTSUPP");
	if (owned) {
		check_refused_run(EBUSY, "while another hypervisor owns VMX");
		check_owned_selftest();
		close(fd);
		printf("vb_check: %d passed, %d failed\n", passed, failed);
		return failed ? 1 : 0;
	}
	check_bad_runs();
	check_selftest("before any run");
	if (!expect_vmx) {
		check_refused_run(ENODEV, "without VMX");
	} else {
		check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 4, 0, samples);
		check_run(VB_INSN_VMPTRST, VB_VMCS_NONE, 4, 0, samples);
		check_run(VB_INSN_MOV, VB_VMCS_LOADED, 4, 0, samples);
		check_run(VB_INSN_NONE, VB_VMCS_LOADED, 1, 0, samples);
		check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 1, 1, samples);
		check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 256, 60, samples / 4 + 1);
		check_run(VB_INSN_VMPTRST, VB_VMCS_NONE, 2, 4092, samples);
		check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 8, VB_MAX_OFFSET(VB_PAGE_4K),
			  samples);
		/* A long run: at most 4096 samples per IRQ-off window. */
		CHECK(check_run(VB_INSN_VMPTRST, VB_VMCS_LOADED, 1, 8, 20000) >= 5,
		      "20000 samples took at least 5 IRQ-off windows");
		check_run(VB_INSN_ADD, VB_VMCS_LOADED, 8, 0, samples);
		check_run(VB_INSN_IMUL, VB_VMCS_LOADED, 4, 0, samples);
		check_run(VB_INSN_CHASE, VB_VMCS_LOADED, 16, 24, samples);
		check_run(VB_INSN_CHASE, VB_VMCS_NONE, 1, 4092 - 2048, samples);
		check_axes(samples / 4 + 1);
		check_events(samples);
		check_windows(20000);
		check_faults();
		check_concurrency();
		/* VMX left behind would turn #UD into a store or EBUSY. */
		check_selftest("after the runs");
	}
	close(fd);
	printf("vb_check: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
