/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One small wrapper per VMX instruction the module executes outside the
 * timed window, in the manner of arch/x86/kvm/vmx/vmx_ops.h.
 *
 * Each wrapper presets CF and ZF (`cmp %rsp,%rsp` sets ZF, `stc` sets CF)
 * before the instruction, as kvm-unit-tests do: VMsucceed clears both, so an
 * instruction that silently did nothing cannot look like success.  `jna`
 * (CF=1 or ZF=1) catches VMfailInvalid and VMfailValid.  A fault (#UD, #GP)
 * is caught by the exception table and reported, never an Oops.
 */
#ifndef VB_VMX_OPS_H
#define VB_VMX_OPS_H

#include <linux/types.h>
#include <asm/asm.h>
#include <asm/extable_fixup_types.h>

enum vb_vmx_status {
	VB_VMX_OK = 0,
	VB_VMX_FAILED,		/* VMfailInvalid or VMfailValid */
	VB_VMX_FAULTED,		/* the instruction raised an exception */
};

#define VB_VMX_OP_M64(name, insn)					\
static __always_inline enum vb_vmx_status name(u64 pa)			\
{									\
	asm goto("cmp %%rsp, %%rsp\n\t"					\
		 "stc\n\t"						\
		 "1: " insn " %[pa]\n\t"				\
		 "jna %l[failed]\n\t"					\
		 _ASM_EXTABLE(1b, %l[faulted])				\
		 : : [pa] "m"(pa) : "cc", "memory" : failed, faulted);	\
	return VB_VMX_OK;						\
failed:									\
	return VB_VMX_FAILED;						\
faulted:								\
	return VB_VMX_FAULTED;						\
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
	asm goto("cmp %%rsp, %%rsp\n\t"
		 "stc\n\t"
		 "1: vmxoff\n\t"
		 "jna %l[failed]\n\t"
		 _ASM_EXTABLE(1b, %l[faulted])
		 : : : "cc", "memory" : failed, faulted);
	return VB_VMX_OK;
failed:
	return VB_VMX_FAILED;
faulted:
	return VB_VMX_FAULTED;
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

#endif /* VB_VMX_OPS_H */
