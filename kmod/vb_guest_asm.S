/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest probe's assembly (tests' build only, see vb_guest.c):
 *   vb_guest_enter    VMLAUNCH/VMRESUME with the guest's registers, and the
 *                     VM exit's landing (HOST_RIP = vb_guest_exit), in the
 *                     manner of KVM's __vmx_vcpu_run (arch/x86/kvm/vmx/vmenter.S)
 *   vb_guest_do_nmi   an NMI exit handed to the kernel's NMI entry, as KVM's
 *                     vmx_do_nmi_irqoff does it (same file)
 *   vb_guest_code     what the guest runs: VMPTRST N times, then VMCALL
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

/*
 * The guest's VMPTRST operand: VB_GUEST_PROBE_DISP(%rbx) in
 * vmptrst_bench_abi.h (not includable here); vb_guest.c reads the
 * encoding back and refuses to run if the two disagree.
 */
#define VB_GUEST_DISP	0x1238

/* struct vb_guest_regs (vb_guest.h) */
#define VB_GR_RAX	0
#define VB_GR_RBX	8
#define VB_GR_RCX	16
#define VB_GR_RDX	24
#define VB_GR_R8	32
#define VB_GR_R9	40

#define VB_HOST_RSP	0x6c14	/* VMCS field encoding (SDM Vol. 3D, B.4.4) */

.section .text, "ax"

/*
 * int vb_guest_enter(struct vb_guest_regs *regs, bool launched)
 *
 * Loads the guest's RAX, RBX, RCX, RDX, R8, R9 from @regs, then VMRESUME
 * (@launched) or VMLAUNCH.  Returns 0 after a VM exit, with the guest's
 * registers stored back into @regs; 1 on VMfailInvalid, 2 on VMfailValid
 * (the VM-instruction error is in the VMCS), 3 if HOST_RSP could not be
 * written.  Callee-saved registers are kept on the stack across the guest.
 */
SYM_FUNC_START(vb_guest_enter)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	push %rdi			/* @regs, found again at the exit */

	mov $VB_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lwrite_failed

	test %sil, %sil
	/* MOV leaves the flags alone: ZF still says VMLAUNCH or VMRESUME. */
	mov VB_GR_RAX(%rdi), %rax
	mov VB_GR_RBX(%rdi), %rbx
	mov VB_GR_RCX(%rdi), %rcx
	mov VB_GR_RDX(%rdi), %rdx
	mov VB_GR_R8(%rdi), %r8
	mov VB_GR_R9(%rdi), %r9
	jnz .Lresume
	UNWIND_HINT_SAVE
	vmlaunch
	jmp .Lvmfail
.Lresume:
	vmresume
	jmp .Lvmfail

SYM_INNER_LABEL(vb_guest_exit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	/* RSP is HOST_RSP: @regs on top.  The guest's registers are live. */
	push %rax
	mov 8(%rsp), %rax
	mov %rbx, VB_GR_RBX(%rax)
	mov %rcx, VB_GR_RCX(%rax)
	mov %rdx, VB_GR_RDX(%rax)
	mov %r8, VB_GR_R8(%rax)
	mov %r9, VB_GR_R9(%rax)
	pop VB_GR_RAX(%rax)
	xor %eax, %eax
	jmp .Lout

.Lvmfail:
	/* CF: VMfailInvalid, ZF: VMfailValid (MOV keeps them). */
	mov $1, %eax
	jc .Lout
	mov $2, %eax
	jmp .Lout
.Lwrite_failed:
	mov $3, %eax
.Lout:
	pop %rdi
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(vb_guest_enter)

/*
 * void vb_guest_do_nmi(unsigned long entry)
 *
 * After an NMI exit, with interrupts off: call the kernel's NMI entry
 * @entry on this stack with a synthetic interrupt frame (SS, RSP, RFLAGS,
 * CS; the CALL pushes RIP), as KVM's VMX_DO_EVENT_IRQOFF does.  The
 * entry's IRET returns here and unblocks NMIs, which the NMI exit left
 * blocked.  Why this entry: vb_guest.c.
 */
SYM_FUNC_START(vb_guest_do_nmi)
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	push $__KERNEL_DS
	push %rbp
	pushf
	push $__KERNEL_CS
	CALL_NOSPEC rdi
	leave
	RET
SYM_FUNC_END(vb_guest_do_nmi)

/*
 * The guest.  Entered with RBX = the operand's address minus
 * VB_GUEST_DISP, RCX = the VMPTRSTs still to do; R8 = RDTSC before the
 * first, R9 = after the last.  It never returns: its VMCALL exits and the
 * host does not resume it; should it ever be, UD2 exits (every exception
 * does).  A function to objtool (entered at its ENDBR), though only
 * VMLAUNCH enters it.  vb_guest_layout tells the host where the VMPTRST is
 * and how long, without a relocation into the middle of code.
 */
SYM_FUNC_START(vb_guest_code)
	lfence
	rdtsc
	lfence
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %r8
	test %rcx, %rcx
	jz 2f
.Lvmptrst:
	vmptrst VB_GUEST_DISP(%rbx)
.Lvmptrst_end:
	dec %rcx
	jnz .Lvmptrst
2:	lfence
	rdtsc
	lfence
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %r9
	vmcall
.Lud2:
	ud2
SYM_FUNC_END(vb_guest_code)

/* struct vb_guest_layout (vb_guest.c): offsets into vb_guest_code */
.pushsection .rodata
.balign 4
SYM_DATA_START(vb_guest_layout)
	.long .Lvmptrst - vb_guest_code
	.long .Lvmptrst_end - vb_guest_code
	.long .Lud2 - vb_guest_code
SYM_DATA_END(vb_guest_layout)
.popsection
