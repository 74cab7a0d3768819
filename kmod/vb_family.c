// SPDX-License-Identifier: GPL-2.0
/*
 * VMPTRST's family in mode=root (vmptrld, vmclear, vmread, vmwrite,
 * invvpid, invept, vmxon-vmxoff): what each record's block reads, what it
 * must leave behind, and the window's VMCS made current again after it.
 * The ABI header's comment "The family" is the contract; vb_engine.h runs
 * the blocks and calls the hooks of vb_window.c, which call in here.
 *
 * Before a window's records (vb_family_begin(), in VMX root with the
 * window's VMCS current): the second VMCS cleared, the field of vmread or
 * vmwrite given a known value, then one copy of the instruction under
 * test executed under an exception-table fixup on the very operand and
 * state the timed copies will meet, so that those copies (not guarded)
 * cannot fault where it did not.  After the window's records
 * (vb_family_end()): the second VMCS cleared again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <asm/io.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>
#include "vb_compat.h"
#include "vb_internal.h"
#include "vb_vmx_ops.h"

/* EPTP of the module's empty EPT: memory type (2:0), 4-level walk (5:3). */
#define VB_EPTP_MT_UC		0ULL
#define VB_EPTP_MT_WB		6ULL
#define VB_EPTP_WALK_4		(3ULL << 3)
/* The VPID an invvpid descriptor names (any but 0, which VMfails). */
#define VB_FAMILY_VPID		1
/* The value vmread finds and vmwrite writes (masked to the field's width). */
#define VB_FAMILY_PATTERN	0x5a5aa5a55a5aa5a5ULL
/* An encoding no VMCS field has (bits 31:15 are reserved). */
#define VB_FIELD_UNSUPPORTED	0xffffffffULL

static u64 vb_field_mask(u32 field)
{
	u32 bits = vb_field_bits(field);

	return bits == 64 ? ~0ULL : (1ULL << bits) - 1;
}

/*
 * A positive VB_SKIP_* when the CPU lacks the point's INVVPID or INVEPT
 * type (IA32_VMX_EPT_VPID_CAP, SDM Vol. 3D, A.10; the instructions exist
 * only where the secondary controls allow VPID or EPT, A.3.3); 0 otherwise.
 * *eptp_mt: the EPTP memory type INVEPT's descriptor can use.
 */
static int vb_family_unavailable(const struct vb_point_desc *p, u64 *eptp_mt)
{
	u64 proc, proc2 = 0, cap = 0;
	bool second;

	if (p->instruction != VB_INSN_INVVPID &&
	    p->instruction != VB_INSN_INVEPT)
		return 0;
	second = !vb_rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS, &proc) &&
		 (proc >> 32 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
		 !vb_rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &proc2) &&
		 !vb_rdmsr_safe(MSR_IA32_VMX_EPT_VPID_CAP, &cap);
	if (p->instruction == VB_INSN_INVVPID) {
		static const u64 bit[VB_TYPE_COUNT] = {
			[VB_TYPE_ADDRESS] = VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT,
			[VB_TYPE_SINGLE] = VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT,
			[VB_TYPE_ALL] = VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT,
			[VB_TYPE_SINGLE_GLOBAL] =
				VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT,
		};

		if (!second || !(proc2 >> 32 & SECONDARY_EXEC_ENABLE_VPID) ||
		    !(cap >> 32 & VMX_VPID_INVVPID_BIT) ||
		    !(cap >> 32 & bit[p->type]))
			return VB_SKIP_NO_INVVPID_TYPE;
		return 0;
	}
	if (!second || !(proc2 >> 32 & SECONDARY_EXEC_ENABLE_EPT) ||
	    !(cap & VMX_EPT_INVEPT_BIT) || !(cap & VMX_EPT_PAGE_WALK_4_BIT) ||
	    !(cap & (VMX_EPTP_WB_BIT | VMX_EPTP_UC_BIT)) ||
	    !(cap & (p->type == VB_TYPE_SINGLE ? VMX_EPT_EXTENT_CONTEXT_BIT :
					       VMX_EPT_EXTENT_GLOBAL_BIT)))
		return VB_SKIP_NO_INVEPT_TYPE;
	*eptp_mt = cap & VMX_EPTP_WB_BIT ? VB_EPTP_MT_WB : VB_EPTP_MT_UC;
	return 0;
}

/*
 * The point's operands and the value each record must show (c->expected),
 * the second VMCS and the EPT page allocated: 0, -ENOMEM, or a positive
 * VB_SKIP_* (the CPU lacks the point's type).  After vb_alloc_regions().
 */
int vb_family_setup(struct vb_ctx *c, const struct vb_caps *caps)
{
	const struct vb_point_desc *p = &c->point;
	struct vb_family *f = &c->fam;
	u64 eptp_mt = 0;
	int skip;

	if (!vb_insn_is_family(p->instruction))
		return 0;
	skip = vb_family_unavailable(p, &eptp_mt);
	if (skip)
		return skip;
	f->vmcs2 = vb_alloc(p->cpu, 0,
			    VB_BASIC_32BIT_ADDR(caps->vmx_basic));
	f->ept = vb_alloc(p->cpu, 0, false);
	if (!f->vmcs2 || !f->ept)
		return -ENOMEM;
	*(u32 *)page_address(f->vmcs2) = VB_BASIC_REVISION(caps->vmx_basic);
	f->vmcs2_pa = page_to_phys(f->vmcs2);
	f->cur_pa = c->vmcs_pa;
	f->enc = vb_field_encoding(p->field);
	f->val = f->enc;
	f->acc = 0;
	f->src[0] = f->src[1] = 0;
	switch (p->instruction) {
	case VB_INSN_VMPTRLD:
		if (p->target == VB_TARGET_SAME) {
			f->src[0] = c->vmcs_pa;
			c->expected = c->vmcs_pa;
		} else {
			f->src[0] = f->vmcs2_pa;
			f->val = (u64)(unsigned long)&f->cur_pa;
			c->expected = p->unroll & 1 ? f->vmcs2_pa : c->vmcs_pa;
		}
		break;
	case VB_INSN_VMCLEAR:
		f->src[0] = p->target == VB_TARGET_CURRENT ? c->vmcs_pa :
							     f->vmcs2_pa;
		c->expected = p->target == VB_TARGET_CURRENT ? ~0ULL :
							       c->vmcs_pa;
		break;
	case VB_INSN_VMREAD:
		c->expected = p->field == VB_FIELD_VM_INSN_ERROR ?
			      VB_VMERR_UNSUPPORTED_FIELD :
			      VB_FAMILY_PATTERN & vb_field_mask(p->field);
		break;
	case VB_INSN_VMWRITE:
		f->acc = VB_FAMILY_PATTERN & vb_field_mask(p->field);
		c->expected = f->acc;
		break;
	case VB_INSN_INVVPID:
		f->src[0] = VB_FAMILY_VPID;
		f->src[1] = (u64)(unsigned long)c->operand;
		f->val = vb_inv_type_operand(p->type);
		c->expected = 0;
		break;
	case VB_INSN_INVEPT:
		f->src[0] = page_to_phys(f->ept) | eptp_mt | VB_EPTP_WALK_4;
		f->val = vb_inv_type_operand(p->type);
		c->expected = 0;
		break;
	case VB_INSN_VMXON:
		f->src[0] = c->vmxon_pa;
		c->expected = ~0ULL;
		break;
	}
	return 0;
}

void vb_family_free(struct vb_ctx *c)
{
	struct vb_family *f = &c->fam;

	if (f->ept)
		__free_page(f->ept);
	/* after a failed VMXOFF the CPU may still use it, as the others */
	if (f->vmcs2 && !c->stuck)
		__free_page(f->vmcs2);
	f->ept = f->vmcs2 = NULL;
}

/* The record's memory operand, where VMPTRST's destination would be. */
void vb_family_prepare(struct vb_ctx *c)
{
	put_unaligned(c->fam.src[0], (u64 *)c->operand);
	if (vb_operand_bytes(c->point.instruction) == 16)
		put_unaligned(c->fam.src[1], (u64 *)c->operand + 1);
}

/* VMPTRST into a local: the current-VMCS pointer, or the poison on a fault. */
static u64 vb_current_vmcs(void)
{
	u64 v = VB_POISON;
	bool failed;

	vb_vmptrst_safe(&v, &failed);
	return v;
}

/* The window's VMCS current again, if the block left another (or none). */
static void vb_family_reload(struct vb_ctx *c, u64 now)
{
	enum vb_vmx_status st;

	if (now == c->vmcs_pa)
		return;
	st = vb_vmptrld(c->vmcs_pa);
	if (st)
		pr_err_ratelimited("CPU %u: VMPTRLD of the window's VMCS after a %u block: status %d\n",
				   c->point.cpu, c->point.instruction, st);
}

/*
 * vmwrite: the field given the complement of what each copy writes, so
 * that the next record's write must land to show.  False on VMfail.
 */
static bool vb_family_unwrite(struct vb_ctx *c)
{
	return vb_vmwrite(c->fam.enc, ~c->fam.acc & vb_field_mask(c->point.field));
}

/* After a record's block: what it left (vb_sample.stored). */
u64 vb_family_result(struct vb_ctx *c, u64 acc)
{
	const struct vb_point_desc *p = &c->point;
	u64 v = 0;

	switch (p->instruction) {
	case VB_INSN_VMPTRLD:
	case VB_INSN_VMCLEAR:
	case VB_INSN_VMXON:
		v = vb_current_vmcs();
		vb_family_reload(c, v);
		break;
	case VB_INSN_VMREAD:
		v = acc;
		break;
	case VB_INSN_VMWRITE:
		if (!vb_vmread(c->fam.enc, &v))
			v = VB_POISON;
		vb_family_unwrite(c);
		break;
	}
	return v;
}

/*
 * The guarded copies, on the operand where the timed copies find it: 0 on
 * VMsucceed, else the status (a fault included).
 */
#define VB_GUARD_MEM(name, insn, type)					\
static __always_inline enum vb_vmx_status name(const void *op, u64 reg) \
{									\
	VB_VMX_GUARDED(insn, [op] "m"(*(const type *)op), [reg] "r"(reg)); \
}

struct vb_desc128 {
	u64 lo, hi;
};

VB_GUARD_MEM(vb_guard_vmptrld, "vmptrld %[op]", u64)
VB_GUARD_MEM(vb_guard_vmclear, "vmclear %[op]", u64)
VB_GUARD_MEM(vb_guard_vmxon, "vmxon %[op]", u64)
VB_GUARD_MEM(vb_guard_invvpid, "invvpid %[op], %[reg]", struct vb_desc128)
VB_GUARD_MEM(vb_guard_invept, "invept %[op], %[reg]", struct vb_desc128)

/* One copy of the point's instruction, guarded, then its result checked. */
static enum vb_vmx_status vb_family_guard(struct vb_ctx *c)
{
	const struct vb_point_desc *p = &c->point;
	struct vb_family *f = &c->fam;
	enum vb_vmx_status st = VB_VMX_OK;
	u64 v;

	vb_family_prepare(c);
	switch (p->instruction) {
	case VB_INSN_VMPTRLD:
		st = vb_guard_vmptrld(c->operand, 0);
		if (!st && p->target == VB_TARGET_OTHER)
			st = vb_guard_vmptrld(&f->cur_pa, 0);
		break;
	case VB_INSN_VMCLEAR:
		st = vb_guard_vmclear(c->operand, 0);
		break;
	case VB_INSN_VMREAD:
		st = vb_vmread(f->enc, &v) ? VB_VMX_OK : VB_VMX_FAILED;
		break;
	case VB_INSN_VMWRITE:
		st = vb_vmwrite(f->enc, f->acc) ? VB_VMX_OK : VB_VMX_FAILED;
		break;
	case VB_INSN_INVVPID:
		st = vb_guard_invvpid(c->operand, f->val);
		break;
	case VB_INSN_INVEPT:
		st = vb_guard_invept(c->operand, f->val);
		break;
	case VB_INSN_VMXON:
		st = vb_vmxoff();
		if (!st)
			st = vb_guard_vmxon(c->operand, 0);
		break;
	}
	if (!st)
		vb_family_reload(c, vb_current_vmcs());
	return st;
}

/*
 * The tests' build (inject_fault=21): each record's check made to fail for
 * real, by the CPU, not by the check: another VMCS loaded or cleared, the
 * field holding another value, a descriptor or type INVVPID or INVEPT
 * refuses.  vmxon-vmxoff is left alone (a failed VMXON would leave the
 * window outside VMX operation).
 */
static void vb_family_inject(struct vb_ctx *c)
{
	struct vb_family *f = &c->fam;

	switch (c->point.instruction) {
	case VB_INSN_VMPTRLD:	/* same: the second VMCS; other: no alternation */
		f->src[0] = c->point.target == VB_TARGET_SAME ? f->vmcs2_pa :
								c->vmcs_pa;
		f->cur_pa = f->vmcs2_pa;
		break;
	case VB_INSN_VMCLEAR:	/* the other one of the two */
		f->src[0] = f->src[0] == c->vmcs_pa ? f->vmcs2_pa : c->vmcs_pa;
		break;
	case VB_INSN_VMREAD:	/* another value; for the error field, 3 */
		if (c->point.field == VB_FIELD_VM_INSN_ERROR)
			vb_vmclear(c->vmxon_pa);	/* VMCLEAR with the VMXON pointer */
		else
			vb_vmwrite(f->enc, c->expected ^ 1);
		break;
	case VB_INSN_VMWRITE:
		f->acc ^= 1;
		break;
	case VB_INSN_INVVPID:	/* descriptor bits 63:16 are reserved */
		f->src[0] |= 1ULL << 16;
		break;
	case VB_INSN_INVEPT:	/* type 3 is none */
		f->val = 3;
		break;
	}
}

/*
 * Before a window's records, in VMX root with the window's VMCS current:
 * 0, or -EIO with a line saying what failed (the window then ends).
 */
int vb_family_begin(struct vb_ctx *c)
{
	const struct vb_point_desc *p = &c->point;
	struct vb_family *f = &c->fam;
	enum vb_vmx_status st;
	u64 v = 0;

	st = vb_vmclear(f->vmcs2_pa);
	if (st)
		goto failed;
	if (p->instruction == VB_INSN_VMREAD &&
	    p->field == VB_FIELD_VM_INSN_ERROR) {
		/* VMfailValid on purpose: the error field says 12 after it */
		if (vb_vmwrite(VB_FIELD_UNSUPPORTED, 0) ||
		    !vb_vmread(f->enc, &v) || v != c->expected) {
			pr_err_ratelimited("CPU %u: VMWRITE to an unsupported field left VM-instruction error %llu, not %llu\n",
					   p->cpu, v, c->expected);
			return -EIO;
		}
	} else if (p->instruction == VB_INSN_VMREAD) {
		if (!vb_vmwrite(f->enc, c->expected))
			goto vmfail;
	}
	st = vb_family_guard(c);
	if (!st && vb_injected(VB_FAULT_FAMILY_BEGIN))
		st = VB_VMX_FAILED;
	if (st)
		goto failed;
	/* the guard wrote the pattern: the complement before the records */
	if (p->instruction == VB_INSN_VMWRITE && !vb_family_unwrite(c))
		goto vmfail;
	if (vb_injected(VB_FAULT_FAMILY_WRONG))
		vb_family_inject(c);
	return 0;

vmfail:
	st = VB_VMX_FAILED;
failed:
	pr_err_ratelimited("CPU %u: before the %u block's records: status %d (1 VMfailInvalid, 2 VMfailValid, 3 a fault)\n",
			   p->cpu, p->instruction, st);
	return -EIO;
}

/* After a window's records, before its VMCLEAR and VMXOFF. */
void vb_family_end(struct vb_ctx *c)
{
	vb_vmclear(c->fam.vmcs2_pa);
	vb_family_reload(c, vb_current_vmcs());
}
