// SPDX-License-Identifier: GPL-2.0
/*
 * test_userdev: the user backend (bench/userdev.c) against the RUN contract
 * of the module, functionally: every axis value it supports gives valid
 * records (each one checked here, independently of the backend's count),
 * pairs interleaved in alternating order, zero mismatches, the page size
 * asked for or a skip with its reason; what it cannot do at ring 3 is
 * refused with EOPNOTSUPP and a reason, bad fields with EINVAL.  No timing
 * is asserted.  Prints "ok"/"not ok" per check and, last,
 * "userdev: N passed, N failed"; exit 0 only if none failed.
 *
 * usage: test_userdev [CPU]   (default: the last online CPU)
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "userdev.h"

static unsigned int passed, failed, cpu;
static struct vb_sample *rec;
static uint64_t *pmc;
#define REC_CAP		(2u * VB_MAX_SAMPLES)

static void check_at(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s %u - ", ok ? "ok" : "not ok", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (%s:%d)", file, line);
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

#define CHECK(ok, ...)	check_at(!!(ok), __FILE__, __LINE__, __VA_ARGS__)

static const char *const insn_name[VB_INSN_COUNT] = {
	"none", "vmptrst", "mov", "add", "imul", "chase", "cpuid", "vmcall",
	"vmptrld", "vmclear", "vmread", "vmwrite", "invvpid", "invept",
	"vmxon-vmxoff", "rdmsr", "io", "xsetbv", "invd", "cr3-load" };
static const char *const ser_name[VB_SER_COUNT] = { "lfence", "cpuid",
						    "mfence" };
static const char *const cache_name[VB_CACHE_COUNT] = { "hot", "flushed",
							"flushopt" };
static const char *const page_name[VB_PAGE_COUNT] = { "4k", "2m", "1g" };

static struct vb_run point(uint32_t insn, uint32_t samples)
{
	struct vb_run r;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.abi_version = VB_ABI_VERSION;
	r.point.cpu = cpu;
	r.point.instruction = insn;
	r.point.unroll = 1;
	r.point.samples = samples;
	r.point.vmcs = VB_VMCS_LOADED;
	r.buf = (uint64_t)(uintptr_t)rec;
	r.buf_len = REC_CAP;
	return r;
}

/* What record @s must hold; chase: its operand's address (see below). */
static int record_ok(const struct vb_run *r, const struct vb_sample *s,
		     uint64_t *chase)
{
	switch (s->instruction) {
	case VB_INSN_NONE:
		return s->stored == VB_POISON;
	case VB_INSN_MOV:
		return s->stored == r->expected;
	case VB_INSN_ADD:
		return s->stored == 1 + (uint64_t)r->point.unroll;
	case VB_INSN_IMUL:
		return s->stored == 1;
	case VB_INSN_CHASE:
		/* the operand's own address: at its offset, the same each time */
		if (!*chase)
			*chase = s->stored;
		return s->stored == *chase &&
		       (s->stored & 0xfff) == (r->point.offset & 0xfff);
	default:
		return 0;
	}
}

/*
 * Every record of a measured RUN, checked here: count, pairs (sample index,
 * one instruction and one baseline, baseline first in even pairs), stored
 * values, flags, TSC order, window numbers.  Returns 1 if all hold.
 */
static int records_valid(const struct vb_run *r, char *why, size_t len)
{
	uint32_t i, need = VB_RECORDS_NEEDED(r->point.instruction,
					     r->point.samples);
	uint64_t chase = 0;
	uint8_t win = 0;

	if (r->records != need || r->mismatches || r->result_flags ||
	    r->win_written || !r->windows || r->windows > r->point.samples) {
		snprintf(why, len, "records %u/%u mismatches %u flags %#x "
			 "windows %u", r->records, need, r->mismatches,
			 r->result_flags, r->windows);
		return 0;
	}
	if (r->page_kib != vb_page_kib(r->point.page) ||
	    r->poison != VB_POISON ||
	    (r->point.vmcs == VB_VMCS_NONE ? r->expected != ~0ULL :
	     !r->expected || (r->expected & 0xfff))) {
		snprintf(why, len, "page_kib %u poison %#" PRIx64 " expected %#"
			 PRIx64, r->page_kib, (uint64_t)r->poison,
			 (uint64_t)r->expected);
		return 0;
	}
	for (i = 0; i < need; i++) {
		const struct vb_sample *s = &rec[i];
		uint32_t k = r->point.instruction == VB_INSN_NONE ? i : i / 2;
		uint32_t want = r->point.instruction == VB_INSN_NONE ||
				(i % 2 == 0) == (k % 2 == 0) ? VB_INSN_NONE :
				r->point.instruction;

		if (s->sample != k || s->instruction != want || s->flags ||
		    s->tsc_end < s->tsc_begin || !record_ok(r, s, &chase) ||
		    (uint8_t)(s->window - win) > 1) {
			snprintf(why, len, "record %u: sample %u insn %u flags "
				 "%#x stored %#" PRIx64 " window %u", i,
				 s->sample, s->instruction, s->flags,
				 (uint64_t)s->stored, s->window);
			return 0;
		}
		win = s->window;
	}
	return 1;
}

/* Run @r: measured and valid, or (@maybe_skip) skipped with @reason. */
static void expect_valid(struct vb_run r, int maybe_skip, uint32_t reason,
			 const char *what)
{
	char why[160] = "";
	int ret;

	memset(rec, 0xa5, REC_CAP * sizeof(*rec));
	ret = vb_user_run(&r);
	if (!ret && maybe_skip && (r.result_flags & VB_RUN_SKIPPED)) {
		CHECK(r.skip_reason == reason && !r.records &&
		      (reason != VB_SKIP_PAGE_SIZE ||
		       r.page_kib != vb_page_kib(r.point.page)),
		      "%s: skipped (reason %u, page_kib %u)", what,
		      r.skip_reason, r.page_kib);
		return;
	}
	CHECK(!ret && records_valid(&r, why, sizeof(why)),
	      "%s: %d records, valid %s", what, ret ? ret : (int)r.records,
	      why);
}

static void expect_err(struct vb_run r, int err, int refusal, const char *what)
{
	int ret = vb_user_run(&r);
	const char *why = vb_user_refusal(&r.point);

	CHECK(ret == err && !!why == refusal, "%s: %s (%s)", what,
	      strerror(-ret), why ? why : "-");
}

static int have_clflushopt(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return !!(b & (1u << 23));
}

/* CPUID.80000001H:EDX[27] */
static int have_rdtscp(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_max(0x80000000, NULL) < 0x80000001)
		return 0;
	__cpuid(0x80000001, a, b, c, d);
	return !!(d & (1u << 27));
}

static void test_info(void)
{
	const struct vb_dev_ops *ops = vb_user_dev_ops();
	struct vb_info in = { .size = sizeof(in), .cpu = cpu };
	struct vb_selftest st = { .size = sizeof(st),
				  .abi_version = VB_ABI_VERSION };
	int fd = ops->open(NULL, VB_USER_DEVICE_PATH), ret;

	CHECK(fd >= 0, "open: %d", fd);
	in.abi_version = 1;	/* INFO answers any version, as the module */
	ret = ops->ioctl(NULL, fd, VB_IOC_INFO, &in);
	CHECK(!ret && in.abi_version == VB_ABI_VERSION && in.flags == 0 &&
	      in.tsc_khz > 100000 && in.online_cpus >= 1 &&
	      in.max_samples == VB_MAX_SAMPLES && in.cpu == cpu &&
	      !strcmp(in.module_version, VB_USER_MODULE_VERSION),
	      "INFO: flags %#x (no VMX), tsc_khz %u, online %u, version %s",
	      in.flags, in.tsc_khz, in.online_cpus, in.module_version);
	in.size = 4;
	CHECK(ops->ioctl(NULL, fd, VB_IOC_INFO, &in) == -EINVAL,
	      "INFO with a wrong size: EINVAL");
	in.size = sizeof(in);
	in.cpu = CPU_SETSIZE + 1;
	CHECK(ops->ioctl(NULL, fd, VB_IOC_INFO, &in) == -ENXIO,
	      "INFO on a CPU that does not exist: ENXIO");
	CHECK(ops->ioctl(NULL, fd, VB_IOC_SELFTEST, &st) == -EOPNOTSUPP,
	      "SELFTEST refused: EOPNOTSUPP");
	CHECK(ops->ioctl(NULL, fd, 0x1234, &st) == -ENOTTY,
	      "unknown ioctl: ENOTTY");
	CHECK(ops->ioctl(NULL, fd, VB_IOC_HOLD, &st) == -ENOTTY,
	      "HOLD: ENOTTY, as the module users load answers it");
	CHECK(ops->ioctl(NULL, fd + 1, VB_IOC_INFO, &in) == -EBADF,
	      "another fd: EBADF");
	ops->close(NULL, fd);
}

static void test_axes(void)
{
	static const uint32_t offsets[] = { 0, 1, 60, 4092, 4095 };
	struct vb_run r;
	char what[96];
	uint32_t i, u;

	for (i = VB_INSN_NONE; i < VB_INSN_COUNT; i++) {
		r = point(i, 300);
		/* vmptrst and the family are refused (test_refusals), the
		   VM-exit references are mode=guest's: the ABI refuses them
		   in mode root */
		if (i == VB_INSN_VMPTRST || vb_insn_is_family(i) ||
		    vb_point_invalid(&r.point))
			continue;
		for (u = 1; u <= VB_MAX_UNROLL; u *= 2) {
			r = point(i, 300);
			r.point.unroll = u;
			snprintf(what, sizeof(what), "%s unroll %u",
				 insn_name[i], u);
			expect_valid(r, 0, 0, what);
		}
	}
	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		uint32_t insn;

		for (insn = VB_INSN_MOV; insn <= VB_INSN_CHASE; insn += 3) {
			r = point(insn, 300);
			r.point.offset = offsets[i];
			snprintf(what, sizeof(what), "%s offset %u",
				 insn_name[insn], offsets[i]);
			expect_valid(r, 0, 0, what);
		}
	}
	for (i = 0; i < VB_CACHE_COUNT; i++) {
		r = point(VB_INSN_MOV, 300);
		r.point.cache = i;
		r.point.offset = 60;	/* two lines to flush */
		snprintf(what, sizeof(what), "mov cache %s (line-split)",
			 cache_name[i]);
		if (i == VB_CACHE_FLUSHOPT && !have_clflushopt())
			CHECK(!vb_user_run(&r) &&
			      r.skip_reason == VB_SKIP_NO_CLFLUSHOPT,
			      "%s: skipped without CLFLUSHOPT", what);
		else
			expect_valid(r, 0, 0, what);
	}
	for (i = 0; i < VB_SER_COUNT; i++) {
		r = point(VB_INSN_MOV, 300);
		r.point.serialize = i;
		snprintf(what, sizeof(what), "mov serialize %s", ser_name[i]);
		/* cpuid's bracket ends in RDTSCP: skipped where CPUID lacks it */
		expect_valid(r, i == VB_SER_CPUID && !have_rdtscp(),
			     VB_SKIP_NO_RDTSCP, what);
	}
	for (i = 0; i < VB_VMCS_COUNT; i++) {
		r = point(VB_INSN_MOV, 300);
		r.point.vmcs = i;
		snprintf(what, sizeof(what), "mov vmcs %s",
			 i == VB_VMCS_NONE ? "none (stores ~0)" : "loaded");
		expect_valid(r, 0, 0, what);
	}
	for (i = 0; i < VB_PAGE_COUNT; i++) {
		r = point(VB_INSN_CHASE, 300);
		r.point.page = i;
		snprintf(what, sizeof(what), "chase page %s, or skipped",
			 page_name[i]);
		expect_valid(r, i != VB_PAGE_4K, VB_SKIP_PAGE_SIZE, what);
		r = point(VB_INSN_MOV, 300);
		r.point.page = i;
		r.point.offset = i == VB_PAGE_4K ? 4092 : (2u << 20) - 4;
		snprintf(what, sizeof(what), "mov page %s page-split, or "
			 "skipped", page_name[i]);
		expect_valid(r, i != VB_PAGE_4K, VB_SKIP_PAGE_SIZE, what);
	}
}

static void test_refusals(void)
{
	const char *why;
	struct vb_run r;
	uint32_t m;

	r = point(VB_INSN_VMPTRST, 10);
	expect_err(r, -EOPNOTSUPP, 1, "vmptrst refused");
	why = vb_user_refusal(&r.point);
	CHECK(why && strstr(why, "#UD") && strstr(why, "#GP"),
	      "vmptrst's reason names #UD and #GP");
	for (m = VB_MEM_WC; m < VB_MEM_COUNT; m++) {
		r = point(VB_INSN_MOV, 10);
		r.point.memtype = m;
		expect_err(r, -EOPNOTSUPP, 1, "memtype not wb refused");
	}
	r = point(VB_INSN_MOV, 10);
	r.point.tlb = VB_TLB_COLD;
	expect_err(r, -EOPNOTSUPP, 1, "tlb cold refused");
	r = point(VB_INSN_MOV, 10);
	r.point.ad = VB_AD_CLEAR;
	expect_err(r, -EOPNOTSUPP, 1, "ad clear refused");

	/* mode guest: VMX non-root operation needs the module; never faked */
	r = point(VB_INSN_MOV, 10);
	r.point.mode = VB_MODE_GUEST;
	memset(rec, 0xa5, 20 * sizeof(*rec));
	why = vb_user_skip(&r.point);
	CHECK(vb_user_run(&r) == -EOPNOTSUPP && why &&
	      strstr(why, "needs the module") && rec[0].sample == 0xa5a5a5a5u,
	      "mode guest: EOPNOTSUPP, nothing run, a skip's reason (%s)",
	      why ? why : "-");
	/* VMPTRST's family: VMX instructions, the module's alone */
	for (m = VB_INSN_VMPTRLD; m <= VB_INSN_VMXON; m++) {
		char what[96];

		r = point(m, 10);
		r.point.target = m == VB_INSN_VMPTRLD ? VB_TARGET_SAME :
				 m == VB_INSN_VMCLEAR ? VB_TARGET_OTHER : 0;
		r.point.field = m == VB_INSN_VMREAD || m == VB_INSN_VMWRITE ?
				VB_FIELD_GUEST_RIP : 0;
		r.point.type = m == VB_INSN_INVVPID || m == VB_INSN_INVEPT ?
			       VB_TYPE_SINGLE : 0;
		snprintf(what, sizeof(what), "%s refused", insn_name[m]);
		expect_err(r, -EOPNOTSUPP, 1, what);
		why = vb_user_refusal(&r.point);
		CHECK(why && strstr(why, "VMX family"),
		      "%s's reason names the VMX family", insn_name[m]);
	}
	r = point(VB_INSN_VMREAD, 10);	/* no field: the ABI's rule first */
	expect_err(r, -EINVAL, 1, "vmread without a field: EINVAL (the ABI's rule)");
	r = point(VB_INSN_CPUID, 10);
	expect_err(r, -EINVAL, 0, "cpuid in mode root: EINVAL (the ABI's rule)");
	r = point(VB_INSN_VMCALL, 10);
	expect_err(r, -EINVAL, 0, "vmcall in mode root: EINVAL (the ABI's rule)");

	r = point(VB_INSN_MOV, 10);
	r.point.unroll = 3;
	expect_err(r, -EINVAL, 0, "unroll 3: EINVAL");
	r = point(VB_INSN_MOV, 10);
	r.point.unroll = 2;
	r.point.cache = VB_CACHE_FLUSHED;
	expect_err(r, -EINVAL, 0, "unroll 2 with a per-sample flush: EINVAL");
	r = point(VB_INSN_MOV, 0);
	expect_err(r, -EINVAL, 0, "samples 0: EINVAL");
	r = point(VB_INSN_MOV, 10);
	r.buf_len = 19;
	expect_err(r, -EINVAL, 0, "buf_len short: EINVAL");
	r = point(VB_INSN_MOV, 10);
	r.point.offset = VB_SPAN_4K - 7;
	expect_err(r, -EINVAL, 0, "offset beyond the span: EINVAL");
	r = point(VB_INSN_MOV, 10);
	r.abi_version = VB_ABI_VERSION - 1;
	expect_err(r, -EINVAL, 0, "another abi_version: EINVAL");
	r = point(VB_INSN_MOV, 10);
	r.point.cpu = CPU_SETSIZE + 1;
	expect_err(r, -ENXIO, 0, "a CPU that does not exist: ENXIO");
}

static void test_windows_and_events(void)
{
	struct vb_run r = point(VB_INSN_IMUL, 20000);
	cpu_set_t before, after;
	char why[160] = "";
	uint32_t i;
	int ret, zero = 1;

	CPU_ZERO(&before);
	sched_getaffinity(0, sizeof(before), &before);
	r.point.unroll = 4;
	r.nevents = 2;
	r.events[0].type = 0;	/* PERF_TYPE_HARDWARE, cycles */
	r.events[1].type = 1;	/* PERF_TYPE_SOFTWARE */
	r.pmc_buf = (uint64_t)(uintptr_t)pmc;
	memset(pmc, 0xff, REC_CAP * 2 * sizeof(*pmc));
	ret = vb_user_run(&r);
	CHECK(!ret && records_valid(&r, why, sizeof(why)) &&
	      r.windows >= 20000 / VB_WINDOW_MAX_SAMPLES + 1 &&
	      r.max_window_tsc > 0,
	      "20000 samples: %u windows (at most %u samples each), longest "
	      "%" PRIu64 " ticks %s", r.windows, VB_WINDOW_MAX_SAMPLES,
	      (uint64_t)r.max_window_tsc, why);
	for (i = 0; i < 2 * r.records; i++)
		zero &= pmc[i] == 0;
	CHECK(r.event_err[0] == -EOPNOTSUPP && r.event_err[1] == -EOPNOTSUPP &&
	      r.event_kind[0] == VB_EVENT_NONE && zero && !r.event_err[2],
	      "events: not created (EOPNOTSUPP), values 0");
	CPU_ZERO(&after);
	sched_getaffinity(0, sizeof(after), &after);
	CHECK(CPU_EQUAL(&before, &after), "the caller's CPU mask is restored");
}

/* The real CPUID, with RDTSCP (CPUID.80000001H:EDX[27]) hidden. */
static void cpuid_no_rdtscp(unsigned int leaf, unsigned int sub,
			    unsigned int r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
	if (leaf == 0x80000001)
		r[3] &= ~(1u << 27);
}

/*
 * serialize=cpuid executes RDTSCP: on a machine without it the point is
 * skipped with VB_SKIP_NO_RDTSCP (no #UD), and the other points still run.
 */
static void test_no_rdtscp(void)
{
	static const struct vb_user_machine no_rdtscp = {
		.cpuid = cpuid_no_rdtscp };
	const struct vb_dev_ops *ops = vb_user_dev_ops();
	int fd = ops->open((void *)&no_rdtscp, VB_USER_DEVICE_PATH);
	struct vb_run r;
	char why[160] = "";
	uint32_t i;
	int ret;

	r = point(VB_INSN_MOV, 200);
	r.point.serialize = VB_SER_CPUID;
	memset(rec, 0xa5, REC_CAP * sizeof(*rec));
	ret = ops->ioctl((void *)&no_rdtscp, fd, VB_IOC_RUN, &r);
	CHECK(!ret && (r.result_flags & VB_RUN_SKIPPED) &&
	      r.skip_reason == VB_SKIP_NO_RDTSCP && !r.records && !r.windows &&
	      rec[0].sample == 0xa5a5a5a5u,
	      "serialize cpuid without RDTSCP: skipped (flags %#x, reason %u, "
	      "%u records), nothing executed", r.result_flags, r.skip_reason,
	      r.records);
	for (i = 0; i < VB_SER_COUNT; i++) {
		if (i == VB_SER_CPUID)
			continue;
		r = point(VB_INSN_ADD, 200);
		r.point.serialize = i;
		ret = vb_user_run_on(&no_rdtscp, &r);
		CHECK(!ret && !(r.result_flags & VB_RUN_SKIPPED) &&
		      records_valid(&r, why, sizeof(why)),
		      "without RDTSCP, serialize %s still measured: %u records %s",
		      ser_name[i], r.records, why);
	}
	/* the real machine: measured where the CPU has RDTSCP */
	r = point(VB_INSN_MOV, 200);
	r.point.serialize = VB_SER_CPUID;
	ret = vb_user_run_on(NULL, &r);
	if (have_rdtscp())
		CHECK(!ret && !(r.result_flags & VB_RUN_SKIPPED) &&
		      records_valid(&r, why, sizeof(why)),
		      "serialize cpuid with RDTSCP: measured %s", why);
	else
		CHECK(!ret && r.skip_reason == VB_SKIP_NO_RDTSCP,
		      "this CPU has no RDTSCP: serialize cpuid skipped");
	ops->close((void *)&no_rdtscp, fd);
}

/* wait_vmx_ms: in range accepted (nothing to wait for at ring 3), else EINVAL. */
static void test_wait_vmx(void)
{
	struct vb_run r = point(VB_INSN_MOV, 20);
	int ret;

	r.wait_vmx_ms = VB_MAX_WAIT_VMX_MS;
	r.vmx_wait_ms = 77;
	ret = vb_user_run(&r);
	CHECK(!ret && r.records == 40 && r.vmx_wait_ms == 0,
	      "wait_vmx_ms %u: measured, vmx_wait_ms %u", VB_MAX_WAIT_VMX_MS,
	      r.vmx_wait_ms);
	r = point(VB_INSN_MOV, 20);
	r.wait_vmx_ms = VB_MAX_WAIT_VMX_MS + 1;
	expect_err(r, -EINVAL, 0, "wait_vmx_ms over the maximum: EINVAL");
}

static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

/*
 * SIGINT during a long RUN: it stops after a window, what it measured
 * valid.  The signal is raised with SIGINT blocked, so it is pending when
 * the RUN's first window ends whatever the machine's load (a child sending
 * it after a sleep lost the race on a busy machine: the RUN ended first);
 * the handler runs once the test unblocks it, after the RUN.
 */
static void test_interrupt(void)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	struct vb_run r = point(VB_INSN_CHASE, VB_MAX_SAMPLES);
	sigset_t block, prev;
	uint32_t need;
	int ret, ok = 1;
	uint64_t chase = 0;
	uint32_t i;

	r.point.unroll = 256;
	sigaction(SIGINT, &sa, &old);
	got_sigint = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &prev);
	kill(getpid(), SIGINT);
	ret = vb_user_run(&r);
	sigprocmask(SIG_SETMASK, &prev, NULL);	/* the handler runs here */
	sigaction(SIGINT, &old, NULL);
	need = VB_RECORDS_NEEDED(r.point.instruction, r.point.samples);
	for (i = 0; i < r.records && ok; i++)
		ok = !rec[i].flags && record_ok(&r, &rec[i], &chase);
	CHECK(!ret && got_sigint && (r.result_flags & VB_RUN_INTERRUPTED) &&
	      r.records > 0 && r.records < need && r.records % 2 == 0 && ok &&
	      !r.mismatches,
	      "SIGINT during a RUN: interrupted after a window with %u of %u "
	      "records, all valid", r.records, need);
}

int main(int argc, char **argv)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	setvbuf(stdout, NULL, _IOLBF, 0);
	cpu = argc > 1 ? (unsigned int)atoi(argv[1]) :
	      n > 1 ? (unsigned int)n - 1 : 0;
	rec = calloc(REC_CAP, sizeof(*rec));
	pmc = calloc((size_t)REC_CAP * 2, sizeof(*pmc));
	if (!rec || !pmc) {
		perror("calloc");
		return 1;
	}
	printf("# user backend on CPU %u\n", cpu);
	test_info();
	test_axes();
	test_refusals();
	test_windows_and_events();
	test_no_rdtscp();
	test_wait_vmx();
	test_interrupt();
	printf("userdev: %u passed, %u failed\n", passed, failed);
	free(rec);
	free(pmc);
	return failed ? 1 : 0;
}
