/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CONFORM's executions of VMPTRST (vb_conform.c), one function per form
 * the reference page names, each under an exception-table fixup of type
 * EX_TYPE_FAULT: the kernel's fixup puts the vector in EAX and resumes at
 * the label after the instruction.  Each returns that vector, or -1 if the
 * instruction completed.  Before each, CF PF AF ZF SF OF are all set (so
 * that VMsucceed, which clears all six, cannot be mistaken for a no-op);
 * RFLAGS after the instruction goes to *rflags.  Interrupts are off (the
 * caller's IRQ-off window), and stay off: POPF only changes the six flags.
 * Written in assembly so that the forms the assembler will not emit (a
 * LOCK prefix, ModRM mod = 11) are exact bytes, and so that RBP may hold a
 * non-canonical address for one instruction.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/extable_fixup_types.h>

/* CF PF AF ZF SF OF */
#define VB_ARITH_FLAGS	0x8d5

/* Set the six flags; EAX = -1 (the fixup overwrites it with the vector). */
.macro VB_PRESET
	pushf
	orq $VB_ARITH_FLAGS, (%rsp)
	popf
	mov $-1, %eax
.endm

/*
 * int vb_conf_vmptrst(void *dst, u64 *rflags)
 * vmptrst (%rdi): the memory form through DS.
 */
SYM_FUNC_START(vb_conf_vmptrst)
	VB_PRESET
1:	vmptrst (%rdi)
2:	pushf
	pop (%rsi)
	RET
	_ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
SYM_FUNC_END(vb_conf_vmptrst)

/*
 * int vb_conf_vmptrst_ss(void *dst, u64 *rflags)
 * vmptrst (%rbp): base RBP, so the segment is SS.
 */
SYM_FUNC_START(vb_conf_vmptrst_ss)
	push %rbp
	mov %rdi, %rbp
	VB_PRESET
1:	vmptrst (%rbp)
2:	pushf
	pop (%rsi)
	pop %rbp
	RET
	_ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
SYM_FUNC_END(vb_conf_vmptrst_ss)

/*
 * int vb_conf_vmptrst_lock(void *dst, u64 *rflags)
 * lock vmptrst (%rdi): F0 0F C7 /7, ModRM 0x3f (mod 00, reg 7, rm RDI).
 */
SYM_FUNC_START(vb_conf_vmptrst_lock)
	VB_PRESET
1:	.byte 0xf0, 0x0f, 0xc7, 0x3f
2:	pushf
	pop (%rsi)
	RET
	_ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
SYM_FUNC_END(vb_conf_vmptrst_lock)

/*
 * int vb_conf_vmptrst_reg(u64 *rax, u64 *rflags)
 * 0F C7 /7 with a register operand: REX.W 0F C7 F8 (ModRM mod 11, reg 7,
 * rm RAX), RAX loaded from *rax before and stored back to *rax after.
 * Where the CPU has RDSEED this encoding is RDSEED RAX.
 */
SYM_FUNC_START(vb_conf_vmptrst_reg)
	push %rbx
	mov %rdi, %rbx
	mov (%rbx), %rdx
	VB_PRESET
	xchg %rdx, %rax		/* RAX = *rax, EDX = -1: XCHG keeps the flags */
1:	.byte 0x48, 0x0f, 0xc7, 0xf8
	mov %rax, (%rbx)	/* completed: the register's new value */
	mov %edx, %eax		/* and -1 */
2:	pushf
	pop (%rsi)
	pop %rbx
	RET
	_ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
SYM_FUNC_END(vb_conf_vmptrst_reg)
