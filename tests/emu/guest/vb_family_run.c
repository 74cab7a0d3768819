/*
 * vb_family_run: VMPTRST's family in mode=root, RUNs straight through the
 * ioctl, from inside an emulated machine.
 *
 *   vb_family_run --expect-vmx yes|no [--cpu N] [--allow-skip] [--no-inject]
 *
 * yes (Bochs): every instruction and variant of the family (vmptrld same
 * and other, vmclear current and other, vmread of five fields, vmwrite of
 * four, invvpid of four types, invept of two, vmxon-vmxoff) at unroll 1 and
 * a larger one, serialize lfence, some mfence and cpuid, offsets inside a
 * line and across a page boundary.  Every record is checked here again
 * against constants of vb_expect.h, not the ABI header's: the instruction's
 * records hold what the family's contract says (the pattern 0x5a5aa5a5...
 * masked to the field's width, VM-instruction error 12, 0 for the
 * invalidations, all ones after vmclear current and vmxon-vmxoff, a
 * page-aligned VMCS address for the loads and vmclear other), no record
 * has VMfail, the baseline's operand holds the poison, mismatches 0.  A
 * type the CPU lacks is a failure unless --allow-skip (other CPU models):
 * then it must be skipped with the invvpid/invept reason (and a cpuid
 * bracket without RDTSCP with that one).  Points the
 * module must refuse are EINVAL.  Then (tests' build) inject_fault=21:
 * the CPU made to leave something else (another VMCS, value, descriptor or
 * type): every instruction record flagged by the module and found wrong
 * here, VMfail where the invalidations refuse; inject_fault=23: the
 * guarded copy before the records fails, the RUN is EIO; and the next RUN
 * clean
 * (--no-inject: the module users load, which has no inject_fault).
 * no (QEMU): a family RUN is ENODEV, as any RUN.
 * Prints one line per check and, last, "vb_family_run: N passed, N
 * failed"; exit status 0 only if none failed.
 */
#define _GNU_SOURCE
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

#define SAMPLES		32
#define FAULT_WRONG	21

static int passed, failed;
static int fd = -1;
static unsigned int cpu;
static bool allow_skip;
static struct vb_sample rec[2 * SAMPLES];

/* One variant: its point fields and a name for the lines. */
struct variant {
	uint32_t insn;
	uint8_t target, field, type;
	const char *name;
	uint32_t max_unroll;
};

static const struct variant variants[] = {
	{ VB_INSN_VMPTRLD, VB_TARGET_SAME, 0, 0, "vmptrld target=same", 256 },
	{ VB_INSN_VMPTRLD, VB_TARGET_OTHER, 0, 0, "vmptrld target=other", 256 },
	{ VB_INSN_VMCLEAR, VB_TARGET_CURRENT, 0, 0, "vmclear target=current", 1 },
	{ VB_INSN_VMCLEAR, VB_TARGET_OTHER, 0, 0, "vmclear target=other", 256 },
	{ VB_INSN_VMREAD, 0, VB_FIELD_GUEST_CS_SEL, 0, "vmread field=guest-cs-sel", 256 },
	{ VB_INSN_VMREAD, 0, VB_FIELD_EXCEPTION_BITMAP, 0, "vmread field=exception-bitmap", 256 },
	{ VB_INSN_VMREAD, 0, VB_FIELD_GUEST_DEBUGCTL, 0, "vmread field=guest-debugctl", 256 },
	{ VB_INSN_VMREAD, 0, VB_FIELD_GUEST_RIP, 0, "vmread field=guest-rip", 256 },
	{ VB_INSN_VMREAD, 0, VB_FIELD_VM_INSN_ERROR, 0, "vmread field=vm-instruction-error", 256 },
	{ VB_INSN_VMWRITE, 0, VB_FIELD_GUEST_CS_SEL, 0, "vmwrite field=guest-cs-sel", 256 },
	{ VB_INSN_VMWRITE, 0, VB_FIELD_EXCEPTION_BITMAP, 0, "vmwrite field=exception-bitmap", 256 },
	{ VB_INSN_VMWRITE, 0, VB_FIELD_GUEST_DEBUGCTL, 0, "vmwrite field=guest-debugctl", 256 },
	{ VB_INSN_VMWRITE, 0, VB_FIELD_GUEST_RIP, 0, "vmwrite field=guest-rip", 256 },
	{ VB_INSN_INVVPID, 0, 0, VB_TYPE_ADDRESS, "invvpid type=address", 256 },
	{ VB_INSN_INVVPID, 0, 0, VB_TYPE_SINGLE, "invvpid type=single", 256 },
	{ VB_INSN_INVVPID, 0, 0, VB_TYPE_ALL, "invvpid type=all", 256 },
	{ VB_INSN_INVVPID, 0, 0, VB_TYPE_SINGLE_GLOBAL, "invvpid type=single-global", 256 },
	{ VB_INSN_INVEPT, 0, 0, VB_TYPE_SINGLE, "invept type=single", 256 },
	{ VB_INSN_INVEPT, 0, 0, VB_TYPE_GLOBAL, "invept type=global", 256 },
	{ VB_INSN_VMXON, 0, 0, 0, "vmxon-vmxoff", 16 },
};

static int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) == 0 ? 0 : errno;
}

static struct vb_run req(const struct variant *v, uint32_t unroll,
			 uint32_t offset, uint32_t ser)
{
	struct vb_run r = {
		.size = sizeof(r), .abi_version = VB_ABI_VERSION,
		.point = { .cpu = cpu, .instruction = v->insn, .unroll = unroll,
			   .samples = SAMPLES, .vmcs = VB_VMCS_LOADED,
			   .serialize = ser, .offset = offset,
			   .mode = VB_MODE_ROOT, .target = v->target,
			   .field = v->field, .type = v->type },
		.buf = (uintptr_t)rec, .buf_len = 2 * SAMPLES,
	};
	return r;
}

/* Skipped as a CPU lacking the type (or RDTSCP, for serialize cpuid) must be. */
static bool skipped_as_lacking(const struct variant *v, const struct vb_run *r)
{
	uint32_t want = v->insn == VB_INSN_INVVPID ? VB_SKIP_NO_INVVPID_TYPE :
			v->insn == VB_INSN_INVEPT ? VB_SKIP_NO_INVEPT_TYPE : 0;

	if (r->point.serialize == VB_SER_CPUID &&
	    r->skip_reason == VB_SKIP_NO_RDTSCP)
		want = VB_SKIP_NO_RDTSCP;
	return (r->result_flags & VB_RUN_SKIPPED) && want &&
	       r->skip_reason == want && r->records == 0;
}

/* Records of @r that are wrong, here: *bad_insn of the instruction's, *bad_base. */
static void count_wrong(const struct variant *v, const struct vb_run *r,
			uint32_t *bad_insn, uint32_t *bad_base, uint32_t *vmfail)
{
	int vmcs;
	uint64_t want = vb_family_want(&r->point, &vmcs);
	uint32_t i;

	if (vmcs)
		want = r->expected;
	*bad_insn = *bad_base = *vmfail = 0;
	for (i = 0; i < r->records; i++) {
		const struct vb_sample *s = &rec[i];

		if (s->instruction == VB_INSN_NONE) {
			*bad_base += s->stored != r->poison || s->flags & VB_SAMPLE_MISMATCH;
			continue;
		}
		*bad_insn += s->instruction != v->insn || s->stored != want ||
			     (vmcs && ((want & 0xfff) || want == ~0ULL)) ||
			     s->flags & VB_SAMPLE_VMFAIL;
		*vmfail += !!(s->flags & VB_SAMPLE_VMFAIL);
	}
}

static void check_point(const struct variant *v, uint32_t unroll,
			uint32_t offset, uint32_t ser)
{
	static const char *const sers[] = { "lfence", "cpuid", "mfence" };
	struct vb_run r = req(v, unroll, offset, ser);
	uint32_t bad_insn, bad_base, vmfail;
	int err = xioctl(VB_IOC_RUN, &r);

	if (!err && allow_skip && skipped_as_lacking(v, &r)) {
		CHECK(1, "%s unroll %u: skipped, the CPU lacks %s (reason %u)",
		      v->name, unroll, r.skip_reason == VB_SKIP_NO_RDTSCP ?
		      "RDTSCP" : "the type", r.skip_reason);
		return;
	}
	count_wrong(v, &r, &bad_insn, &bad_base, &vmfail);
	CHECK(err == 0 && !(r.result_flags & VB_RUN_SKIPPED) &&
	      r.records == 2 * SAMPLES && r.mismatches == 0 && !bad_insn &&
	      !bad_base && !vmfail,
	      "%s unroll %u offset %u %s: %u records, expected %#" PRIx64 ", module's mismatches %u, wrong here %u (+%u baseline), VMfail %u (%s%s)",
	      v->name, unroll, offset, sers[ser], r.records, (uint64_t)r.expected,
	      r.mismatches, bad_insn, bad_base, vmfail, strerror(err),
	      r.result_flags & VB_RUN_SKIPPED ? ", skipped" : "");
}

/* inject_fault=21: every instruction record wrong, by the CPU's doing. */
static void check_injected(const struct variant *v)
{
	struct vb_run r = req(v, 1, 0, VB_SER_LFENCE);
	uint32_t bad_insn, bad_base, vmfail;
	bool inval = v->insn == VB_INSN_INVVPID || v->insn == VB_INSN_INVEPT;
	int err;

	if (vb_set_fault(FAULT_WRONG)) {
		CHECK(0, "inject_fault=%d: %s", FAULT_WRONG, strerror(errno));
		return;
	}
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	if (!err && allow_skip && skipped_as_lacking(v, &r))
		return;
	count_wrong(v, &r, &bad_insn, &bad_base, &vmfail);
	CHECK(err == 0 && r.mismatches == SAMPLES && bad_insn == SAMPLES &&
	      !bad_base && vmfail == (inval ? SAMPLES : 0),
	      "inject_fault=%d, %s: the module flags %u of %u records, wrong here %u, VMfail %u (want %u), baseline wrong %u (%s)",
	      FAULT_WRONG, v->name, r.mismatches, SAMPLES, bad_insn, vmfail,
	      inval ? SAMPLES : 0, bad_base, strerror(err));
}

/* inject_fault=23: the guarded copy before the records fails: EIO, no records. */
static void check_begin_fails(void)
{
	struct vb_run r = req(&variants[0], 1, 0, VB_SER_LFENCE);
	int err;

	if (vb_set_fault(23)) {
		CHECK(0, "inject_fault=23: %s", strerror(errno));
		return;
	}
	err = xioctl(VB_IOC_RUN, &r);
	vb_set_fault(0);
	CHECK(err == EIO, "inject_fault=23 (%s: the guarded copy before the records fails): the RUN fails with EIO (got %s)",
	      variants[0].name, strerror(err));
}

static void check_refused(void)
{
	static const struct variant bad[] = {
		{ VB_INSN_VMREAD, VB_TARGET_SAME, VB_FIELD_GUEST_RIP, 0, "vmread with a target", 1 },
		{ VB_INSN_VMPTRLD, 0, 0, 0, "vmptrld without a target", 1 },
		{ VB_INSN_VMPTRLD, VB_TARGET_CURRENT, 0, 0, "vmptrld target=current", 1 },
		{ VB_INSN_VMCLEAR, VB_TARGET_SAME, 0, 0, "vmclear target=same", 1 },
		{ VB_INSN_VMWRITE, 0, VB_FIELD_VM_INSN_ERROR, 0, "vmwrite of the read-only error field", 1 },
		{ VB_INSN_INVEPT, 0, 0, VB_TYPE_ADDRESS, "invept type=address", 1 },
		{ VB_INSN_INVVPID, 0, 0, VB_TYPE_GLOBAL, "invvpid type=global", 1 },
		{ VB_INSN_VMPTRST, 0, 0, VB_TYPE_SINGLE, "vmptrst with a type", 1 },
		{ VB_INSN_VMREAD, 0, VB_FIELD_COUNT, 0, "vmread of field 6 (none)", 1 },
		{ VB_INSN_VMCLEAR, VB_TARGET_CURRENT, 0, 0, "vmclear target=current unroll 2", 2 },
		{ VB_INSN_VMXON, 0, 0, 0, "vmxon-vmxoff unroll 32", 32 },
	};
	struct vb_run r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = req(&bad[i], bad[i].max_unroll, 0, VB_SER_LFENCE);
		CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "%s: EINVAL", bad[i].name);
	}
	r = req(&variants[0], 1, 0, VB_SER_LFENCE);
	r.point.mode = VB_MODE_GUEST;
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "vmptrld in mode guest: EINVAL");
	r = req(&variants[0], 1, 0, VB_SER_LFENCE);
	r.point.vmcs = VB_VMCS_NONE;
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL, "vmptrld with vmcs none: EINVAL");
	r = req(&variants[13], 1, 8192 - 12, VB_SER_LFENCE);
	CHECK(xioctl(VB_IOC_RUN, &r) == EINVAL,
	      "invvpid's 16-byte descriptor at offset 8180 (past the buffer): EINVAL");
	r = req(&variants[0], 1, 8192 - 12, VB_SER_LFENCE);
	CHECK(xioctl(VB_IOC_RUN, &r) == 0,
	      "vmptrld's 8-byte operand at offset 8180: accepted");
}

int main(int argc, char **argv)
{
	static const char *const flags[] = { "--allow-skip", "--no-inject", NULL };
	unsigned int seen;
	int expect = vb_parse_args(argc, argv, flags, &seen, &cpu);
	size_t k;

	if (expect < 0) {
		fprintf(stderr, "usage: vb_family_run --expect-vmx yes|no [--cpu N] [--allow-skip] [--no-inject]\n");
		return 2;
	}
	allow_skip = seen & 1;
	fd = open(VB_DEVICE_PATH, O_RDWR);
	CHECK(fd >= 0, "open %s (%s)", VB_DEVICE_PATH,
	      fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0 && !expect) {
		struct vb_run r = req(&variants[0], 1, 0, VB_SER_LFENCE);
		int err = xioctl(VB_IOC_RUN, &r);

		CHECK(err == ENODEV, "vmptrld without VMX: ENODEV (got %s)",
		      strerror(err));
	} else if (fd >= 0) {
		check_refused();
		for (k = 0; k < sizeof(variants) / sizeof(variants[0]); k++) {
			const struct variant *v = &variants[k];
			uint32_t big = v->max_unroll < 8 ? v->max_unroll : 8;

			check_point(v, 1, 0, VB_SER_LFENCE);
			if (big > 1)
				check_point(v, big, 4092, VB_SER_LFENCE);
		}
		/* the other closings, and an odd and even alternation */
		check_point(&variants[1], 2, 60, VB_SER_MFENCE);
		check_point(&variants[1], 1, 60, VB_SER_CPUID);
		check_point(&variants[7], 16, 0, VB_SER_CPUID);
		check_point(&variants[14], 4, 4088, VB_SER_CPUID);
		check_point(&variants[19], 16, 0, VB_SER_MFENCE);
		for (k = 0; !(seen & 2) && k < sizeof(variants) / sizeof(variants[0]); k++)
			if (variants[k].insn != VB_INSN_VMXON)
				check_injected(&variants[k]);
		if (!(seen & 2))
			check_begin_fails();
		check_point(&variants[0], 8, 0, VB_SER_LFENCE);
	}
	if (fd >= 0)
		close(fd);
	printf("vb_family_run: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
