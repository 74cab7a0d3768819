// SPDX-License-Identifier: GPL-2.0
/*
 * The guest probe (tests' build only: `make TEST_HOOKS=1`), the groundwork
 * of mode=guest kept as a test: in the module's guest (vb_guest.c), run
 * vb_guest_code (vb_guest_asm.S): `vmptrst VB_GUEST_DISP(%rbx)` N times in
 * a loop, then VMCALL.  Each VMPTRST exit is checked and the guest resumed
 * past it; VMCALL (18) ends the probe; an NMI exit goes to the kernel's NMI
 * handler (vb_guest.c) and the guest resumes; an external interrupt (they
 * exit here) ends the window, the interrupt left pending in the local APIC
 * ("acknowledge interrupt on exit" is off) for the kernel to take when the
 * window's caller turns interrupts back on, and the next window goes on
 * from the guest's RIP and registers.  Anything else, an entry failure
 * (exit reason bit 31) or VMfail ends the probe with the reason in the
 * kernel log and the ABI's outcome.  Exits per window and windows per
 * probe are bounded, and the window's TSC budget is checked after every
 * exit.  No VPID: each entry and exit flushes the TLB, which the probe
 * does not time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <asm/msr.h>
#include <asm/vmx.h>
#include "vb_compat.h"
#include "vb_guest.h"
#include "vb_vmx_ops.h"

extern const u8 vb_guest_code[];
extern const struct vb_guest_layout {
	u32 vmptrst, vmptrst_end, ud2;	/* offsets into vb_guest_code */
} vb_guest_layout;

/* The guest's VMPTRST, and the instruction after it. */
#define vb_guest_vmptrst	(vb_guest_code + vb_guest_layout.vmptrst)
#define vb_guest_vmptrst_end	(vb_guest_code + vb_guest_layout.vmptrst_end)

/* Exits one window may see before it ends whatever happens. */
#define VB_GUEST_MAX_EXITS	(VB_WINDOW_MAX_SAMPLES + 64)
/* ... and with VB_FAULT_GUEST_SHORT, before it ends and the next goes on */
#define VB_GUEST_SHORT_EXITS	64

/* The probe ends: the outcome, and the exit that ended it, said once. */
static void vb_guest_end(struct vb_guest_ctx *g, u32 outcome, u32 reason,
			 u64 qual)
{
	struct vb_guest_probe *o = g->out;

	g->finished = true;
	o->outcome = outcome;
	if (outcome == VB_GUEST_DONE)
		return;
	o->end_reason = reason;
	o->end_qualification = qual;
	pr_err_ratelimited("CPU %u: guest probe ended (outcome %u): exit reason %#x, qualification %#llx, interruption info %#llx, guest RIP %#llx, VM-instruction error %u\n",
			   g->vc.point.cpu, outcome, reason, qual,
			   vb_guest_read(VM_EXIT_INTR_INFO), vb_guest_read(GUEST_RIP),
			   o->vm_insn_error);
}

/* A VMPTRST exit: check it against the guest's code, resume past it. */
static bool vb_guest_vmptrst_exit(struct vb_guest_ctx *g, u32 reason)
{
	struct vb_guest_probe *o = g->out;
	u64 qual = vb_guest_read(EXIT_QUALIFICATION);
	u32 info = vb_guest_read(VMX_INSTRUCTION_INFO);
	u32 len = vb_guest_read(VM_EXIT_INSTRUCTION_LEN);
	u64 rip = vb_guest_read(GUEST_RIP);

	o->vmptrst_exits++;
	o->last_reason = reason;
	o->last_qualification = qual;
	o->last_insn_info = info;
	o->last_insn_len = len;
	if (rip != (unsigned long)vb_guest_vmptrst ||
	    len != vb_guest_vmptrst_end - vb_guest_vmptrst ||
	    vb_guest_exit_invalid(VB_INSN_VMPTRST, reason, qual, info, len)) {
		o->mismatches++;
		pr_err_ratelimited("CPU %u: guest probe: VMPTRST exit not as encoded: guest RIP %#llx (want %px), qualification %#llx, instruction information %#x, length %u\n",
				   g->vc.point.cpu, rip, vb_guest_vmptrst, qual,
				   info, len);
	}
	if (rip != (unsigned long)vb_guest_vmptrst) {
		vb_guest_end(g, VB_GUEST_UNEXPECTED_EXIT, reason, qual);
		return false;
	}
	if (!vb_vmwrite(GUEST_RIP, rip + len)) {
		vb_guest_end(g, VB_GUEST_SETUP_FAILED, reason, qual);
		return false;
	}
	return true;
}

/* An exit with the VMPTRST count done: true if the guest may resume. */
static notrace bool vb_guest_exit_ok(struct vb_guest_ctx *g, u32 reason,
				     bool *stop)
{
	switch (vb_guest_event_exit(reason)) {
	case VB_GEV_NMI:
		g->out->nmi_exits++;
		return true;
	case VB_GEV_MC:	/* handed to the kernel: the probe ends */
		vb_guest_end(g, VB_GUEST_UNEXPECTED_EXIT, reason, 0);
		return false;
	default:
		break;
	}
	switch (reason) {
	case EXIT_REASON_VMPTRST:
		return vb_guest_vmptrst_exit(g, reason);
	case EXIT_REASON_VMCALL:
		g->out->guest_tsc = g->gs.regs.r9 - g->gs.regs.r8;
		vb_guest_end(g, VB_GUEST_DONE, reason, 0);
		return false;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		g->out->intr_exits++;
		*stop = true;	/* the interrupt waits for this window's end */
		return false;
	}
	vb_guest_end(g, reason & VMX_EXIT_REASONS_FAILED_VMENTRY ?
		     VB_GUEST_ENTRY_FAILED : VB_GUEST_UNEXPECTED_EXIT,
		     reason, vb_guest_read(EXIT_QUALIFICATION));
	return false;
}

/*
 * The guest's VMPTRST must be the encoding the ABI promises (0F C7 /7,
 * ModRM 0xBB: [RBX + disp32], the displacement VB_GUEST_DISP): the
 * exits are checked against it.
 */
static bool vb_guest_code_ok(void)
{
	const u8 *p = vb_guest_vmptrst;

	return vb_guest_vmptrst_end - p == VB_GUEST_VMPTRST_LEN &&
	       p[0] == 0x0f && p[1] == 0xc7 && p[2] == 0xbb &&
	       get_unaligned((const s32 *)(p + 3)) == VB_GUEST_DISP;
}

int vb_guest_init(struct vb_guest_ctx *g)
{
	if (WARN_ON_ONCE(!vb_guest_code_ok()))
		return -EINVAL;
	g->rip = (unsigned long)vb_guest_code;
	if (vb_injected(VB_FAULT_GUEST_EXIT))
		g->rip += vb_guest_layout.ud2;
	memset(&g->gs.regs, 0, sizeof(g->gs.regs));
	g->gs.cpu = g->vc.point.cpu;
	g->gs.vpid = 0;
	g->gs.stack_top = (unsigned long)g->stack + PAGE_SIZE;
	g->gs.regs.rbx = (unsigned long)&g->guest_operand - VB_GUEST_DISP;
	g->gs.regs.rcx = g->out->repetitions;
	g->finished = false;
	return 0;
}

notrace void vb_guest_run(struct vb_guest_ctx *g, u64 deadline)
{
	struct vb_guest_probe *o = g->out;
	bool launched = false, stop = false;
	u32 exits, reason = 0;
	u64 error;
	int rc;

	vb_host_save(&g->gs.host);
	if (!vb_guest_setup(&g->gs, g->rip, VB_GUEST_INTR_EXITING)) {
		vb_guest_end(g, VB_GUEST_SETUP_FAILED, 0, 0);
		return;
	}
	/* the controls it runs with (tests: the debug controls are on) */
	o->entry_controls = vb_guest_read(VM_ENTRY_CONTROLS);
	o->exit_controls = vb_guest_read(VM_EXIT_CONTROLS);
	for (exits = 0; exits < VB_GUEST_MAX_EXITS; exits++) {
		rc = vb_guest_enter(&g->gs.regs, launched);
		if (rc) {
			if (rc == 2 && vb_vmread(VM_INSTRUCTION_ERROR, &error))
				o->vm_insn_error = error;
			vb_host_restore(&g->gs.host);
			vb_guest_end(g, VB_GUEST_VMFAIL, 0, 0);
			return;
		}
		launched = true;
		o->exits++;
		reason = vb_guest_read(VM_EXIT_REASON);
		if (!vb_guest_exit_ok(g, reason, &stop))
			break;
		if (rdtsc() > deadline ||
		    (vb_injected(VB_FAULT_GUEST_SHORT) &&
		     exits + 1 >= VB_GUEST_SHORT_EXITS)) {
			stop = true;
			break;
		}
	}
	vb_host_restore(&g->gs.host);
	if (g->finished)
		return;
	if (!stop) {
		vb_guest_end(g, VB_GUEST_BOUND, reason, 0);
		return;
	}
	g->rip = vb_guest_read(GUEST_RIP);	/* the next window goes on from here */
}
NOKPROBE_SYMBOL(vb_guest_run);
NOKPROBE_SYMBOL(vb_guest_exit_ok);
