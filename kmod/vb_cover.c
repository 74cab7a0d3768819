// SPDX-License-Identifier: GPL-2.0
/*
 * Who turns VMX off if the machine crashes during a RUN.
 *
 * A CPU left in VMX root operation blocks INIT: a kdump kernel that wakes
 * CPUs with INIT, or an INIT-based emergency reset, hangs; and a panic on
 * the target CPU inside a window reaches kexec with CR4.VMXE set while in
 * VMX operation, where clearing it faults.  The kernel no longer turns VMX
 * off by itself on those paths (upstream 119b5cb4ffd0, in 6.1.y too): it
 * calls the one callback registered with
 * cpu_emergency_register_virt_callback() on every CPU, from
 * native_machine_crash_shutdown(), the crash NMI and
 * emergency_reboot_disable_virtualization().  The slot is single and a
 * second registration WARNs, and KVM is its user (vb_compat.h says when).
 *
 * The choice, before every window (and a HOLD's VMXON):
 *   - KVM's module absent: the module registers vb_emergency_vmxoff()
 *     (once; it stays until the module is unloaded: it does nothing on a
 *     CPU where the module has no VMX on, and a registration per RUN
 *     would cost a synchronize_rcu() per point).  A module notifier sees
 *     KVM's module COMING, before its init can register, and hands the
 *     slot over at once (the windows hold vb_cover_lock, so never in the
 *     middle of one);
 *   - 6.1.y with kvm_intel loaded (LIVE): kvm_intel's callback is
 *     registered for its lifetime and turns VMX off whenever the raw
 *     CR4.VMXE is set, ours included: covered without a registration;
 *   - otherwise (6.12 with kvm loaded: its callback exists only while it
 *     has VMX on, and taking the slot meanwhile would make KVM's
 *     registration WARN and leave KVM's own VMs uncovered; or KVM's module
 *     half-loaded): not covered.  A RUN refuses to start (-EBUSY, INFO says
 *     VB_INFO_NO_COVER), or stops between windows (VB_RUN_NO_COVER), or
 *     waits for the cover (vb_run.wait_vmx_ms).  While KVM's module is
 *     loading, a RUN waits up to VB_COVER_GRACE_MS whatever it asked:
 *     on 6.1.y kvm_intel's own callback is about to cover it.
 * Left open, by design: on 6.1.y kvm_intel can be unloaded while a window
 * runs (its cleanup unregisters before any notifier tells us), which
 * leaves the rest of that window (at most VB_WINDOW_US) uncovered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <asm/reboot.h>
#include "vb_compat.h"
#include "vb_internal.h"

enum vb_owner_state {
	VB_OWNER_ABSENT,	/* KVM's module is not loaded */
	VB_OWNER_COMING,	/* loading: its init may register any moment */
	VB_OWNER_LIVE,		/* loaded */
};

static DEFINE_MUTEX(vb_cover_lock);
static enum vb_owner_state vb_owner;
static bool vb_cover_ours;	/* vb_emergency_vmxoff() is in the slot */

/* Caller holds vb_cover_lock.  Leaves the slot empty if it was ours. */
static void vb_cover_drop(void)
{
	if (!vb_cover_ours)
		return;
	cpu_emergency_unregister_virt_callback(vb_emergency_vmxoff);
	vb_cover_ours = false;
}

/* Caller holds vb_cover_lock.  Is a window covered now?  Takes the slot if free. */
static bool vb_cover_take(void)
{
	if (vb_owner == VB_OWNER_LIVE && VB_SLOT_OWNER_LOADED_COVERS)
		return true;
	if (vb_owner != VB_OWNER_ABSENT)
		return false;
	if (!vb_cover_ours) {
		cpu_emergency_register_virt_callback(vb_emergency_vmxoff);
		vb_cover_ours = true;
	}
	return true;
}

static int vb_module_event(struct notifier_block *nb, unsigned long event,
			   void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, VB_SLOT_OWNER))
		return NOTIFY_DONE;
	mutex_lock(&vb_cover_lock);
	switch (event) {
	case MODULE_STATE_COMING:
		vb_owner = VB_OWNER_COMING;
		if (vb_cover_ours)
			pr_info("%s is loading: the crash-time VMXOFF callback is handed over to it\n",
				VB_SLOT_OWNER);
		vb_cover_drop();
		break;
	case MODULE_STATE_LIVE:
		vb_owner = VB_OWNER_LIVE;
		break;
	case MODULE_STATE_GOING:	/* after its exit: the slot is free */
		vb_owner = VB_OWNER_ABSENT;
		break;
	}
	mutex_unlock(&vb_cover_lock);
	return NOTIFY_DONE;
}

static struct notifier_block vb_module_nb = {
	.notifier_call = vb_module_event,
};

/* Is a module of that name loaded?  Its sysfs directory says. */
static bool vb_module_loaded(const char *name)
{
	char path[MODULE_NAME_LEN + 16];
	struct path p;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	if (kern_path(path, LOOKUP_FOLLOW, &p))
		return false;
	path_put(&p);
	return true;
}

int vb_cover_init(void)
{
	int err = register_module_notifier(&vb_module_nb);

	if (err)
		return err;
	mutex_lock(&vb_cover_lock);
	if (vb_owner == VB_OWNER_ABSENT && vb_module_loaded(VB_SLOT_OWNER))
		vb_owner = VB_OWNER_LIVE;
	mutex_unlock(&vb_cover_lock);
	return 0;
}

void vb_cover_exit(void)
{
	unregister_module_notifier(&vb_module_nb);
	mutex_lock(&vb_cover_lock);
	vb_cover_drop();
	mutex_unlock(&vb_cover_lock);
}

/*
 * Before a window (or a HOLD's VMXON): true with vb_cover_lock held, the
 * CPU covered until vb_cover_end(); false if it cannot be covered now.
 */
bool vb_cover_begin(void)
{
	mutex_lock(&vb_cover_lock);
	if (vb_cover_take())
		return true;
	mutex_unlock(&vb_cover_lock);
	return false;
}

void vb_cover_end(void)
{
	mutex_unlock(&vb_cover_lock);
}

/* Is KVM's module loading (the cover about to be settled either way)? */
bool vb_cover_settling(void)
{
	return READ_ONCE(vb_owner) == VB_OWNER_COMING;
}

/* For INFO: is KVM's module loaded, could a RUN be covered now? */
void vb_cover_state(bool *kvm, bool *coverable)
{
	mutex_lock(&vb_cover_lock);
	*kvm = vb_owner != VB_OWNER_ABSENT;
	*coverable = vb_owner == VB_OWNER_ABSENT ||
		     (vb_owner == VB_OWNER_LIVE && VB_SLOT_OWNER_LOADED_COVERS);
	mutex_unlock(&vb_cover_lock);
}
