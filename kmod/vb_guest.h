/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest probe (tests' build only: `make TEST_HOOKS=1`): VMPTRST in VMX
 * non-root operation, the reference's VM-exit branch.  vb_guest.c builds a
 * minimal guest in the window's current VMCS and runs it; the ioctl is
 * vb_test_hooks.c's, the window vb_vmx.c's (vb_guest_window).
 */
#ifndef VB_GUEST_H
#define VB_GUEST_H

#include <linux/types.h>
#include "vb_internal.h"

/* The guest's registers the host sets and reads (vb_guest_asm.S). */
struct vb_guest_regs {
	u64 rax, rbx, rcx, rdx, r8, r9;
};

/* One probe, shared by the ioctl and the windows on the target CPU. */
struct vb_guest_ctx {
	struct vb_ctx vc;	/* the window's VMX state (vb_vmx.c) */
	u64 root_operand;	/* the window's guarded VMPTRST (root) */
	u64 guest_operand;	/* what the guest's VMPTRST names */
	void *stack;		/* the guest's stack: one page */
	u64 budget_tsc;		/* IRQ-off window budget */
	/* progress, kept across windows */
	struct vb_guest_regs regs;
	u64 rip;		/* where the next window's guest starts */
	bool finished;		/* VMCALL reached, or the probe ended */
	/* results: the ABI's fields */
	struct vb_guest_probe *out;
};

/* Within a window in VMX root operation with vc.vmcs_pa current. */
void vb_guest_run(struct vb_guest_ctx *g, u64 deadline);
/* Before the first window: the guest at its start; -EINVAL if its code is not what the ABI says. */
int vb_guest_init(struct vb_guest_ctx *g);

/* vb_vmx.c: one IRQ-off window of the probe. */
void vb_guest_window(void *arg);

#endif /* VB_GUEST_H */
