// SPDX-License-Identifier: GPL-2.0
/* What keeps a RUN off VMX: see vmxowner.h. */
#include <stdint.h>
#include <stdio.h>

#include "sysstate.h"
#include "vmxowner.h"

#define AT_LOAD	"/sys/module/kvm/parameters/enable_virt_at_load"

enum vb_vmx_block vb_vmx_block(const struct vb_info *info)
{
	uint32_t f = info->flags;

	if (!(f & VB_INFO_VMX))
		return VB_BLOCK_NO_VMX;
	if (f & VB_INFO_CPU_STUCK)
		return VB_BLOCK_STUCK;
	/* the kernel's verdict (SMX/TXT considered) over the MSR's bits */
	if (!(f & VB_INFO_KERNEL_VMX))
		return (f & VB_INFO_FEAT_LOCKED) && !(f & VB_INFO_FEAT_VMX) ?
		       VB_BLOCK_FIRMWARE : VB_BLOCK_KERNEL;
	if (f & VB_INFO_VMX_IN_USE)
		return VB_BLOCK_IN_USE;
	if (f & VB_INFO_NO_COVER)
		return VB_BLOCK_NO_COVER;
	return VB_BLOCK_NONE;
}

int vb_vmx_waitable(enum vb_vmx_block b)
{
	return b == VB_BLOCK_IN_USE || b == VB_BLOCK_NO_COVER;
}

enum vb_vmx_owner vb_vmx_owner(const struct vb_info *info, const char *root)
{
	int kvm;

	if (!root)
		root = "";
	kvm = (info && (info->flags & VB_INFO_KVM)) ||
	      vb_kvm_intel_loaded(root) == VB_YES;

	if (!kvm)
		return VB_OWNER_OTHER;
	/* absent before 6.12: VMX on only while VMs exist */
	return vb_sys_bool(root, AT_LOAD) == VB_YES ? VB_OWNER_KVM_AT_LOAD :
						      VB_OWNER_VM;
}

static const struct {
	const char *cause, *fix_run, *fix;
} in_use[] = {
	[VB_OWNER_VM] = {
		"a VM is running: KVM turns VMX on while VMs exist",
		"wait for it to end, or use --wait-vmx SECONDS",
		"wait for it to end" },
	[VB_OWNER_KVM_AT_LOAD] = {
		"kvm_intel turned VMX on when it was loaded (kvm.enable_virt_at_load=Y)",
		"rmmod kvm_intel kvm, or reload kvm with enable_virt_at_load=0",
		"rmmod kvm_intel kvm, or reload kvm with enable_virt_at_load=0" },
	[VB_OWNER_OTHER] = {
		"another hypervisor owns VMX (kvm_intel is not loaded)",
		"stop it for the run, or use --wait-vmx SECONDS",
		"stop it" },
};

#define NO_COVER_CAUSE "kvm is loaded: on this kernel KVM takes the kernel's single crash-time VMXOFF callback whenever it turns VMX on, so the module cannot keep a crash or kdump from hanging this CPU during a run"

const char *vb_vmx_cause(enum vb_vmx_block b, enum vb_vmx_owner o)
{
	if (b == VB_BLOCK_NO_COVER)
		return NO_COVER_CAUSE;
	return in_use[o].cause;
}

const char *vb_vmx_fix(enum vb_vmx_block b, enum vb_vmx_owner o, int for_run)
{
	if (b == VB_BLOCK_NO_COVER)
		return for_run ? "unload kvm_intel and kvm for the run (or --wait-vmx SECONDS to wait for that)" :
				 "unload kvm_intel and kvm";
	return for_run ? in_use[o].fix_run : in_use[o].fix;
}

int vb_vmx_explain(const struct vb_info *info, unsigned int cpu,
		   const char *root, enum vb_dev_op op, char *buf, size_t len)
{
	enum vb_vmx_block b = vb_vmx_block(info);
	enum vb_vmx_owner o;
	int run = op == VB_OP_RUN;

	switch (b) {
	case VB_BLOCK_NONE:
		return 0;
	case VB_BLOCK_NO_VMX:
		snprintf(buf, len, "CPU %u has no VMX (CPUID.1:ECX.VMX = 0): nothing to measure on this machine", cpu);
		break;
	case VB_BLOCK_STUCK:
		snprintf(buf, len, "CPU %u was left in VMX operation after VMXOFF failed; reboot before measuring on it", cpu);
		break;
	case VB_BLOCK_FIRMWARE:
		snprintf(buf, len, "CPU %u: VMX is disabled by firmware (IA32_FEATURE_CONTROL = 0x%llx, locked): enable VT-x in the firmware setup",
			 cpu, (unsigned long long)info->feature_control);
		break;
	case VB_BLOCK_KERNEL:
		snprintf(buf, len, "CPU %u: firmware disabled VMX for the mode the kernel runs in (the kernel's X86_FEATURE_VMX is clear though CPUID has VMX, SMX/TXT considered; IA32_FEATURE_CONTROL = 0x%llx): enable VT-x in the firmware setup (with Intel TXT: VT-x inside SMX too)",
			 cpu, (unsigned long long)info->feature_control);
		break;
	case VB_BLOCK_IN_USE:
	case VB_BLOCK_NO_COVER:
		o = vb_vmx_owner(info, root);
		snprintf(buf, len, "CPU %u: %s%s; %s", cpu, vb_vmx_cause(b, o),
			 op == VB_OP_SELFTEST && b == VB_BLOCK_IN_USE ?
			 ", and the selftest needs VMX off" : "",
			 vb_vmx_fix(b, o, run));
		break;
	}
	return 1;
}

int vb_info_refuses(const struct vb_info *info, unsigned int cpu,
		    const char *root, char *buf, size_t len)
{
	return vb_vmx_explain(info, cpu, root, VB_OP_RUN, buf, len);
}
