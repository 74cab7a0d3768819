/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the driver runs: native hardware, QEMU, Bochs, or some other
 * hypervisor's guest; and what that means for the timings.
 */
#ifndef VB_PLATFORM_H
#define VB_PLATFORM_H

#include "cpu.h"
#include "vmptrst_bench_abi.h"

enum vb_platform {
	VB_PLATFORM_NATIVE,
	VB_PLATFORM_QEMU,
	VB_PLATFORM_BOCHS,
	VB_PLATFORM_VM,
	VB_PLATFORM_COUNT,
	VB_PLATFORM_AUTO = VB_PLATFORM_COUNT,	/* detect */
};

extern const char *const vb_platform_names[VB_PLATFORM_COUNT + 1];

struct vb_platform_facts {
	char sys_vendor[128];	/* /sys/class/dmi/id/sys_vendor, "" if missing */
	char product_name[128];	/* /sys/class/dmi/id/product_name */
	int hypervisor;		/* CPUID.1:ECX[31] */
	char hv_signature[13];	/* CPUID.40000000H */
};

void vb_platform_gather(const char *root, const struct vb_cpu_id *id,
			struct vb_platform_facts *f);
enum vb_platform vb_platform_classify(const struct vb_platform_facts *f);
const char *vb_platform_name(enum vb_platform p);
/* "none" on native, else what the timings are worth. */
const char *vb_platform_timing_note(enum vb_platform p);
/* override unless VB_PLATFORM_AUTO, else gathered and classified. */
enum vb_platform vb_platform_detect(const char *root, vb_cpuid_fn cpuid,
				    enum vb_platform override);
/*
 * Whether a point of memory type `memtype` (enum vb_memtype) may have
 * measured another type here: in a guest, the hypervisor may ignore the
 * guest's PAT (KVM with EPT does unless noncoherent DMA is assigned), so
 * wc and uc- may be WB.
 */
int vb_platform_pat_unreliable(enum vb_platform p, unsigned int memtype);
/* points.csv's reason for such a point. */
#define VB_PAT_NOTE "guest: the hypervisor may ignore guest PAT (KVM with EPT does): this point may have measured WB"

#endif /* VB_PLATFORM_H */
