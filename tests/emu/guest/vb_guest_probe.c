/*
 * vb_guest_probe: the tests' build's GUEST_PROBE ioctl, from inside an
 * emulated machine: VMPTRST executed in VMX non-root operation by the
 * module's minimal guest, each one a VM exit whose information must be
 * what the reference and the guest's encoding say.
 *
 *   vb_guest_probe --expect-vmx yes|no [--cpu N]
 *   vb_guest_probe --release
 *
 * yes (Bochs): probes of 1, 7, 1000 and 4096 VMPTRSTs all reach the guest's
 * VMCALL with exactly that many exits of basic reason 22, each checked by
 * the module (mismatches 0) and the last one checked here again against
 * constants of this file: qualification = the displacement, instruction
 * information = [RBX + disp], no index, 64-bit addresses, DS, length = the
 * encoding's; then VMX is left (INFO: CR4.VMXE clear, SELFTEST: #UD).
 * Then the injected failures: many short windows, VMfail, an entry
 * failure, an unexpected exit, each ending cleanly.
 * no (QEMU): the probe is refused with the error a RUN gets, ENODEV.
 * Either way the argument checks.  --release: the module users load, where
 * GUEST_PROBE is an unknown ioctl (ENOTTY).  Prints one line per check and, last,
 * "vb_guest_probe: N passed, N failed"; exit status 0 only if none failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmptrst_bench_abi.h"
#include "vb_expect.h"

#define X86_TRAP_UD		6
#define EXIT_REASON_VMPTRST	22	/* SDM Vol. 3D, Appendix C */

/*
 * What the guest executes: vmptrst 0x1238(%rbx), 0F C7 BB 38 12 00 00.
 * Written here again, not taken from the ABI header, so that a change on
 * one side only is caught.
 */
#define WANT_DISP		0x1238
#define WANT_LEN		7
/* VM-exit instruction information (SDM Vol. 3C, 28.2.5): its fields */
#define II_ADDR_SIZE(x)		(((x) >> 7) & 7)	/* 2: 64-bit */
#define II_SEG(x)		(((x) >> 15) & 7)	/* 3: DS */
#define II_NO_INDEX(x)		(((x) >> 22) & 1)
#define II_BASE(x)		(((x) >> 23) & 0xf)	/* 3: RBX */
#define II_NO_BASE(x)		(((x) >> 27) & 1)

static int passed, failed;
static int fd = -1;
static unsigned int cpu;

static int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) == 0 ? 0 : errno;
}

static struct vb_guest_probe probe_req(uint32_t reps)
{
	struct vb_guest_probe p = {
		.size = sizeof(p), .abi_version = VB_ABI_VERSION, .cpu = cpu,
		.repetitions = reps,
	};
	return p;
}

static const char *outcome_name(uint32_t o)
{
	static const char *const names[] = {
		"done", "vmfail", "entry-failed", "unexpected-exit", "bound",
		"setup-failed",
	};
	return o < VB_GUEST_OUTCOME_COUNT ? names[o] : "?";
}

/* Every argument the module must refuse, and how. */
static void check_arguments(void)
{
	struct vb_guest_probe p;

	p = probe_req(0);
	CHECK(xioctl(VB_IOC_GUEST_PROBE, &p) == EINVAL, "repetitions 0: EINVAL");
	p = probe_req(VB_GUEST_PROBE_MAX_REPETITIONS + 1);
	CHECK(xioctl(VB_IOC_GUEST_PROBE, &p) == EINVAL, "repetitions %u: EINVAL",
	      VB_GUEST_PROBE_MAX_REPETITIONS + 1);
	p = probe_req(1);
	p.flags = 1;
	CHECK(xioctl(VB_IOC_GUEST_PROBE, &p) == EINVAL, "flags 1: EINVAL");
	p = probe_req(1);
	p.abi_version = VB_ABI_VERSION + 1;
	CHECK(xioctl(VB_IOC_GUEST_PROBE, &p) == EINVAL, "abi_version + 1: EINVAL");
	p = probe_req(1);
	p.size--;
	CHECK(xioctl(VB_IOC_GUEST_PROBE, &p) == EINVAL, "size - 1: EINVAL");
	p = probe_req(1);
	p.cpu = 1u << 20;
	CHECK(xioctl(VB_IOC_GUEST_PROBE, &p) == ENXIO, "cpu 2^20: ENXIO");
}

/* A probe of @reps VMPTRSTs in the guest, every exit as encoded. */
static void check_probe(uint32_t reps)
{
	struct vb_guest_probe p = probe_req(reps);
	uint32_t ii;
	int err;

	memset(&p.outcome, 0xa5, sizeof(p) - offsetof(struct vb_guest_probe,
						      outcome));
	err = xioctl(VB_IOC_GUEST_PROBE, &p);
	CHECK(err == 0, "GUEST_PROBE %u: ioctl succeeds (got %s)", reps,
	      strerror(err));
	if (err)
		return;
	ii = p.last_insn_info;
	printf("# probe %u: outcome %s, exits %u (vmptrst %u, nmi %u, intr %u), windows %u, mismatches %u, last exit reason %u qualification %#llx instruction info %#x length %u, end reason %#x, vm-instruction error %u, guest tsc %llu, longest window %llu ticks\n",
	       reps, outcome_name(p.outcome), p.exits, p.vmptrst_exits,
	       p.nmi_exits, p.intr_exits, p.windows, p.mismatches,
	       p.last_reason, p.last_qualification, ii, p.last_insn_len,
	       p.end_reason, p.vm_insn_error, p.guest_tsc, p.max_window_tsc);
	CHECK(p.outcome == VB_GUEST_DONE,
	      "probe %u: the guest reached its VMCALL (outcome %s, end reason %#x, qualification %#llx, VM-instruction error %u)",
	      reps, outcome_name(p.outcome), p.end_reason, p.end_qualification,
	      p.vm_insn_error);
	CHECK(p.vmptrst_exits == reps,
	      "probe %u: %u VMPTRST exits, one per VMPTRST", reps,
	      p.vmptrst_exits);
	CHECK(p.exits == p.vmptrst_exits + 1 + p.nmi_exits + p.intr_exits,
	      "probe %u: exits %u = VMPTRST %u + VMCALL 1 + NMI %u + interrupt %u",
	      reps, p.exits, p.vmptrst_exits, p.nmi_exits, p.intr_exits);
	CHECK(p.mismatches == 0, "probe %u: the module found every exit as encoded (mismatches %u)",
	      reps, p.mismatches);
	CHECK(p.last_reason == EXIT_REASON_VMPTRST,
	      "probe %u: exit reason %u (VMPTRST: 22, no entry-failure bit)",
	      reps, p.last_reason);
	CHECK(p.last_qualification == WANT_DISP,
	      "probe %u: exit qualification %#llx = the displacement %#x",
	      reps, p.last_qualification, WANT_DISP);
	CHECK(II_ADDR_SIZE(ii) == 2 && II_SEG(ii) == 3 && II_NO_INDEX(ii) &&
	      !II_NO_BASE(ii) && II_BASE(ii) == 3,
	      "probe %u: instruction information %#x: address size %u (64-bit: 2), segment %u (DS: 3), no index %u, base %u (RBX: 3), no base %u",
	      reps, ii, II_ADDR_SIZE(ii), II_SEG(ii), II_NO_INDEX(ii),
	      II_BASE(ii), II_NO_BASE(ii));
	CHECK(p.last_insn_len == WANT_LEN,
	      "probe %u: instruction length %u = the encoding's %u", reps,
	      p.last_insn_len, WANT_LEN);
	CHECK(p.windows >= 1 && p.end_reason == 0 && p.vm_insn_error == 0 &&
	      p.reserved == 0,
	      "probe %u: %u windows, no end reason, no VM-instruction error",
	      reps, p.windows);
	/* SDM Vol. 3C 25.7.1 / 25.8.1: bit 2 of each, as KVM requires them */
	CHECK((p.entry_controls & 0x4) && (p.exit_controls & 0x4),
	      "probe %u: the guest ran with \"load debug controls\" (entry controls %#x) and \"save debug controls\" (exit controls %#x)",
	      reps, p.entry_controls, p.exit_controls);
}

/* After the probes: VMX left, CR4.VMXE clear, VMPTRST #UD again. */
static void check_vmx_left(void)
{
	struct vb_info in = { .size = sizeof(in), .abi_version = VB_ABI_VERSION,
			      .cpu = cpu };
	struct vb_selftest st = { .size = sizeof(st),
				  .abi_version = VB_ABI_VERSION, .cpu = cpu };
	int err = xioctl(VB_IOC_INFO, &in);

	CHECK(err == 0 && !(in.flags & VB_INFO_VMX_IN_USE),
	      "after the probes: CR4.VMXE clear (INFO flags %#x, %s)", in.flags,
	      strerror(err));
	err = xioctl(VB_IOC_SELFTEST, &st);
	CHECK(err == 0 && st.trap == X86_TRAP_UD && st.operand == st.poison,
	      "after the probes: VMPTRST is #UD again (trap %d, %s)", st.trap,
	      strerror(err));
}

/*
 * Injected failures (enum vb_fault in kmod/vb_test_hooks.h): each ends the
 * probe with its outcome and the exit that says why, or (11) splits it
 * into many windows; after each, VMX is left and the next probe works.
 */
static void check_faults(void)
{
	static const struct {
		int fault;
		const char *what;
		uint32_t outcome, end_reason, insn_error;
		uint64_t end_qual;
	} t[] = {
		{ 11, "windows of 64 exits", VB_GUEST_DONE, 0, 0, 0 },
		{ 12, "CR3-target count 512: VMfailValid, invalid control field (7)",
		  VB_GUEST_VMFAIL, 0, 7, 0 },
		{ 13, "VMCS link pointer 0: entry failure, reason 33, qualification 4",
		  VB_GUEST_ENTRY_FAILED, 0x80000021, 0, 4 },
		{ 14, "the guest starts at its UD2: exception exit, reason 0",
		  VB_GUEST_UNEXPECTED_EXIT, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vb_guest_probe p = probe_req(1000);
		int err;

		if (vb_set_fault(t[i].fault)) {
			CHECK(0, "inject_fault=%d: %s", t[i].fault, strerror(errno));
			return;
		}
		err = xioctl(VB_IOC_GUEST_PROBE, &p);
		vb_set_fault(0);
		printf("# fault %d: outcome %s, exits %u (vmptrst %u), windows %u, end reason %#x qualification %#llx, vm-instruction error %u\n",
		       t[i].fault, outcome_name(p.outcome), p.exits,
		       p.vmptrst_exits, p.windows, p.end_reason,
		       p.end_qualification, p.vm_insn_error);
		if (t[i].outcome == VB_GUEST_DONE)
			CHECK(err == 0 && p.outcome == VB_GUEST_DONE &&
			      p.vmptrst_exits == 1000 && p.mismatches == 0 &&
			      p.windows >= 1001 / 64,
			      "inject_fault=%d (%s): 1000 VMPTRST exits in %u windows, mismatches %u",
			      t[i].fault, t[i].what, p.windows, p.mismatches);
		else
			CHECK(err == 0 && p.outcome == t[i].outcome &&
			      p.end_reason == t[i].end_reason &&
			      p.end_qualification == t[i].end_qual &&
			      p.vm_insn_error == t[i].insn_error &&
			      p.vmptrst_exits == 0,
			      "inject_fault=%d (%s): outcome %s (%s)", t[i].fault,
			      t[i].what, outcome_name(p.outcome), strerror(err));
		check_vmx_left();
		check_probe(7);
	}
}

/* No VMX: the probe is refused as a RUN is. */
static void check_no_vmx(void)
{
	struct vb_guest_probe p = probe_req(1);
	struct vb_sample buf[2];
	struct vb_run r = {
		.size = sizeof(r), .abi_version = VB_ABI_VERSION,
		.point = { .cpu = cpu, .instruction = VB_INSN_VMPTRST,
			   .unroll = 1, .samples = 1, .vmcs = VB_VMCS_LOADED },
		.buf = (uintptr_t)buf, .buf_len = 2,
	};
	int err = xioctl(VB_IOC_GUEST_PROBE, &p);
	int run_err = xioctl(VB_IOC_RUN, &r);

	CHECK(err == ENODEV, "GUEST_PROBE without VMX: ENODEV (got %s)",
	      strerror(err));
	CHECK(err == run_err, "GUEST_PROBE without VMX fails as RUN does (%s, RUN %s)",
	      strerror(err), strerror(run_err));
}

/* The module users load has no GUEST_PROBE. */
static void check_release(void)
{
	struct vb_guest_probe p = probe_req(1);
	int err = xioctl(VB_IOC_GUEST_PROBE, &p);

	CHECK(err == ENOTTY, "release build: GUEST_PROBE is an unknown ioctl, ENOTTY (got %s)",
	      strerror(err));
}

int main(int argc, char **argv)
{
	static const char *const flags[] = { "--release", NULL };
	unsigned int seen;
	int expect = vb_parse_args(argc, argv, flags, &seen, &cpu);
	bool release = seen & 1;

	if (release)
		expect = 0;
	if (expect < 0) {
		fprintf(stderr, "usage: vb_guest_probe --expect-vmx yes|no [--cpu N] | --release\n");
		return 2;
	}
	fd = open(VB_DEVICE_PATH, O_RDWR);
	CHECK(fd >= 0, "open %s (%s)", VB_DEVICE_PATH,
	      fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0 && release) {
		check_release();
		close(fd);
	} else if (fd >= 0) {
		check_arguments();
		if (expect) {
			check_probe(1);
			check_probe(7);
			check_probe(1000);
			/* the most: likely more than one window's budget */
			check_probe(VB_GUEST_PROBE_MAX_REPETITIONS);
			check_vmx_left();
			check_faults();
		} else {
			check_no_vmx();
		}
		close(fd);
	}
	printf("vb_guest_probe: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
