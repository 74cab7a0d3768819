// SPDX-License-Identifier: GPL-2.0
/*
 * Test hooks (vb_test_hooks.h): fault injection and the HOLD ioctl.  Built
 * only by `make TEST_HOOKS=1`, for the emulated tests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/io.h>
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
	return debug_hold ? " (test build: inject_fault, HOLD with debug_hold on)" :
			    " (test build: inject_fault, HOLD)";
}
