/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference the module cares about, in one place.
 * Built and tested against Debian's 6.1 and 6.12 kernels.
 */
#ifndef VB_COMPAT_H
#define VB_COMPAT_H

#include <linux/perf_event.h>
#include <linux/version.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>

/*
 * CR4.VMXE goes through the kernel's CR4 shadow: cr4_set_bits() and
 * cr4_clear_bits() (inline over the exported cr4_update_irqsoff()) and
 * cr4_read_shadow().  From 6.19 these are exported to KVM's modules only.
 * The plan there: a raw CR4 write that is set and undone inside the same
 * IRQ-off window, so that nothing can observe the shadow out of sync, with
 * "VMX already on" detected from the raw CR4 instead of the shadow.  Until
 * that path is written and tested in an emulated 6.19 machine, refuse to
 * build rather than guess.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#error "vmptrst_bench: kernels 6.19+ no longer export the CR4 helpers to modules; see the comment in kmod/vb_compat.h"
#endif

static inline unsigned long vb_cr4_read(void)
{
	return cr4_read_shadow();
}

/*
 * CR4 as the CPU has it.  A hypervisor that writes CR4 directly (an
 * out-of-tree one, or a kernel bug) leaves the shadow behind: VMX counts as
 * on when either says so (vb_read_caps), never only the shadow.
 */
static inline unsigned long vb_cr4_read_raw(void)
{
	return __read_cr4();
}

static inline void vb_cr4_set_vmxe(void)
{
	cr4_set_bits(X86_CR4_VMXE);
}

static inline void vb_cr4_clear_vmxe(void)
{
	cr4_clear_bits(X86_CR4_VMXE);
}

/*
 * The kernel's crash-time VMXOFF (kmod/vb_cover.c): one callback slot,
 * cpu_emergency_register_virt_callback(), and the KVM module that takes it.
 * Read from the modules' own relocations (Debian 6.1.0-57 and 6.12.117):
 *   6.1.y   kvm_intel registers in its init_module and unregisters in its
 *           cleanup_module: the slot is KVM's for as long as kvm_intel is
 *           loaded, VMX on or not (vmx_init, arch/x86/kvm/vmx/vmx.c);
 *   6.12    kvm registers in kvm_arch_enable_virtualization() and
 *           unregisters in kvm_arch_disable_virtualization()
 *           (arch/x86/kvm/x86.c): only while it has VMX on, which is from
 *           load with kvm.enable_virt_at_load=Y, else while VMs exist.
 * Both KVM callbacks turn VMX off whenever the raw CR4.VMXE is set
 * (vmx_emergency_disable[_virtualization_cpu]), ours included.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define VB_SLOT_OWNER		"kvm"
#define VB_SLOT_OWNER_LOADED_COVERS	false
#else
#define VB_SLOT_OWNER		"kvm_intel"
#define VB_SLOT_OWNER_LOADED_COVERS	true
#endif

/* rdtsc() and friends moved from asm/msr.h to asm/tsc.h in 6.16. */
#include <asm/tsc.h>

/* asm/unaligned.h moved to linux/unaligned.h in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * A software event (no hardware counter)?  is_software_event() tests
 * PERF_EV_CAP_SOFTWARE, which 6.1 does not set for cpu-clock and
 * task-clock; the context a PMU lives in says it on every version.
 */
static inline bool vb_is_software_event(const struct perf_event *ev)
{
	return ev->pmu->task_ctx_nr == perf_sw_context;
}

/* rdmsrl_safe() became rdmsrq_safe() in 6.16. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define vb_rdmsr_safe(msr, p)	rdmsrq_safe(msr, p)
#else
#define vb_rdmsr_safe(msr, p)	rdmsrl_safe(msr, p)
#endif

/*
 * The kernel's NMI entry that KVM calls after an NMI VM exit, exported
 * (GPL) for kvm_intel as a module (arch/x86/kernel/nmi.c); see
 * kmod/vb_guest.c.  The non-IST entry was exc_nmi_noist until 6.2 and is
 * exc_nmi_kvm_vmx from 6.3 ("x86/entry: KVM: Use dedicated VMX NMI entry
 * for 32-bit and 64-bit"); both checked in Debian's 6.1 and 6.12
 * Module.symvers.  mode=guest calls it after every NMI exit (vb_guest.c).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
extern void asm_exc_nmi_kvm_vmx(void);
#define VB_NMI_ENTRY		asm_exc_nmi_kvm_vmx
#else
extern void asm_exc_nmi_noist(void);
#define VB_NMI_ENTRY		asm_exc_nmi_noist
#endif

/*
 * FRED (6.9+, `fred=on`): events enter the kernel through FRED's entry
 * points and the host state a VM exit must restore differs (KVM loads
 * FRED's MSRs at exit).  mode=guest's NMI hand-over and host state are
 * written for IDT delivery only: it refuses to run there (VB_SKIP_FRED).
 */
#ifdef X86_FEATURE_FRED
#define vb_fred_on()		cpu_feature_enabled(X86_FEATURE_FRED)
#else
#define vb_fred_on()		false
#endif

#endif /* VB_COMPAT_H */
