/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What keeps a RUN off VMX on a CPU, and what to do about it: INFO's flags
 * read together with KVM's state below the root prefix (kvm_intel in
 * /sys/module or /proc/modules, /sys/module/kvm/parameters/
 * enable_virt_at_load, absent before Linux 6.12).  One wording for `run`,
 * `info`, `selftest` and `doctor`.
 */
#ifndef VB_VMXOWNER_H
#define VB_VMXOWNER_H

#include <stddef.h>

#include "device.h"

/* The first thing in INFO that stops a RUN, in the order they are judged. */
enum vb_vmx_block {
	VB_BLOCK_NONE,
	VB_BLOCK_NO_VMX,	/* CPUID.1:ECX.VMX = 0 */
	VB_BLOCK_STUCK,		/* VB_INFO_CPU_STUCK: VMXOFF failed there */
	VB_BLOCK_FIRMWARE,	/* locked, VMX outside SMX off, kernel agrees */
	VB_BLOCK_KERNEL,	/* CPUID has VMX, X86_FEATURE_VMX clear */
	VB_BLOCK_IN_USE,	/* another hypervisor has VMX on: waitable */
	VB_BLOCK_NO_COVER,	/* KVM holds the crash-time VMXOFF: waitable */
};

/* Who turned VMX on, as far as /sys and INFO tell. */
enum vb_vmx_owner {
	VB_OWNER_VM,		/* kvm loaded, VMX on only while VMs exist */
	VB_OWNER_KVM_AT_LOAD,	/* kvm.enable_virt_at_load=Y */
	VB_OWNER_OTHER,		/* kvm_intel not loaded */
};

enum vb_vmx_block vb_vmx_block(const struct vb_info *info);
/* IN_USE and NO_COVER: what --wait-vmx waits out. */
int vb_vmx_waitable(enum vb_vmx_block b);
/* info may be NULL (no module): /sys and /proc alone. */
enum vb_vmx_owner vb_vmx_owner(const struct vb_info *info, const char *root);

/*
 * The cause of an IN_USE (by owner) or NO_COVER block, a phrase without
 * the CPU; and what to do, for `run` (naming --wait-vmx) or not.
 */
const char *vb_vmx_cause(enum vb_vmx_block b, enum vb_vmx_owner o);
const char *vb_vmx_fix(enum vb_vmx_block b, enum vb_vmx_owner o, int for_run);

/*
 * True, with "CPU N: why; what to do" in buf, if INFO says a RUN (op
 * VB_OP_RUN) or a SELFTEST cannot use VMX on cpu now.
 */
int vb_vmx_explain(const struct vb_info *info, unsigned int cpu,
		   const char *root, enum vb_dev_op op, char *buf, size_t len);
/* vb_vmx_explain for a RUN. */
int vb_info_refuses(const struct vb_info *info, unsigned int cpu,
		    const char *root, char *buf, size_t len);

#endif /* VB_VMXOWNER_H */
