/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One small wrapper per VMX instruction the module executes outside the
 * timed window, in the manner of arch/x86/kvm/vmx/vmx_ops.h.
 *
 * Each wrapper presets CF and ZF (`cmp %rsp,%rsp` sets ZF, `stc` sets CF)
 * before the instruction, as kvm-unit-tests do: VMsucceed clears both, so an
 * instruction that silently did nothing cannot look like success.  `jc`
 * catches VMfailInvalid (CF=1; also the preset, if nothing ran), `jz`
 * VMfailValid (ZF=1: the current VMCS holds the VM-instruction error, see
 * vb_vmread()).  A fault (#UD, #GP) is caught by the exception table and
 * reported, never an Oops.
 */
#ifndef VB_VMX_OPS_H
#define VB_VMX_OPS_H

#include <linux/types.h>
#include <asm/asm.h>
#include <asm/extable_fixup_types.h>

enum vb_vmx_status {
	VB_VMX_OK = 0,
	VB_VMX_FAILED,		/* VMfailInvalid */
	VB_VMX_FAILED_VALID,	/* VMfailValid: VM-instruction error field */
	VB_VMX_FAULTED,		/* the instruction raised an exception */
};

/* The CPU reported VMfail: it executed the instruction and is in VMX operation. */
static inline bool vb_vmx_failed(enum vb_vmx_status st)
{
	return st == VB_VMX_FAILED || st == VB_VMX_FAILED_VALID;
}

/* VMCS field encoding of the VM-instruction error (SDM Vol. 3C, App. B.3.1). */
#define VB_VMCS_VM_INSTRUCTION_ERROR	0x4400

/*
 * The body of a guarded wrapper: CF and ZF preset, @insn (its operands
 * named in the asm inputs that follow), then its status.
 */
#define VB_VMX_GUARDED(insn, ...)					\
	asm goto("cmp %%rsp, %%rsp\n\t"					\
		 "stc\n\t"						\
		 "1: " insn "\n\t"					\
		 "jc %l[failed]\n\t"					\
		 "jz %l[failed_valid]\n\t"				\
		 _ASM_EXTABLE(1b, %l[faulted])				\
		 : : __VA_ARGS__ : "cc", "memory"			\
		 : failed, failed_valid, faulted);			\
	return VB_VMX_OK;						\
failed:									\
	return VB_VMX_FAILED;						\
failed_valid:								\
	return VB_VMX_FAILED_VALID;					\
faulted:								\
	return VB_VMX_FAULTED

#define VB_VMX_OP_M64(name, insn)					\
static __always_inline enum vb_vmx_status name(u64 pa)			\
{									\
	VB_VMX_GUARDED(insn " %[pa]", [pa] "m"(pa));			\
}

/* VMXON m64: enter VMX root operation with the given VMXON region. */
VB_VMX_OP_M64(vb_vmxon, "vmxon")
/* VMCLEAR m64: make the VMCS inactive, not current, its data in memory. */
VB_VMX_OP_M64(vb_vmclear, "vmclear")
/* VMPTRLD m64: make the VMCS current and active. */
VB_VMX_OP_M64(vb_vmptrld, "vmptrld")

/* VMXOFF: leave VMX operation. */
static __always_inline enum vb_vmx_status vb_vmxoff(void)
{
	VB_VMX_GUARDED("vmxoff");
}

/*
 * VMPTRST m64, guarded: returns the exception vector the instruction raised
 * (X86_TRAP_UD, X86_TRAP_GP, ...), or -1 if it completed.  EX_TYPE_FAULT
 * makes the fixup load the vector into %eax.  On completion *failed says
 * whether it reported VMfail (it never should: VMPTRST only VMsucceeds).
 * The operand is "+m": what it held before is what a faulting VMPTRST leaves.
 */
static __always_inline int vb_vmptrst_safe(u64 *dst, bool *failed)
{
	int trap = -1;
	u8 fail;

	asm volatile("cmp %%rsp, %%rsp\n\t"
		     "stc\n\t"
		     "1: vmptrst %[dst]\n\t"
		     "setna %[fail]\n\t"
		     "jmp 3f\n\t"
		     "2: movb $0, %[fail]\n\t"
		     "3:\n\t"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
		     : "+a"(trap), [dst] "+m"(*dst), [fail] "=qm"(fail)
		     : : "cc", "memory");
	*failed = fail;
	return trap;
}

/*
 * VMREAD of @field from the current VMCS into *val: true on VMsucceed,
 * false on VMfail or a fault (no current VMCS, not in VMX operation).
 */
static __always_inline bool vb_vmread(u64 field, u64 *val)
{
	u8 fail;

	asm volatile("cmp %%rsp, %%rsp\n\t"
		     "stc\n\t"
		     "1: vmread %[field], %[val]\n\t"
		     "setna %[fail]\n\t"
		     "jmp 3f\n\t"
		     "2: movb $1, %[fail]\n\t"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [val] "=r"(*val), [fail] "=qm"(fail)
		     : [field] "r"(field) : "cc", "memory");
	return !fail;
}

/*
 * VMWRITE of @val to @field of the current VMCS: true on VMsucceed, false
 * on VMfail (read-only or unsupported field, no current VMCS) or a fault.
 */
static __always_inline bool vb_vmwrite(u64 field, u64 val)
{
	u8 fail;

	asm volatile("cmp %%rsp, %%rsp\n\t"
		     "stc\n\t"
		     "1: vmwrite %[val], %[field]\n\t"
		     "setna %[fail]\n\t"
		     "jmp 3f\n\t"
		     "2: movb $1, %[fail]\n\t"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [fail] "=qm"(fail)
		     : [field] "r"(field), [val] "rm"(val) : "cc", "memory");
	return !fail;
}

#endif /* VB_VMX_OPS_H */
