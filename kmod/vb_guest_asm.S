/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's guest, its assembly (see vb_guest.c):
 *   vb_guest_enter    VMLAUNCH/VMRESUME with the guest's registers, and the
 *                     VM exit's landing (HOST_RIP = vb_guest_exit), in the
 *                     manner of KVM's __vmx_vcpu_run (arch/x86/kvm/vmx/vmenter.S)
 *   vb_guest_do_nmi   an NMI exit handed to the kernel's NMI entry, as KVM's
 *                     vmx_do_nmi_irqoff does it (same file)
 *   vb_guest_blocks   mode=guest's timed blocks, one per instruction,
 *                     serialisation and unroll count, and their table
 *   vb_guest_code     the guest probe's code (tests' build only)
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

/*
 * The guest's operand: VB_GUEST_DISP(%rbx) in vmptrst_bench_abi.h (not
 * includable here).  The two are kept equal by the tests, not at run
 * time: tests/kmod/check-guest-blocks.py reads every timed block back from
 * the object code against the ABI's encoding (the tests' build's probe
 * code is also read back by vb_guest_probe.c before it runs).
 */
#define VB_GUEST_DISP	0x1238

/* struct vb_guest_regs (vb_guest.h) */
#define VB_GR_RAX	0
#define VB_GR_RBX	8
#define VB_GR_RCX	16
#define VB_GR_RDX	24
#define VB_GR_R8	32
#define VB_GR_R9	40
#define VB_GR_R10	48
#define VB_GR_R11	56
#define VB_GR_RSI	64
#define VB_GR_RDI	72
#define VB_GR_TSC_IN	80
#define VB_GR_TSC_OUT	88

#define VB_HOST_RSP	0x6c14	/* VMCS field encoding (SDM Vol. 3D, B.4.4) */

.section .text, "ax"

/*
 * int vb_guest_enter(struct vb_guest_regs *regs, bool launched)
 *
 * Loads the guest's RAX, RBX, RCX, RDX, RSI, RDI, R8-R11 from @regs
 * (vb_guest.h: struct vb_guest_regs), then VMRESUME
 * (@launched) or VMLAUNCH.  Returns 0 after a VM exit, with the guest's
 * registers stored back into @regs; 1 on VMfailInvalid, 2 on VMfailValid
 * (the VM-instruction error is in the VMCS), 3 if HOST_RSP could not be
 * written.  Callee-saved registers are kept on the stack across the guest.
 * The TSC is read into @regs->tsc_out right before the guest's registers
 * are loaded for the entry, and into @regs->tsc_in first thing at the
 * exit's landing (the exit/entry split, vmptrst_bench_abi.h:
 * vb_exit_split()).
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

	/* the handler's last TSC reading before the entry */
	lfence
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, VB_GR_TSC_OUT(%rdi)

	test %sil, %sil
	/* MOV leaves the flags alone: ZF still says VMLAUNCH or VMRESUME. */
	mov VB_GR_RAX(%rdi), %rax
	mov VB_GR_RBX(%rdi), %rbx
	mov VB_GR_RCX(%rdi), %rcx
	mov VB_GR_RDX(%rdi), %rdx
	mov VB_GR_R8(%rdi), %r8
	mov VB_GR_R9(%rdi), %r9
	mov VB_GR_R10(%rdi), %r10
	mov VB_GR_R11(%rdi), %r11
	mov VB_GR_RSI(%rdi), %rsi
	mov VB_GR_RDI(%rdi), %rdi	/* last: @regs is on the stack */
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
	push %rdx
	/* the handler's first TSC reading after the exit */
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov 16(%rsp), %rdx
	mov %rax, VB_GR_TSC_IN(%rdx)
	pop %rdx
	mov 8(%rsp), %rax
	mov %rbx, VB_GR_RBX(%rax)
	mov %rcx, VB_GR_RCX(%rax)
	mov %rdx, VB_GR_RDX(%rax)
	mov %r8, VB_GR_R8(%rax)
	mov %r9, VB_GR_R9(%rax)
	mov %r10, VB_GR_R10(%rax)
	mov %r11, VB_GR_R11(%rax)
	mov %rsi, VB_GR_RSI(%rax)
	mov %rdi, VB_GR_RDI(%rax)
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
 * mode=guest's timed blocks.  Each is entered (a VM entry to its start)
 * with RBX = the operand's address minus VB_GUEST_DISP, RSI = the value
 * MOV stores, RDI = RBX; it reads the TSC into R9:R8 before and R11:R10
 * after the unrolled instructions, in the bracket of the root blocks
 * (kmod/vb_engine.h: LFENCE;RDTSC;LFENCE .. [MFENCE;]LFENCE;RDTSC;LFENCE),
 * then HLT, which exits (HLT exiting): the record is done.  The host never
 * resumes a HLT; should it, UD2 exits (every exception does).  Every
 * VMPTRST, CPUID, VMCALL, RDMSR, OUT, XSETBV, INVD and MOV to CR3 in
 * between exits and is resumed past.
 * serialize=cpuid has no blocks here: CPUID is itself a VM exit.
 */
.macro VB_GBODY_none
.endm
.macro VB_GBODY_vmptrst
	vmptrst VB_GUEST_DISP(%rbx)
.endm
.macro VB_GBODY_mov
	movq %rsi, VB_GUEST_DISP(%rbx)
.endm
.macro VB_GBODY_cpuid
	cpuid
.endm
.macro VB_GBODY_vmcall
	vmcall
.endm
/* RCX = VB_GUEST_RDMSR_MSR; never executed for the guest */
.macro VB_GBODY_rdmsr
	rdmsr
.endm
/* VB_GUEST_IO_PORT: unconditional I/O exiting, no port touched */
.macro VB_GBODY_io
	outb %al, $0x80
.endm
/* RCX = 0 (XCR0); needs CR4.OSXSAVE; no XCR written */
.macro VB_GBODY_xsetbv
	xsetbv
.endm
/* exits unconditionally; the host never executes INVD */
.macro VB_GBODY_invd
	invd
.endm
/* RCX = the guest's CR3; CR3-load exiting, CR3-target count 0: not loaded */
.macro VB_GBODY_cr3load
	mov %rcx, %cr3
.endm
/* Tests' build: VMPTRST in another addressing form than the exits are checked against. */
.macro VB_GBODY_wrongform
	vmptrst VB_GUEST_DISP(%rdi)
.endm

.macro VB_GBLOCK insn, ser, n
SYM_FUNC_START_LOCAL(vb_gb_\insn\()_\ser\()_\n)
	lfence
	rdtsc
	mov %eax, %r8d
	mov %edx, %r9d
	lfence
	.rept \n
	VB_GBODY_\insn
	.endr
	.ifc \ser, mfence
	mfence
	.endif
	lfence
	rdtsc
	mov %eax, %r10d
	mov %edx, %r11d
	lfence
.Lgh_\insn\()_\ser\()_\n:
	hlt
	ud2
SYM_FUNC_END(vb_gb_\insn\()_\ser\()_\n)
.endm

.macro VB_GBLOCKS insn
	.irp ser, lfence, mfence
	.irp n, 1, 2, 4, 8, 16, 32, 64, 128, 256
	VB_GBLOCK \insn, \ser, \n
	.endr
	.endr
.endm

VB_GBLOCK none, lfence, 0
VB_GBLOCK none, mfence, 0
VB_GBLOCKS vmptrst
VB_GBLOCKS mov
VB_GBLOCKS cpuid
VB_GBLOCKS vmcall
VB_GBLOCKS rdmsr
VB_GBLOCKS io
VB_GBLOCKS xsetbv
VB_GBLOCKS invd
VB_GBLOCKS cr3load
#ifdef VB_TEST_HOOKS
VB_GBLOCKS wrongform
#endif

/*
 * The table, struct vb_gblock (vb_guest.h): the block's address and its
 * HLT's offset in it (an offset, not a relocation into the middle of code).
 */
.macro VB_GENTRY insn, ser, n
	.quad vb_gb_\insn\()_\ser\()_\n
	.long .Lgh_\insn\()_\ser\()_\n - vb_gb_\insn\()_\ser\()_\n
	.long 0
.endm
/* [serialize][unroll]: lfence, cpuid (none), mfence; unroll 1 .. 256 */
.macro VB_GROW insn
	.irp ser, lfence, cpuid, mfence
	.ifc \ser, cpuid
	.fill 18, 8, 0
	.else
	.irp n, 1, 2, 4, 8, 16, 32, 64, 128, 256
	.ifc \insn, none
	VB_GENTRY none, \ser, 0
	.else
	VB_GENTRY \insn, \ser, \n
	.endif
	.endr
	.endif
	.endr
.endm
#define VB_GROW_EMPTY	.fill 54, 8, 0

.pushsection .rodata
.balign 8
/* [enum vb_instruction][enum vb_serialize][log2 unroll] */
SYM_DATA_START(vb_guest_blocks)
	VB_GROW none		/* VB_INSN_NONE */
	VB_GROW vmptrst		/* VB_INSN_VMPTRST */
	VB_GROW mov		/* VB_INSN_MOV */
	VB_GROW_EMPTY		/* VB_INSN_ADD: mode root only */
	VB_GROW_EMPTY		/* VB_INSN_IMUL */
	VB_GROW_EMPTY		/* VB_INSN_CHASE */
	VB_GROW cpuid		/* VB_INSN_CPUID */
	VB_GROW vmcall		/* VB_INSN_VMCALL */
	VB_GROW_EMPTY		/* VB_INSN_VMPTRLD: the family, mode root */
	VB_GROW_EMPTY		/* VB_INSN_VMCLEAR */
	VB_GROW_EMPTY		/* VB_INSN_VMREAD */
	VB_GROW_EMPTY		/* VB_INSN_VMWRITE */
	VB_GROW_EMPTY		/* VB_INSN_INVVPID */
	VB_GROW_EMPTY		/* VB_INSN_INVEPT */
	VB_GROW_EMPTY		/* VB_INSN_VMXON */
	VB_GROW rdmsr		/* VB_INSN_RDMSR */
	VB_GROW io		/* VB_INSN_IO */
	VB_GROW xsetbv		/* VB_INSN_XSETBV */
	VB_GROW invd		/* VB_INSN_INVD */
	VB_GROW cr3load		/* VB_INSN_CR3_LOAD */
SYM_DATA_END(vb_guest_blocks)
#ifdef VB_TEST_HOOKS
SYM_DATA_START(vb_guest_wrongform)
	VB_GROW wrongform
SYM_DATA_END(vb_guest_wrongform)
#endif
.popsection

#ifdef VB_TEST_HOOKS	/* the guest probe (vb_guest_probe.c) */

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

#endif /* VB_TEST_HOOKS */
