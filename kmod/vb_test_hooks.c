// SPDX-License-Identifier: GPL-2.0
/*
 * Test hooks (vb_test_hooks.h): fault injection, the HOLD ioctl and the
 * GUEST_PROBE ioctl.  Built only by `make TEST_HOOKS=1`, for the emulated
 * tests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/io.h>
#include <asm/tsc.h>
#include "vb_guest.h"
#include "vb_internal.h"

int vb_inject_fault;
module_param_named(inject_fault, vb_inject_fault, int, 0600);
MODULE_PARM_DESC(inject_fault,
		 "tests only: make one step of every RUN fail (enum vb_fault in vb_test_hooks.h)");

/* HOLD: allowed at all, the CPU whose VMX we keep on, its VMXON region. */
static bool debug_hold;
module_param(debug_hold, bool, 0444);
MODULE_PARM_DESC(debug_hold,
		 "allow the HOLD ioctl, which keeps VMX on on a CPU between ioctls (tests only)");
static int vb_held_cpu = -1;
static struct page *vb_held_vmxon;

static enum cpuhp_state vb_cpuhp_state;

/* The hold is over (released, or VMX left some other way). */
static void vb_hold_done(void)
{
	__free_page(vb_held_vmxon);
	vb_held_vmxon = NULL;
	vb_held_cpu = -1;
}

/*
 * End the hold on its CPU: VMXOFF (@fn vb_release_on_cpu) or the
 * crash-time callback (vb_emergency_on_cpu).  The caller holds
 * vb_run_lock.  If VMX may still be on there, the region is kept.
 */
static int vb_end_hold(smp_call_func_t fn)
{
	struct vb_hold_ctx h = { .cpu = vb_held_cpu };
	int err;

	err = smp_call_function_single(vb_held_cpu, fn, &h, 1);
	if (!err)
		err = h.err;
	if (h.stuck) {
		vb_cpu_stuck(vb_held_cpu);
		vb_held_vmxon = NULL;	/* kept: the CPU may still use it */
		vb_held_cpu = -1;
	} else if (err) {
		pr_err("CPU %d: could not end the VMX hold (%d)\n",
		       vb_held_cpu, err);
	} else {
		vb_hold_done();
	}
	return err;
}

static int vb_hold_locked(u32 cpu)
{
	struct vb_hold_ctx h = { .cpu = cpu };
	struct vb_caps caps;
	int err;

	if (vb_held_cpu >= 0)
		return -EBUSY;
	err = vb_cpu_usable(cpu);
	if (!err)
		err = vb_caps_of(cpu, &caps);
	if (!err)
		err = vb_check_caps(&caps, cpu);
	if (err)
		return err;
	vb_held_vmxon = vb_alloc(cpu, 0, VB_BASIC_32BIT_ADDR(caps.vmx_basic));
	if (!vb_held_vmxon)
		return -ENOMEM;
	*(u32 *)page_address(vb_held_vmxon) = VB_BASIC_REVISION(caps.vmx_basic);
	h.vmxon_pa = page_to_phys(vb_held_vmxon);
	err = -EBUSY;
	if (vb_cover_begin()) {
		err = smp_call_function_single(cpu, vb_hold_on_cpu, &h, 1);
		vb_cover_end();
		if (!err)
			err = h.err;
	}
	if (err) {
		__free_page(vb_held_vmxon);
		vb_held_vmxon = NULL;
		return err;
	}
	vb_held_cpu = cpu;
	pr_info("CPU %u: VMX held on (debug_hold)\n", cpu);
	return 0;
}

long vb_ioctl_hold(struct vb_hold __user *uarg)
{
	struct vb_hold h;
	int err;

	if (!debug_hold)
		return -EOPNOTSUPP;
	if (copy_from_user(&h, uarg, sizeof(h)))
		return -EFAULT;
	if (h.size != sizeof(h) || h.abi_version != VB_ABI_VERSION ||
	    h.hold > VB_HOLD_EMERGENCY)
		return -EINVAL;
	if (!vb_cpu_ok(h.cpu))
		return -ENXIO;
	if (!mutex_trylock(&vb_run_lock))
		return -EBUSY;
	if (h.hold == VB_HOLD_ON)
		err = vb_hold_locked(h.cpu);
	else if (vb_held_cpu != (int)h.cpu)
		err = -EINVAL;
	else
		err = vb_end_hold(h.hold == VB_HOLD_EMERGENCY ?
				  vb_emergency_on_cpu : vb_release_on_cpu);
	mutex_unlock(&vb_run_lock);
	return err;
}

/*
 * A CPU going offline must not keep VMX on: INIT is blocked in VMX root.
 * Only a HOLD keeps VMX on between ioctls (a RUN turns it off after every
 * window, and its next window's IPI fails with -ENXIO), so only the held
 * CPU waits for vb_run_lock here.
 */
static int vb_cpu_down(unsigned int cpu)
{
	struct vb_hold_ctx h = { .cpu = cpu };
	unsigned long flags;

	if (READ_ONCE(vb_held_cpu) != (int)cpu)
		return 0;
	mutex_lock(&vb_run_lock);
	if (vb_held_cpu == (int)cpu) {
		local_irq_save(flags);
		vb_release_on_cpu(&h);
		local_irq_restore(flags);
		if (h.stuck) {
			vb_cpu_stuck(cpu);
			vb_held_vmxon = NULL;
			vb_held_cpu = -1;
		} else if (!h.err) {
			vb_hold_done();
		}
	}
	mutex_unlock(&vb_run_lock);
	return 0;
}

int vb_test_hooks_init(void)
{
	int err = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					    "vmptrst_bench:online", NULL,
					    vb_cpu_down);

	if (err < 0)
		return err;
	vb_cpuhp_state = err;
	return 0;
}

/* After the device is gone: a hold still in place is released. */
void vb_test_hooks_exit(void)
{
	mutex_lock(&vb_run_lock);
	if (vb_held_cpu >= 0)
		vb_end_hold(vb_release_on_cpu);
	mutex_unlock(&vb_run_lock);
	cpuhp_remove_state_nocalls(vb_cpuhp_state);
}

/* For the module's load line: this is not the module users load. */
const char *vb_test_hooks_note(void)
{
	return debug_hold ? " (test build: inject_fault, HOLD with debug_hold on, GUEST_PROBE)" :
			    " (test build: inject_fault, HOLD, GUEST_PROBE)";
}

/*
 * GUEST_PROBE (vmptrst_bench_abi.h, vb_guest.h): the guest run in windows
 * until its VMCALL, each window covered by the crash-time VMXOFF as a
 * RUN's is.  A window that ends early (its budget, an interrupt) is
 * followed by the next; the windows are bounded.
 */
#define VB_GUEST_MAX_WINDOWS(reps)	((reps) + 1000u)

static void vb_guest_free(struct vb_guest_ctx *g, struct page *vmxon,
			  struct page *vmcs)
{
	free_page((unsigned long)g->stack);
	if (g->vc.stuck) {	/* the CPU may still use them */
		vb_cpu_stuck(g->vc.point.cpu);
		return;
	}
	if (vmcs)
		__free_page(vmcs);
	if (vmxon)
		__free_page(vmxon);
}

static int vb_guest_windows(struct vb_guest_ctx *g)
{
	u32 w, max = VB_GUEST_MAX_WINDOWS(g->out->repetitions);
	int err = 0;

	for (w = 0; !g->finished && w < max; w++) {
		if (!vb_cover_begin())
			return -EBUSY;
		err = smp_call_function_single(g->vc.point.cpu,
					       vb_guest_window, g, 1);
		vb_cover_end();
		if (!err)
			err = g->vc.err;
		if (err || g->vc.stuck)
			return err ? err : -EIO;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	if (!g->finished)
		g->out->outcome = VB_GUEST_BOUND;
	return 0;
}

static int vb_guest_probe_locked(struct vb_guest_probe *p,
				 struct vb_guest_ctx *g)
{
	struct page *vmxon = NULL, *vmcs = NULL;
	struct vb_caps caps;
	bool low;
	int err;

	err = vb_cpu_usable(p->cpu);
	if (!err)
		err = vb_caps_of(p->cpu, &caps);
	if (!err)
		err = vb_check_caps(&caps, p->cpu);
	if (err)
		return err;
	low = VB_BASIC_32BIT_ADDR(caps.vmx_basic);
	vmxon = vb_alloc(p->cpu, 0, low);
	vmcs = vb_alloc(p->cpu, 0, low);
	g->stack = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!vmxon || !vmcs || !g->stack) {
		err = -ENOMEM;
		goto out_free;
	}
	*(u32 *)page_address(vmxon) = VB_BASIC_REVISION(caps.vmx_basic);
	*(u32 *)page_address(vmcs) = VB_BASIC_REVISION(caps.vmx_basic);
	g->vc.point.cpu = p->cpu;
	g->vc.point.vmcs = VB_VMCS_LOADED;
	g->vc.vmxon_pa = page_to_phys(vmxon);
	g->vc.vmcs_pa = page_to_phys(vmcs);
	g->vc.operand = &g->root_operand;
	g->vc.expected = g->vc.vmcs_pa;
	g->budget_tsc = tsc_khz ? (u64)tsc_khz * VB_WINDOW_US / 1000 :
				  VB_WINDOW_TSC_FALLBACK;
	g->out = p;
	err = vb_guest_init(g);
	if (!err)
		err = vb_guest_windows(g);
	p->windows = g->vc.windows;
	p->max_window_tsc = g->vc.max_window_tsc;
out_free:
	vb_guest_free(g, vmxon, vmcs);
	return err;
}

long vb_ioctl_guest_probe(struct vb_guest_probe __user *uarg)
{
	struct vb_guest_probe in, p = { 0 };
	struct vb_guest_ctx g = { 0 };
	int err;

	if (copy_from_user(&in, uarg, sizeof(in)))
		return -EFAULT;
	if (in.size != sizeof(in) || in.abi_version != VB_ABI_VERSION ||
	    in.flags || !in.repetitions ||
	    in.repetitions > VB_GUEST_PROBE_MAX_REPETITIONS)
		return -EINVAL;
	if (!vb_cpu_ok(in.cpu))
		return -ENXIO;
	/* the "in" fields; every "out" field from zero */
	p.size = in.size;
	p.abi_version = in.abi_version;
	p.cpu = in.cpu;
	p.repetitions = in.repetitions;
	if (!mutex_trylock(&vb_run_lock))
		return -EBUSY;
	err = vb_guest_probe_locked(&p, &g);
	mutex_unlock(&vb_run_lock);
	if (err)
		return err;
	return copy_to_user(uarg, &p, sizeof(p)) ? -EFAULT : 0;
}
