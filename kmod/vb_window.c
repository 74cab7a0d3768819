// SPDX-License-Identifier: GPL-2.0
/*
 * The timed blocks.  Runs on the target CPU with interrupts off, inside VMX
 * root operation (vb_vmx.c brackets it).
 *
 * Serialisation: LFENCE; RDTSC; LFENCE before the block and the same after.
 * On Intel, LFENCE does not let later instructions start before all earlier
 * ones have completed locally, so the first pair keeps the block from
 * starting before the opening RDTSC has read the counter, and the closing
 * LFENCE; RDTSC cannot read it before the block has retired.  CPUID, the
 * other classic choice, costs 100+ cycles with a variable latency and is a
 * VM exit under a hypervisor; LFENCE is cheap and steady, which matters
 * because the baseline subtracts it.  What the bracket does not wait for is
 * the store leaving the store buffer: VMPTRST and the MOV control are timed
 * to retirement, not to global visibility.  The choice becomes a sweep axis
 * (enum vb_serialize) later.
 *
 * Unrolling: each block is `.rept N` copies of the instruction, straight
 * line, no loop, one instantiation per power of two up to VB_MAX_UNROLL.
 * The copies are not guarded by the exception table: before every window
 * vb_vmx.c executes one guarded VMPTRST on the very same operand in the very
 * same state, so these copies cannot fault where that one did not.
 */
#include <linux/kernel.h>
#include <asm/msr.h>
#include "vb_compat.h"
#include "vb_internal.h"

#define VB_OPEN		"lfence\n\t"					\
			"rdtsc\n\t"					\
			"mov %%eax, %k[b_lo]\n\t"			\
			"mov %%edx, %k[b_hi]\n\t"			\
			"lfence\n\t"
#define VB_CLOSE	"lfence\n\t"					\
			"rdtsc\n\t"					\
			"lfence\n\t"

#define VB_TSC_OUT	"=&a"(e_lo), "=&d"(e_hi), [b_lo] "=&r"(b_lo), [b_hi] "=&r"(b_hi)

static __always_inline void vb_block_none(void *op, u64 val, int n,
					  u64 *begin, u64 *end)
{
	u32 b_lo, b_hi, e_lo, e_hi;

	asm volatile(VB_OPEN VB_CLOSE : VB_TSC_OUT : : "memory");
	*begin = (u64)b_hi << 32 | b_lo;
	*end = (u64)e_hi << 32 | e_lo;
}

static __always_inline void vb_block_vmptrst(void *op, u64 val, int n,
					     u64 *begin, u64 *end)
{
	u32 b_lo, b_hi, e_lo, e_hi;

	asm volatile(VB_OPEN
		     ".rept %c[n]\n\t"
		     "vmptrst (%[op])\n\t"
		     ".endr\n\t"
		     VB_CLOSE
		     : VB_TSC_OUT
		     : [op] "r"(op), [n] "i"(n)
		     : "memory");
	*begin = (u64)b_hi << 32 | b_lo;
	*end = (u64)e_hi << 32 | e_lo;
}

static __always_inline void vb_block_mov(void *op, u64 val, int n,
					 u64 *begin, u64 *end)
{
	u32 b_lo, b_hi, e_lo, e_hi;

	asm volatile(VB_OPEN
		     ".rept %c[n]\n\t"
		     "movq %[val], (%[op])\n\t"
		     ".endr\n\t"
		     VB_CLOSE
		     : VB_TSC_OUT
		     : [op] "r"(op), [val] "r"(val), [n] "i"(n)
		     : "memory");
	*begin = (u64)b_hi << 32 | b_lo;
	*end = (u64)e_hi << 32 | e_lo;
}

/* One function per instruction, switching on the unroll count. */
#define VB_UNROLLED(name)						\
static noinline void name##_n(void *op, u64 val, u32 unroll,		\
			      u64 *begin, u64 *end)			\
{									\
	switch (unroll) {						\
	case 1: name(op, val, 1, begin, end); break;			\
	case 2: name(op, val, 2, begin, end); break;			\
	case 4: name(op, val, 4, begin, end); break;			\
	case 8: name(op, val, 8, begin, end); break;			\
	case 16: name(op, val, 16, begin, end); break;			\
	case 32: name(op, val, 32, begin, end); break;			\
	case 64: name(op, val, 64, begin, end); break;			\
	case 128: name(op, val, 128, begin, end); break;		\
	case 256: name(op, val, 256, begin, end); break;		\
	default: WARN_ON_ONCE(1); *begin = *end = 0; break;		\
	}								\
}
VB_UNROLLED(vb_block_vmptrst)
VB_UNROLLED(vb_block_mov)
static_assert(VB_MAX_UNROLL == 256, "add cases to VB_UNROLLED");

/* One record: poison the operand, time the block, check what it holds. */
static void vb_record(struct vb_ctx *c, u8 insn, u32 sample,
		      struct vb_sample *r)
{
	u64 want = insn == VB_INSN_NONE ? VB_POISON : c->expected;

	put_unaligned(VB_POISON, (u64 *)c->operand);
	switch (insn) {
	case VB_INSN_VMPTRST:
		vb_block_vmptrst_n(c->operand, 0, c->unroll,
				   &r->tsc_begin, &r->tsc_end);
		break;
	case VB_INSN_MOV:
		vb_block_mov_n(c->operand, c->expected, c->unroll,
			       &r->tsc_begin, &r->tsc_end);
		break;
	default:
		vb_block_none(c->operand, 0, 0, &r->tsc_begin, &r->tsc_end);
		break;
	}
	r->stored = get_unaligned((u64 *)c->operand);
	r->sample = sample;
	r->instruction = insn;
	r->window = (u8)c->windows;
	r->flags = 0;
	if (r->stored != want) {
		r->flags |= VB_SAMPLE_MISMATCH;
		c->mismatches++;
	}
}

/*
 * Take samples until the run is complete, the window's deadline (TSC) has
 * passed, or VB_WINDOW_MAX_SAMPLES were taken.  With an instruction, each
 * sample is a pair of records, the baseline and the instruction, their order
 * alternating so that neither always runs first.
 */
void vb_take_samples(struct vb_ctx *c, u64 deadline)
{
	u32 n;

	for (n = 0; n < VB_WINDOW_MAX_SAMPLES && c->done < c->samples; n++) {
		u32 i = c->done;

		if (c->instruction == VB_INSN_NONE) {
			vb_record(c, VB_INSN_NONE, i, &c->rec[i]);
		} else {
			u8 first = i & 1 ? c->instruction : VB_INSN_NONE;
			u8 second = i & 1 ? VB_INSN_NONE : c->instruction;

			vb_record(c, first, i, &c->rec[2 * i]);
			vb_record(c, second, i, &c->rec[2 * i + 1]);
		}
		c->done++;
		if (rdtsc() >= deadline)
			break;
	}
}
