// SPDX-License-Identifier: GPL-2.0
/*
 * The timed blocks.  Runs on the target CPU with interrupts off, inside VMX
 * root operation (vb_vmx.c brackets it).
 *
 * Serialisation (enum vb_serialize), opening .. closing:
 *   lfence  LFENCE; RDTSC; LFENCE  ..  LFENCE; RDTSC; LFENCE
 *   mfence  LFENCE; RDTSC; LFENCE  ..  MFENCE; LFENCE; RDTSC; LFENCE
 *   cpuid   CPUID; RDTSC           ..  RDTSCP; CPUID
 * On Intel, LFENCE does not let later instructions start before all earlier
 * ones have completed locally: the opening keeps the block from starting
 * before the TSC was read, the closing keeps the TSC read from happening
 * before the block has retired.  It is cheap and steady, which matters
 * because the baseline subtracts it.  It does not wait for the stores to
 * leave the store buffer: `mfence` adds that (VMPTRST and MOV timed until
 * their stores are globally visible).  `cpuid` is the bracket of Intel's
 * "How to Benchmark Code Execution Times" white paper: heavier and more
 * variable, and a VM exit under a hypervisor, so not the default.
 *
 * Unrolling: each block is `.rept N` copies of the instruction, straight
 * line, no loop, one instantiation per power of two up to VB_MAX_UNROLL.
 * The copies are not guarded by the exception table: before every window
 * vb_vmx.c executes one guarded VMPTRST on the very same operand in the very
 * same state, so these copies cannot fault where that one did not.
 * tests/kmod/check-blocks.sh reads every block back from the object file.
 *
 * Per-sample setup (cache flush, A/D clear, INVLPG) happens in vb_prepare(),
 * before the block's opening TSC read, never inside the timed window.
 */
#include <linux/kernel.h>
#include <linux/hardirq.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include "vb_compat.h"
#include "vb_internal.h"

#define VB_TSC_BEGIN	"mov %%eax, %k[b_lo]\n\tmov %%edx, %k[b_hi]\n\t"
#define VB_TSC_END	"mov %%eax, %k[e_lo]\n\tmov %%edx, %k[e_hi]\n\t"

#define VB_OPEN_LFENCE	"lfence\n\trdtsc\n\t" VB_TSC_BEGIN "lfence\n\t"
#define VB_CLOSE_LFENCE	"lfence\n\trdtsc\n\t" VB_TSC_END "lfence\n\t"
#define VB_CLOSE_MFENCE	"mfence\n\t" VB_CLOSE_LFENCE
#define VB_OPEN_CPUID	"xor %%eax, %%eax\n\tcpuid\n\trdtsc\n\t" VB_TSC_BEGIN
#define VB_CLOSE_CPUID	"rdtscp\n\t" VB_TSC_END "xor %%eax, %%eax\n\tcpuid\n\t"

#define VB_BODY_NONE	""
#define VB_BODY_VMPTRST	"vmptrst (%[op])\n\t"
#define VB_BODY_MOV	"movq %[val], (%[op])\n\t"

/*
 * One timed block.  All four TSC halves live in registers the bracket does
 * not touch; RAX, RBX, RCX, RDX are clobbered by RDTSC(P) and CPUID, so the
 * operand's address is never in one of them.
 */
#define VB_BLOCK(OPEN, BODY, CLOSE, n)					\
	asm volatile(OPEN						\
		     ".rept %c[n]\n\t" BODY ".endr\n\t"			\
		     CLOSE						\
		     : [b_lo] "=&r"(b_lo), [b_hi] "=&r"(b_hi),		\
		       [e_lo] "=&r"(e_lo), [e_hi] "=&r"(e_hi)		\
		     : [op] "r"(op), [val] "r"(val), [n] "i"(n)		\
		     : "rax", "rbx", "rcx", "rdx", "cc", "memory")

/* The TSC and the counters read around one block. */
struct vb_reading {
	u64 tsc_begin, tsc_end;
	u64 pmc_begin[VB_MAX_EVENTS], pmc_end[VB_MAX_EVENTS];
};

/*
 * An __always_inline function per (instruction, serialisation): counters
 * read right before the opening and right after the closing sequence, so
 * the counted interval holds the bracket, the same for the baseline.
 */
#define VB_BLOCK_FN(name, OPEN, BODY, CLOSE)				\
static __always_inline void name(void *op, u64 val, int n,		\
				 struct vb_pmu *pmu, struct vb_reading *rd) \
{									\
	u32 b_lo, b_hi, e_lo, e_hi;					\
									\
	vb_pmu_read(pmu, rd->pmc_begin);				\
	VB_BLOCK(OPEN, BODY, CLOSE, n);					\
	vb_pmu_read(pmu, rd->pmc_end);					\
	rd->tsc_begin = (u64)b_hi << 32 | b_lo;				\
	rd->tsc_end = (u64)e_hi << 32 | e_lo;				\
}

VB_BLOCK_FN(vb_none_lfence, VB_OPEN_LFENCE, VB_BODY_NONE, VB_CLOSE_LFENCE)
VB_BLOCK_FN(vb_none_mfence, VB_OPEN_LFENCE, VB_BODY_NONE, VB_CLOSE_MFENCE)
VB_BLOCK_FN(vb_none_cpuid, VB_OPEN_CPUID, VB_BODY_NONE, VB_CLOSE_CPUID)
VB_BLOCK_FN(vb_vmptrst_lfence, VB_OPEN_LFENCE, VB_BODY_VMPTRST, VB_CLOSE_LFENCE)
VB_BLOCK_FN(vb_vmptrst_mfence, VB_OPEN_LFENCE, VB_BODY_VMPTRST, VB_CLOSE_MFENCE)
VB_BLOCK_FN(vb_vmptrst_cpuid, VB_OPEN_CPUID, VB_BODY_VMPTRST, VB_CLOSE_CPUID)
VB_BLOCK_FN(vb_mov_lfence, VB_OPEN_LFENCE, VB_BODY_MOV, VB_CLOSE_LFENCE)
VB_BLOCK_FN(vb_mov_mfence, VB_OPEN_LFENCE, VB_BODY_MOV, VB_CLOSE_MFENCE)
VB_BLOCK_FN(vb_mov_cpuid, VB_OPEN_CPUID, VB_BODY_MOV, VB_CLOSE_CPUID)

typedef void (*vb_block_fn)(void *op, u64 val, u32 unroll,
			    struct vb_pmu *pmu, struct vb_reading *rd);

/* One noinline function per block kind, switching on the unroll count. */
#define VB_UNROLLED(name)						\
static noinline void name##_n(void *op, u64 val, u32 unroll,		\
			      struct vb_pmu *pmu, struct vb_reading *rd) \
{									\
	switch (unroll) {						\
	case 1: name(op, val, 1, pmu, rd); break;			\
	case 2: name(op, val, 2, pmu, rd); break;			\
	case 4: name(op, val, 4, pmu, rd); break;			\
	case 8: name(op, val, 8, pmu, rd); break;			\
	case 16: name(op, val, 16, pmu, rd); break;			\
	case 32: name(op, val, 32, pmu, rd); break;			\
	case 64: name(op, val, 64, pmu, rd); break;			\
	case 128: name(op, val, 128, pmu, rd); break;			\
	case 256: name(op, val, 256, pmu, rd); break;			\
	default: WARN_ON_ONCE(1); memset(rd, 0, sizeof(*rd)); break;	\
	}								\
}
static_assert(VB_MAX_UNROLL == 256, "add cases to VB_UNROLLED");

/* The baseline block is empty whatever the unroll count. */
#define VB_EMPTY(name)							\
static noinline void name##_n(void *op, u64 val, u32 unroll,		\
			      struct vb_pmu *pmu, struct vb_reading *rd) \
{									\
	name(op, val, 0, pmu, rd);					\
}

VB_EMPTY(vb_none_lfence)
VB_EMPTY(vb_none_mfence)
VB_EMPTY(vb_none_cpuid)
VB_UNROLLED(vb_vmptrst_lfence)
VB_UNROLLED(vb_vmptrst_mfence)
VB_UNROLLED(vb_vmptrst_cpuid)
VB_UNROLLED(vb_mov_lfence)
VB_UNROLLED(vb_mov_mfence)
VB_UNROLLED(vb_mov_cpuid)

static const vb_block_fn vb_blocks[VB_INSN_COUNT][VB_SER_COUNT] = {
	[VB_INSN_NONE] = { vb_none_lfence_n, vb_none_cpuid_n, vb_none_mfence_n },
	[VB_INSN_VMPTRST] = { vb_vmptrst_lfence_n, vb_vmptrst_cpuid_n,
			      vb_vmptrst_mfence_n },
	[VB_INSN_MOV] = { vb_mov_lfence_n, vb_mov_cpuid_n, vb_mov_mfence_n },
};
static_assert(VB_SER_LFENCE == 0 && VB_SER_CPUID == 1 && VB_SER_MFENCE == 2,
	      "vb_blocks[][] is laid out in enum vb_serialize order");

/*
 * The per-sample setup, after the poison store and before the block:
 * flush the operand's lines (then MFENCE, so the flushes are done), clear
 * the A/D bits of its PTEs (after the flush: CLFLUSH's own page walk may
 * set A), then INVLPG its pages (for tlb=cold, and so that no TLB entry
 * remembers A/D set).
 */
static void vb_prepare(struct vb_ctx *c)
{
	unsigned int i;

	put_unaligned(VB_POISON, (u64 *)c->operand);
	if (c->cache != VB_CACHE_HOT) {
		for (i = 0; i < c->nlines; i++) {
			if (c->cache == VB_CACHE_FLUSHOPT)
				clflushopt(c->line[i]);
			else
				clflush(c->line[i]);
		}
		mb();
	}
	if (c->ad == VB_AD_CLEAR)
		for (i = 0; i < c->npages; i++)
			set_pte(c->pte[i], pte_mkold(pte_mkclean(*c->pte[i])));
	if (c->tlb == VB_TLB_COLD || c->ad == VB_AD_CLEAR)
		for (i = 0; i < c->npages; i++)
			asm volatile("invlpg (%0)" : : "r"(c->pg[i]) : "memory");
}

/* Counter deltas of one record; 0 where the counter is missing or invalid. */
static void vb_record_pmc(struct vb_ctx *c, const struct vb_reading *rd,
			  u32 index, struct vb_sample *r)
{
	u64 *out = &c->pmc[(size_t)index * c->pmu.n];
	u32 i;

	for (i = 0; i < c->pmu.n; i++) {
		if (!c->pmu.valid || c->pmu.kind[i] == VB_EVENT_NONE)
			out[i] = 0;
		else if (c->pmu.kind[i] == VB_EVENT_RDPMC)
			out[i] = (rd->pmc_end[i] - rd->pmc_begin[i]) &
				 VB_PMC_MASK;
		else
			out[i] = rd->pmc_end[i] - rd->pmc_begin[i];
	}
	if (!c->pmu.valid)
		r->flags |= VB_SAMPLE_PMC_INVALID;
}

/* One record: set up, time the block, check what the operand holds. */
static void vb_record(struct vb_ctx *c, u8 insn, u32 sample, u32 index)
{
	struct vb_sample *r = &c->rec[index];
	u64 want = insn == VB_INSN_NONE ? VB_POISON : c->expected;
	u32 nmi = this_cpu_read(irq_stat.__nmi_count);
	struct vb_reading rd;

	vb_prepare(c);
	vb_blocks[insn][c->serialize](c->operand, c->expected, c->unroll,
				      &c->pmu, &rd);
	r->stored = get_unaligned((u64 *)c->operand);
	r->tsc_begin = rd.tsc_begin;
	r->tsc_end = rd.tsc_end;
	r->sample = sample;
	r->instruction = insn;
	r->window = (u8)c->windows;
	r->flags = 0;
	if (r->stored != want) {
		r->flags |= VB_SAMPLE_MISMATCH;
		c->mismatches++;
	}
	if (c->pmu.n)
		vb_record_pmc(c, &rd, index, r);
	if (this_cpu_read(irq_stat.__nmi_count) != nmi)
		r->flags |= VB_SAMPLE_NMI;
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
			vb_record(c, VB_INSN_NONE, i, i);
		} else {
			u8 first = i & 1 ? c->instruction : VB_INSN_NONE;
			u8 second = i & 1 ? VB_INSN_NONE : c->instruction;

			vb_record(c, first, i, 2 * i);
			vb_record(c, second, i, 2 * i + 1);
		}
		c->done++;
		if (rdtsc() >= deadline)
			break;
	}
}
