/*
 * vb_guest_run: mode=guest RUNs straight through the ioctl, from inside an
 * emulated machine: the timed blocks run in the module's guest, every
 * VMPTRST, CPUID and VMCALL in them a VM exit the module checks, emulates
 * and resumes past.
 *
 *   vb_guest_run --expect-vmx yes|no [--cpu N] [--release | --nmi]
 *
 * yes (Bochs): vmptrst, cpuid, vmcall, rdmsr, io, xsetbv, invd, cr3-load,
 * mov and none at unroll 1 and 16, offsets 0 and 4092 (the operand across
 * a page boundary); vmptrst, cpuid, vmcall also at 256, serialize mfence,
 * one with a software counter.  Every record is checked here again against
 * constants of this file, not the ABI header's: its exit record holds
 * exactly `unroll` exits (none for mov and none), the last one's basic
 * reason (22, 10, 18, 31, 30, 55, 13, 28), qualification (the displacement
 * 0x1238 for VMPTRST; OUT to port 0x80, 1 byte, immediate: 0x800040; MOV
 * to CR3 from RCX: 0x103; 0 for RDMSR, XSETBV, INVD; CPUID's and VMCALL's
 * not checked), instruction information (VMPTRST: [RBX + disp32], no
 * index, 64-bit addresses, DS) and length (7, 2, 3, 2, 2, 3, 2, 3); the
 * operand afterwards holds the current-VMCS pointer (vmptrst: the module's
 * emulated store; mov: the value it stores) or the poison (the other
 * exits, none); mismatches 0.  xsetbv where CPUID says OSXSAVE is clear:
 * skipped with VB_SKIP_NO_OSXSAVE instead.  Every exit record's split
 * (ABI 11) is checked here without the ABI's vb_exit_split(): the guest's
 * opening RDTSC <= the TSC the CPU stored at the last exit < the handler's
 * first RDTSC <= its last before the entry < the guest's closing RDTSC, so
 * both halves positive and their sum within the record; the records
 * without exits carry no readings.  vmcall and vmptrst with a `field` (the
 * handler's VMWRITE before each VMRESUME: guest-cs-sel, exception-bitmap,
 * guest-debugctl) run clean too; guest-rip, vm-instruction-error and a
 * field with mov or none are EINVAL.
 * Points the module must refuse are EINVAL.  Then the injected failures
 * (tests' build): VMfail (12), an entry failure (13) and an unexpected
 * exit (14), INVVPID failing (16), more exits than the bound (17) and a
 * machine-check exit (19) end the RUN with EIO, VMX left (CR4.VMXE clear,
 * VMPTRST #UD) and the next RUN good; an unexpected exit (14) in an rdmsr
 * block too; a CPU without VPID (18) or a kernel with FRED (20) skips the
 * point, CR4.OSXSAVE taken to be clear (22) an xsetbv point; VMPTRST in another
 * addressing form (15) is caught in every record, by the module and here;
 * an MSR-store list holding another MSR (24) leaves every exit record's
 * split out of order: flagged VB_SAMPLE_SPLIT_BAD by the module and seen
 * here, the records otherwise good.
 * --release: the module users load runs mode=guest too (one point).
 * --nmi: while another CPU sends this one NMIs (the guest script's
 * sysrq-l loop), mode=guest RUNs of MOV blocks (the guest's share of the
 * time is largest there) until records show NMI exits: each one also
 * counted by the kernel (VB_SAMPLE_NMI: the NMI reached its handler),
 * mismatches 0, no exits of the block's own.
 * no (QEMU): a mode=guest RUN is ENODEV, as any RUN.
 * Prints one line per check and, last, "vb_guest_run: N passed, N
 * failed"; exit status 0 only if none failed.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmptrst_bench_abi.h"
#include "vb_expect.h"

#define X86_TRAP_UD		6
#define SAMPLES			40
#define NMI_SAMPLES		1000	/* a RUN of --nmi */

/* What the guest's blocks must cause, written here again. */
#define WANT_DISP		0x1238
#define II_ADDR_SIZE(x)		(((x) >> 7) & 7)	/* 2: 64-bit */
#define II_SEG(x)		(((x) >> 15) & 7)	/* 3: DS */
#define II_NO_INDEX(x)		(((x) >> 22) & 1)
#define II_BASE(x)		(((x) >> 23) & 0xf)	/* 3: RBX */
#define II_NO_BASE(x)		(((x) >> 27) & 1)

/*
 * The other exits' qualifications (SDM Vol. 3C, 28.2.1): OUT AL to the
 * immediate port 0x80: size 0 (1 byte), OUT (bit 3 clear), not string,
 * no REP, immediate (bit 6), port in 31:16; MOV to CR3 from RCX: CR 3,
 * access type 0, register 1 in 11:8; RDMSR, XSETBV, INVD: cleared.
 */
#define WANT_IO_QUAL		((0x80u << 16) | (1u << 6))
#define WANT_CR3_QUAL		(3u | (1u << 8))
#define NO_QUAL			(~0ull)	/* not checked (cpuid, vmcall) */

static const struct {
	uint32_t insn;
	const char *name;
	uint32_t reason, len;	/* of its exits; 0: none */
	uint64_t qual;		/* of its exits (vmptrst: WANT_DISP, below) */
} insns[] = {
	{ VB_INSN_VMPTRST, "vmptrst", 22, 7, WANT_DISP },
	{ VB_INSN_CPUID, "cpuid", 10, 2, NO_QUAL },
	{ VB_INSN_VMCALL, "vmcall", 18, 3, NO_QUAL },
	{ VB_INSN_MOV, "mov", 0, 0, 0 },
	{ VB_INSN_NONE, "none", 0, 0, 0 },
	{ VB_INSN_RDMSR, "rdmsr", 31, 2, 0 },		/* 0F 32 */
	{ VB_INSN_IO, "io", 30, 2, WANT_IO_QUAL },	/* E6 80 */
	{ VB_INSN_XSETBV, "xsetbv", 55, 3, 0 },		/* 0F 01 D1 */
	{ VB_INSN_INVD, "invd", 13, 2, 0 },		/* 0F 08 */
	{ VB_INSN_CR3_LOAD, "cr3-load", 28, 3, WANT_CR3_QUAL }, /* 0F 22 D9 */
};

static int passed, failed;
static int fd = -1;
static unsigned int cpu;
static struct vb_sample rec[2 * NMI_SAMPLES];
static struct vb_exit_rec ex[2 * NMI_SAMPLES];
static uint64_t pmc[2 * SAMPLES];

static int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) == 0 ? 0 : errno;
}

static struct vb_run guest_req(uint32_t insn, uint32_t unroll, uint32_t offset,
			       uint32_t ser)
{
	struct vb_run r = {
		.size = sizeof(r), .abi_version = VB_ABI_VERSION,
		.point = { .cpu = cpu, .instruction = insn, .unroll = unroll,
			   .samples = SAMPLES, .vmcs = VB_VMCS_LOADED,
			   .serialize = ser, .offset = offset,
			   .mode = VB_MODE_GUEST },
		.buf = (uintptr_t)rec, .buf_len = 2 * SAMPLES,
		.exit_buf = (uintptr_t)ex,
	};
	return r;
}

static int insn_index(uint32_t insn)
{
	int i;

	for (i = 0; i < (int)(sizeof(insns) / sizeof(insns[0])); i++)
		if (insns[i].insn == insn)
			return i;
	return 0;
}

/* The first wrong thing about record @i's exits and store, or NULL. */
static const char *record_wrong(const struct vb_run *r, uint32_t i)
{
	const struct vb_sample *s = &rec[i];
	const struct vb_exit_rec *x = &ex[i];
	int k = insn_index(s->instruction);
	uint32_t ii = x->insn_info;
	bool stores = s->instruction == VB_INSN_VMPTRST ||
		      s->instruction == VB_INSN_MOV;

	if (s->flags & VB_SAMPLE_MISMATCH)
		return "flagged mismatch by the module";
	if (s->stored != (stores ? r->expected : r->poison))
		return "stored value";
	if (s->tsc_end <= s->tsc_begin)
		return "TSC readings";
	if (!insns[k].reason)
		return x->exits || x->reason || x->insn_len || x->tsc_stored ||
		       x->tsc_handler_in || x->tsc_handler_out ||
		       (s->flags & VB_SAMPLE_SPLIT_BAD) ?
		       "exits of a block without any" : NULL;
	if (x->exits != r->point.unroll)
		return "exit count";
	if (s->flags & VB_SAMPLE_SPLIT_BAD)
		return "split flagged out of order by the module";
	if (x->tsc_stored < s->tsc_begin || x->tsc_handler_in <= x->tsc_stored ||
	    x->tsc_handler_out < x->tsc_handler_in ||
	    s->tsc_end <= x->tsc_handler_out)
		return "the split's TSC readings (not in order, or a half not positive)";
	if ((x->tsc_handler_in - x->tsc_stored) +
	    (s->tsc_end - x->tsc_handler_out) > s->tsc_end - s->tsc_begin)
		return "the split's halves (their sum beyond the record)";
	if (x->reason != insns[k].reason)
		return "exit reason";
	if (x->insn_len != insns[k].len)
		return "instruction length";
	if (insns[k].qual != NO_QUAL && x->qualification != insns[k].qual)
		return "qualification";
	if (s->instruction != VB_INSN_VMPTRST)
		return NULL;
	if (II_ADDR_SIZE(ii) != 2 || II_SEG(ii) != 3 || !II_NO_INDEX(ii) ||
	    II_NO_BASE(ii) || II_BASE(ii) != 3)
		return "instruction information";
	return NULL;
}

/* CPUID.1:ECX.OSXSAVE[bit 27]: CR4.OSXSAVE, as the kernel runs. */
static bool osxsave(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c >> 27 & 1);
}

static const char *const field_names[VB_FIELD_COUNT] = {
	"", " field=guest-cs-sel", " field=exception-bitmap",
	" field=guest-debugctl", " field=guest-rip", " field=vm-instruction-error",
};

/*
 * One mode=guest point: every record as the reference says; @field, the
 * handler's VMWRITE before each VMRESUME (0: none).
 */
static void check_point_f(uint32_t insn, uint32_t unroll, uint32_t offset,
			  uint32_t ser, bool events, uint32_t field)
{
	struct vb_run r = guest_req(insn, unroll, offset, ser);
	const char *bad = NULL, *sname = ser == VB_SER_MFENCE ? "mfence" : "lfence";
	uint32_t i, nrec = insn == VB_INSN_NONE ? SAMPLES : 2 * SAMPLES;
	int err;

	if (insn == VB_INSN_XSETBV && !osxsave()) {
		/* the kernel runs without CR4.OSXSAVE: XSETBV would be #UD */
		err = xioctl(VB_IOC_RUN, &r);
		CHECK(err == 0 && (r.result_flags & VB_RUN_SKIPPED) &&
		      r.skip_reason == VB_SKIP_NO_OSXSAVE && r.records == 0,
		      "mode guest xsetbv unroll %u offset %u %s: CPUID.1:ECX.OSXSAVE clear here, skipped (reason %u, want %u), %u records (%s)",
		      unroll, offset, sname, r.skip_reason, VB_SKIP_NO_OSXSAVE,
		      r.records, strerror(err));
		return;
	}

	r.point.field = field;
	if (events) {
		r.nevents = 1;
		r.events[0].type = 1;	/* PERF_TYPE_SOFTWARE */
		r.events[0].config = 0;	/* PERF_COUNT_SW_CPU_CLOCK */
		r.pmc_buf = (uintptr_t)pmc;
	}
	memset(rec, 0xa5, sizeof(rec));
	memset(ex, 0xa5, sizeof(ex));
	err = xioctl(VB_IOC_RUN, &r);
	for (i = 0; !err && i < r.records && !bad; i++)
		bad = record_wrong(&r, i);
	CHECK(err == 0 && !(r.result_flags & VB_RUN_SKIPPED) &&
	      r.records == nrec && r.mismatches == 0 && !bad,
	      "mode guest %s%s unroll %u offset %u %s%s: %u records, mismatches %u, every exit, store and split as the reference says%s%s (%s, skip %u)",
	      insns[insn_index(insn)].name, field_names[field], unroll, offset, sname,
	      events ? " +cpu-clock" : "", r.records, r.mismatches,
	      bad ? "; wrong: " : "", bad ? bad : "", strerror(err),
	      r.skip_reason);
	if (events)
		CHECK(err == 0 && r.event_kind[0] == VB_EVENT_SOFTWARE &&
		      r.event_err[0] == 0,
		      "mode guest with a software counter: read per record (kind %u, error %d)",
		      r.event_kind[0], r.event_err[0]);
	if (!err && r.records)
		printf("# %s unroll %u: record 1 exits %u, reason %u, qualification %#llx, info %#x, length %u; %llu ticks\n",
		       insns[insn_index(insn)].name, unroll, ex[1].exits,
		       ex[1].reason, (unsigned long long)ex[1].qualification,
		       ex[1].insn_info, ex[1].insn_len,
		       (unsigned long long)(rec[1].tsc_end - rec[1].tsc_begin));
	if (!err && r.records && ex[1].exits)
		printf("# %s%s unroll %u: record 1's last exit split: exit %llu ticks, entry %llu ticks (emulated: meaningless as timings)\n",
		       insns[insn_index(insn)].name, field_names[field], unroll,
		       (unsigned long long)(ex[1].tsc_handler_in - ex[1].tsc_stored),
		       (unsigned long long)(rec[1].tsc_end - ex[1].tsc_handler_out));
}

static void check_point(uint32_t insn, uint32_t unroll, uint32_t offset,
			uint32_t ser, bool events)
{
	check_point_f(insn, unroll, offset, ser, events, 0);
}

/* Points vb_point_invalid() refuses, and exit_buf where it does not belong. */
static void check_refused(void)
{
	static const struct {
		const char *what;
		uint32_t insn, ser, vmcs, tlb, mode;
		bool exit_buf;
	} t[] = {
		{ "mode guest, add", VB_INSN_ADD, 0, 0, 0, VB_MODE_GUEST, true },
		{ "mode guest, serialize cpuid", VB_INSN_VMPTRST, VB_SER_CPUID, 0, 0, VB_MODE_GUEST, true },
		{ "mode guest, vmcs none", VB_INSN_VMPTRST, 0, VB_VMCS_NONE, 0, VB_MODE_GUEST, true },
		{ "mode guest, tlb cold", VB_INSN_VMPTRST, 0, 0, VB_TLB_COLD, VB_MODE_GUEST, true },
		{ "mode guest, no exit_buf", VB_INSN_VMPTRST, 0, 0, 0, VB_MODE_GUEST, false },
		{ "mode root, cpuid", VB_INSN_CPUID, 0, 0, 0, VB_MODE_ROOT, false },
		{ "mode root, vmcall", VB_INSN_VMCALL, 0, 0, 0, VB_MODE_ROOT, false },
		{ "mode root, rdmsr", VB_INSN_RDMSR, 0, 0, 0, VB_MODE_ROOT, false },
		{ "mode root, io", VB_INSN_IO, 0, 0, 0, VB_MODE_ROOT, false },
		{ "mode root, xsetbv", VB_INSN_XSETBV, 0, 0, 0, VB_MODE_ROOT, false },
		{ "mode root, invd", VB_INSN_INVD, 0, 0, 0, VB_MODE_ROOT, false },
		{ "mode root, cr3-load", VB_INSN_CR3_LOAD, 0, 0, 0, VB_MODE_ROOT, false },
		{ "mode guest, invd serialize cpuid", VB_INSN_INVD, VB_SER_CPUID, 0, 0, VB_MODE_GUEST, true },
		{ "mode root with an exit_buf", VB_INSN_VMPTRST, 0, 0, 0, VB_MODE_ROOT, true },
		{ "mode 2", VB_INSN_VMPTRST, 0, 0, 0, VB_MODE_COUNT, true },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vb_run r = guest_req(t[i].insn, 1, 0, t[i].ser);

		r.point.vmcs = t[i].vmcs;
		r.point.tlb = t[i].tlb;
		r.point.mode = t[i].mode;
		if (!t[i].exit_buf)
			r.exit_buf = 0;
		CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "%s: EINVAL", t[i].what);
	}
	{
		struct vb_run r = guest_req(VB_INSN_VMPTRST, 1, 0, 0);

		r.point.reserved = 1;
		CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "point.reserved 1: EINVAL");
	}
	{
		static const struct {
			uint32_t insn, field;
		} f[] = {
			{ VB_INSN_VMCALL, VB_FIELD_GUEST_RIP },
			{ VB_INSN_VMCALL, VB_FIELD_VM_INSN_ERROR },
			{ VB_INSN_VMCALL, VB_FIELD_COUNT },
			{ VB_INSN_MOV, VB_FIELD_EXCEPTION_BITMAP },
			{ VB_INSN_NONE, VB_FIELD_GUEST_CS_SEL },
		};

		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			struct vb_run r = guest_req(f[i].insn, 1, 0, 0);

			r.point.field = f[i].field;
			CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL,
			      "mode guest %s field %u: EINVAL",
			      insns[insn_index(f[i].insn)].name, f[i].field);
		}
	}
}

/* VMX left: CR4.VMXE clear, VMPTRST #UD again. */
static void check_vmx_left(const char *after)
{
	struct vb_info in = { .size = sizeof(in), .abi_version = VB_ABI_VERSION,
			      .cpu = cpu };
	struct vb_selftest st = { .size = sizeof(st),
				  .abi_version = VB_ABI_VERSION, .cpu = cpu };
	int err = xioctl(VB_IOC_INFO, &in);
	int serr = xioctl(VB_IOC_SELFTEST, &st);

	CHECK(err == 0 && !(in.flags & VB_INFO_VMX_IN_USE) && serr == 0 &&
	      st.trap == X86_TRAP_UD && st.operand == st.poison,
	      "after %s: CR4.VMXE clear (INFO flags %#x) and VMPTRST #UD (trap %d, %s)",
	      after, in.flags, st.trap, strerror(serr));
}

/* The injected failures of the tests' build (kmod/vb_test_hooks.h). */
/* Injected @fault makes the CPU unable to run mode=guest: skipped, nothing measured. */
static void check_skipped(int fault, uint32_t insn, uint32_t reason,
			  const char *what)
{
	struct vb_run r = guest_req(insn, 16, 0, VB_SER_LFENCE);
	int err;

	if (vb_set_fault(fault)) {
		CHECK(0, "inject_fault=%d: %s", fault, strerror(errno));
		return;
	}
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	CHECK(err == 0 && (r.result_flags & VB_RUN_SKIPPED) &&
	      r.skip_reason == reason && r.records == 0,
	      "inject_fault=%d (%s): skipped, reason %u (want %u), %u records (%s)",
	      fault, what, r.skip_reason, reason, r.records, strerror(err));
}

static void check_faults(void)
{
	static const struct {
		int fault;
		const char *what;
	} t[] = {
		{ 12, "VMLAUNCH VMfailValid" },
		{ 13, "a VM-entry failure" },
		{ 14, "an unexpected exit (#UD in the guest)" },
		{ 16, "INVVPID failing at the window's start" },
		{ 17, "more exits than the bound (half the block's)" },
		{ 19, "a machine-check exit (handed to the kernel's handler; a stand-in in the tests' build)" },
	};
	struct vb_run r;
	uint32_t i, base_bad = 0, want;
	int err;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = guest_req(VB_INSN_VMPTRST, 16, 0, VB_SER_LFENCE);
		if (vb_set_fault(t[i].fault)) {
			CHECK(0, "inject_fault=%d: %s", t[i].fault, strerror(errno));
			return;
		}
		err = xioctl(VB_IOC_RUN, &r);
		vb_set_fault(0);
		CHECK(err == EIO, "inject_fault=%d (%s): the RUN fails with EIO (got %s)",
		      t[i].fault, t[i].what, strerror(err));
		check_vmx_left(t[i].what);
		check_point(VB_INSN_VMPTRST, 16, 0, VB_SER_LFENCE, false);
	}
	check_skipped(18, VB_INSN_VMPTRST, VB_SKIP_NO_VPID, "a CPU without VPID");
	check_skipped(20, VB_INSN_VMPTRST, VB_SKIP_FRED, "a kernel running with FRED");
	check_skipped(22, VB_INSN_XSETBV, VB_SKIP_NO_OSXSAVE, "xsetbv, CR4.OSXSAVE taken to be clear");
	/* a wrong exit reason in the new blocks' path too: the RUN fails */
	r = guest_req(VB_INSN_RDMSR, 16, 0, VB_SER_LFENCE);
	if (vb_set_fault(14)) {
		CHECK(0, "inject_fault=14: %s", strerror(errno));
		return;
	}
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	CHECK(err == EIO, "inject_fault=14 on an rdmsr point (#UD in the guest, not reason 31): the RUN fails with EIO (got %s)",
	      strerror(err));
	check_point(VB_INSN_RDMSR, 16, 0, VB_SER_LFENCE, false);
	/* another addressing form: [RDI + disp32], base 7 */
	r = guest_req(VB_INSN_VMPTRST, 16, 0, VB_SER_LFENCE);
	if (vb_set_fault(15)) {
		CHECK(0, "inject_fault=15: %s", strerror(errno));
		return;
	}
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	for (i = 0; !err && i < r.records; i++)
		if (rec[i].instruction == VB_INSN_VMPTRST)
			base_bad += record_wrong(&r, i) != NULL &&
				    II_BASE(ex[i].insn_info) == 7;
	want = r.records / 2;
	CHECK(err == 0 && r.mismatches == want && base_bad == want,
	      "inject_fault=15 (VMPTRST [RDI + disp32]): the module flags %u of %u VMPTRST records, this check finds base RDI in %u (%s)",
	      r.mismatches, want, base_bad, strerror(err));
	check_point(VB_INSN_VMPTRST, 1, 0, VB_SER_LFENCE, false);
	/* the MSR-store list holds IA32_SYSENTER_CS: every split out of order */
	r = guest_req(VB_INSN_VMCALL, 4, 0, VB_SER_LFENCE);
	if (vb_set_fault(24)) {
		CHECK(0, "inject_fault=24: %s", strerror(errno));
		return;
	}
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	{
		uint32_t flagged = 0, seen = 0, exits = 0;

		for (i = 0; !err && i < r.records; i++) {
			const char *bad;

			if (!ex[i].exits)
				continue;
			exits++;
			flagged += !!(rec[i].flags & VB_SAMPLE_SPLIT_BAD);
			/* this check's own view, without the module's flag */
			rec[i].flags &= ~VB_SAMPLE_SPLIT_BAD;
			bad = record_wrong(&r, i);
			seen += bad && !strncmp(bad, "the split", 9);
		}
		CHECK(err == 0 && r.mismatches == 0 && exits &&
		      exits == r.records / 2 && flagged == exits && seen == exits,
		      "inject_fault=24 (the MSR-store list holds IA32_SYSENTER_CS): mismatches %u; of %u exit records the module flags %u split out of order, this check finds %u (%s)",
		      r.mismatches, exits, flagged, seen, strerror(err));
	}
	check_point(VB_INSN_VMCALL, 4, 0, VB_SER_LFENCE, false);
}

/* --nmi (see the top): NMIs in the guest reach the kernel, nothing lost. */
static void check_nmi(void)
{
	uint32_t runs, i, nmi_exit = 0, counted = 0, nmi = 0, bad = 0;
	int err = 0;

	for (runs = 0; runs < 2000 && !nmi_exit && !err && !bad; runs++) {
		struct vb_run r = guest_req(VB_INSN_MOV, 256, 0, VB_SER_LFENCE);

		r.point.samples = NMI_SAMPLES;
		r.buf_len = 2 * NMI_SAMPLES;
		err = xioctl(VB_IOC_RUN, &r);
		for (i = 0; !err && i < r.records; i++) {
			nmi += !!(rec[i].flags & VB_SAMPLE_NMI);
			bad += record_wrong(&r, i) != NULL;
			if (rec[i].flags & VB_SAMPLE_NMI_EXIT) {
				nmi_exit++;
				counted += !!(rec[i].flags & VB_SAMPLE_NMI);
			}
		}
		bad += !err && r.mismatches;
	}
	CHECK(!err && !bad && nmi_exit && counted == nmi_exit,
	      "NMIs sent to CPU %u during %u mode=guest RUNs: %u records saw an NMI (%u of them an NMI exit in the guest, %u of those counted by the kernel's NMI handler), %u records wrong (%s)",
	      cpu, runs, nmi, nmi_exit, counted, bad, strerror(err));
}

int main(int argc, char **argv)
{
	static const uint32_t unrolls[] = { 1, 16 }, offsets[] = { 0, 4092 };
	static const char *const flags[] = { "--release", "--nmi", NULL };
	unsigned int seen;
	int expect = vb_parse_args(argc, argv, flags, &seen, &cpu);
	bool release = seen & 1, nmi = seen & 2;
	size_t k, u, o;

	if (expect < 0) {
		fprintf(stderr, "usage: vb_guest_run --expect-vmx yes|no [--cpu N] [--release | --nmi]\n");
		return 2;
	}
	fd = open(VB_DEVICE_PATH, O_RDWR);
	CHECK(fd >= 0, "open %s (%s)", VB_DEVICE_PATH,
	      fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0 && !expect) {
		struct vb_run r = guest_req(VB_INSN_VMPTRST, 1, 0, 0);
		int err = xioctl(VB_IOC_RUN, &r);

		CHECK(err == ENODEV, "mode guest without VMX: ENODEV (got %s)",
		      strerror(err));
	} else if (fd >= 0 && nmi) {
		check_nmi();
	} else if (fd >= 0 && release) {
		check_point(VB_INSN_VMPTRST, 16, 0, VB_SER_LFENCE, false);
		check_vmx_left("a mode=guest RUN of the release build");
	} else if (fd >= 0) {
		check_refused();
		for (k = 0; k < sizeof(insns) / sizeof(insns[0]); k++)
			for (u = 0; u < 2; u++)
				for (o = 0; o < 2; o++)
					check_point(insns[k].insn, unrolls[u],
						    offsets[o], VB_SER_LFENCE, false);
		for (k = 0; k < 3; k++) {
			check_point(insns[k].insn, 256, 8, VB_SER_MFENCE, false);
			check_point(insns[k].insn, 4, 3, VB_SER_LFENCE, true);
		}
		/* the dirty-VMCS points: a field written before each VMRESUME */
		for (k = VB_FIELD_GUEST_CS_SEL; k <= VB_FIELD_GUEST_DEBUGCTL; k++)
			check_point_f(VB_INSN_VMCALL, 16, 0, VB_SER_LFENCE,
				      false, (uint32_t)k);
		check_point_f(VB_INSN_VMPTRST, 1, 0, VB_SER_LFENCE, false,
			      VB_FIELD_EXCEPTION_BITMAP);
		check_vmx_left("the mode=guest RUNs");
		check_faults();
	}
	if (fd >= 0)
		close(fd);
	printf("vb_guest_run: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
