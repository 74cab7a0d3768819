// SPDX-License-Identifier: GPL-2.0
/* VMPTRST at ring 3: see ring3.h. */
#define _GNU_SOURCE	/* REG_* of ucontext_t, MAP_32BIT */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "ring3.h"

static sigjmp_buf ring3_jb;
static struct vb_ring3_fault ring3_fault;
static volatile uint64_t ring3_t0;

/*
 * SA_NODEFER: the handler leaves by siglongjmp without a sigreturn, so the
 * signal must not stay blocked; sigsetjmp(.., 0) then saves no mask and
 * the way back costs no system call.  The frame says what the CPU raised.
 */
static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;
	const greg_t *g = uc->uc_mcontext.gregs;

	ring3_fault.sig = sig;
	ring3_fault.trapno = si->si_code > 0 ? (int)g[REG_TRAPNO] : -1;
	ring3_fault.err = (uint64_t)g[REG_ERR];
	ring3_fault.rip = (uint64_t)g[REG_RIP];
	ring3_fault.cs = (uint16_t)(g[REG_CSGSFS] & 0xffff);
	ring3_fault.addr = (uint64_t)(uintptr_t)si->si_addr;
	siglongjmp(ring3_jb, 1);
}

void vb_ring3_catch(struct vb_ring3_handlers *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, &old->ill);
	sigaction(SIGSEGV, &sa, &old->segv);
	sigaction(SIGBUS, &sa, &old->bus);
}

void vb_ring3_release(const struct vb_ring3_handlers *old)
{
	sigaction(SIGILL, &old->ill, NULL);
	sigaction(SIGSEGV, &old->segv, NULL);
	sigaction(SIGBUS, &old->bus, NULL);
}

const struct vb_ring3_fault *vb_ring3_last(void)
{
	return &ring3_fault;
}

static void fault_reset(void)
{
	memset(&ring3_fault, 0, sizeof(ring3_fault));
	ring3_fault.trapno = -1;
}

static inline uint64_t rdtsc_fenced(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence"
			     : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

__attribute__((noinline)) int vb_ring3_timed(enum vb_ring3_insn insn,
					     uint64_t *operand,
					     uint64_t *ticks)
{
	ring3_fault.sig = 0;
	if (sigsetjmp(ring3_jb, 0) == 0) {
		ring3_t0 = rdtsc_fenced();
		if (insn == VB_RING3_VMPTRST)
			__asm__ __volatile__("vmptrst %0" : "=m"(*operand)
					     : : "memory");
		else
			__asm__ __volatile__("ud2" : : : "memory");
	}
	*ticks = rdtsc_fenced() - ring3_t0;
	return ring3_fault.sig;
}

/*
 * VMPTRST (%operand) with the six arithmetic flags set before it and
 * RFLAGS read after it; the stack pointer steps over the red zone first.
 */
static __attribute__((noinline)) void exec64(uint64_t *operand,
					     uint64_t *rflags)
{
	uint64_t fl;

	__asm__ __volatile__("lea -128(%%rsp), %%rsp\n\t"
			     "pushq %2\n\t"
			     "popfq\n\t"
			     "vmptrst (%1)\n\t"
			     "pushfq\n\t"
			     "popq %0\n\t"
			     "lea 128(%%rsp), %%rsp"
			     : "=&r"(fl) : "r"(operand),
			       "i"(VB_RFLAGS_ARITH | 2) : "memory", "cc");
	*rflags = fl;
}

void vb_ring3_vmptrst(struct vb_ring3_obs *o)
{
	static uint64_t operand __attribute__((aligned(8)));
	struct vb_ring3_handlers old;

	memset(o, 0, sizeof(*o));
	o->before = operand = VB_RING3_POISON;
	fault_reset();
	vb_ring3_catch(&old);
	if (sigsetjmp(ring3_jb, 0) == 0)
		exec64(&operand, &o->rflags);
	vb_ring3_release(&old);
	o->f = ring3_fault;
	o->after = operand;
	o->reached = 1;
}

/*
 * Compatibility mode.  One mapping below 2 GiB: the 32-bit code at 0, the
 * 64-bit landing it returns to at LOW_LAND, the saved RSP and RIP, the
 * operand and RFLAGS at LOW_DATA, the stack above.  vb_compat_enter()
 * saves the callee-saved registers, RSP and its return point, takes the
 * low stack and far-returns to the 32-bit code (ebp: the operand); the
 * landing reloads RSP and jumps back.  A fault leaves by siglongjmp.
 */
#define LOW_SIZE	0x10000u
#define LOW_LAND	0x100u
#define LOW_DATA	0x1000u
#define SLOT_OPERAND	16u		/* after the saved RSP and RIP */
#define CODE32_VMPTRST	6u		/* VMPTRST's offset in the 32-bit code */

int vb_compat_enter(uint64_t entry, uint64_t slots, uint64_t stack,
		    uint64_t operand) __asm__("vb_compat_enter");
__asm__(".pushsection .text\n"
	".globl vb_compat_enter\n"
	".hidden vb_compat_enter\n"
	".type vb_compat_enter, @function\n"
	"vb_compat_enter:\n"
	"	push %rbx\n	push %rbp\n	push %r12\n"
	"	push %r13\n	push %r14\n	push %r15\n"
	"	mov %rsp, (%rsi)\n"
	"	lea 1f(%rip), %rax\n"
	"	mov %rax, 8(%rsi)\n"
	"	mov %rcx, %rbp\n"
	"	mov %rdx, %rsp\n"
	"	pushq $0x23\n"		/* VB_USER32_CS */
	"	push %rdi\n"
	"	lretq\n"
	"1:	pop %r15\n	pop %r14\n	pop %r13\n"
	"	pop %r12\n	pop %rbp\n	pop %rbx\n"
	"	xor %eax, %eax\n"
	"	ret\n"
	".size vb_compat_enter, . - vb_compat_enter\n"
	".popsection\n");

static void build_low(uint8_t *low)
{
	uint32_t l = (uint32_t)(uintptr_t)low, land = l + LOW_LAND;
	uint32_t s_rsp = l + LOW_DATA, s_rip = l + LOW_DATA + 8;
	uint8_t code32[] = {
		0x68, 0xd7, 0x08, 0x00, 0x00,	/* push $0x8d7: the six flags */
		0x9d,				/* popf */
		0x0f, 0xc7, 0x7d, 0x00,		/* vmptrst 0(%ebp): through SS,
						   the flat user data segment
						   (DS is null at 64 bits) */
		0x9c,				/* pushf */
		0x58,				/* pop %eax */
		0x89, 0x45, 0x08,		/* mov %eax, 8(%ebp) */
		0x6a, VB_USER_CS,		/* push $__USER_CS */
		0x68, 0, 0, 0, 0,		/* push $landing */
		0xcb,				/* lret */
	};
	uint8_t land64[] = {
		0x48, 0x8b, 0x24, 0x25, 0, 0, 0, 0,	/* mov s_rsp, %rsp */
		0xff, 0x24, 0x25, 0, 0, 0, 0,		/* jmp *s_rip */
	};

	memcpy(code32 + 18, &land, 4);
	memcpy(land64 + 4, &s_rsp, 4);
	memcpy(land64 + 11, &s_rip, 4);
	memcpy(low, code32, sizeof(code32));
	memcpy(low + LOW_LAND, land64, sizeof(land64));
}

static const char *sig_name(int sig)
{
	return sig == SIGILL ? "SIGILL" : sig == SIGSEGV ? "SIGSEGV" :
	       sig == SIGBUS ? "SIGBUS" : "a signal";
}

/* Why a fault that is not VMPTRST's kept it from being reached. */
static void not_reached(struct vb_ring3_obs *o, uint32_t l)
{
	const struct vb_ring3_fault *f = &o->f;

	if (f->rip >= l && f->rip < l + LOW_SIZE)
		snprintf(o->why, sizeof(o->why), "the 32-bit code raised %s (vector %d, error code 0x%llx) at offset %llu, not at VMPTRST (offset %u)",
			 sig_name(f->sig), vb_ring3_vector(f),
			 (unsigned long long)f->err,
			 (unsigned long long)(f->rip - l), CODE32_VMPTRST);
	else
		snprintf(o->why, sizeof(o->why), "could not enter compatibility mode: the far return to the 32-bit user code selector 0x%x raised %s (vector %d, error code 0x%llx): this kernel or its hypervisor offers no usable 32-bit user code segment",
			 VB_USER32_CS, sig_name(f->sig), vb_ring3_vector(f),
			 (unsigned long long)f->err);
}

void vb_ring3_vmptrst_compat(struct vb_ring3_obs *o)
{
	struct vb_ring3_handlers old;
	uint64_t *data;
	uint8_t *low;
	uint32_t l;

	memset(o, 0, sizeof(*o));
	o->before = o->after = VB_RING3_POISON;
	low = mmap(NULL, LOW_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED || (uintptr_t)low + LOW_SIZE > 0x80000000u) {
		snprintf(o->why, sizeof(o->why), "no memory below 2 GiB for the 32-bit code (mmap MAP_32BIT: %s)",
			 low == MAP_FAILED ? strerror(errno) : "above 2 GiB");
		if (low != MAP_FAILED)
			munmap(low, LOW_SIZE);
		return;
	}
	l = (uint32_t)(uintptr_t)low;
	build_low(low);
	if (mprotect(low, 4096, PROT_READ | PROT_EXEC)) {
		snprintf(o->why, sizeof(o->why), "could not make the 32-bit code executable (mprotect: %s)",
			 strerror(errno));
		munmap(low, LOW_SIZE);
		return;
	}
	data = (uint64_t *)(void *)(low + LOW_DATA);
	data[SLOT_OPERAND / 8] = VB_RING3_POISON;
	fault_reset();
	vb_ring3_catch(&old);
	if (sigsetjmp(ring3_jb, 0) == 0)
		vb_compat_enter(l, l + LOW_DATA, l + LOW_SIZE,
				l + LOW_DATA + SLOT_OPERAND);
	vb_ring3_release(&old);
	o->f = ring3_fault;
	o->after = data[SLOT_OPERAND / 8];
	if (!o->f.sig)
		o->rflags = data[SLOT_OPERAND / 8 + 1];
	if (!o->f.sig || (o->f.rip == l + CODE32_VMPTRST &&
			  o->f.cs == VB_USER32_CS))
		o->reached = 1;
	else
		not_reached(o, l);
	munmap(low, LOW_SIZE);
}

/* The vectors that raise sig on Linux/x86-64. */
static int vector_fits(int sig, int v)
{
	switch (sig) {
	case SIGILL:
		return v == 6;
	case SIGSEGV:
		return v == 13 || v == 14 || v == 10;
	case SIGBUS:
		return v == 12 || v == 11 || v == 17;
	}
	return 0;
}

int vb_ring3_vector(const struct vb_ring3_fault *f)
{
	if (!f->sig)
		return -1;
	if (vector_fits(f->sig, f->trapno))
		return f->trapno;
	return f->sig == SIGILL ? 6 : f->sig == SIGBUS ? 12 : 13;
}

int vb_vector_has_error_code(int v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17;
}
