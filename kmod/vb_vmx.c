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
#include <asm/traps.h>
#include "vb_compat.h"
#include "vb_internal.h"
#include "vb_vmx_ops.h"

#define VB_CPUID1_ECX_VMX	BIT(5)
#define VB_BASIC_MEMTYPE_WB	6

/* Read what this CPU offers; never writes anything. */
void vb_read_caps(void *arg)
{
	struct vb_caps *caps = arg;

	memset(caps, 0, sizeof(*caps));
	caps->vmx = cpuid_ecx(1) & VB_CPUID1_ECX_VMX;
	caps->vmxe = vb_cr4_read() & X86_CR4_VMXE;
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
	u32 memtype = (caps->vmx_basic >> 50) & 0xf;
	u32 size = (caps->vmx_basic >> 32) & 0x1fff;

	if (!caps->vmx) {
		pr_info_ratelimited("CPU %u has no VMX (CPUID.1:ECX.VMX clear)\n",
				    cpu);
		return -ENODEV;
	}
	if (!caps->have_feat || !(fc & FEAT_CTL_LOCKED) ||
	    !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_info_ratelimited("CPU %u: VMX not enabled by firmware (IA32_FEATURE_CONTROL %#llx); enable VT-x in the firmware setup\n",
				    cpu, fc);
		return -ENODEV;
	}
	if (caps->vmxe) {
		pr_info_ratelimited("CPU %u: VMX is already on (CR4.VMXE set): kvm_intel or another hypervisor owns it; release it with 'rmmod kvm_intel kvm' (6.12+: or load kvm with enable_virt_at_load=0)\n",
				    cpu);
		return -EBUSY;
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
	return 0;
}

/*
 * Leave VMX operation and clear CR4.VMXE.  If VMXOFF reported VMfail the CPU
 * is still in VMX operation (it cannot happen without a dual-monitor SMM
 * setup); clearing CR4.VMXE then would #GP, so it is left set and reported.
 */
static int vb_vmx_off(void)
{
	enum vb_vmx_status st = vb_vmxoff();

	if (WARN_ON_ONCE(st == VB_VMX_FAILED))
		return -EIO;
	vb_cr4_clear_vmxe();
	return st == VB_VMX_OK ? 0 : -EIO;
}

static const char *vb_status_name(enum vb_vmx_status st)
{
	return st == VB_VMX_FAILED ? "VMfail" : "a fault";
}

/*
 * Enter VMX root operation, make the VMCS state the point asks for, and
 * prove with one guarded VMPTRST on the operand that the unguarded copies
 * in the timed blocks will complete.  On failure everything is undone.
 */
static int vb_vmx_on(struct vb_ctx *c)
{
	struct vb_caps caps;
	enum vb_vmx_status st;
	bool failed;
	int trap, err;

	vb_read_caps(&caps);
	err = vb_check_caps(&caps, c->cpu);
	if (err)
		return err;

	vb_cr4_set_vmxe();
	if (vb_injected(VB_FAULT_VMXON) ||
	    (vb_injected(VB_FAULT_LATER_WINDOW) && c->windows))
		st = VB_VMX_FAILED;	/* as if VMXON had failed */
	else
		st = vb_vmxon(c->vmxon_pa);
	if (st) {
		pr_err_ratelimited("CPU %u: VMXON gave %s\n", c->cpu,
				   vb_status_name(st));
		vb_cr4_clear_vmxe();
		return -EIO;
	}
	st = vb_vmclear(c->vmcs_pa);
	if (!st && vb_injected(VB_FAULT_VMCLEAR))
		st = VB_VMX_FAILED;
	if (st) {
		pr_err_ratelimited("CPU %u: VMCLEAR gave %s\n", c->cpu,
				   vb_status_name(st));
		goto out_vmxoff;
	}
	if (c->vmcs == VB_VMCS_LOADED) {
		st = vb_vmptrld(c->vmcs_pa);
		if (!st && vb_injected(VB_FAULT_VMPTRLD))
			st = VB_VMX_FAILED;
		if (st) {
			pr_err_ratelimited("CPU %u: VMPTRLD gave %s\n", c->cpu,
					   vb_status_name(st));
			goto out_vmclear;
		}
	}
	put_unaligned(VB_POISON, (u64 *)c->operand);
	trap = vb_vmptrst_safe(c->operand, &failed);
	if (vb_injected(VB_FAULT_GUARD))
		trap = X86_TRAP_GP;
	if (trap >= 0 || failed ||
	    get_unaligned((u64 *)c->operand) != c->expected) {
		pr_err_ratelimited("CPU %u: guarded VMPTRST: trap %d, VMfail %d, stored value %s\n",
				   c->cpu, trap, failed,
				   get_unaligned((u64 *)c->operand) ==
				   c->expected ? "right" : "wrong");
		goto out_vmclear;
	}
	return 0;

out_vmclear:
	vb_vmclear(c->vmcs_pa);
out_vmxoff:
	vb_vmx_off();
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
	u32 first = VB_RECORDS_NEEDED(c->instruction, c->done);
	struct vb_noise before, after;
	enum vb_vmx_status st;
	int err;

	vb_noise_read(&before);
	c->err = vb_vmx_on(c);
	if (c->err)
		return;
	vb_pmu_window_start(&c->pmu);
	vb_take_samples(c, before.tsc + c->budget_tsc);

	st = vb_vmclear(c->vmcs_pa);
	if (st)
		pr_err_ratelimited("CPU %u: VMCLEAR at the end gave %s\n",
				   c->cpu, vb_status_name(st));
	err = vb_vmx_off();
	c->err = st ? -EIO : err;
	vb_noise_read(&after);
	c->max_window_tsc = max(c->max_window_tsc, after.tsc - before.tsc);
	vb_noise_note(c, &before, &after, first,
		      VB_RECORDS_NEEDED(c->instruction, c->done));
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

/*
 * HOLD (debug only): VMX on and left on, on this CPU, no VMCS current.
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
	vb_cr4_set_vmxe();
	st = vb_vmxon(h->vmxon_pa);
	if (st) {
		pr_err_ratelimited("CPU %u: VMXON (hold) gave %s\n", h->cpu,
				   vb_status_name(st));
		vb_cr4_clear_vmxe();
		h->err = -EIO;
	}
}

/* The end of a HOLD: VMXOFF, CR4.VMXE cleared. */
void vb_release_on_cpu(void *arg)
{
	struct vb_hold_ctx *h = arg;

	h->err = vb_vmx_off();
}
