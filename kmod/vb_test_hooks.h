/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test hooks: compiled in only by `make TEST_HOOKS=1` (VB_TEST_HOOKS, see
 * Kbuild), the build the emulated tests load; never in the module users
 * load (`make`, `make run`).  vb_test_hooks.c holds them:
 *   - fault injection: the module parameter inject_fault (root,
 *     /sys/module/vmptrst_bench/parameters/inject_fault) makes one step of
 *     every RUN fail as the hardware or the kernel could (enum vb_fault),
 *     so that the tests can check that each error path leaves the machine
 *     as it was;
 *   - HOLD (vmptrst_bench_abi.h), allowed by the module parameter
 *     debug_hold: VMX kept on on one CPU between ioctls;
 *   - GUEST_PROBE (vmptrst_bench_abi.h, vb_guest.h): VMPTRST executed by a
 *     minimal guest of the module's, its VM exits checked.
 * Without VB_TEST_HOOKS neither parameter exists, vb_injected() is false
 * at compile time, and HOLD and GUEST_PROBE are unknown ioctls (-ENOTTY).
 */
#ifndef VB_TEST_HOOKS_H
#define VB_TEST_HOOKS_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>
#include "vmptrst_bench_abi.h"

enum vb_fault {
	VB_FAULT_NONE = 0,
	VB_FAULT_VMXON = 1,		/* VMXON reports VMfail */
	VB_FAULT_VMCLEAR = 2,		/* VMCLEAR reports VMfail */
	VB_FAULT_VMPTRLD = 3,		/* VMPTRLD reports VMfail */
	VB_FAULT_GUARD = 4,		/* the guarded VMPTRST faults */
	VB_FAULT_LATER_WINDOW = 5,	/* VMXON fails from the 2nd window on */
	VB_FAULT_MEMTYPE_ALLOC = 6,	/* ENOMEM after the memory type was set */
	VB_FAULT_PMU = 7,		/* no counter can be created */
	VB_FAULT_COPY_OUT = 8,		/* the records cannot be copied out */
	VB_FAULT_VMXOFF = 9,		/* VMXOFF (done) is reported as VMfail */
	VB_FAULT_NO_RDTSCP = 10,	/* the CPU is taken to lack RDTSCP */
	/* GUEST_PROBE (vb_guest.c) */
	VB_FAULT_GUEST_SHORT = 11,	/* a window ends after 64 exits: the next goes on */
	VB_FAULT_GUEST_VMFAIL = 12,	/* CR3-target count 512: VMLAUNCH VMfailValid, error 7 */
	VB_FAULT_GUEST_ENTRY = 13,	/* VMCS link pointer 0: entry failure, reason 33, qualification 4 */
	VB_FAULT_GUEST_EXIT = 14,	/* the guest starts at its UD2: exit reason 0, #UD */
	/* mode=guest (vb_guest.c); 12, 13 and 14 also apply */
	VB_FAULT_GUEST_FORM = 15,	/* VMPTRST blocks of another addressing form: exits not as checked */
	VB_FAULT_GUEST_INVVPID = 16,	/* INVVPID at the window's start reports VMfail */
	VB_FAULT_GUEST_BOUND = 17,	/* a record may have half its instructions' exits: the bound */
	VB_FAULT_NO_VPID = 18,		/* the CPU is taken to lack VPID: mode=guest skipped */
	VB_FAULT_GUEST_MC = 19,		/* every exit taken for a machine check (the handler not called) */
	VB_FAULT_FRED = 20,		/* the kernel is taken to run with FRED: mode=guest skipped */
	VB_FAULT_FAMILY_WRONG = 21,	/* the family's records made wrong by the CPU (vb_family.c) */
	VB_FAULT_NO_OSXSAVE = 22,	/* CR4.OSXSAVE taken to be clear: mode=guest xsetbv skipped */
	VB_FAULT_FAMILY_BEGIN = 23,	/* the family's guarded copy reports VMfail: the window ends, EIO */
	VB_FAULT_GUEST_SPLIT = 24,	/* the MSR-store list holds IA32_SYSENTER_CS, not IA32_TSC */
};

#ifdef VB_TEST_HOOKS

extern int vb_inject_fault;

static inline bool vb_injected(enum vb_fault f)
{
	return unlikely(READ_ONCE(vb_inject_fault) == f);
}

/* HOLD: the ioctl, and the CPU hotplug callback that ends a hold. */
long vb_ioctl_hold(struct vb_hold __user *uarg);
int vb_test_hooks_init(void);
void vb_test_hooks_exit(void);
const char *vb_test_hooks_note(void);

/* HOLD's work on the held CPU (vb_vmx.c). */
struct vb_hold_ctx {
	u64 vmxon_pa;
	u32 cpu;
	int err;
	bool stuck;
};
void vb_hold_on_cpu(void *arg);
void vb_release_on_cpu(void *arg);
void vb_emergency_on_cpu(void *arg);

/* GUEST_PROBE: VMPTRST in VMX non-root operation (vb_guest.h). */
long vb_ioctl_guest_probe(struct vb_guest_probe __user *uarg);

#else /* the module users load */

static inline bool vb_injected(enum vb_fault f)
{
	return false;
}

static inline long vb_ioctl_hold(struct vb_hold __user *uarg)
{
	return -ENOTTY;
}

static inline long vb_ioctl_guest_probe(struct vb_guest_probe __user *uarg)
{
	return -ENOTTY;
}

static inline int vb_test_hooks_init(void)
{
	return 0;
}

static inline void vb_test_hooks_exit(void)
{
}

static inline const char *vb_test_hooks_note(void)
{
	return "";
}

#endif /* VB_TEST_HOOKS */
#endif /* VB_TEST_HOOKS_H */
