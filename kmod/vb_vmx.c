// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU VMX work.  Every function here named *_on_cpu or called from one
 * runs on the target CPU through smp_call_function_single(), interrupts off.
 *
 * A window is self-contained: it turns VMX on, takes its samples and turns
 * VMX off again before interrupts come back on, so no VMX state and no
 * CR4.VMXE outlives it, whatever happens next.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/smp.h>
#include <asm/processor.h>
#include <asm/msr-index.h>
#include <asm/special_insns.h>
#include <linux/hardirq.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/perf_event.h>
#include <asm/traps.h>
#include "vb_compat.h"
#include "vb_internal.h"
#include "vb_guest.h"
#include "vb_vmx_ops.h"

#define VB_CPUID1_ECX_VMX	BIT(5)
#define VB_BASIC_MEMTYPE_WB	6

/*
 * What this module has turned on on each CPU, for vb_emergency_vmxoff():
 * `on` from a completed VMXON until CR4.VMXE is clear again, `vmcs` while
 * a VMCS of ours may be current there.
 */
struct vb_vmx_state {
	bool on;
	u64 vmcs;
};
static DEFINE_PER_CPU(struct vb_vmx_state, vb_vmx_state);

/* Read what this CPU offers; never writes anything. */
void vb_read_caps(void *arg)
{
	struct vb_caps *caps = arg;

	memset(caps, 0, sizeof(*caps));
	caps->vmx = cpuid_ecx(1) & VB_CPUID1_ECX_VMX;
	caps->kernel_vmx = this_cpu_has(X86_FEATURE_VMX);
	caps->rdtscp = this_cpu_has(X86_FEATURE_RDTSCP);
	caps->vmxe = (vb_cr4_read() | vb_cr4_read_raw()) & X86_CR4_VMXE;
	caps->cr0 = read_cr0();
	caps->cr4 = vb_cr4_read();
	caps->have_feat = !vb_rdmsr_safe(MSR_IA32_FEAT_CTL,
					 &caps->feature_control);
	if (!caps->vmx)
		return;
	caps->have_basic =
		!vb_rdmsr_safe(MSR_IA32_VMX_BASIC, &caps->vmx_basic) &&
		!vb_rdmsr_safe(MSR_IA32_VMX_CR0_FIXED0, &caps->cr0_fixed0) &&
		!vb_rdmsr_safe(MSR_IA32_VMX_CR0_FIXED1, &caps->cr0_fixed1) &&
		!vb_rdmsr_safe(MSR_IA32_VMX_CR4_FIXED0, &caps->cr4_fixed0) &&
		!vb_rdmsr_safe(MSR_IA32_VMX_CR4_FIXED1, &caps->cr4_fixed1);
	caps->guest = caps->have_basic && vb_guest_caps(&caps->invvpid_type);
}

static bool vb_fixed_ok(u64 val, u64 fixed0, u64 fixed1)
{
	return (val & fixed0) == fixed0 && (val & ~fixed1) == 0;
}

/*
 * Can a window run on this CPU?  0, -ENODEV (no usable VMX) or -EBUSY (VMX
 * owned by someone else), with one rate-limited line saying why.
 */
int vb_check_caps(const struct vb_caps *caps, u32 cpu)
{
	u64 fc = caps->feature_control;
	u32 memtype = VB_BASIC_MEMTYPE(caps->vmx_basic);
	u32 size = VB_BASIC_SIZE(caps->vmx_basic);

	if (!caps->vmx) {
		pr_info_ratelimited("CPU %u has no VMX (CPUID.1:ECX.VMX clear)\n",
				    cpu);
		return -ENODEV;
	}
	/*
	 * The kernel's verdict (arch/x86/kernel/cpu/feat_ctl.c) picks the
	 * IA32_FEATURE_CONTROL bit with tboot_enabled() (VMX inside SMX under
	 * TXT, outside otherwise), which is not exported to modules, and
	 * clears X86_FEATURE_VMX when that bit is off: KVM trusts it, so do we.
	 */
	if (!caps->kernel_vmx || !caps->have_feat || !(fc & FEAT_CTL_LOCKED) ||
	    !(fc & (FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX |
		    FEAT_CTL_VMX_ENABLED_INSIDE_SMX))) {
		pr_info_ratelimited("CPU %u: VMX not enabled by firmware for the mode this kernel runs in (IA32_FEATURE_CONTROL %#llx, kernel flag vmx %s); enable VT-x (with TXT: VT-x inside SMX) in the firmware setup\n",
				    cpu, fc, caps->kernel_vmx ? "set" : "clear");
		return -ENODEV;
	}
	if (!caps->have_basic || memtype != VB_BASIC_MEMTYPE_WB ||
	    size == 0 || size > PAGE_SIZE) {
		pr_info_ratelimited("CPU %u: unsupported IA32_VMX_BASIC %#llx\n",
				    cpu, caps->vmx_basic);
		return -ENODEV;
	}
	if (!vb_fixed_ok(caps->cr0, caps->cr0_fixed0, caps->cr0_fixed1) ||
	    !vb_fixed_ok(caps->cr4 | X86_CR4_VMXE, caps->cr4_fixed0,
			 caps->cr4_fixed1)) {
		pr_info_ratelimited("CPU %u: CR0 %#lx / CR4 %#lx do not meet the VMX fixed bits\n",
				    cpu, caps->cr0, caps->cr4);
		return -ENODEV;
	}
	/* Last: -EBUSY means "usable, once its owner lets go". */
	if (caps->vmxe) {
		pr_info_ratelimited("CPU %u: VMX is already on (CR4.VMXE set): kvm_intel or another hypervisor owns it\n",
				    cpu);
		return -EBUSY;
	}
	return 0;
}

static const char *vb_status_name(enum vb_vmx_status st)
{
	switch (st) {
	case VB_VMX_FAILED:
		return "VMfailInvalid";
	case VB_VMX_FAILED_VALID:
		return "VMfailValid";
	default:
		return "a fault";
	}
}

/*
 * One rate-limited line for a failed VMX instruction; after VMfailValid,
 * with the VM-instruction error (SDM Vol. 3C, 31.4) of the current VMCS.
 */
static void vb_vmx_report(u32 cpu, const char *insn, enum vb_vmx_status st)
{
	u64 error;

	if (st == VB_VMX_FAILED_VALID &&
	    vb_vmread(VB_VMCS_VM_INSTRUCTION_ERROR, &error))
		pr_err_ratelimited("CPU %u: %s gave VMfailValid, VM-instruction error %llu\n",
				   cpu, insn, error);
	else
		pr_err_ratelimited("CPU %u: %s gave %s\n", cpu, insn,
				   vb_status_name(st));
}

/*
 * VMXON with CR4.VMXE set first, as KVM's kvm_cpu_vmxon() does it,
 * Intel PT told (intel_pt_handle_vmx(): on CPUs without
 * IA32_VMX_MISC[14] a trace would otherwise stop without a word).  On
 * failure everything is undone.
 */
static enum vb_vmx_status vb_vmxon_cr4(u64 vmxon_pa, bool inject)
{
	enum vb_vmx_status st;

	vb_cr4_set_vmxe();
	intel_pt_handle_vmx(1);
	st = inject ? VB_VMX_FAILED : vb_vmxon(vmxon_pa);
	if (st) {
		intel_pt_handle_vmx(0);
		vb_cr4_clear_vmxe();
		return st;
	}
	this_cpu_write(vb_vmx_state.on, true);
	return VB_VMX_OK;
}

/*
 * Leave VMX operation and clear CR4.VMXE.  If VMXOFF reports VMfail the
 * CPU is still in VMX operation (an SMM dual-monitor treatment is active):
 * CR4.VMXE stays set (clearing it would #GP), `stuck` says so, and the
 * caller must keep the VMXON region and refuse the CPU from then on.
 * @inject (tests): VMXOFF runs, but the caller is told it failed.
 */
static int vb_vmx_off(bool inject, bool *stuck)
{
	enum vb_vmx_status st = vb_vmxoff();

	if (vb_vmx_failed(st)) {
		vb_vmx_report(smp_processor_id(), "VMXOFF", st);
		*stuck = true;
		return -EIO;
	}
	intel_pt_handle_vmx(0);
	vb_cr4_clear_vmxe();
	this_cpu_write(vb_vmx_state.vmcs, 0);
	this_cpu_write(vb_vmx_state.on, false);
	if (inject) {
		*stuck = true;
		return -EIO;
	}
	return st == VB_VMX_OK ? 0 : -EIO;
}

/*
 * The crash-time callback (vb_cover.c), on every CPU, maybe in NMI
 * context: turn VMX off where this module turned it on and it still is.
 * Faults are ignored (the exception table); CR4.VMXE is cleared only when
 * the CPU has left VMX operation.
 */
void vb_emergency_vmxoff(void)
{
	struct vb_vmx_state *s = this_cpu_ptr(&vb_vmx_state);

	if (!READ_ONCE(s->on) || !(vb_cr4_read_raw() & X86_CR4_VMXE))
		return;
	if (s->vmcs)
		vb_vmclear(s->vmcs);
	if (vb_vmx_failed(vb_vmxoff()))
		return;
	intel_pt_handle_vmx(0);
	vb_cr4_clear_vmxe();
	WRITE_ONCE(s->vmcs, 0);
	WRITE_ONCE(s->on, false);
}

/*
 * Enter VMX root operation, make the VMCS state the point asks for, and
 * prove with one guarded VMPTRST on the operand that the unguarded copies
 * in the timed blocks will complete.  On failure everything is undone.
 */
static int vb_vmx_on(struct vb_ctx *c)
{
	/* what VMPTRST stores here (c->expected is the family's own value) */
	u64 want = c->point.vmcs == VB_VMCS_LOADED ? c->vmcs_pa : ~0ULL;
	struct vb_caps caps;
	enum vb_vmx_status st;
	bool failed;
	int trap, err;

	vb_read_caps(&caps);
	if (caps.vmxe)		/* taken since the RUN began: it waits or stops */
		return -EBUSY;
	err = vb_check_caps(&caps, c->point.cpu);
	if (err)
		return err;

	st = vb_vmxon_cr4(c->vmxon_pa, vb_injected(VB_FAULT_VMXON) ||
			  (vb_injected(VB_FAULT_LATER_WINDOW) && c->windows));
	if (st) {
		vb_vmx_report(c->point.cpu, "VMXON", st);
		return -EIO;
	}
	this_cpu_write(vb_vmx_state.vmcs, c->vmcs_pa);
	st = vb_vmclear(c->vmcs_pa);
	if (!st && vb_injected(VB_FAULT_VMCLEAR))
		st = VB_VMX_FAILED;
	if (st) {
		vb_vmx_report(c->point.cpu, "VMCLEAR", st);
		goto out_vmxoff;
	}
	if (c->point.vmcs == VB_VMCS_LOADED) {
		st = vb_vmptrld(c->vmcs_pa);
		if (!st && vb_injected(VB_FAULT_VMPTRLD))
			st = VB_VMX_FAILED;
		if (st) {
			vb_vmx_report(c->point.cpu, "VMPTRLD", st);
			goto out_vmclear;
		}
	}
	put_unaligned(VB_POISON, (u64 *)c->operand);
	trap = vb_vmptrst_safe(c->operand, &failed);
	if (vb_injected(VB_FAULT_GUARD))
		trap = X86_TRAP_GP;
	if (trap >= 0 || failed || get_unaligned((u64 *)c->operand) != want) {
		pr_err_ratelimited("CPU %u: guarded VMPTRST: trap %d, VMfail %d, stored value %s\n",
				   c->point.cpu, trap, failed,
				   get_unaligned((u64 *)c->operand) == want ?
				   "right" : "wrong");
		goto out_vmclear;
	}
	return 0;

out_vmclear:
	vb_vmclear(c->vmcs_pa);
out_vmxoff:
	vb_vmx_off(false, &c->stuck);
	return -EIO;
}

/* What may have disturbed a window: SMIs, NMIs, the clock's frequency. */
struct vb_noise {
	u64 tsc, aperf, mperf, smi;
	u32 nmi;
	bool have_freq, have_smi;
};

static void vb_noise_read(struct vb_noise *n)
{
	n->nmi = this_cpu_read(irq_stat.__nmi_count);
	n->have_smi = !vb_rdmsr_safe(MSR_SMI_COUNT, &n->smi);
	n->have_freq = !vb_rdmsr_safe(MSR_IA32_APERF, &n->aperf) &&
		       !vb_rdmsr_safe(MSR_IA32_MPERF, &n->mperf);
	n->tsc = rdtsc_ordered();
}

/*
 * After a window: describe it in c->win[] (while there is room) and, if an
 * SMI hit it, flag every record it wrote (an SMI cannot be pinned down to
 * one record: the count is an MSR, read per window).
 */
static void vb_noise_note(struct vb_ctx *c, const struct vb_noise *a,
			  const struct vb_noise *b, u32 first, u32 end)
{
	struct vb_window_stat *w;
	u32 i, smi = VB_NOT_READ;

	if (a->have_smi && b->have_smi)
		smi = (u32)(b->smi - a->smi);
	if (smi && smi != VB_NOT_READ)
		for (i = first; i < end; i++)
			c->rec[i].flags |= VB_SAMPLE_SMI;
	if (c->win_written >= c->win_len)
		return;
	w = &c->win[c->win_written++];
	w->tsc_begin = a->tsc;
	w->tsc_end = b->tsc;
	w->aperf = a->have_freq && b->have_freq ? b->aperf - a->aperf : 0;
	w->mperf = a->have_freq && b->have_freq ? b->mperf - a->mperf : 0;
	w->smi = smi;
	w->nmi = b->nmi - a->nmi;
	w->first_record = first;
	w->records = end - first;
}

/* One IRQ-off window of a RUN: VMX on, samples, VMX off. */
void vb_window(void *arg)
{
	struct vb_ctx *c = arg;
	u32 first = VB_RECORDS_NEEDED(c->point.instruction, c->done);
	struct vb_noise before, after;
	enum vb_vmx_status st;
	int err;

	vb_noise_read(&before);
	c->err = vb_vmx_on(c);
	if (c->err)
		return;
	vb_pmu_window_start(&c->pmu);
	c->guest_err = 0;
	if (c->point.mode == VB_MODE_GUEST)
		c->guest_err = vb_guest_begin(c);
	else if (vb_insn_is_family(c->point.instruction))
		c->guest_err = vb_family_begin(c);
	if (!c->guest_err)
		vb_take_samples(c, before.tsc + c->budget_tsc);
	if (c->point.mode == VB_MODE_GUEST)
		c->guest_err = vb_guest_finish(c) ?: c->guest_err;
	else if (vb_insn_is_family(c->point.instruction))
		vb_family_end(c);

	st = vb_vmclear(c->vmcs_pa);
	if (st)
		vb_vmx_report(c->point.cpu, "VMCLEAR at the end", st);
	err = vb_vmx_off(vb_injected(VB_FAULT_VMXOFF), &c->stuck);
	c->err = st ? -EIO : err ?: c->guest_err;
	vb_noise_read(&after);
	c->max_window_tsc = max(c->max_window_tsc, after.tsc - before.tsc);
	vb_noise_note(c, &before, &after, first,
		      VB_RECORDS_NEEDED(c->point.instruction, c->done));
}

/*
 * CONFORM's window (vb_conform.c), on the target CPU with interrupts off:
 * VMX on as in a RUN's window (the VMCS current), the branches in VMX
 * root, VMCLEAR, the branch with no current VMCS, VMX off.
 */
void vb_conform_window(struct vb_conf_ctx *k)
{
	struct vb_ctx *c = &k->vc;
	enum vb_vmx_status st;
	int err;

	c->err = vb_vmx_on(c);
	if (c->err)
		return;
	vb_conf_root(k);
	st = vb_vmclear(c->vmcs_pa);
	if (st)
		vb_vmx_report(c->point.cpu, "VMCLEAR at the end", st);
	else
		vb_conf_no_vmcs(k);
	err = vb_vmx_off(false, &c->stuck);
	c->err = st ? -EIO : err;
}

/*
 * VMPTRST outside VMX operation: the reference says #UD.  Refused when
 * CR4.VMXE is set, since this CPU may then be in someone else's VMX
 * operation and the instruction would store their VMCS pointer.
 */
void vb_selftest_on_cpu(void *arg)
{
	struct vb_selftest_ctx *t = arg;
	bool failed;

	if (vb_cr4_read() & X86_CR4_VMXE) {
		t->err = -EBUSY;
		return;
	}
	t->operand = VB_POISON;
	t->trap = vb_vmptrst_safe(&t->operand, &failed);
	t->err = 0;
}

#ifdef VB_TEST_HOOKS	/* HOLD's work on the held CPU (vb_test_hooks.h) */

/*
 * HOLD: VMX on and left on, on this CPU, no VMCS current.
 * Refused, as a RUN is, when someone else already has VMX on here.
 */
void vb_hold_on_cpu(void *arg)
{
	struct vb_hold_ctx *h = arg;
	struct vb_caps caps;
	enum vb_vmx_status st;

	vb_read_caps(&caps);
	h->err = vb_check_caps(&caps, h->cpu);
	if (h->err)
		return;
	st = vb_vmxon_cr4(h->vmxon_pa, false);
	if (st) {
		vb_vmx_report(h->cpu, "VMXON (hold)", st);
		h->err = -EIO;
	}
}

/* The end of a HOLD: VMXOFF, CR4.VMXE cleared. */
void vb_release_on_cpu(void *arg)
{
	struct vb_hold_ctx *h = arg;

	h->err = vb_vmx_off(false, &h->stuck);
}

/*
 * The end of a HOLD as a crash would end it (tests): the crash-time
 * callback, then what it left behind: 0 if VMX is off and CR4.VMXE clear.
 */
void vb_emergency_on_cpu(void *arg)
{
	struct vb_hold_ctx *h = arg;

	vb_emergency_vmxoff();
	h->err = (vb_cr4_read_raw() | vb_cr4_read()) & X86_CR4_VMXE ||
		 this_cpu_read(vb_vmx_state.on) ? -EIO : 0;
}

/*
 * GUEST_PROBE: one IRQ-off window, as a RUN's (vb_window): VMX on with the
 * window's VMCS current, the guest run until it is done or the window's
 * budget is spent (vb_guest.c), VMCLEAR, VMX off.
 */
void vb_guest_window(void *arg)
{
	struct vb_guest_ctx *g = arg;
	struct vb_ctx *c = &g->vc;
	u64 begin = rdtsc_ordered();
	enum vb_vmx_status st;
	int err;

	c->err = vb_vmx_on(c);
	if (c->err)
		return;
	vb_guest_run(g, begin + g->budget_tsc);
	st = vb_vmclear(c->vmcs_pa);
	if (st)
		vb_vmx_report(c->point.cpu, "VMCLEAR at the end", st);
	err = vb_vmx_off(false, &c->stuck);
	c->err = st ? -EIO : err;
	c->windows++;
	c->max_window_tsc = max(c->max_window_tsc, rdtsc_ordered() - begin);
}

#endif /* VB_TEST_HOOKS */
