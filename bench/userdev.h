/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user backend (`--backend user`): the timing engine of kmod/vb_engine.h
 * run at ring 3 on the calling thread, pinned, behind the same INFO / RUN
 * contract as /dev/vmptrst_bench, so that the engine can be measured on any
 * x86-64 machine without the module, root or VT-x.
 *
 * What ring 3 cannot do is refused with -EOPNOTSUPP before anything runs
 * (vb_user_refusal() says why): VMPTRST itself (at CPL 3 it raises #UD
 * outside VMX operation and #GP(0) in VMX root operation, so it is never a
 * measurement; `vmptrst-bench probe` shows which), memtype other than wb,
 * tlb cold, ad clear, mode guest (VMX non-root operation needs the module
 * as its hypervisor), and SELFTEST.  Interrupts stay on: a "window" is a
 * stretch of at most ~1 ms / VB_WINDOW_MAX_SAMPLES samples between
 * which SIGINT/SIGTERM are looked at, not an IRQ-off window.
 */
#ifndef VB_USERDEV_H
#define VB_USERDEV_H

#include "device.h"

#define VB_USER_MODULE_VERSION	"user-0.1.0"	/* vb_info.module_version */
#define VB_USER_DEVICE_PATH	"user backend (ring 3)" /* for vb_dev_open() */

/*
 * What the backend asks the machine for its decisions (not its timings),
 * so that tests can hide a feature: CPUID on the current CPU, for
 * CLFLUSHOPT (leaf 7) and RDTSCP (leaf 0x80000001).  NULL: the real one.
 */
struct vb_user_machine {
	void (*cpuid)(unsigned int leaf, unsigned int sub, unsigned int r[4]);
};

/*
 * open, ioctl (VB_IOC_INFO, VB_IOC_RUN; VB_IOC_SELFTEST -EOPNOTSUPP;
 * anything else, VB_IOC_HOLD too as in the module users load, -ENOTTY)
 * and close.  priv: NULL for the real
 * machine, or a const struct vb_user_machine *.
 */
extern const struct vb_dev_ops vb_dev_user_ops;
const struct vb_dev_ops *vb_user_dev_ops(void);

/*
 * The two ioctls as functions.  INFO: flags 0 (the backend uses no VMX),
 * tsc_khz from CPUID.15H or measured against CLOCK_MONOTONIC_RAW, online
 * CPUs; -ENXIO for an offline CPU.  RUN: 0, or -EINVAL (a field out of
 * range, as the module checks them), -ENXIO (cannot pin to run->point.cpu),
 * -EOPNOTSUPP (see vb_user_refusal()), -ENOMEM.
 */
int vb_user_info(struct vb_info *info);
int vb_user_run(struct vb_run *run);
/*
 * RUN on machine m (NULL: the real one).  A point it lacks a feature for
 * is skipped as the module skips it: cache=flushopt without CLFLUSHOPT
 * (VB_SKIP_NO_CLFLUSHOPT), serialize=cpuid without RDTSCP
 * (VB_SKIP_NO_RDTSCP: the engine's cpuid bracket ends in RDTSCP).
 */
int vb_user_run_on(const struct vb_user_machine *m, struct vb_run *run);

/*
 * Why RUN refuses a run of point @p with -EOPNOTSUPP (one line), or NULL if
 * it does not.
 */
const char *vb_user_refusal(const struct vb_point_desc *p);

/*
 * Why RUN refuses point @p with -EOPNOTSUPP for want of the module where a
 * run skips the point rather than stop (one line), or NULL: mode=guest.
 * Checked before vb_user_refusal(): a guest point is skipped, whatever its
 * instruction.
 */
const char *vb_user_skip(const struct vb_point_desc *p);

/*
 * The message for -EOPNOTSUPP when the request is not at hand (a
 * vb_dev_explain() without the vb_run), naming every refused case.
 */
#define VB_USER_EOPNOTSUPP_MSG						\
	"the user backend runs at ring 3 and cannot measure this point: "  \
	"vmptrst raises #UD or #GP there (use the module), memtype other " \
	"than wb, tlb cold and ad clear need ring 0, mode guest and selftest " \
	"need the module"

/* The TSC frequency the backend uses, kHz (cached after the first call). */
unsigned int vb_user_tsc_khz(void);

#endif /* VB_USERDEV_H */
