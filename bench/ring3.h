/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMPTRST at ring 3 on the calling thread, the signal it raises caught and
 * read from the signal frame (trap number, error code, where): in 64-bit
 * mode, and in compatibility mode through the 32-bit user code selector.
 * `probe` times the 64-bit execution against UD2 (vb_ring3_timed); the
 * conformance table records what each one did (vb_ring3_vmptrst,
 * vb_ring3_vmptrst_compat).  The caller pins the thread.
 */
#ifndef VB_RING3_H
#define VB_RING3_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* What the operand holds before an execution. */
#define VB_RING3_POISON		0x5a5a5a5a5a5a5a5aull
/* The six arithmetic flags (CF PF AF ZF SF OF), all set before. */
#define VB_RFLAGS_ARITH		0x8d5ull
/* x86-64 Linux's user code selectors (__USER32_CS, __USER_CS). */
#define VB_USER32_CS		0x23
#define VB_USER_CS		0x33

/* The signal an execution raised, as the kernel's frame tells it. */
struct vb_ring3_fault {
	int sig;		/* SIGILL, SIGSEGV, SIGBUS ...; 0: none */
	int trapno;		/* REG_TRAPNO: the vector; -1 unknown */
	uint64_t err;		/* REG_ERR: the error code the kernel saw */
	uint64_t rip;		/* REG_RIP: where it was raised */
	uint16_t cs;		/* the code selector then */
	uint64_t addr;		/* si_addr */
};

/* One conformance execution of VMPTRST at CPL 3. */
struct vb_ring3_obs {
	struct vb_ring3_fault f;
	int reached;		/* it executed VMPTRST (else why says why not) */
	uint64_t before, after;	/* the operand */
	uint64_t rflags;	/* after a completion (f.sig 0) */
	char why[256];
};

/* SIGILL, SIGSEGV and SIGBUS to the handler; the old actions kept. */
struct vb_ring3_handlers {
	struct sigaction ill, segv, bus;
};
void vb_ring3_catch(struct vb_ring3_handlers *old);
void vb_ring3_release(const struct vb_ring3_handlers *old);
/* The last signal the handler caught. */
const struct vb_ring3_fault *vb_ring3_last(void);

enum vb_ring3_insn { VB_RING3_VMPTRST, VB_RING3_UD2 };

/*
 * `probe`'s sample: one execution between vb_ring3_catch() and
 * vb_ring3_release(), lfence;rdtsc;lfence before it and after the way back
 * (*ticks); the signal it raised, 0 if none.  VMPTRST writes *operand only
 * if it completes.
 */
int vb_ring3_timed(enum vb_ring3_insn insn, uint64_t *operand,
		   uint64_t *ticks);

/*
 * VMPTRST m64 at CPL 3 in 64-bit mode, the six arithmetic flags set before
 * it (handlers installed and released here).
 */
void vb_ring3_vmptrst(struct vb_ring3_obs *o);
/*
 * The same in compatibility mode: 32-bit code in a page below 2 GiB,
 * entered by a far return to VB_USER32_CS, left by one to VB_USER_CS.
 * o->reached is 0 when compatibility mode could not be entered (o->why:
 * e.g. the kernel offers no 32-bit code segment).
 */
void vb_ring3_vmptrst_compat(struct vb_ring3_obs *o);

/* The vector of a caught signal: the frame's, else the signal's usual. */
int vb_ring3_vector(const struct vb_ring3_fault *f);
/* Whether the vector pushes an error code (#DF #TS #NP #SS #GP #PF #AC). */
int vb_vector_has_error_code(int vector);

#endif /* VB_RING3_H */
