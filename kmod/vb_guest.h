/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's guest (vb_guest.c): mode=guest's timed blocks run in it,
 * and so does the tests' build's guest probe (vb_guest_probe.c).  Always
 * inside an IRQ-off window in VMX root operation with the window's VMCS
 * current (vb_vmx.c).
 */
#ifndef VB_GUEST_H
#define VB_GUEST_H

#include <linux/types.h>
#include <asm/desc_defs.h>
#include "vb_internal.h"

/* The guest's registers the host sets and reads (vb_guest_asm.S: VB_GR_*). */
struct vb_guest_regs {
	u64 rax, rbx, rcx, rdx, r8, r9, r10, r11, rsi, rdi;
	/* not the guest's: the handler's TSC readings (vb_exit_split()) */
	u64 tsc_in;			/* the first RDTSC at the last exit's landing */
	u64 tsc_out;			/* the last RDTSC before the last entry */
};

/* One entry of the VM-exit MSR-store list (SDM Vol. 3C, 25.7.2) */
struct vb_msr_slot {
	u32 index;
	u32 reserved;
	u64 value;
};

/* The host state a VM exit changes and the window puts back. */
struct vb_host_state {
	struct desc_ptr gdt, idt;
	u16 tr, ldt, ds, es, fs, gs;
	unsigned long fs_base, gs_base, kernel_gs_base, dr7;
	u64 debugctl;
};

/* The guest of one RUN (or probe), set up again in every window. */
struct vb_guest {
	struct vb_host_state host;	/* saved at the window's start */
	struct vb_guest_regs regs;
	unsigned long stack_top;	/* the guest's RSP */
	/* the VM-exit MSR-store list: IA32_TSC (a page of its own; NULL: none) */
	struct vb_msr_slot *msr_store;
	u32 dirty_field;		/* mode=guest's field: encoding, 0 for none */
	u64 dirty_value;		/* ... and the value written back */
	u32 cpu;
	u16 vpid;			/* 0: VPID off (the probe) */
	u8 invvpid_type;		/* VMX_VPID_EXTENT_* the CPU has */
	bool launched;			/* VMLAUNCH done in this window */
	bool rec_bad;			/* an exit of this record was not as expected */
	bool rec_nmi;			/* an NMI exit during this record */
};

/* One timed block of vb_guest_asm.S's table. */
struct vb_gblock {
	const u8 *start;
	u32 hlt;			/* offset of its HLT */
	u32 pad;
};

/* mode=guest's VPID: any but 0, which is the host's */
#define VB_GUEST_VPID		1

/* vb_guest_setup() flags */
#define VB_GUEST_INTR_EXITING	(1u << 0) /* external interrupts exit (the probe) */

bool vb_guest_setup(struct vb_guest *g, unsigned long rip, u32 flags);
void vb_host_save(struct vb_host_state *h);
void vb_host_restore(const struct vb_host_state *h);
u64 vb_guest_read(u32 field);
/* What vb_guest_event_exit() made of an exit */
enum vb_event_exit {
	VB_GEV_NONE = 0,	/* not an NMI or machine check: the caller's */
	VB_GEV_NMI,		/* an NMI, handed to the kernel: resume */
	VB_GEV_MC,		/* a machine check, handed to the kernel: stop */
};
enum vb_event_exit vb_guest_event_exit(u32 reason);
const char *vb_guest_enter_failure(int rc);

/* vb_guest_asm.S */
int vb_guest_enter(struct vb_guest_regs *regs, bool launched);
void vb_guest_do_nmi(unsigned long entry);

/* mode=guest (vb_guest.c) */
bool vb_guest_caps(u8 *invvpid_type);	/* VPID and INVVPID: what it needs */
int vb_guest_begin(struct vb_ctx *c);	/* a window's start */
int vb_guest_finish(struct vb_ctx *c);	/* ... and end */
bool vb_guest_block(struct vb_ctx *c, u8 insn, struct vb_exit_rec *x,
		    u64 *tsc_begin, u64 *tsc_end);
bool vb_guest_exits_wrong(const struct vb_ctx *c, u32 index);

#ifdef VB_TEST_HOOKS
/* The guest probe (vb_guest_probe.c), for the ioctl in vb_test_hooks.c. */
struct vb_guest_ctx {
	struct vb_ctx vc;	/* the window's VMX state (vb_vmx.c) */
	struct vb_guest gs;
	u64 root_operand;	/* the window's guarded VMPTRST (root) */
	u64 guest_operand;	/* what the guest's VMPTRST names */
	void *stack;		/* the guest's stack: one page */
	u64 budget_tsc;		/* IRQ-off window budget */
	/* progress, kept across windows */
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
#endif

#endif /* VB_GUEST_H */
