// SPDX-License-Identifier: GPL-2.0
/*
 * The guest probe (tests' build only): inside one IRQ-off window, already
 * in VMX root operation with the window's VMCS current (vb_vmx.c), make
 * that VMCS a minimal guest and run it until it reaches its VMCALL.
 *
 * The guest mirrors the kernel that launches it: 64-bit, CPL 0, the same
 * CR0/CR3/CR4, GDT, IDT, TR and flat segments, no EPT, no VPID; RFLAGS.IF
 * clear.  It runs only vb_guest_code (vb_guest_asm.S): VMPTRST N times,
 * then VMCALL.  The controls make every event the guest could meet a VM
 * exit: NMIs and external interrupts exit (pin-based), every exception
 * exits (exception bitmap all ones, #PF mask/match 0), I/O exits
 * unconditionally, MSR accesses exit (no MSR bitmaps: without them every
 * RDMSR/WRMSR exits), HLT exits, CR0/CR4 writes exit (guest/host masks all
 * ones), CR3-target count 0.  RDTSC exiting is off and TSC offsetting is
 * not used, so the guest reads the host's TSC.  So nothing but the
 * instructions under test exits, and whatever else did would be seen.
 *
 * Exits: 22 (VMPTRST) is checked and the guest resumed past the
 * instruction; 18 (VMCALL) ends the probe; an NMI exit goes to the kernel's
 * NMI handler (below) and the guest resumes; an external interrupt ends
 * the window (the interrupt stays pending in the local APIC, not
 * acknowledged: "acknowledge interrupt on exit" is off, so the kernel takes
 * it when the window's caller turns interrupts back on) and the next
 * window goes on from the guest's RIP and registers.  Anything else, an
 * entry failure (exit reason bit 31) or VMfail ends the probe with the
 * reason in the kernel log and the ABI's outcome.  Exits per window and
 * windows per probe are bounded, and the window's TSC budget is checked
 * after every exit.
 *
 * NMIs.  With "NMI exiting" on, an NMI that arrives in the guest is a VM
 * exit (reason 0, interruption type NMI) and NMIs stay blocked until the
 * next IRET.  The kernel must still see that NMI (perf, the watchdog,
 * backtrace IPIs).  What KVM does:
 *   - 6.1: handle_exception_nmi_irqoff() -> handle_interrupt_nmi_irqoff()
 *     -> vmx_do_interrupt_nmi_irqoff(asm_exc_nmi_noist)
 *     (arch/x86/kvm/vmx/vmx.c, vmenter.S): a synthetic interrupt frame on
 *     the current stack, then a call of the NMI entry's non-IST variant,
 *     exported for kvm_intel (arch/x86/kernel/nmi.c, EXPORT_SYMBOL_GPL,
 *     "KVM/VMX: Invoke NMI non-IST entry instead of IST entry", 5.14).
 *   - 6.12: vmx_vcpu_enter_exit() -> vmx_do_nmi_irqoff() (vmenter.S,
 *     VMX_DO_EVENT_IRQOFF call asm_exc_nmi_kvm_vmx), the same frame and the
 *     same idea, the entry renamed exc_nmi_kvm_vmx (6.3) and still
 *     EXPORT_SYMBOL_GPL under IS_MODULE(CONFIG_KVM_INTEL).
 *   - Historically (before 5.13) KVM executed `int $2`, which enters the
 *     NMI's IST entry from kernel context, on the IST stack, outside the
 *     NMI nesting protocol of entry_64.S; KVM left it for an indirect call
 *     ("KVM: VMX: Invoke NMI handler via indirect call instead of INTn"),
 *     then for the non-IST entry above.  A self-NMI IPI instead would be
 *     a second NMI for one event, claimed by nobody ("NMI received for
 *     unknown reason" in the log) and delivered only after some IRET.
 * Decision: do what KVM does.  vb_guest_do_nmi() builds KVM's frame and
 * calls the exported non-IST entry (vb_compat.h names it per version:
 * both exports are in Debian's 6.1 and 6.12 Module.symvers).  Its IRET
 * unblocks NMIs; the exit is counted (nmi_exits) and the guest resumed.
 * From 6.19 that symbol is exported to KVM's modules only, as the CR4
 * helpers are (vb_compat.h refuses to build there).
 *
 * Host state.  A VM exit loads what the VMCS's host area says and leaves
 * some things as no kernel expects them (SDM Vol. 3C, 28.5): GDTR and IDTR
 * limits 0xffff, TR limit 0x67, LDTR null, DS/ES/FS/GS selectors as given
 * (a selector with RPL or TI bits cannot be given), DR7 0x400,
 * IA32_DEBUGCTL 0.  Before the window's interrupts come back on,
 * vb_host_restore() puts back what KVM's vmx_prepare_switch_to_host()
 * and vmx_vcpu_run() do: the GDT and IDT as they were, the TSS limit
 * (invalidate_tss_limit()), the LDT, the DS/ES/FS/GS selectors with their
 * bases, DR7 and DEBUGCTL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/smp.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/vmx.h>
#include "vb_compat.h"
#include "vb_guest.h"
#include "vb_vmx_ops.h"

/* vb_guest_asm.S */
int vb_guest_enter(struct vb_guest_regs *regs, bool launched);
void vb_guest_do_nmi(unsigned long entry);
extern const u8 vb_guest_exit[], vb_guest_code[];
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

/* Segment access rights (SDM Vol. 3C, 25.4.1) */
#define VB_AR_CODE64		0xa09b	/* G, L, P, S, execute/read accessed */
#define VB_AR_DATA		0xc093	/* G, D/B, P, S, read/write accessed */
#define VB_AR_TSS_BUSY		0x008b	/* P, 64-bit busy TSS */
#define VB_AR_UNUSABLE		0x10000

/* DR7 after reset and after every VM exit (SDM Vol. 3C, 28.5.1) */
#define VB_DR7_RESET		0x400UL

/*
 * VM-exit instruction information for VMPTRST (SDM Vol. 3C, 28.2.5, the
 * format of VMCLEAR, VMPTRLD, VMPTRST, VMXON): address size (9:7, 2 = 64
 * bit), segment (17:15, 3 = DS), index (21:18) and index invalid (22),
 * base (26:23) and base invalid (27).  Scaling (1:0) and the index are
 * undefined without an index; the rest is undefined.
 */
#define VB_II_ADDR_SIZE(x)	(((x) >> 7) & 7)
#define VB_II_SEG(x)		(((x) >> 15) & 7)
#define VB_II_NO_INDEX		BIT(22)
#define VB_II_BASE(x)		(((x) >> 23) & 0xf)
#define VB_II_NO_BASE		BIT(27)
#define VB_II_ADDR64		2
#define VB_II_DS		3
#define VB_II_RBX		3

/* The host state a VM exit changes and the window puts back. */
struct vb_host_state {
	struct desc_ptr gdt, idt;
	u16 tr, ldt, ds, es, fs, gs;
	unsigned long fs_base, gs_base, kernel_gs_base, dr7;
	u64 debugctl;
};

struct vb_vmcs_write {
	u32 field;
	u64 val;
};

/* A control word the capability MSR allows, or false (SDM Vol. 3D, A.3). */
static bool vb_adjust_ctl(u32 msr, u32 want, u32 *ctl)
{
	u64 cap;

	if (vb_rdmsr_safe(msr, &cap))
		return false;
	*ctl = (want | (u32)cap) & (u32)(cap >> 32);
	return (*ctl & want) == want;
}

static bool vb_controls(u32 ctl[4])
{
	u64 basic;
	bool truectl;

	if (vb_rdmsr_safe(MSR_IA32_VMX_BASIC, &basic))
		return false;
	truectl = basic & VMX_BASIC_TRUE_CTLS;
	return vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
			     MSR_IA32_VMX_PINBASED_CTLS,
			     PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
			     &ctl[0]) &&
	       vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			     MSR_IA32_VMX_PROCBASED_CTLS,
			     CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING,
			     &ctl[1]) &&
	       vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			     MSR_IA32_VMX_EXIT_CTLS,
			     VM_EXIT_HOST_ADDR_SPACE_SIZE, &ctl[2]) &&
	       vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
			     MSR_IA32_VMX_ENTRY_CTLS,
			     VM_ENTRY_IA32E_MODE, &ctl[3]) &&
	       /* Controls that must stay off: RDTSC exiting, TSC offset, */
	       !(ctl[1] & (CPU_BASED_RDTSC_EXITING |
			   CPU_BASED_USE_TSC_OFFSETTING |
			   CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)) &&
	       /* and acknowledging an interrupt on exit. */
	       !(ctl[2] & VM_EXIT_ACK_INTR_ON_EXIT);
}

/* CR0 or CR4 as VMX operation requires it (IA32_VMX_CR*_FIXED*). */
static bool vb_fixed(u32 fixed0, u32 fixed1, unsigned long val)
{
	u64 f0, f1;

	return !vb_rdmsr_safe(fixed0, &f0) && !vb_rdmsr_safe(fixed1, &f1) &&
	       (val & f0) == f0 && !(val & ~f1);
}

static unsigned long vb_tss_base(const struct desc_ptr *gdt, u16 tr)
{
	const struct ldttss_desc *d = (const void *)(gdt->address + (tr & ~7));

	return d->base0 | ((unsigned long)d->base1 << 16) |
	       ((unsigned long)d->base2 << 24) |
	       ((unsigned long)d->base3 << 32);
}

static void vb_host_save(struct vb_host_state *h)
{
	native_store_gdt(&h->gdt);
	store_idt(&h->idt);
	h->tr = native_store_tr();
	asm volatile("sldt %0" : "=r"(h->ldt));
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	rdmsrl(MSR_FS_BASE, h->fs_base);
	rdmsrl(MSR_GS_BASE, h->gs_base);
	rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	get_debugreg(h->dr7, 7);
	rdmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
}

/* After the last VM exit of the window (see the comment at the top). */
static void vb_host_restore(const struct vb_host_state *h)
{
	native_load_gdt(&h->gdt);
	native_load_idt(&h->idt);
	invalidate_tss_limit();
	if (h->ldt)
		asm volatile("lldt %0" : : "rm"(h->ldt));
	loadsegment(ds, h->ds);
	loadsegment(es, h->es);
	if (h->fs & 7) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	if (h->gs & 7) {
		load_gs_index(h->gs);
		wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	}
	if (h->debugctl)
		wrmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
	if (h->dr7 != VB_DR7_RESET)
		set_debugreg(h->dr7, 7);
}

/* Write the table; on a failure say which field, false. */
static bool vb_vmwrite_all(const struct vb_vmcs_write *w, size_t n, u32 cpu)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!vb_vmwrite(w[i].field, w[i].val)) {
			pr_err_ratelimited("CPU %u: guest probe: VMWRITE of field %#x failed\n",
					   cpu, w[i].field);
			return false;
		}
	}
	return true;
}

/* The guest (its registers in g->regs) and the host's return path. */
static bool vb_guest_setup(struct vb_guest_ctx *g,
			   const struct vb_host_state *h)
{
	unsigned long cr0 = read_cr0(), cr3 = __read_cr3(), cr4 = __read_cr4();
	unsigned long tr_base = vb_tss_base(&h->gdt, h->tr);
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u32 ctl[4];
	u32 cpu = g->vc.point.cpu;

	if (!vb_controls(ctl)) {
		pr_err_ratelimited("CPU %u: guest probe: the VMX capability MSRs do not allow the controls it needs\n",
				   cpu);
		return false;
	}
	if (!vb_fixed(MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1, cr0) ||
	    !vb_fixed(MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1, cr4)) {
		pr_err_ratelimited("CPU %u: guest probe: CR0 %#lx / CR4 %#lx do not meet the VMX fixed bits\n",
				   cpu, cr0, cr4);
		return false;
	}
	rdmsrl(MSR_IA32_SYSENTER_CS, sysenter_cs);
	rdmsrl(MSR_IA32_SYSENTER_ESP, sysenter_esp);
	rdmsrl(MSR_IA32_SYSENTER_EIP, sysenter_eip);
	{
		const struct vb_vmcs_write w[] = {
			/* controls */
			{ PIN_BASED_VM_EXEC_CONTROL, ctl[0] },
			{ CPU_BASED_VM_EXEC_CONTROL, ctl[1] },
			{ VM_EXIT_CONTROLS, ctl[2] },
			{ VM_ENTRY_CONTROLS, ctl[3] },
			{ EXCEPTION_BITMAP, 0xffffffff },
			{ PAGE_FAULT_ERROR_CODE_MASK, 0 },
			{ PAGE_FAULT_ERROR_CODE_MATCH, 0 },
			{ CR3_TARGET_COUNT, 0 },
			{ VM_EXIT_MSR_STORE_COUNT, 0 },
			{ VM_EXIT_MSR_LOAD_COUNT, 0 },
			{ VM_ENTRY_MSR_LOAD_COUNT, 0 },
			{ VM_ENTRY_INTR_INFO_FIELD, 0 },
			{ TSC_OFFSET, 0 },
			{ CR0_GUEST_HOST_MASK, ~0UL },
			{ CR4_GUEST_HOST_MASK, ~0UL },
			{ CR0_READ_SHADOW, cr0 },
			{ CR4_READ_SHADOW, cr4 },
			{ VMCS_LINK_POINTER, ~0ULL },
			/* host: the kernel as it is, back to vb_guest_exit */
			{ HOST_CR0, cr0 },
			{ HOST_CR3, cr3 },
			{ HOST_CR4, cr4 },
			{ HOST_CS_SELECTOR, __KERNEL_CS },
			{ HOST_SS_SELECTOR, __KERNEL_DS },
			{ HOST_DS_SELECTOR, 0 },
			{ HOST_ES_SELECTOR, 0 },
			{ HOST_FS_SELECTOR, h->fs & 7 ? 0 : h->fs },
			{ HOST_GS_SELECTOR, h->gs & 7 ? 0 : h->gs },
			{ HOST_TR_SELECTOR, h->tr },
			{ HOST_FS_BASE, h->fs_base },
			{ HOST_GS_BASE, h->gs_base },
			{ HOST_TR_BASE, tr_base },
			{ HOST_GDTR_BASE, h->gdt.address },
			{ HOST_IDTR_BASE, h->idt.address },
			{ HOST_IA32_SYSENTER_CS, sysenter_cs },
			{ HOST_IA32_SYSENTER_ESP, sysenter_esp },
			{ HOST_IA32_SYSENTER_EIP, sysenter_eip },
			{ HOST_RIP, (unsigned long)vb_guest_exit },
			/* guest: a mirror of the kernel, IF clear */
			{ GUEST_CR0, cr0 },
			{ GUEST_CR3, cr3 },
			{ GUEST_CR4, cr4 },
			{ GUEST_DR7, VB_DR7_RESET },
			{ GUEST_IA32_DEBUGCTL, 0 },
			{ GUEST_RFLAGS, X86_EFLAGS_FIXED },
			{ GUEST_RSP, (unsigned long)g->stack + PAGE_SIZE },
			{ GUEST_RIP, g->rip },
			{ GUEST_CS_SELECTOR, __KERNEL_CS },
			{ GUEST_CS_BASE, 0 },
			{ GUEST_CS_LIMIT, 0xffffffff },
			{ GUEST_CS_AR_BYTES, VB_AR_CODE64 },
			{ GUEST_SS_SELECTOR, __KERNEL_DS },
			{ GUEST_SS_BASE, 0 },
			{ GUEST_SS_LIMIT, 0xffffffff },
			{ GUEST_SS_AR_BYTES, VB_AR_DATA },
			{ GUEST_DS_SELECTOR, __KERNEL_DS },
			{ GUEST_DS_BASE, 0 },
			{ GUEST_DS_LIMIT, 0xffffffff },
			{ GUEST_DS_AR_BYTES, VB_AR_DATA },
			{ GUEST_ES_SELECTOR, __KERNEL_DS },
			{ GUEST_ES_BASE, 0 },
			{ GUEST_ES_LIMIT, 0xffffffff },
			{ GUEST_ES_AR_BYTES, VB_AR_DATA },
			{ GUEST_FS_SELECTOR, 0 },
			{ GUEST_FS_BASE, h->fs_base },
			{ GUEST_FS_LIMIT, 0xffffffff },
			{ GUEST_FS_AR_BYTES, VB_AR_DATA },
			{ GUEST_GS_SELECTOR, 0 },
			{ GUEST_GS_BASE, h->gs_base },
			{ GUEST_GS_LIMIT, 0xffffffff },
			{ GUEST_GS_AR_BYTES, VB_AR_DATA },
			{ GUEST_LDTR_SELECTOR, 0 },
			{ GUEST_LDTR_BASE, 0 },
			{ GUEST_LDTR_LIMIT, 0 },
			{ GUEST_LDTR_AR_BYTES, VB_AR_UNUSABLE },
			{ GUEST_TR_SELECTOR, h->tr },
			{ GUEST_TR_BASE, tr_base },
			{ GUEST_TR_LIMIT, 0x67 },
			{ GUEST_TR_AR_BYTES, VB_AR_TSS_BUSY },
			{ GUEST_GDTR_BASE, h->gdt.address },
			{ GUEST_GDTR_LIMIT, h->gdt.size },
			{ GUEST_IDTR_BASE, h->idt.address },
			{ GUEST_IDTR_LIMIT, h->idt.size },
			{ GUEST_SYSENTER_CS, 0 },
			{ GUEST_SYSENTER_ESP, 0 },
			{ GUEST_SYSENTER_EIP, 0 },
			{ GUEST_INTERRUPTIBILITY_INFO, 0 },
			{ GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE },
			{ GUEST_PENDING_DBG_EXCEPTIONS, 0 },
		};

		if (!vb_vmwrite_all(w, ARRAY_SIZE(w), cpu))
			return false;
	}
	/* Tests: the failures the probe must end cleanly on. */
	if (vb_injected(VB_FAULT_GUEST_VMFAIL))
		return vb_vmwrite(CR3_TARGET_COUNT, 512);
	if (vb_injected(VB_FAULT_GUEST_ENTRY))
		return vb_vmwrite(VMCS_LINK_POINTER, 0);
	return true;
}

static u64 vb_read(u32 field)
{
	u64 v = 0;

	vb_vmread(field, &v);
	return v;
}

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
			   vb_read(VM_EXIT_INTR_INFO), vb_read(GUEST_RIP),
			   o->vm_insn_error);
}

/* A VMPTRST exit: check it against the guest's code, resume past it. */
static bool vb_guest_vmptrst_exit(struct vb_guest_ctx *g, u32 reason)
{
	struct vb_guest_probe *o = g->out;
	u64 qual = vb_read(EXIT_QUALIFICATION);
	u32 info = vb_read(VMX_INSTRUCTION_INFO);
	u32 len = vb_read(VM_EXIT_INSTRUCTION_LEN);
	u64 rip = vb_read(GUEST_RIP);

	o->vmptrst_exits++;
	o->last_reason = reason;
	o->last_qualification = qual;
	o->last_insn_info = info;
	o->last_insn_len = len;
	if (rip != (unsigned long)vb_guest_vmptrst ||
	    qual != VB_GUEST_PROBE_DISP ||
	    len != vb_guest_vmptrst_end - vb_guest_vmptrst ||
	    VB_II_ADDR_SIZE(info) != VB_II_ADDR64 ||
	    VB_II_SEG(info) != VB_II_DS || !(info & VB_II_NO_INDEX) ||
	    (info & VB_II_NO_BASE) || VB_II_BASE(info) != VB_II_RBX) {
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
static bool vb_guest_exit_ok(struct vb_guest_ctx *g, u32 reason, bool *stop)
{
	u32 intr;

	switch (reason) {
	case EXIT_REASON_VMPTRST:
		return vb_guest_vmptrst_exit(g, reason);
	case EXIT_REASON_VMCALL:
		g->out->guest_tsc = g->regs.r9 - g->regs.r8;
		vb_guest_end(g, VB_GUEST_DONE, reason, 0);
		return false;
	case EXIT_REASON_EXCEPTION_NMI:
		intr = vb_read(VM_EXIT_INTR_INFO);
		if ((intr & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK)) !=
		    (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR))
			break;
		vb_guest_do_nmi((unsigned long)VB_NMI_ENTRY);
		g->out->nmi_exits++;
		return true;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		g->out->intr_exits++;
		*stop = true;	/* the interrupt waits for this window's end */
		return false;
	}
	vb_guest_end(g, reason & VMX_EXIT_REASONS_FAILED_VMENTRY ?
		     VB_GUEST_ENTRY_FAILED : VB_GUEST_UNEXPECTED_EXIT,
		     reason, vb_read(EXIT_QUALIFICATION));
	return false;
}

/*
 * The guest's VMPTRST must be the encoding the ABI promises (0F C7 /7,
 * ModRM 0xBB: [RBX + disp32], the displacement VB_GUEST_PROBE_DISP): the
 * exits are checked against it.
 */
static bool vb_guest_code_ok(void)
{
	const u8 *p = vb_guest_vmptrst;

	return vb_guest_vmptrst_end - p == VB_GUEST_PROBE_LEN &&
	       p[0] == 0x0f && p[1] == 0xc7 && p[2] == 0xbb &&
	       get_unaligned((const s32 *)(p + 3)) == VB_GUEST_PROBE_DISP;
}

int vb_guest_init(struct vb_guest_ctx *g)
{
	if (WARN_ON_ONCE(!vb_guest_code_ok()))
		return -EINVAL;
	g->rip = (unsigned long)vb_guest_code;
	if (vb_injected(VB_FAULT_GUEST_EXIT))
		g->rip += vb_guest_layout.ud2;
	memset(&g->regs, 0, sizeof(g->regs));
	g->regs.rbx = (unsigned long)&g->guest_operand - VB_GUEST_PROBE_DISP;
	g->regs.rcx = g->out->repetitions;
	g->finished = false;
	return 0;
}

void vb_guest_run(struct vb_guest_ctx *g, u64 deadline)
{
	struct vb_guest_probe *o = g->out;
	struct vb_host_state h;
	bool launched = false, stop = false;
	u32 exits, reason = 0;
	u64 error;
	int rc;

	vb_host_save(&h);
	if (!vb_guest_setup(g, &h)) {
		vb_guest_end(g, VB_GUEST_SETUP_FAILED, 0, 0);
		return;
	}
	for (exits = 0; exits < VB_GUEST_MAX_EXITS; exits++) {
		rc = vb_guest_enter(&g->regs, launched);
		if (rc) {
			if (rc == 2 && vb_vmread(VM_INSTRUCTION_ERROR, &error))
				o->vm_insn_error = error;
			vb_host_restore(&h);
			vb_guest_end(g, VB_GUEST_VMFAIL, 0, 0);
			return;
		}
		launched = true;
		o->exits++;
		reason = vb_read(VM_EXIT_REASON);
		if (!vb_guest_exit_ok(g, reason, &stop))
			break;
		if (rdtsc() > deadline ||
		    (vb_injected(VB_FAULT_GUEST_SHORT) &&
		     exits + 1 >= VB_GUEST_SHORT_EXITS)) {
			stop = true;
			break;
		}
	}
	vb_host_restore(&h);
	if (g->finished)
		return;
	if (!stop) {
		vb_guest_end(g, VB_GUEST_BOUND, reason, 0);
		return;
	}
	g->rip = vb_read(GUEST_RIP);	/* the next window goes on from here */
}
