/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmptrst_bench ioctl ABI: the one header the module (kmod/) and the
 * user-space driver (bench/) share.  Nothing else crosses the boundary.
 *
 * Every struct starts with `size` (the caller's sizeof) and `abi_version`
 * (VB_ABI_VERSION); the module refuses a mismatch with -EINVAL before it
 * looks at any other field.  INFO alone answers any abi_version (its size
 * must still match) and reports the module's own, so a driver can tell the
 * user which versions disagree; a changed struct size changes the ioctl
 * number, and the old driver then gets ENOTTY.  Fields marked "in" are validated by the module;
 * fields marked "out" are ignored on input and written by the module.
 *
 * Errors (negative errno from ioctl, as arch/x86/kernel/msr.c chooses them):
 *   EPERM   the caller lacks CAP_SYS_RAWIO
 *   EINVAL  a field is out of range, or size/abi_version do not match
 *   ENXIO   the target CPU does not exist or is offline
 *   ENODEV  the CPU has no VMX, firmware left it disabled, or VMX_BASIC
 *           asks for something the module does not support
 *   EBUSY   VMX is already on on that CPU (another hypervisor, e.g.
 *           kvm_intel, owns it), the kernel's crash-time VMXOFF callback
 *           cannot cover the RUN (INFO says VB_INFO_NO_COVER), or another
 *           RUN is in progress
 *   EIO     a VMX instruction failed (VMfail or a fault); the kernel log
 *           says which.  Also every RUN and HOLD on a CPU that VMXOFF
 *           failed on earlier (INFO: VB_INFO_CPU_STUCK), until a reboot
 *   EFAULT  a user buffer could not be read or written; RUN checks that
 *           every buffer it will write is writable before it measures
 *           anything (reading and writing back one byte a page)
 *   ENOMEM  the sample buffer could not be allocated
 *   ENOTTY  unknown ioctl; also HOLD, except in the tests' build
 *   EOPNOTSUPP  HOLD in the tests' build without its parameter debug_hold=1
 */
#ifndef VMPTRST_BENCH_ABI_H
#define VMPTRST_BENCH_ABI_H

#include <linux/types.h>
#include <linux/ioctl.h>
#ifdef __KERNEL__
#include <linux/stddef.h>	/* NULL, for vb_point_invalid() */
#else
#include <stddef.h>
#endif

#define VB_ABI_VERSION		11
#define VB_DEVICE_NAME		"vmptrst_bench"
#define VB_DEVICE_PATH		"/dev/" VB_DEVICE_NAME

/* ---- INFO: what the module and the CPU offer --------------------------- */

/* vb_info.flags */
#define VB_INFO_VMX		(1u << 0) /* CPUID.1:ECX.VMX[bit 5] */
#define VB_INFO_VMX_IN_USE	(1u << 1) /* CR4.VMXE already set: another hypervisor owns VMX */
#define VB_INFO_FEAT_LOCKED	(1u << 2) /* IA32_FEATURE_CONTROL lock bit */
#define VB_INFO_FEAT_VMX	(1u << 3) /* IA32_FEATURE_CONTROL: VMX outside SMX enabled */
#define VB_INFO_VMX_BASIC	(1u << 4) /* vmx_basic and the fields from it are valid */
#define VB_INFO_KVM		(1u << 5) /* the KVM module that owns the kernel's crash-time VMXOFF callback is loaded */
#define VB_INFO_NO_COVER	(1u << 6) /* a RUN now could not be covered by that callback: refused (see kmod/vb_cover.c) */
#define VB_INFO_KERNEL_VMX	(1u << 7) /* the kernel's own verdict: X86_FEATURE_VMX on that CPU (firmware enabled VMX, SMX/TXT considered) */
#define VB_INFO_RDTSCP		(1u << 8) /* the CPU has RDTSCP (serialize=cpuid needs it) */
#define VB_INFO_CPU_STUCK	(1u << 9) /* VMXOFF failed on that CPU earlier: it is left in VMX operation, RUNs refused until reboot */
#define VB_INFO_GUEST		(1u << 10) /* VPID and INVVPID: mode=guest can run there (else its points are skipped, VB_SKIP_NO_VPID) */

struct vb_info {
	__u32 size;		/* in: sizeof(struct vb_info) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in: CPU to inspect */
	__u32 flags;		/* out: VB_INFO_* */
	char module_version[16];/* out: NUL-terminated */
	__u64 vmx_basic;	/* out: IA32_VMX_BASIC (MSR 0x480) */
	__u64 feature_control;	/* out: IA32_FEATURE_CONTROL (MSR 0x3a) */
	__u32 vmcs_revision;	/* out: VMX_BASIC bits 30:0 */
	__u32 vmcs_size;	/* out: VMX_BASIC bits 44:32, bytes */
	__u32 vmcs_memtype;	/* out: VMX_BASIC bits 53:50 (6 = WB) */
	__u32 tsc_khz;		/* out: the kernel's tsc_khz */
	__u32 online_cpus;	/* out: num_online_cpus() */
	__u32 max_samples;	/* out: VB_MAX_SAMPLES */
	__u32 reserved;		/* out: 0 (keeps the size a multiple of 8) */
};

/* ---- RUN: one measured point ------------------------------------------- */

/*
 * Instructions a timed window can hold (vb_point_desc.instruction,
 * vb_sample.instruction).
 */
enum vb_instruction {
	VB_INSN_NONE = 0,	/* empty bracket: the baseline */
	VB_INSN_VMPTRST = 1,	/* VMPTRST m64 */
	VB_INSN_MOV = 2,	/* MOV m64, r64 of the expected value: the control store */
	/*
	 * Known-latency references, for measuring the engine itself: dependent
	 * chains on an accumulator register.  Their vb_sample.stored is the
	 * accumulator after the block (checked: 1 + unroll, 1, the operand's
	 * address), not the operand.
	 */
	VB_INSN_ADD = 3,	/* ADD r64, 1: 1 cycle each */
	VB_INSN_IMUL = 4,	/* IMUL r64, r64: 3 cycles each */
	VB_INSN_CHASE = 5,	/* MOV r64, [r64]: an L1-hit load to use each */
	/*
	 * The VM-exit references of mode=guest (and only there): each one a
	 * VM exit, handled by the module and resumed past, as VMPTRST's is.
	 */
	VB_INSN_CPUID = 6,	/* CPUID: basic exit reason 10 */
	VB_INSN_VMCALL = 7,	/* VMCALL: basic exit reason 18 */
	/*
	 * VMPTRST's family, in mode=root with the window's VMCS current (see
	 * "The family" below: the operand each reads, its variants, and what
	 * each record's check reads back into vb_sample.stored).
	 */
	VB_INSN_VMPTRLD = 8,	/* VMPTRLD m64, target same | other */
	VB_INSN_VMCLEAR = 9,	/* VMCLEAR m64, target current | other */
	VB_INSN_VMREAD = 10,	/* VMREAD r64, r64, field */
	VB_INSN_VMWRITE = 11,	/* VMWRITE r64, r64, field */
	VB_INSN_INVVPID = 12,	/* INVVPID r64, m128, type */
	VB_INSN_INVEPT = 13,	/* INVEPT r64, m128, type */
	VB_INSN_VMXON = 14,	/* VMXOFF then VMXON m64: the pair ("vmxon-vmxoff") */
	/*
	 * More VM-exit references of mode=guest (and only there), one per
	 * exit reason: each copy exits, the module checks the exit and
	 * resumes past it without executing the instruction for the guest
	 * (VB_GUEST_*_LEN and VB_EXIT_* below).
	 */
	VB_INSN_RDMSR = 15,	/* RDMSR of VB_GUEST_RDMSR_MSR: reason 31 (no MSR bitmaps) */
	VB_INSN_IO = 16,	/* OUT imm8, AL to VB_GUEST_IO_PORT: reason 30 */
	VB_INSN_XSETBV = 17,	/* XSETBV (ECX 0): reason 55; needs CR4.OSXSAVE */
	VB_INSN_INVD = 18,	/* INVD: reason 13, never executed by the module */
	VB_INSN_CR3_LOAD = 19,	/* MOV CR3, RCX: reason 28 (CR3-load exiting) */
	VB_INSN_COUNT
};

/* VMPTRST's family (VB_INSN_VMPTRLD .. VB_INSN_VMXON). */
static inline int vb_insn_is_family(__u32 insn)
{
	return insn >= VB_INSN_VMPTRLD && insn <= VB_INSN_VMXON;
}

/*
 * The VMX instructions of a root block: each record's RFLAGS after its
 * block is checked (VMsucceed: CF and ZF clear; else VB_SAMPLE_VMFAIL).
 */
static inline int vb_insn_is_vmx(__u32 insn)
{
	return insn == VB_INSN_VMPTRST || vb_insn_is_family(insn);
}

/* The accumulator chains: their vb_sample.stored is the accumulator. */
static inline int vb_insn_is_chain(__u32 insn)
{
	return insn == VB_INSN_ADD || insn == VB_INSN_IMUL ||
	       insn == VB_INSN_CHASE;
}

/* What stores to the operand: VMPTRST and MOV (the others leave the poison). */
static inline int vb_insn_stores(__u32 insn)
{
	return insn == VB_INSN_VMPTRST || insn == VB_INSN_MOV;
}

/*
 * The VM-exit references: mode=guest only, each copy a VM exit with
 * nothing stored (cpuid, vmcall, rdmsr, io, xsetbv, invd, cr3-load).
 */
static inline int vb_insn_is_exit_ref(__u32 insn)
{
	return insn == VB_INSN_CPUID || insn == VB_INSN_VMCALL ||
	       (insn >= VB_INSN_RDMSR && insn <= VB_INSN_CR3_LOAD);
}

/* The instructions whose every copy is a VM exit in mode=guest. */
static inline int vb_insn_exits(__u32 insn)
{
	return insn == VB_INSN_VMPTRST || vb_insn_is_exit_ref(insn);
}

/*
 * The family (mode=root, vmcs=loaded; the module only).  Each copy in a
 * block of `unroll` is the one instruction; what varies is named by the
 * point's target, field or type (vb_point_desc), 0 where it does not apply.
 * Before each record the module writes the instruction's memory operand to
 * the swept operand buffer (offset, cache, page ... apply to it as to
 * VMPTRST's destination); after the block, outside the bracket, it reads
 * back what the record must show (vb_sample.stored, against vb_run.expected)
 * and puts the window's VMCS back as the current one where the block
 * changed it:
 *
 *   vmptrld same     operand: the window's VMCS; stored: VMPTRST after
 *                    (the window's VMCS)
 *   vmptrld other    copies alternate between a second VMCS of the module's
 *                    and the window's (the first loads the second, each load
 *                    makes the other one not current); stored: VMPTRST
 *                    after (the second VMCS after an odd number of copies)
 *   vmclear current  operand: the window's VMCS (current): all ones after;
 *                    unroll 1 (a second copy would clear a VMCS no longer
 *                    current); reloaded after the record
 *   vmclear other    operand: the second VMCS (not current); stored: VMPTRST
 *                    after (the window's VMCS, still current)
 *   vmread field     register form; stored: the value read (the module
 *                    wrote it before the window; vm-instruction-error: 12,
 *                    left there by a VMWRITE to an unsupported component)
 *   vmwrite field    register form, the complement of what the field held;
 *                    stored: VMREAD of the field after
 *   invvpid type     operand: the descriptor (VPID 1, the operand's own
 *                    linear address); stored: 0 (nothing to read back: the
 *                    RFLAGS check is the check)
 *   invept type      operand: the descriptor (an EPTP of the module's own
 *                    EPT: one empty PML4 page, 4-level, WB where offered);
 *                    stored: 0
 *   vmxon-vmxoff     VMXOFF, then VMXON on the window's VMXON region, per
 *                    copy; unroll 16 at most; stored: VMPTRST after (all
 *                    ones: VMXON leaves no VMCS current); reloaded after
 * A type the CPU does not offer (IA32_VMX_EPT_VPID_CAP) skips the point
 * (VB_SKIP_NO_INVVPID_TYPE, VB_SKIP_NO_INVEPT_TYPE).
 */
enum vb_target {
	VB_TARGET_NA = 0,	/* not vmptrld or vmclear */
	VB_TARGET_SAME = 1,	/* vmptrld: the current VMCS again */
	VB_TARGET_OTHER = 2,	/* vmptrld, vmclear: a second VMCS */
	VB_TARGET_CURRENT = 3,	/* vmclear: the current VMCS */
	VB_TARGET_COUNT
};

/* VMREAD/VMWRITE fields: one of each class (SDM Vol. 3D, Appendix B). */
enum vb_field {
	VB_FIELD_NA = 0,		/* not vmread or vmwrite */
	VB_FIELD_GUEST_CS_SEL = 1,	/* 16-bit guest state, 0x0802 */
	VB_FIELD_EXCEPTION_BITMAP = 2,	/* 32-bit control, 0x4004 */
	VB_FIELD_GUEST_DEBUGCTL = 3,	/* 64-bit guest state, 0x2802 */
	VB_FIELD_GUEST_RIP = 4,		/* natural-width guest state, 0x681e */
	VB_FIELD_VM_INSN_ERROR = 5,	/* 32-bit read-only, 0x4400: vmread only */
	VB_FIELD_COUNT
};

/* The VMCS encoding of @field, 0 for none. */
static inline __u32 vb_field_encoding(__u32 field)
{
	static const __u32 enc[VB_FIELD_COUNT] = {
		[VB_FIELD_GUEST_CS_SEL] = 0x0802,
		[VB_FIELD_EXCEPTION_BITMAP] = 0x4004,
		[VB_FIELD_GUEST_DEBUGCTL] = 0x2802,
		[VB_FIELD_GUEST_RIP] = 0x681e,
		[VB_FIELD_VM_INSN_ERROR] = 0x4400,
	};

	return field < VB_FIELD_COUNT ? enc[field] : 0;
}

/* Bits of @field's value (16, 32 or 64: natural width is 64 here). */
static inline __u32 vb_field_bits(__u32 field)
{
	__u32 e = vb_field_encoding(field);

	return (e >> 13) == 0 ? 16 : (e >> 13) == 2 ? 32 : 64;
}

/* The VM-instruction error a VMWRITE to an unsupported component leaves. */
#define VB_VMERR_UNSUPPORTED_FIELD	12

/* INVVPID and INVEPT types (the instruction's register operand: `type`-1 for invvpid). */
enum vb_inv_type {
	VB_TYPE_NA = 0,		/* not invvpid or invept */
	VB_TYPE_ADDRESS = 1,	/* invvpid individual-address (0) */
	VB_TYPE_SINGLE = 2,	/* invvpid, invept single-context (1) */
	VB_TYPE_ALL = 3,	/* invvpid all-context (2) */
	VB_TYPE_SINGLE_GLOBAL = 4, /* invvpid single-context-retaining-globals (3) */
	VB_TYPE_GLOBAL = 5,	/* invept global (all-context, 2) */
	VB_TYPE_COUNT
};

/* The INVVPID/INVEPT register operand for @type. */
static inline __u64 vb_inv_type_operand(__u32 type)
{
	return type == VB_TYPE_GLOBAL ? 2 : (__u64)type - 1;
}

/* Bytes of the memory operand @insn reads or writes (the descriptors: 16). */
static inline __u32 vb_operand_bytes(__u32 insn)
{
	return insn == VB_INSN_INVVPID || insn == VB_INSN_INVEPT ? 16 : 8;
}

/* unroll at most, for vmxon-vmxoff: each copy leaves and enters VMX. */
#define VB_MAX_UNROLL_VMXON	16

/*
 * The family's variant rules (vb_point_invalid()): NULL, or the field
 * refused, as a name for a message.
 */
static inline const char *vb_variant_invalid(__u32 insn, __u32 target,
					     __u32 field, __u32 type)
{
	int t = insn == VB_INSN_VMPTRLD || insn == VB_INSN_VMCLEAR;
	int f = insn == VB_INSN_VMREAD || insn == VB_INSN_VMWRITE;
	int y = insn == VB_INSN_INVVPID || insn == VB_INSN_INVEPT;

	if (target >= VB_TARGET_COUNT || !t != !target)
		return "target (vmptrld and vmclear only, and they need one)";
	if (field >= VB_FIELD_COUNT || !f != !field)
		return "field (vmread and vmwrite only, and they need one; in mode guest also an instruction that exits)";
	if (type >= VB_TYPE_COUNT || !y != !type)
		return "type (invvpid and invept only, and they need one)";
	if (insn == VB_INSN_VMPTRLD && target == VB_TARGET_CURRENT)
		return "target (vmptrld: same or other)";
	if (insn == VB_INSN_VMCLEAR && target == VB_TARGET_SAME)
		return "target (vmclear: current or other)";
	if (insn == VB_INSN_VMWRITE && field == VB_FIELD_VM_INSN_ERROR)
		return "field (vm-instruction-error is read-only: vmread only)";
	if (insn == VB_INSN_INVVPID && type == VB_TYPE_GLOBAL)
		return "type (invvpid: address, single, all or single-global)";
	if (insn == VB_INSN_INVEPT && type != VB_TYPE_SINGLE &&
	    type != VB_TYPE_GLOBAL)
		return "type (invept: single or global)";
	return NULL;
}

/*
 * Where the timed block runs (vb_point_desc.mode).
 *
 * VB_MODE_GUEST: the module is the hypervisor of a minimal guest (one
 * VMCS, a 64-bit mirror of the kernel, VPID, no EPT; kmod/vb_guest.c) and
 * the guest runs the block between its own RDTSCs: each VMPTRST, CPUID,
 * VMCALL, RDMSR, OUT, XSETBV, INVD or MOV to CR3 in it is a VM exit, which
 * the module checks against the encoding (vb_guest_exit_invalid()), emulates (VMPTRST: stores the current-VMCS
 * pointer a VMPTRST in root would, that of the window's VMCS) and resumes
 * past, so an unrolled block of N is N round trips.  The guest's
 * operand form is `VB_GUEST_DISP(%rbx)`.  With a `field` (guest-cs-sel,
 * exception-bitmap or guest-debugctl), the handler also VMWRITEs that
 * field, with the value it holds from the guest's setup, before every
 * VMRESUME after an exit of the instruction: the "dirty VMCS" cost (a
 * VM-execution control, the exception bitmap, against a guest-state
 * field) is the difference of the round trips.  Without one the handler
 * writes the guest's RIP only (it does in every case: guest-rip is
 * refused here, as vm-instruction-error, which is read-only).  Counters are read by the module
 * around the guest's entry and its last exit (the baseline's record holds
 * the same entry and exit).
 */
enum vb_mode {
	VB_MODE_ROOT = 0,	/* in VMX root operation, the module's own code */
	VB_MODE_GUEST = 1,	/* in VMX non-root operation, in the module's guest */
	VB_MODE_COUNT
};

/* What the operand holds before each block (vb_run.poison reports it). */
#define VB_POISON		0x5642504f49534f4eULL	/* "VBPOISON" */

/* Current-VMCS state during the samples (vb_point_desc.vmcs). */
enum vb_vmcs_state {
	VB_VMCS_LOADED = 0,	/* VMCLEAR + VMPTRLD: a VMCS is current */
	VB_VMCS_NONE = 1,	/* VMCLEAR only: no current VMCS, VMPTRST stores ~0 */
	VB_VMCS_COUNT
};

/*
 * Serialisation around the timed block (vb_point_desc.serialize).  Opening
 * and closing sequences; the block sits between them.
 */
enum vb_serialize {
	VB_SER_LFENCE = 0,	/* LFENCE;RDTSC;LFENCE  ..  LFENCE;RDTSC;LFENCE:
				 * until the block has retired */
	VB_SER_CPUID = 1,	/* CPUID;RDTSC  ..  RDTSCP;CPUID (Intel's
				 * white paper): retired, heavier bracket */
	VB_SER_MFENCE = 2,	/* LFENCE;RDTSC;LFENCE  ..  MFENCE;LFENCE;RDTSC;
				 * LFENCE: until the stores are globally visible */
	VB_SER_COUNT
};

/* State of the operand's lines before each block (vb_point_desc.cache). */
enum vb_cache {
	VB_CACHE_HOT = 0,	/* just written (the poison store) */
	VB_CACHE_FLUSHED = 1,	/* CLFLUSH of every line the operand touches */
	VB_CACHE_FLUSHOPT = 2,	/* CLFLUSHOPT of the same lines */
	VB_CACHE_COUNT
};

/*
 * Memory type of the operand's pages (vb_point_desc.memtype), restored to
 * WB after.
 */
enum vb_memtype {
	VB_MEM_WB = 0,
	VB_MEM_WC = 1,		/* set_memory_wc() */
	VB_MEM_UC_MINUS = 2,	/* set_memory_uc(): UC- */
	VB_MEM_WT = 3,		/* no exported setter: always skipped (VB_SKIP_MEMTYPE) */
	VB_MEM_COUNT
};

/* Page size that must map the operand (vb_point_desc.page). */
enum vb_page {
	VB_PAGE_4K = 0,		/* vmalloc: 4 KiB PTEs */
	VB_PAGE_2M = 1,		/* vmalloc_huge: 2 MiB PMD mappings */
	VB_PAGE_1G = 2,		/* the kernel's direct map, where it uses 1 GiB pages */
	VB_PAGE_COUNT
};

/* KiB in a page of size @page; 0 for no enum vb_page. */
static inline __u32 vb_page_kib(enum vb_page page)
{
	switch (page) {
	case VB_PAGE_4K:
		return 4;
	case VB_PAGE_2M:
		return 2048;
	case VB_PAGE_1G:
		return 1024 * 1024;
	default:
		return 0;
	}
}

/* Bytes in a page of size @page; 0 for no enum vb_page. */
static inline __u64 vb_page_bytes(enum vb_page page)
{
	return (__u64)vb_page_kib(page) * 1024;
}

/* TLB state before each block (vb_point_desc.tlb). */
enum vb_tlb {
	VB_TLB_WARM = 0,
	VB_TLB_COLD = 1,	/* INVLPG of every page the operand touches */
	VB_TLB_COUNT
};

/*
 * Accessed/dirty bits of the operand's PTEs before each block
 * (vb_point_desc.ad).
 */
enum vb_ad {
	VB_AD_SET = 0,		/* left as the poison store set them */
	VB_AD_CLEAR = 1,	/* cleared, then INVLPG: the store must set them
				 * again (page-walk assist).  4 KiB pages only. */
	VB_AD_COUNT
};

/*
 * Unroll counts the module has code for: powers of two from 1 to
 * VB_MAX_UNROLL.  Each is its own straight-line block, no loop inside.
 * A per-sample setup (cache other than hot, tlb cold, ad clear) needs
 * unroll 1: the setup would otherwise hold for the first copy only.
 */
#define VB_MAX_UNROLL		256
/*
 * A window (IRQ-off in the module, a stretch between signal checks in the
 * user backend) ends after VB_WINDOW_US of TSC time, checked after every
 * sample, or after VB_WINDOW_MAX_SAMPLES samples, whichever comes first.
 */
#define VB_WINDOW_US		1000
#define VB_WINDOW_MAX_SAMPLES	4096
/* Samples of the instruction per RUN (the baseline adds as many again). */
#define VB_MAX_SAMPLES		(1u << 18)
/*
 * The operand lives in a buffer of two pages of the requested size (4 KiB:
 * 8 KiB; 2 MiB: 4 MiB, so it can straddle the 2 MiB boundary) or, for
 * 1 GiB, 4 MiB inside one 1 GiB page.  offset + 8 <= VB_SPAN(page).
 */
/* The cache line the per-sample flush (cache=flushed/flushopt) steps by. */
#define VB_LINE			64UL
#define VB_SPAN_4K		8192u
#define VB_SPAN_LARGE		(4u << 20)
#define VB_SPAN(page)		((page) == VB_PAGE_4K ? VB_SPAN_4K : VB_SPAN_LARGE)
#define VB_MAX_OFFSET(page)	(VB_SPAN(page) - 8u)

/*
 * A point: what one RUN measures (vb_run.point), and what the driver's plan
 * holds for each of its points (there `samples` is the point's in all, a
 * RUN's the share of one round).  56 bytes, no padding.
 */
struct vb_point_desc {
	__u32 cpu;		/* target CPU, must be online */
	__u32 instruction;	/* enum vb_instruction */
	__u32 unroll;		/* 1, 2, 4, ... VB_MAX_UNROLL */
	__u32 samples;		/* 1 .. VB_MAX_SAMPLES */
	__u32 vmcs;		/* enum vb_vmcs_state */
	__u32 serialize;	/* enum vb_serialize */
	__u32 offset;		/* the operand's byte offset in its buffer,
				 * 0 .. VB_SPAN(page) - the operand's bytes
				 * (vb_operand_bytes(): 8, or 16) */
	__u32 cache;		/* enum vb_cache */
	__u32 memtype;		/* enum vb_memtype */
	__u32 page;		/* enum vb_page */
	__u32 tlb;		/* enum vb_tlb */
	__u32 ad;		/* enum vb_ad */
	__u32 mode;		/* enum vb_mode */
	__u8 target;		/* enum vb_target: vmptrld, vmclear; else 0 */
	__u8 field;		/* enum vb_field: vmread, vmwrite; else 0 */
	__u8 type;		/* enum vb_inv_type: invvpid, invept; else 0 */
	__u8 reserved;		/* must be 0 */
};

/*
 * The checks a RUN's point must pass, the module's and the user backend's
 * alike (the module checks the rest of struct vb_run itself, and whether
 * the CPU is online): NULL, or the first field refused, as a name for a
 * message ("unroll", or the rule for a bad combination: "unroll (a
 * per-sample setup needs unroll 1)").  Either refuses it with -EINVAL.
 */
static inline const char *vb_point_invalid(const struct vb_point_desc *p)
{
	if (p->instruction >= VB_INSN_COUNT)
		return "instruction";
	if (!p->unroll || (p->unroll & (p->unroll - 1)) ||
	    p->unroll > VB_MAX_UNROLL)
		return "unroll";
	if (!p->samples || p->samples > VB_MAX_SAMPLES)
		return "samples";
	if (p->vmcs >= VB_VMCS_COUNT)
		return "vmcs";
	if (p->serialize >= VB_SER_COUNT)
		return "serialize";
	if (p->cache >= VB_CACHE_COUNT)
		return "cache";
	if (p->memtype >= VB_MEM_COUNT)
		return "memtype";
	if (p->page >= VB_PAGE_COUNT)
		return "page";
	if (p->tlb >= VB_TLB_COUNT)
		return "tlb";
	if (p->ad >= VB_AD_COUNT)
		return "ad";
	if (p->offset > VB_SPAN(p->page) - vb_operand_bytes(p->instruction))
		return "offset";
	if (p->unroll != 1 && (p->cache != VB_CACHE_HOT ||
			       p->tlb != VB_TLB_WARM || p->ad != VB_AD_SET))
		return "unroll (a per-sample setup needs unroll 1)";
	if (p->ad == VB_AD_CLEAR && p->page != VB_PAGE_4K)
		return "ad (clear needs page 4k)";
	if (p->mode >= VB_MODE_COUNT)
		return "mode";
	if (p->reserved)
		return "reserved";
	{
		/* mode guest: field is the one VMWRITE before each VMRESUME */
		const char *v = vb_variant_invalid(p->instruction, p->target,
						   p->mode == VB_MODE_GUEST ?
						   0 : p->field, p->type);
		if (v)
			return v;
	}
	if (p->mode == VB_MODE_ROOT) {
		if (vb_insn_is_exit_ref(p->instruction))
			return "instruction (cpuid, vmcall, rdmsr, io, xsetbv, invd and cr3-load need mode guest)";
		if (!vb_insn_is_family(p->instruction))
			return NULL;
		if (p->vmcs != VB_VMCS_LOADED)
			return "vmcs (the family runs with the window's VMCS loaded)";
		if (p->instruction == VB_INSN_VMCLEAR &&
		    p->target == VB_TARGET_CURRENT && p->unroll != 1)
			return "unroll (vmclear current needs unroll 1)";
		if (p->instruction == VB_INSN_VMXON &&
		    p->unroll > VB_MAX_UNROLL_VMXON)
			return "unroll (vmxon-vmxoff: 16 at most)";
		return NULL;
	}
	if (vb_insn_is_family(p->instruction))
		return "instruction (the VMX family runs in mode root)";
	if (vb_insn_is_chain(p->instruction))
		return "instruction (add, imul and chase run in mode root)";
	if (p->serialize == VB_SER_CPUID)
		return "serialize (cpuid is a VM exit in mode guest)";
	if (p->vmcs != VB_VMCS_LOADED)
		return "vmcs (mode guest runs in the loaded VMCS)";
	if (p->tlb != VB_TLB_WARM || p->ad != VB_AD_SET)
		return "tlb and ad (mode guest: warm and set only)";
	if (p->field && (p->field >= VB_FIELD_COUNT ||
			 p->field == VB_FIELD_VM_INSN_ERROR ||
			 p->field == VB_FIELD_GUEST_RIP ||
			 !vb_insn_exits(p->instruction)))
		return "field (mode guest: guest-cs-sel, exception-bitmap or guest-debugctl, for an instruction that exits)";
	return NULL;
}

/*
 * vb_run.result_flags.  A signal never fails a RUN: the run stops at the end
 * of the current IRQ-off window and the ioctl returns 0 with
 * VB_RUN_INTERRUPTED set and the records taken so far (vb_run.records).
 * A point this machine cannot set up returns 0 with VB_RUN_SKIPPED, no
 * records, and the reason in vb_run.skip_reason.  Event types
 * PERF_TYPE_TRACEPOINT (2) and PERF_TYPE_BREAKPOINT (5) are refused with
 * -EINVAL; a counter of another PMU than the core one or software is left
 * out (event_err -EOPNOTSUPP).  event_total counts from the counter's
 * creation to its release: the whole RUN, setup and VMX entries included.
 */
#define VB_RUN_INTERRUPTED	(1u << 0)
#define VB_RUN_SKIPPED		(1u << 1)
/*
 * The RUN stopped early, its records so far valid, because between two
 * windows another hypervisor turned VMX on on the target CPU (KVM does so
 * while it has VMs, or at load with enable_virt_at_load=Y) and did not
 * release it within vb_run.wait_vmx_ms.
 */
#define VB_RUN_VMX_TAKEN	(1u << 2)
/*
 * The RUN stopped early, its records so far valid, because the kernel's
 * crash-time VMXOFF callback could no longer cover it (KVM was loaded during
 * the run) and that did not change within vb_run.wait_vmx_ms.
 */
#define VB_RUN_NO_COVER		(1u << 3)
/* Longest wait a RUN may ask for (vb_run.wait_vmx_ms): one hour. */
#define VB_MAX_WAIT_VMX_MS	3600000u

/*
 * Performance counters (vb_run.events): up to VB_MAX_EVENTS perf_event
 * encodings (perf_event_attr type and config words, e.g. from libpfm4).  The
 * module creates each one pinned on the target CPU, counting kernel mode
 * only (the windows run in the kernel), reads them right around every timed
 * block, and writes one value per record and event to vb_run.pmc_buf: the
 * count over that block's bracket.  A counter that could not be created is
 * left out (vb_run.event_err[i] says why) and its values are 0; if any
 * counter is not active on the CPU when a window starts, that window's
 * records carry VB_SAMPLE_PMC_INVALID and their counter values are 0:
 * never read them as measurements.
 */
#define VB_MAX_EVENTS		8

struct vb_event {
	__u32 type;		/* perf_event_attr.type */
	__u32 reserved;		/* must be 0 */
	__u64 config;		/* perf_event_attr.config */
	__u64 config1;		/* perf_event_attr.config1 */
	__u64 config2;		/* perf_event_attr.config2 */
};

/* How the module reads an event (vb_run.event_kind[i]). */
enum vb_event_kind {
	VB_EVENT_NONE = 0,	/* not available: see event_err[i] */
	VB_EVENT_RDPMC = 1,	/* a core-PMU counter, RDPMC */
	VB_EVENT_SOFTWARE = 2,	/* a software event, read by its PMU's callback */
};

enum vb_skip_reason {
	VB_SKIP_NONE = 0,
	VB_SKIP_PAGE_SIZE = 1,	/* the page size could not be had (page_kib: what was) */
	VB_SKIP_MEMTYPE = 2,	/* the kernel cannot give a module this memory type */
	VB_SKIP_NO_CLFLUSHOPT = 3, /* the CPU has no CLFLUSHOPT */
	VB_SKIP_NO_RDTSCP = 4,	/* serialize=cpuid, and the CPU has no RDTSCP */
	VB_SKIP_NO_VPID = 5,	/* mode=guest, and VMX has no VPID or INVVPID */
	VB_SKIP_FRED = 6,	/* mode=guest, and the kernel runs with FRED: its
				 * NMI entry and host state are not the ones the
				 * module's guest hands NMIs to */
	VB_SKIP_NO_INVVPID_TYPE = 7, /* IA32_VMX_EPT_VPID_CAP offers no INVVPID
				      * of this type (or no VPID at all) */
	VB_SKIP_NO_INVEPT_TYPE = 8, /* IA32_VMX_EPT_VPID_CAP offers no INVEPT
				     * of this type (or no EPT, or no 4-level
				     * WB/UC EPTP) */
	VB_SKIP_NO_OSXSAVE = 9,	/* xsetbv in mode=guest, and the kernel runs
				 * with CR4.OSXSAVE clear (the guest's CR4 is
				 * the kernel's): XSETBV would be #UD */
	VB_SKIP_COUNT
};

/*
 * Offsets: size 0, point 8 (56 bytes), flags 64, wait_vmx_ms 68, buf 72:
 * every __u64 on a multiple of 8, no padding anywhere; 560 bytes in all.
 */
struct vb_run {
	__u32 size;		/* in: sizeof(struct vb_run) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	struct vb_point_desc point;	/* in: vb_point_invalid() refuses
					 * none of it; cpu online */
	__u32 flags;		/* in: must be 0 */
	__u32 wait_vmx_ms;	/* in: 0 .. VB_MAX_WAIT_VMX_MS: how long in all
				 * the RUN may wait (before and between windows)
				 * for VMX, and the crash-time cover, to be free
				 * again; 0: refuse (-EBUSY) at the start, stop
				 * with VB_RUN_VMX_TAKEN / VB_RUN_NO_COVER later.
				 * Whatever it says, while KVM's module is
				 * loading a RUN waits up to 5 s for the cover
				 * to settle (kmod/vb_cover.c) */
	__u64 buf;		/* in: user pointer to struct vb_sample[buf_len] */
	__u32 buf_len;		/* in: records the buffer holds; >= records needed */
	__u32 records;		/* out: records written */
	__u64 expected;		/* out: the value VMPTRST must store (VMCS PA or ~0) */
	__u64 poison;		/* out: what the operand holds before each window */
	__u32 mismatches;	/* out: records whose stored value was wrong */
	__u32 windows;		/* out: IRQ-off windows used */
	__u64 max_window_tsc;	/* out: longest IRQ-off window, TSC ticks */
	__u32 result_flags;	/* out: VB_RUN_* */
	__u32 page_kib;		/* out: size of the page that maps the operand, KiB */
	__u32 skip_reason;	/* out: enum vb_skip_reason */
	__u32 vmx_wait_ms;	/* out: time spent waiting for VMX or the cover */
	__u32 nevents;		/* in: 0 .. VB_MAX_EVENTS */
	__u32 reserved2;	/* in: must be 0 */
	struct vb_event events[VB_MAX_EVENTS];	/* in: the first nevents */
	__u64 pmc_buf;		/* in: with nevents, user pointer to
				 * __u64[buf_len][nevents] */
	__s32 event_err[VB_MAX_EVENTS];	 /* out: 0, or -errno: not created */
	__u32 event_kind[VB_MAX_EVENTS]; /* out: enum vb_event_kind */
	__u64 event_total[VB_MAX_EVENTS]; /* out: each counter over the RUN */
	__u64 win_buf;		/* in: user pointer to struct vb_window_stat
				 * [win_len], or 0 */
	__u32 win_len;		/* in: entries win_buf holds */
	__u32 win_written;	/* out: entries written (<= win_len; the
				 * windows beyond are counted, not described) */
	__u64 exit_buf;		/* in: with mode=guest, user pointer to
				 * struct vb_exit_rec[buf_len], else 0 */
};

/*
 * Records needed for a RUN: with an instruction, each sample is a pair of
 * records (the instruction and the empty baseline, interleaved, their order
 * alternating pair by pair); with VB_INSN_NONE, one record per sample.
 */
#define VB_RECORDS_NEEDED(insn, samples) \
	((insn) == VB_INSN_NONE ? (samples) : 2u * (samples))

/* vb_sample.flags */
#define VB_SAMPLE_MISMATCH	(1u << 0) /* stored != expected (or poison lost) */
#define VB_SAMPLE_PMC_INVALID	(1u << 1) /* a counter was not active: no values */
#define VB_SAMPLE_NMI		(1u << 2) /* an NMI arrived during this record */
#define VB_SAMPLE_SMI		(1u << 3) /* the window saw an SMI (MSR 0x34 moved) */
#define VB_SAMPLE_VMFAIL	(1u << 5) /* a VMX instruction's block ended in VMfail
					   * (CF or ZF set); also VB_SAMPLE_MISMATCH */
#define VB_SAMPLE_SPLIT_BAD	(1u << 6) /* mode=guest, a record with exits only:
					   * the exit/entry split's TSC readings out of
					   * order (vb_exit_split()): no split for this
					   * record; its round trip and checks are
					   * unaffected */
#define VB_SAMPLE_NMI_EXIT	(1u << 4) /* mode=guest: an NMI arrived in the guest (an
					   * NMI exit), handed to the kernel; VB_SAMPLE_NMI
					   * says the kernel counted it */

/*
 * One IRQ-off window (vb_run.win_buf): when it ran, what the CPU's clock
 * did meanwhile (APERF/MPERF: their ratio is the average frequency over
 * the nominal one), and what interrupted it.  Interrupts are off inside a
 * window; only NMIs and SMIs get in, and both are counted.
 */
struct vb_window_stat {
	__u64 tsc_begin;	/* before VMXON */
	__u64 tsc_end;		/* after VMXOFF */
	__u64 aperf;		/* IA32_APERF delta; 0 if not readable */
	__u64 mperf;		/* IA32_MPERF delta; 0 if not readable */
	__u32 smi;		/* MSR_SMI_COUNT delta; VB_NOT_READ if not readable */
	__u32 nmi;		/* NMIs on this CPU during the window */
	__u32 first_record;	/* index of the window's first record */
	__u32 records;		/* records it wrote */
};

#define VB_NOT_READ		0xffffffffu

/*
 * The VM exits of one record in mode=guest (vb_run.exit_buf, parallel to
 * the records): how many the block's instruction caused (NMI exits not
 * counted) and what the last of them said.  A record whose exits are not
 * what vb_guest_exit_invalid() expects, or not `unroll` of them, carries
 * VB_SAMPLE_MISMATCH.  0s for a record without exits.
 */
struct vb_exit_rec {
	__u32 exits;		/* VM exits of the instruction under test */
	__u32 reason;		/* the last one's exit reason (32 bits) */
	__u64 qualification;	/* its exit qualification */
	__u32 insn_info;	/* its VM-exit instruction information */
	__u32 insn_len;		/* its VM-exit instruction length */
	/* the last one's split (vb_exit_split()): three TSC readings */
	__u64 tsc_stored;	/* IA32_TSC the CPU stored during that VM exit */
	__u64 tsc_handler_in;	/* the handler's first RDTSC after it */
	__u64 tsc_handler_out;	/* the handler's last RDTSC before the VMRESUME
				 * that followed it (the block's last entry) */
};

/*
 * What the guest's blocks are (kmod/vb_guest_asm.S, read back from the
 * object by tests/kmod/check-blocks.sh): the operand is named
 * `VB_GUEST_DISP(%rbx)`, so VMPTRST is 0F C7 BB and a disp32.
 */
#define VB_GUEST_DISP		0x1238
#define VB_GUEST_VMPTRST_LEN	7
#define VB_GUEST_CPUID_LEN	2	/* 0F A2 */
#define VB_GUEST_VMCALL_LEN	3	/* 0F 01 C1 */
/*
 * The other VM-exit references' blocks: each copy exits and is resumed
 * past, never executed for the guest (an RDMSR's RAX and RDX are set to 0;
 * no port is touched, no XCR written, no cache invalidated, CR3 not
 * loaded).  The host enters each block with RCX = VB_GUEST_RDMSR_MSR
 * (rdmsr), 0 (xsetbv: XCR0), the guest's own CR3 (cr3-load).
 */
#define VB_GUEST_RDMSR_LEN	2	/* 0F 32 */
#define VB_GUEST_RDMSR_MSR	0x174	/* IA32_SYSENTER_CS: every x86-64 CPU has it */
#define VB_GUEST_IO_LEN		2	/* E6 80: out %al, $0x80 */
#define VB_GUEST_IO_PORT	0x80
#define VB_GUEST_XSETBV_LEN	3	/* 0F 01 D1 */
#define VB_GUEST_INVD_LEN	2	/* 0F 08 */
#define VB_GUEST_CR3_LOAD_LEN	3	/* 0F 22 D9: mov %rcx, %cr3 */
/*
 * Exit qualification of an I/O instruction (SDM Vol. 3C, 28.2.1, Table
 * 28-5): size - 1 (2:0), direction (3, 1 = IN), string (4), REP (5),
 * operand encoding (6, 1 = immediate), port (31:16).
 */
#define VB_IOQ_SIZE(x)		((__u32)(x) & 7)
#define VB_IOQ_IN		(1u << 3)
#define VB_IOQ_STRING		(1u << 4)
#define VB_IOQ_REP		(1u << 5)
#define VB_IOQ_IMM		(1u << 6)
#define VB_IOQ_PORT(x)		(((x) >> 16) & 0xffff)
/* the guest's OUT: 1 byte, out, not string, no REP, immediate, port 0x80 */
#define VB_GUEST_IO_QUAL	(((__u64)VB_GUEST_IO_PORT << 16) | VB_IOQ_IMM)
/*
 * Exit qualification of a control-register access (Table 28-3): the CR
 * (3:0), the access type (5:4, 0 = MOV to CR), the general-purpose
 * register (11:8, 1 = RCX).
 */
#define VB_CRQ_CR(x)		((__u32)(x) & 0xf)
#define VB_CRQ_TYPE(x)		(((x) >> 4) & 3)
#define VB_CRQ_REG(x)		(((x) >> 8) & 0xf)
#define VB_GUEST_CR3_QUAL	(3u | (0u << 4) | (1u << 8)) /* CR3, MOV to CR, RCX */
/* Basic exit reasons (SDM Vol. 3D, Appendix C) */
#define VB_EXIT_CPUID		10
#define VB_EXIT_HLT		12
#define VB_EXIT_INVD		13
#define VB_EXIT_VMCALL		18
#define VB_EXIT_VMPTRST		22
#define VB_EXIT_CR_ACCESS	28
#define VB_EXIT_IO		30
#define VB_EXIT_RDMSR		31
#define VB_EXIT_XSETBV		55
/*
 * VM-exit instruction information of VMPTRST (SDM Vol. 3C, 28.2.5, the
 * format of VMCLEAR, VMPTRLD, VMPTRST, VMXON): address size (9:7, 2 = 64
 * bit), segment (17:15, 3 = DS), index invalid (22), base (26:23) and base
 * invalid (27); scaling and index are undefined without an index, the
 * rest undefined.  The other exits here have none (undefined): not checked.
 */
#define VB_II_ADDR_SIZE(x)	(((x) >> 7) & 7)
#define VB_II_SEG(x)		(((x) >> 15) & 7)
#define VB_II_NO_INDEX		(1u << 22)
#define VB_II_BASE(x)		(((x) >> 23) & 0xf)
#define VB_II_NO_BASE		(1u << 27)
#define VB_II_ADDR64		2
#define VB_II_DS		3
#define VB_II_RBX		3

/*
 * What every VM exit of instruction @insn in a guest block must say: its
 * basic exit reason and the length of its encoding; 0 and 0 for an
 * instruction that does not exit.
 */
static inline void vb_guest_exit_want(__u32 insn, __u32 *reason, __u32 *len)
{
	static const struct {
		__u8 reason, len;
	} w[VB_INSN_COUNT] = {
		[VB_INSN_VMPTRST] = { VB_EXIT_VMPTRST, VB_GUEST_VMPTRST_LEN },
		[VB_INSN_CPUID] = { VB_EXIT_CPUID, VB_GUEST_CPUID_LEN },
		[VB_INSN_VMCALL] = { VB_EXIT_VMCALL, VB_GUEST_VMCALL_LEN },
		[VB_INSN_RDMSR] = { VB_EXIT_RDMSR, VB_GUEST_RDMSR_LEN },
		[VB_INSN_IO] = { VB_EXIT_IO, VB_GUEST_IO_LEN },
		[VB_INSN_XSETBV] = { VB_EXIT_XSETBV, VB_GUEST_XSETBV_LEN },
		[VB_INSN_INVD] = { VB_EXIT_INVD, VB_GUEST_INVD_LEN },
		[VB_INSN_CR3_LOAD] = { VB_EXIT_CR_ACCESS, VB_GUEST_CR3_LOAD_LEN },
	};

	*reason = insn < VB_INSN_COUNT ? w[insn].reason : 0;
	*len = insn < VB_INSN_COUNT ? w[insn].len : 0;
}

/*
 * The exit qualification every VM exit of @insn must carry: VMPTRST's
 * displacement, the OUT's and the MOV to CR3's encoding, 0 (cleared, SDM
 * Vol. 3C, 28.2.1) for RDMSR, XSETBV and INVD.  CPUID and VMCALL exits'
 * qualification is not checked (their rows predate the check).
 */
static inline __u64 vb_guest_exit_qual(__u32 insn)
{
	switch (insn) {
	case VB_INSN_VMPTRST:
		return VB_GUEST_DISP;
	case VB_INSN_IO:
		return VB_GUEST_IO_QUAL;
	case VB_INSN_CR3_LOAD:
		return VB_GUEST_CR3_QUAL;
	default:
		return 0;
	}
}

/*
 * One VM exit of instruction @insn in a guest block, checked against what
 * the reference and the block's encoding say it must be: NULL, or the
 * first field that is wrong ("reason", "qualification", "instruction
 * information", "length").  The module checks every exit with it.
 */
static inline const char *vb_guest_exit_invalid(__u32 insn, __u32 reason,
						__u64 qual, __u32 info,
						__u32 len)
{
	__u32 want_reason, want_len;

	vb_guest_exit_want(insn, &want_reason, &want_len);
	if (!want_reason || reason != want_reason)
		return "reason";	/* or no exit expected at all */
	if (insn != VB_INSN_CPUID && insn != VB_INSN_VMCALL &&
	    qual != vb_guest_exit_qual(insn))
		return "qualification";
	if (insn == VB_INSN_VMPTRST &&
	    (VB_II_ADDR_SIZE(info) != VB_II_ADDR64 ||
	     VB_II_SEG(info) != VB_II_DS || !(info & VB_II_NO_INDEX) ||
	     (info & VB_II_NO_BASE) || VB_II_BASE(info) != VB_II_RBX))
		return "instruction information";
	return len == want_len ? NULL : "length";
}

/*
 * One record's exits (struct vb_exit_rec) in a guest block of @unroll
 * copies of @insn: NULL, or the first thing wrong: "exits" (a VMPTRST
 * record, or one of a VM-exit reference, needs @unroll of them, a none or
 * mov record none), then vb_guest_exit_invalid()'s field for the last exit.  The
 * module checks every record with it, the driver again.
 */
static inline const char *vb_exit_rec_invalid(__u32 insn, __u32 unroll,
					      const struct vb_exit_rec *e)
{
	if (e->exits != (vb_insn_exits(insn) ? unroll : 0))
		return "exits";
	if (!e->exits)
		return NULL;
	return vb_guest_exit_invalid(insn, e->reason, e->qualification,
				     e->insn_info, e->insn_len);
}

struct vb_sample {
	__u64 tsc_begin;	/* RDTSC before the block */
	__u64 tsc_end;		/* RDTSC after the block */
	__u64 stored;		/* the operand after the window */
	__u32 sample;		/* index of the sample (pair) this record belongs to */
	__u8 instruction;	/* enum vb_instruction of this record */
	__u8 window;		/* low 8 bits of the IRQ-off window number */
	__u16 flags;		/* VB_SAMPLE_* */
};

/*
 * mode=guest: a record's last VM exit split in two halves, from four TSC
 * readings that must come in this order (else 0: VB_SAMPLE_SPLIT_BAD):
 *   s->tsc_begin        the guest's RDTSC opening the block
 *   e->tsc_stored       IA32_TSC as the CPU stored it during the exit: the
 *                       VM-exit MSR-store list holds that one MSR (SDM Vol.
 *                       3C, 28.4; TSC offsetting is off, so it is the TSC)
 *   e->tsc_handler_in   the handler's first RDTSC at the exit's landing
 *   e->tsc_handler_out  the handler's last RDTSC before its VMRESUME
 *   s->tsc_end          the guest's RDTSC closing the block
 * @exit_half = handler_in - stored: the part of the VM exit after the CPU
 * stored the MSR (loading the host state) and the landing up to the
 * RDTSC; not the part before (saving the guest's state, recording the
 * exit's information).  @entry_half = tsc_end - handler_out: the handler's
 * last instructions (the guest's registers loaded), VMRESUME with its
 * checks and the guest's state loaded, then the guest's closing bracket up
 * to its RDTSC (kmod/README.md, "The exit/entry split").  Both halves lie
 * within the record's tsc_end - tsc_begin, so their sum never exceeds it;
 * the analysis checks that again with the TSC's step, and that both are
 * positive.
 */
static inline int vb_exit_split(const struct vb_sample *s,
				const struct vb_exit_rec *e,
				__u64 *exit_half, __u64 *entry_half)
{
	if (!e->exits || s->tsc_begin > e->tsc_stored ||
	    e->tsc_stored > e->tsc_handler_in ||
	    e->tsc_handler_in > e->tsc_handler_out ||
	    e->tsc_handler_out > s->tsc_end)
		return 0;
	*exit_half = e->tsc_handler_in - e->tsc_stored;
	*entry_half = s->tsc_end - e->tsc_handler_out;
	return 1;
}

/* ---- SELFTEST: VMPTRST outside VMX operation --------------------------- */

/*
 * Executes one exception-table-guarded VMPTRST on `cpu` while that CPU is
 * not in VMX operation (refused with -EBUSY if CR4.VMXE is set there).  The
 * reference says #UD; `trap` reports the vector that fired (6 = #UD), or -1
 * when the instruction did not fault.
 */
struct vb_selftest {
	__u32 size;		/* in: sizeof(struct vb_selftest) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in */
	__s32 trap;		/* out */
	__u64 operand;		/* out: the operand afterwards (poison if untouched) */
	__u64 poison;		/* out: the operand before */
};

/* ---- CONFORM: VMPTRST on the reference page's branches, at CPL 0 ------ */

/*
 * On `cpu`, in one IRQ-off window covered as a RUN's is, the module
 * executes VMPTRST once on each branch below that CPL 0 can reach, under
 * an exception-table fixup (EX_TYPE_FAULT: the vector, never an Oops),
 * and reports what the CPU did: the vector, CR2 after a #PF, RFLAGS after
 * a completed one (all six arithmetic flags set before), and the 8 bytes
 * of physical memory at the destination before and after, read through
 * the kernel's direct map (so a store through a non-canonical or
 * not-present address would show where it landed).  The module only
 * observes; what the page says, and the verdict, are the driver's
 * (bench/conform.c), which adds the branches user space reaches itself
 * (CPL 3, compatibility mode, VMX non-root).
 *
 * The destinations are the two 4 KiB pages of a vmalloc buffer of the
 * module's own; for the #PF branches their PTE is changed inside the
 * window (present bit or R/W bit cleared, INVLPG) and put back exactly as
 * it was (INVLPG) before interrupts come back on.  VMX is entered and
 * left as in a RUN's window (VMXON, VMCLEAR, VMPTRLD ... VMCLEAR, VMXOFF).
 *
 * The ioctl returns 0 whenever it could look at the CPU: a branch it did
 * not execute has VB_CONF_RAN clear and `skip` says why (no VMX, VMX owned
 * by another hypervisor, ...).  Errors: EPERM, EINVAL, ENXIO, ENOMEM,
 * EBUSY (a RUN, HOLD or CONFORM in progress), EIO (VMXOFF failed: the
 * CPU is left in VMX operation, as for a RUN).
 *
 * #PF error codes are not observable from an exception-table fixup (the
 * kernel passes them to the fixup but no fixup type hands them on): the
 * rows carry the vector and CR2, and the driver says so.
 */
enum vb_branch {
	VB_BR_OUTSIDE_VMX = 0,	/* not in VMX operation: #UD */
	VB_BR_STORE = 1,	/* VMX root, a current VMCS: its address stored,
				 * VMsucceed (CF PF AF ZF SF OF all clear) */
	VB_BR_NO_VMCS = 2,	/* VMX root, no current VMCS (after VMCLEAR):
				 * FFFFFFFF_FFFFFFFFH stored, VMsucceed */
	VB_BR_LOCK = 3,		/* a LOCK prefix, VMX root: #UD */
	VB_BR_REGISTER = 4,	/* 0F C7 /7 with ModRM mod = 11 (REX.W, RAX),
				 * VMX root: the page says #UD; the same
				 * encoding is RDSEED where CPUID.(EAX=7,
				 * ECX=0):EBX[18] is set (VB_CONF_RDSEED) */
	VB_BR_NONCANON_DS = 5,	/* VMX root, base RBX (segment DS) holding a
				 * non-canonical address (bit 63 of a kernel
				 * address flipped): #GP(0), nothing stored */
	VB_BR_NONCANON_SS = 6,	/* the same through base RBP (segment SS):
				 * #SS(0), nothing stored */
	VB_BR_PF_NOT_PRESENT = 7, /* VMX root, the page not present: #PF
				 * (P=0 W=1), CR2 the address, nothing stored */
	VB_BR_PF_READ_ONLY = 8,	/* VMX root, the page read-only, CR0.WP set:
				 * #PF (P=1 W=1), nothing stored */
	VB_BR_PF_SPLIT = 9,	/* VMX root, the 8 bytes across two pages, the
				 * second not present: #PF, CR2 in the second
				 * page; whether the first page's 4 bytes were
				 * written is recorded (the page promises no
				 * atomicity) */
	VB_BR_COUNT
};

/* vb_conf_row.flags */
#define VB_CONF_RAN		(1u << 0) /* executed: the other fields are valid */
#define VB_CONF_RDSEED		(1u << 1) /* CPUID.(EAX=7,ECX=0):EBX[18] (RDSEED) on that CPU */
#define VB_CONF_WP		(1u << 2) /* CR0.WP was set */

/* vb_conf_row.skip: why a branch was not executed */
enum vb_conf_skip {
	VB_CONF_SKIP_NONE = 0,
	VB_CONF_SKIP_NO_VMX = 1,	/* the CPU has no usable VMX (the kernel log says why) */
	VB_CONF_SKIP_VMX_OWNED = 2,	/* another hypervisor has VMX on on that CPU */
	VB_CONF_SKIP_NO_COVER = 3,	/* the crash-time VMXOFF callback cannot cover it (KVM loaded) */
	VB_CONF_SKIP_VMX_FAILED = 4,	/* VMXON, VMCLEAR or VMPTRLD failed (the kernel log says which) */
	VB_CONF_SKIP_NO_WP = 5,		/* CR0.WP is clear: a read-only page does not fault at CPL 0 */
	VB_CONF_SKIP_NO_PTE = 6,	/* the buffer's pages are not mapped by 4 KiB PTEs */
	VB_CONF_SKIP_COUNT
};

struct vb_conf_row {
	__u32 branch;		/* out: enum vb_branch (the row's index) */
	__u32 flags;		/* out: VB_CONF_* */
	__s32 vector;		/* out: the exception raised (6 #UD, 12 #SS,
				 * 13 #GP, 14 #PF), -1 if it completed */
	__u32 skip;		/* out: enum vb_conf_skip, without VB_CONF_RAN */
	__u64 address;		/* out: the destination's linear address (0 for
				 * the register form) */
	__u64 cr2;		/* out: CR2 after a #PF, else 0 */
	__u64 rflags;		/* out: RFLAGS after a completed execution (the
				 * six arithmetic flags were all set before) */
	__u64 before;		/* out: the 8 bytes at the destination before
				 * (read through the direct map; the register
				 * form: RAX before) */
	__u64 after;		/* out: the same 8 bytes after (the register
				 * form: RAX after) */
	__u64 expected;		/* out: what a completed VMPTRST stores: the
				 * VMCS's physical address, or all ones */
};

struct vb_conform {
	__u32 size;		/* in: sizeof(struct vb_conform) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in */
	__u32 rows;		/* out: VB_BR_COUNT */
	struct vb_conf_row row[VB_BR_COUNT];	/* out: row[i].branch == i */
};

/* ---- HOLD (tests only): keep VMX on on a CPU between ioctls ----------- */

/*
 * Only in the tests' build of the module (make -C kmod TEST_HOOKS=1): the
 * module users load answers -ENOTTY, as for any unknown ioctl.  There, only
 * with the module parameter debug_hold=1 (else -EOPNOTSUPP).  hold=1
 * turns VMX on on `cpu` and leaves it on (VMXON, no current VMCS), so that a
 * test can see what user space meets on a CPU in VMX root operation (the
 * reference: VMPTRST at CPL 3 is #GP) and that RUN refuses a CPU whose VMX
 * someone else holds.  hold=0 turns it off again; so do rmmod and taking
 * the CPU offline.  One CPU at a time (-EBUSY for another).
 * hold=2 ends the hold as a crash would: the module's crash-time VMXOFF
 * callback runs on that CPU (what the kernel calls on panic, kdump and
 * emergency restart), then 0 if VMX is off and CR4.VMXE clear, else -EIO.
 */
#define VB_HOLD_OFF		0
#define VB_HOLD_ON		1
#define VB_HOLD_EMERGENCY	2

struct vb_hold {
	__u32 size;		/* in: sizeof(struct vb_hold) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in */
	__u32 hold;		/* in: VB_HOLD_* */
};

#define VB_IOC_MAGIC		0xB7
#define VB_IOC_INFO		_IOWR(VB_IOC_MAGIC, 1, struct vb_info)
#define VB_IOC_RUN		_IOWR(VB_IOC_MAGIC, 2, struct vb_run)
#define VB_IOC_SELFTEST		_IOWR(VB_IOC_MAGIC, 3, struct vb_selftest)
#define VB_IOC_HOLD		_IOW(VB_IOC_MAGIC, 4, struct vb_hold)
#define VB_IOC_CONFORM		_IOWR(VB_IOC_MAGIC, 6, struct vb_conform)

/* ---- GUEST_PROBE (tests' build only): VMPTRST in VMX non-root ------- */

/*
 * Only in the tests' build of the module (make -C kmod TEST_HOOKS=1): the
 * module users load answers -ENOTTY, as for any unknown ioctl.  The
 * groundwork of mode=guest: in IRQ-off windows on `cpu` (VMXON, VMCLEAR,
 * VMPTRLD as in a RUN's window) the module makes the current VMCS a
 * minimal 64-bit guest that mirrors the kernel (kmod/vb_guest.c) and
 * launches it.  The guest executes `vmptrst VB_GUEST_PROBE_DISP(%rbx)`
 * `repetitions` times, then VMCALL.  Each VMPTRST is a VM exit (basic
 * reason 22) whose exit qualification, VM-exit instruction information and
 * instruction length the module checks against the encoding it used
 * (mismatches) and reports (last_*), then resumes the guest past it.
 *
 * Refused as a RUN is: -ENODEV without VMX, -EBUSY when VMX is owned by
 * someone else or another RUN/HOLD/probe is in progress, -ENXIO, -EINVAL.
 * What happened in the guest is `outcome`, the ioctl returning 0 so that a
 * test sees the exit that ended it; -EIO when the window's own VMX
 * instructions (VMXON, VMCLEAR, VMPTRLD, VMXOFF) failed.
 */
#define VB_GUEST_PROBE_MAX_REPETITIONS	4096
/* What the guest's code uses (a test checks the exits against these). */
#define VB_GUEST_PROBE_DISP	VB_GUEST_DISP	/* vmptrst 0x1238(%rbx) */
#define VB_GUEST_PROBE_LEN	VB_GUEST_VMPTRST_LEN

enum vb_guest_outcome {
	VB_GUEST_DONE = 0,		/* the guest reached its VMCALL */
	VB_GUEST_VMFAIL = 1,		/* VMLAUNCH/VMRESUME VMfail: vm_insn_error */
	VB_GUEST_ENTRY_FAILED = 2,	/* exit reason bit 31: end_reason, end_qualification */
	VB_GUEST_UNEXPECTED_EXIT = 3,	/* an exit the guest should not cause: end_* */
	VB_GUEST_BOUND = 4,		/* more exits or windows than the bound */
	VB_GUEST_SETUP_FAILED = 5,	/* a VMWRITE failed, or a control is not allowed */
	VB_GUEST_OUTCOME_COUNT
};

struct vb_guest_probe {
	__u32 size;		/* in: sizeof(struct vb_guest_probe) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in */
	__u32 repetitions;	/* in: 1 .. VB_GUEST_PROBE_MAX_REPETITIONS */
	__u32 flags;		/* in: must be 0 */
	__u32 outcome;		/* out: enum vb_guest_outcome */
	__u32 exits;		/* out: VM exits of every reason */
	__u32 vmptrst_exits;	/* out: VM exits with basic reason 22 */
	__u32 nmi_exits;	/* out: NMI exits, handed to the kernel's NMI handler */
	__u32 intr_exits;	/* out: external-interrupt exits (the window ends, the next goes on) */
	__u32 windows;		/* out: IRQ-off windows used */
	__u32 mismatches;	/* out: VMPTRST exits whose information was not as expected */
	__u32 last_reason;	/* out: of the last VMPTRST exit: exit reason (32 bits) */
	__u32 last_insn_info;	/* out: ... VM-exit instruction information */
	__u64 last_qualification; /* out: ... exit qualification */
	__u32 last_insn_len;	/* out: ... VM-exit instruction length */
	__u32 end_reason;	/* out: the exit that ended the probe otherwise (bit 31: entry failure) */
	__u64 end_qualification; /* out: its exit qualification */
	__u32 vm_insn_error;	/* out: VM-instruction error after VMfailValid */
	__u32 entry_controls;	/* out: the VM-entry controls the guest ran with (VMREAD) */
	__u64 guest_tsc;	/* out: guest RDTSC after its last VMPTRST minus before its first */
	__u64 max_window_tsc;	/* out: longest IRQ-off window, TSC ticks */
	__u32 exit_controls;	/* out: the VM-exit controls the guest ran with (VMREAD) */
	__u32 reserved;		/* out: 0 */
};

#define VB_IOC_GUEST_PROBE	_IOWR(VB_IOC_MAGIC, 5, struct vb_guest_probe)

#endif /* VMPTRST_BENCH_ABI_H */
