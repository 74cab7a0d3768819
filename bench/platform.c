// SPDX-License-Identifier: GPL-2.0
/* Where the driver runs: see platform.h. */
#define _GNU_SOURCE	/* strcasestr */
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "sysfs.h"

const char *const vb_platform_names[VB_PLATFORM_COUNT + 1] = {
	[VB_PLATFORM_NATIVE] = "native",
	[VB_PLATFORM_QEMU] = "qemu",
	[VB_PLATFORM_BOCHS] = "bochs",
	[VB_PLATFORM_VM] = "vm",
	[VB_PLATFORM_COUNT] = NULL,
};

void vb_platform_gather(const char *root, const struct vb_cpu_id *id,
			struct vb_platform_facts *f)
{
	memset(f, 0, sizeof(*f));
	if (vb_sys_read_line(root, "/sys/class/dmi/id/sys_vendor",
			     f->sys_vendor, sizeof(f->sys_vendor)))
		f->sys_vendor[0] = '\0';
	if (vb_sys_read_line(root, "/sys/class/dmi/id/product_name",
			     f->product_name, sizeof(f->product_name)))
		f->product_name[0] = '\0';
	f->hypervisor = id->hypervisor;
	snprintf(f->hv_signature, sizeof(f->hv_signature), "%s",
		 id->hv_signature);
}

static int dmi_says(const struct vb_platform_facts *f, const char *what)
{
	return strcasestr(f->sys_vendor, what) ||
	       strcasestr(f->product_name, what);
}

/*
 * QEMU's DMI with KVM underneath (CPUID signature "KVMKVMKVM") is a guest
 * on real hardware, not an emulator: its timings are real plus the
 * hypervisor's, so it is "vm", not "qemu".  QEMU before 1.x called
 * itself "Bochs" in DMI, hence QEMU is tested first.
 */
enum vb_platform vb_platform_classify(const struct vb_platform_facts *f)
{
	if (dmi_says(f, "QEMU"))
		return strncmp(f->hv_signature, "KVMKVMKVM", 9) ?
		       VB_PLATFORM_QEMU : VB_PLATFORM_VM;
	if (dmi_says(f, "Bochs"))
		return VB_PLATFORM_BOCHS;
	if (f->hypervisor)
		return VB_PLATFORM_VM;
	return VB_PLATFORM_NATIVE;
}

const char *vb_platform_name(enum vb_platform p)
{
	return p < VB_PLATFORM_COUNT ? vb_platform_names[p] : "unknown";
}

const char *vb_platform_timing_note(enum vb_platform p)
{
	switch (p) {
	case VB_PLATFORM_NATIVE:
		return "none";
	case VB_PLATFORM_VM:
		return "guest: timings include the hypervisor; it may ignore guest PAT (KVM with EPT does, unless a device does noncoherent DMA), so memtype wc and uc- may measure WB; MSR_SMI_COUNT (0x34) is emulated, so SMIs are never flagged and the host's preemption of this vCPU is invisible";
	default:
		return "emulated: timings are not real";
	}
}

enum vb_platform vb_platform_detect(const char *root, vb_cpuid_fn cpuid,
				    enum vb_platform override)
{
	struct vb_platform_facts facts;
	struct vb_cpu_id id;

	if (override != VB_PLATFORM_AUTO)
		return override;
	vb_cpu_identify(cpuid, &id);
	vb_platform_gather(root, &id, &facts);
	return vb_platform_classify(&facts);
}

int vb_platform_pat_unreliable(enum vb_platform p, unsigned int memtype)
{
	return p == VB_PLATFORM_VM &&
	       (memtype == VB_MEM_WC || memtype == VB_MEM_UC_MINUS);
}
