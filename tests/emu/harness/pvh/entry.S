/*
 * The multiboot header (syslinux's mboot.c32 loads this program and its
 * modules) and the entry: a stack, then pvh_load(multiboot info), which
 * does not return.  See pvh-loader.c.
 */
	.section .multiboot, "a"
	.align 4
	.long 0x1BADB002		/* multiboot magic */
	.long 0x00000003		/* modules page-aligned, memory map wanted */
	.long -(0x1BADB002 + 0x00000003)

	.text
	.globl loader_entry
loader_entry:
	cli
	cld
	mov $stack_top, %esp
	cmp $0x2BADB002, %eax		/* loaded by a multiboot loader? */
	jne 1f
	push %ebx
	call pvh_load
1:	hlt
	jmp 1b

	.bss
	.align 16
	.space 16384
stack_top:
	.section .note.GNU-stack, "", @progbits
