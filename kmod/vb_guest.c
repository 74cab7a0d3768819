// SPDX-License-Identifier: GPL-2.0
/*
 * The module's guest: inside one IRQ-off window, already in VMX root
 * operation with the window's VMCS current (vb_vmx.c), make that VMCS a
 * minimal guest and run mode=guest's timed blocks in it, one VM entry per
 * record (vb_guest_block); the tests' build's guest probe runs in it too
 * (vb_guest_probe.c).
 *
 * The guest mirrors the kernel that launches it: 64-bit, CPL 0, the same
 * CR0/CR3/CR4, GDT, IDT, TR and flat segments, no EPT; RFLAGS.IF clear.
 * It runs only the module's own code (vb_guest_asm.S).  The controls make
 * every event the guest could meet a VM exit: NMIs exit (pin-based), every
 * exception exits (exception bitmap all ones, #PF mask/match 0), I/O exits
 * unconditionally, MSR accesses exit (no MSR bitmaps: without them every
 * RDMSR/WRMSR exits), HLT exits, CR0/CR4 writes exit (guest/host masks all
 * ones), CR3 loads exit (CR3-load exiting, CR3-target count 0).  RDTSC exiting is off and TSC offsetting is
 * not used, so the guest reads the host's TSC.  So nothing but the
 * instructions under test exits, and whatever else did would be seen.
 * External interrupts: for the timed blocks they do not exit (the
 * pin-based control off) and the guest's IF is clear, so an interrupt
 * waits in the local APIC until the window's end, as it does in a root
 * window; the probe has them exit and ends its window there.
 *
 * VPID.  Without it every VM entry and exit flushes the TLB (SDM Vol. 3C,
 * 29.1.3: mappings of VPID 0, the host's too), which no hypervisor pays:
 * mode=guest runs with VPID 1 (a point without VPID or INVVPID is skipped,
 * VB_SKIP_NO_VPID).  The guest uses the kernel's own page tables, so its
 * VPID-tagged translations must never outlive a window: each window
 * begins and ends with INVVPID of VPID 1 (the kernel's TLB shootdowns
 * reach VPID 0 only; with interrupts off none can arrive mid-window).
 *
 * An exit of a timed block: VMPTRST (22), CPUID (10), VMCALL (18), RDMSR
 * (31), OUT (30), XSETBV (55), INVD (13), MOV to CR3 (28) of the block's
 * instruction are checked against what the reference and the encoding say
 * (vmptrst_bench_abi.h: vb_guest_exit_invalid(); a mismatch marks the
 * record), VMPTRST's store is emulated (the current-VMCS pointer a
 * VMPTRST in root stores, to the address the exit names), RDMSR's result
 * too (RAX and RDX 0: the MSR is never read for the guest), and the guest
 * resumed past the instruction (the exit's instruction length).  Nothing
 * else is executed for the guest: no port touched, no XCR written, no
 * cache invalidated (never INVD), no CR3 loaded.
 * That handler is what mode=guest measures with the exit: the round trip
 * of a bare hypervisor, not KVM's.  HLT (12) ends the record: the guest's
 * TSC readings are in R9:R8 and R11:R10.  Any other exit, an entry
 * failure, a VMfail, or more exits than the block has instructions (NMI
 * slack included) ends the RUN with -EIO and the reason in the kernel log.
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
#include <linux/kprobes.h>
#include <linux/smp.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>
#include "vb_compat.h"
#include "vb_guest.h"
#include "vb_vmx_ops.h"

/* Segment access rights (SDM Vol. 3C, 25.4.1) */
#define VB_AR_CODE64		0xa09b	/* G, L, P, S, execute/read accessed */
#define VB_AR_DATA		0xc093	/* G, D/B, P, S, read/write accessed */
#define VB_AR_TSS_BUSY		0x008b	/* P, 64-bit busy TSS */
#define VB_AR_UNUSABLE		0x10000

/* DR7 after reset and after every VM exit (SDM Vol. 3C, 28.5.1) */
#define VB_DR7_RESET		0x400UL

/* Exits a record may see beyond its instructions' (NMIs) before it fails */
#define VB_GUEST_SLACK_EXITS	64

/* vb_guest_asm.S: HOST_RIP, and [enum vb_instruction][enum vb_serialize][log2 unroll] */
extern const u8 vb_guest_exit[];
extern const struct vb_gblock vb_guest_blocks[VB_INSN_COUNT][VB_SER_COUNT][9];
#ifdef VB_TEST_HOOKS
extern const struct vb_gblock vb_guest_wrongform[VB_SER_COUNT][9];
#endif

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

/* pin-based, primary, exit, entry, secondary controls */
static bool vb_controls(u32 ctl[5], u32 flags, bool vpid)
{
	u64 basic;
	bool truectl;

	if (vb_rdmsr_safe(MSR_IA32_VMX_BASIC, &basic))
		return false;
	truectl = basic & VMX_BASIC_TRUE_CTLS;
	ctl[4] = 0;
	return vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
			     MSR_IA32_VMX_PINBASED_CTLS,
			     PIN_BASED_NMI_EXITING |
			     (flags & VB_GUEST_INTR_EXITING ?
			      PIN_BASED_EXT_INTR_MASK : 0),
			     &ctl[0]) &&
	       (flags & VB_GUEST_INTR_EXITING ||
		!(ctl[0] & PIN_BASED_EXT_INTR_MASK)) &&
	       vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			     MSR_IA32_VMX_PROCBASED_CTLS,
			     CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
			     CPU_BASED_CR3_LOAD_EXITING |
			     (vpid ? CPU_BASED_ACTIVATE_SECONDARY_CONTROLS : 0),
			     &ctl[1]) &&
	       (!vpid || vb_adjust_ctl(MSR_IA32_VMX_PROCBASED_CTLS2,
				       SECONDARY_EXEC_ENABLE_VPID, &ctl[4])) &&
	       vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			     MSR_IA32_VMX_EXIT_CTLS,
			     VM_EXIT_HOST_ADDR_SPACE_SIZE |
			     VM_EXIT_SAVE_DEBUG_CONTROLS, &ctl[2]) &&
	       vb_adjust_ctl(truectl ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
			     MSR_IA32_VMX_ENTRY_CTLS,
			     VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_DEBUG_CONTROLS,
			     &ctl[3]) &&
	       /*
		* Controls that must stay off: RDTSC exiting, TSC offset, MSR
		* bitmaps (without them every RDMSR exits), I/O bitmaps,
		*/
	       !(ctl[1] & (CPU_BASED_RDTSC_EXITING |
			   CPU_BASED_USE_TSC_OFFSETTING |
			   CPU_BASED_USE_MSR_BITMAPS |
			   CPU_BASED_USE_IO_BITMAPS)) &&
	       (vpid || !(ctl[1] & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)) &&
	       /* and acknowledging an interrupt on exit. */
	       !(ctl[2] & VM_EXIT_ACK_INTR_ON_EXIT);
}

/*
 * What mode=guest needs of this CPU's VMX: the secondary controls with
 * "enable VPID", and INVVPID of one context or of all (SDM Vol. 3D, A.3.3
 * and A.10); the type to use in @invvpid_type.
 */
bool vb_guest_caps(u8 *invvpid_type)
{
	u64 proc, proc2, cap;

	if (vb_rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS, &proc) ||
	    !(proc >> 32 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    vb_rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &proc2) ||
	    !(proc2 >> 32 & SECONDARY_EXEC_ENABLE_VPID) ||
	    vb_rdmsr_safe(MSR_IA32_VMX_EPT_VPID_CAP, &cap))
		return false;
	cap >>= 32;
	if (!(cap & VMX_VPID_INVVPID_BIT))
		return false;
	if (cap & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT)
		*invvpid_type = VMX_VPID_EXTENT_SINGLE_CONTEXT;
	else if (cap & VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT)
		*invvpid_type = VMX_VPID_EXTENT_ALL_CONTEXT;
	else
		return false;
	return true;
}

/* INVVPID of @vpid's translations (or all but VPID 0's): false on VMfail. */
static bool vb_invvpid(u8 type, u16 vpid)
{
	struct {
		u64 vpid;
		u64 gla;
	} desc = { vpid, 0 };
	bool fail;

	asm volatile("invvpid %[desc], %[type]\n\t"
		     "setna %[fail]"
		     : [fail] "=qm"(fail)
		     : [desc] "m"(desc), [type] "r"((unsigned long)type)
		     : "cc", "memory");
	return !fail;
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

void vb_host_save(struct vb_host_state *h)
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
void vb_host_restore(const struct vb_host_state *h)
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
			pr_err_ratelimited("CPU %u: guest: VMWRITE of field %#x failed\n",
					   cpu, w[i].field);
			return false;
		}
	}
	return true;
}

/*
 * The guest, to start at @rip, and the host's return path, in the current
 * VMCS; g->host saved before.  False, with the reason in the kernel log,
 * if the CPU does not allow it.
 */
bool vb_guest_setup(struct vb_guest *g, unsigned long rip, u32 flags)
{
	const struct vb_host_state *h = &g->host;
	unsigned long cr0 = read_cr0(), cr3 = __read_cr3(), cr4 = __read_cr4();
	unsigned long tr_base = vb_tss_base(&h->gdt, h->tr);
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u32 ctl[5];

	if (!vb_controls(ctl, flags, g->vpid)) {
		pr_err_ratelimited("CPU %u: guest: the VMX capability MSRs do not allow the controls it needs\n",
				   g->cpu);
		return false;
	}
	if (!vb_fixed(MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1, cr0) ||
	    !vb_fixed(MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1, cr4)) {
		pr_err_ratelimited("CPU %u: guest: CR0 %#lx / CR4 %#lx do not meet the VMX fixed bits\n",
				   g->cpu, cr0, cr4);
		return false;
	}
	rdmsrl(MSR_IA32_SYSENTER_CS, sysenter_cs);
	rdmsrl(MSR_IA32_SYSENTER_ESP, sysenter_esp);
	rdmsrl(MSR_IA32_SYSENTER_EIP, sysenter_eip);
	if (g->vpid && (!vb_vmwrite(SECONDARY_VM_EXEC_CONTROL, ctl[4]) ||
			!vb_vmwrite(VIRTUAL_PROCESSOR_ID, g->vpid))) {
		pr_err_ratelimited("CPU %u: guest: VMWRITE of the VPID controls failed\n",
				   g->cpu);
		return false;
	}
	if (g->msr_store) {
		/* the exit/entry split: each VM exit stores IA32_TSC there */
		g->msr_store->index = vb_injected(VB_FAULT_GUEST_SPLIT) ?
				      MSR_IA32_SYSENTER_CS : MSR_IA32_TSC;
		g->msr_store->reserved = 0;
		if (!vb_vmwrite(VM_EXIT_MSR_STORE_ADDR,
				virt_to_phys(g->msr_store))) {
			pr_err_ratelimited("CPU %u: guest: VMWRITE of the MSR-store address failed\n",
					   g->cpu);
			return false;
		}
	}
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
			{ VM_EXIT_MSR_STORE_COUNT, g->msr_store ? 1 : 0 },
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
			{ GUEST_RSP, g->stack_top },
			{ GUEST_RIP, rip },
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

		if (!vb_vmwrite_all(w, ARRAY_SIZE(w), g->cpu))
			return false;
	}
	/* Tests: the failures the guest must end cleanly on. */
	if (vb_injected(VB_FAULT_GUEST_VMFAIL))
		return vb_vmwrite(CR3_TARGET_COUNT, 512);
	if (vb_injected(VB_FAULT_GUEST_ENTRY))
		return vb_vmwrite(VMCS_LINK_POINTER, 0);
	return true;
}

/*
 * Everything from a VM exit to handing an NMI or a machine check to the
 * kernel runs with NMIs blocked by the exit: no function on that path may
 * be traced or probed (an INT3 or a tracer's IRET would unblock NMIs
 * early, the hazard KVM moved its own path into non-instrumented code
 * for in 6.3).  vb_guest_enter() and vb_guest_do_nmi() are assembly;
 * these are notrace and NOKPROBE, and so are the exit loops that call
 * them (vb_guest_block(), the probe's).
 */
notrace u64 vb_guest_read(u32 field)
{
	u64 v = 0;

	vb_vmread(field, &v);
	return v;
}
NOKPROBE_SYMBOL(vb_guest_read);
NOKPROBE_SYMBOL(vb_guest_enter);
NOKPROBE_SYMBOL(vb_guest_do_nmi);

/*
 * A machine check that hit the guest (an exception exit, vector 18) or
 * its VM entry (basic reason 41) reached the host as a VM exit: the
 * kernel's handler has not run and MCG_STATUS.MCIP is still set, so a
 * second one would shut the CPU down.  Hand it over at once, as KVM's
 * kvm_machine_check() does: do_machine_check() (exported GPL) with a
 * frame that says user mode, whatever the guest ran at.  The RUN then
 * fails; the kernel decides about the machine.
 */
static notrace void vb_machine_check(void)
{
	struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

	if (vb_injected(VB_FAULT_GUEST_MC)) {
		/* tests: no machine check is pending, the handler would panic */
		pr_info_ratelimited("CPU %u: guest: injected machine check: do_machine_check() not called (tests' build)\n",
				    smp_processor_id());
		return;
	}
	do_machine_check(&regs);
}
NOKPROBE_SYMBOL(vb_machine_check);

/*
 * An exit that is an event for the kernel rather than for the guest: an
 * NMI (handed to the kernel's NMI entry, see the comment at the top: the
 * guest may resume) or a machine check (handed to its handler: the guest
 * may not).  Basic reason 0 (exception or NMI) or 41 only: the exits of
 * the instructions under test pay no VMREAD for it.
 */
notrace enum vb_event_exit vb_guest_event_exit(u32 reason)
{
	u32 intr;

	if (vb_injected(VB_FAULT_GUEST_MC) ||
	    (u16)reason == EXIT_REASON_MCE_DURING_VMENTRY) {
		vb_machine_check();
		return VB_GEV_MC;
	}
	if (reason != EXIT_REASON_EXCEPTION_NMI)
		return VB_GEV_NONE;
	intr = vb_guest_read(VM_EXIT_INTR_INFO);
	switch (intr & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK |
			INTR_INFO_VECTOR_MASK)) {
	case INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION | X86_TRAP_MC:
		vb_machine_check();
		return VB_GEV_MC;
	case INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR | NMI_VECTOR:
		vb_guest_do_nmi((unsigned long)VB_NMI_ENTRY);
		return VB_GEV_NMI;
	default:
		return VB_GEV_NONE;
	}
}
NOKPROBE_SYMBOL(vb_guest_event_exit);

/* ---- mode=guest: the timed blocks --------------------------------------- */

/*
 * The INVVPID at the window's start leaves the guest's TLB empty: one
 * untimed pass of each block the window times (the point's instruction
 * and the baseline), so that no record pays the page walks of the block's
 * code, its stack and the operand inside its bracket.
 */
static int vb_guest_warm(struct vb_ctx *c)
{
	struct vb_exit_rec scratch;
	u64 t0, t1;

	if (!vb_guest_block(c, c->point.instruction, &scratch, &t0, &t1) ||
	    (c->point.instruction != VB_INSN_NONE &&
	     !vb_guest_block(c, VB_INSN_NONE, &scratch, &t0, &t1)))
		return c->guest_err;
	return 0;
}

/* The window's start, VMX on and its VMCS current: the guest set up. */
int vb_guest_begin(struct vb_ctx *c)
{
	struct vb_guest *g = c->guest;

	vb_host_save(&g->host);
	g->launched = false;
	if (vb_injected(VB_FAULT_GUEST_INVVPID) ||
	    !vb_invvpid(g->invvpid_type, g->vpid)) {
		pr_err_ratelimited("CPU %u: guest: INVVPID (type %u) failed\n",
				   g->cpu, g->invvpid_type);
		return -EIO;
	}
	/* RIP: each record's block sets its own */
	if (!vb_guest_setup(g, (unsigned long)vb_guest_blocks[VB_INSN_NONE]
			    [VB_SER_LFENCE][0].start, 0))
		return -EIO;
	/* the field written before each VMRESUME: the value setup gave it */
	g->dirty_field = vb_field_encoding(c->point.field);
	if (g->dirty_field && !vb_vmread(g->dirty_field, &g->dirty_value)) {
		pr_err_ratelimited("CPU %u: guest: VMREAD of field %#x failed\n",
				   g->cpu, g->dirty_field);
		return -EIO;
	}
	return vb_guest_warm(c);
}

/* The window's end, before VMCLEAR: the host as it was, no translations left. */
int vb_guest_finish(struct vb_ctx *c)
{
	struct vb_guest *g = c->guest;

	if (g->launched)
		vb_host_restore(&g->host);
	if (!vb_invvpid(g->invvpid_type, g->vpid)) {
		pr_err_ratelimited("CPU %u: guest: INVVPID (type %u) at the end failed\n",
				   g->cpu, g->invvpid_type);
		return -EIO;
	}
	return 0;
}

/* vb_guest_enter()'s failures (vb_guest_asm.S) in words. */
const char *vb_guest_enter_failure(int rc)
{
	switch (rc) {
	case 1:
		return "VM entry: VMfailInvalid";
	case 2:
		return "VM entry: VMfailValid";
	default:
		return "VM entry not tried: VMWRITE of HOST_RSP failed";
	}
}

/* The record cannot be taken: the window ends, the RUN fails (-EIO). */
static bool vb_guest_fail(struct vb_ctx *c, const char *what, u32 reason)
{
	pr_err_ratelimited("CPU %u: guest: %s: exit reason %#x, qualification %#llx, interruption info %#llx, guest RIP %#llx, VM-instruction error %llu\n",
			   c->point.cpu, what, reason,
			   vb_guest_read(EXIT_QUALIFICATION),
			   vb_guest_read(VM_EXIT_INTR_INFO),
			   vb_guest_read(GUEST_RIP),
			   vb_guest_read(VM_INSTRUCTION_ERROR));
	c->guest_err = -EIO;
	return false;
}

static const struct vb_gblock *vb_gblock_of(const struct vb_ctx *c, u8 insn)
{
	u32 u = ilog2(c->point.unroll);

#ifdef VB_TEST_HOOKS
	if (insn == VB_INSN_VMPTRST && vb_injected(VB_FAULT_GUEST_FORM))
		return &vb_guest_wrongform[c->point.serialize][u];
#endif
	return &vb_guest_blocks[insn][c->point.serialize][u];
}

/* The instruction under test in the kernel log's words. */
static notrace const char *vb_guest_insn_name(u8 insn)
{
	switch (insn) {
	case VB_INSN_VMPTRST:
		return "VMPTRST";
	case VB_INSN_CPUID:
		return "CPUID";
	case VB_INSN_VMCALL:
		return "VMCALL";
	case VB_INSN_RDMSR:
		return "RDMSR";
	case VB_INSN_IO:
		return "OUT";
	case VB_INSN_XSETBV:
		return "XSETBV";
	case VB_INSN_INVD:
		return "INVD";
	case VB_INSN_CR3_LOAD:
		return "MOV to CR3";
	default:
		return "unexpected";
	}
}

/*
 * RCX at a block's entry: the MSR RDMSR names, the XCR XSETBV names (0),
 * the CR3 MOV to CR3 names (the guest's own, as if it were loaded); 0
 * for the others.
 */
static notrace unsigned long vb_guest_rcx(u8 insn)
{
	switch (insn) {
	case VB_INSN_RDMSR:
		return VB_GUEST_RDMSR_MSR;
	case VB_INSN_CR3_LOAD:
		return __read_cr3();
	default:
		return 0;
	}
}

/*
 * An exit of the instruction under test, in the block: checked, noted in
 * the record's vb_exit_rec, VMPTRST's store and RDMSR's result emulated,
 * the guest moved past it.  False if it is not such an exit (the record fails).
 */
static bool vb_guest_insn_exit(struct vb_ctx *c, u8 insn,
			       const struct vb_gblock *b, u32 reason,
			       struct vb_exit_rec *x)
{
	struct vb_guest *g = c->guest;
	u64 qual = vb_guest_read(EXIT_QUALIFICATION);
	u32 info = vb_guest_read(VMX_INSTRUCTION_INFO);
	u32 len = vb_guest_read(VM_EXIT_INSTRUCTION_LEN);
	unsigned long rip = vb_guest_read(GUEST_RIP);
	const char *bad;
	u32 want_reason, want_len;

	vb_guest_exit_want(insn, &want_reason, &want_len);
	if (!want_reason || reason != want_reason ||
	    rip < (unsigned long)b->start ||
	    rip >= (unsigned long)b->start + b->hlt)
		return vb_guest_fail(c, "an exit the block cannot cause", reason);
	x->exits++;
	x->reason = reason;
	x->qualification = qual;
	x->insn_info = info;
	x->insn_len = len;
	bad = vb_guest_exit_invalid(insn, reason, qual, info, len);
	if (!bad && insn == VB_INSN_RDMSR &&
	    (u32)g->regs.rcx != VB_GUEST_RDMSR_MSR)
		bad = "ECX (the MSR)";
	if (bad) {
		if (!g->rec_bad)
			pr_err_ratelimited("CPU %u: guest: %s exit not as encoded: %s (qualification %#llx, instruction information %#x, length %u)\n",
					   c->point.cpu, vb_guest_insn_name(insn),
					   bad, qual, info, len);
		g->rec_bad = true;
	} else if (insn == VB_INSN_VMPTRST) {
		/* the store, where the exit says: RBX + displacement */
		put_unaligned(c->expected, (u64 *)(g->regs.rbx + qual));
	} else if (insn == VB_INSN_RDMSR) {
		/* the MSR's value, never read: EDX:EAX 0 */
		g->regs.rax = 0;
		g->regs.rdx = 0;
	}
	/* the split's readings of this exit (the entry's: at the HLT) */
	x->tsc_stored = g->msr_store->value;	/* mode=guest always has one */
	x->tsc_handler_in = g->regs.tsc_in;
	if (!vb_vmwrite(GUEST_RIP, rip + len))
		return vb_guest_fail(c, "VMWRITE of the guest's RIP", reason);
	/* the point's field, the dirty-VMCS cost: the same value again */
	if (g->dirty_field && !vb_vmwrite(g->dirty_field, g->dirty_value))
		return vb_guest_fail(c, "VMWRITE of the point's field", reason);
	return true;
}

/*
 * One record's block in the guest: entered at its start, its exits
 * handled until its HLT.  The guest's TSC readings in @tsc_begin and
 * @tsc_end.  False if it failed (c->guest_err set, the reason logged).
 */
notrace bool vb_guest_block(struct vb_ctx *c, u8 insn, struct vb_exit_rec *x,
			    u64 *tsc_begin, u64 *tsc_end)
{
	struct vb_guest *g = c->guest;
	const struct vb_gblock *b = vb_gblock_of(c, insn);
	unsigned long rip = (unsigned long)b->start;
	u32 n, reason = 0, bound = c->point.unroll + VB_GUEST_SLACK_EXITS;
	int rc;

	memset(x, 0, sizeof(*x));
	g->rec_bad = false;
	g->rec_nmi = false;
	g->regs.rbx = (unsigned long)c->operand - VB_GUEST_DISP;
	g->regs.rdi = g->regs.rbx;
	g->regs.rsi = c->expected;
	g->regs.rcx = vb_guest_rcx(insn);
	if (vb_injected(VB_FAULT_GUEST_EXIT))
		rip += b->hlt + 1;	/* its UD2 */
	if (!vb_vmwrite(GUEST_RIP, rip))
		return vb_guest_fail(c, "VMWRITE of the guest's RIP", 0);
	if (vb_injected(VB_FAULT_GUEST_BOUND))
		bound = c->point.unroll / 2;
	for (n = 0; n < bound; n++) {
		rc = vb_guest_enter(&g->regs, g->launched);
		if (rc)
			return vb_guest_fail(c, vb_guest_enter_failure(rc), 0);
		g->launched = true;
		reason = vb_guest_read(VM_EXIT_REASON);
		switch (vb_guest_event_exit(reason)) {
		case VB_GEV_NMI:
			g->rec_nmi = true;
			continue;
		case VB_GEV_MC:
			return vb_guest_fail(c, "a machine check (handed to the kernel's machine-check handler)",
					     reason);
		default:
			break;
		}
		if (reason == EXIT_REASON_HLT) {
			if (vb_guest_read(GUEST_RIP) !=
			    (unsigned long)b->start + b->hlt)
				return vb_guest_fail(c, "a HLT not the block's", reason);
			*tsc_begin = (g->regs.r9 << 32) | (u32)g->regs.r8;
			*tsc_end = (g->regs.r11 << 32) | (u32)g->regs.r10;
			if (x->exits)	/* the entry after its last exit */
				x->tsc_handler_out = g->regs.tsc_out;
			return true;
		}
		if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
			return vb_guest_fail(c, "VM entry failed", reason);
		if (!vb_guest_insn_exit(c, insn, b, reason, x))
			return false;
	}
	return vb_guest_fail(c, "more exits than the block has instructions",
			     reason);
}
NOKPROBE_SYMBOL(vb_guest_block);

/* The record's exits, after its block: any not as expected, or too few or many? */
bool vb_guest_exits_wrong(const struct vb_ctx *c, u32 index)
{
	return c->guest->rec_bad ||
	       vb_exit_rec_invalid(c->rec[index].instruction, c->point.unroll,
				   &c->exits[index]);
}
