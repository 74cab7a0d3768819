/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timing engine, one copy for the kernel and for user space: the timed
 * blocks, the per-sample setup, the checks, the interleaving of samples.
 * kmod/vb_window.c includes it for the module (ring 0, IRQs off, inside VMX
 * root operation); bench/userengine.c includes it for `--backend user` (ring 3,
 * pinned).  Nothing here knows which one it runs in: what differs is in the
 * environment hooks each defines before including this file:
 *
 *   types u8, u32, u64; __always_inline, noinline; VB_ENV_BUG() (a "cannot
 *   happen" report); struct vb_ctx, with at least the fields used below
 *   (`point`, the RUN's struct vb_point_desc, among them);
 *   struct vb_env_rec (per-record state of the environment) and
 *   vb_env_load64(p), vb_env_store64(p, v)  unaligned 8-byte access
 *   vb_env_rdtsc()                          the TSC, for window deadlines
 *   vb_env_pmc_read(c, v)                   read the counters into v[]
 *   vb_env_prepare_paging(c)                per-sample A/D clear and INVLPG
 *   vb_env_record_begin(c, s)               before a record's setup
 *   vb_env_record_end(c, r, index, rd, s)   after its block (counters, noise)
 * and, in the module only (VB_ENV_GUEST), for mode=guest:
 *   vb_env_guest_block(c, insn, index, &tsc_begin, &tsc_end)
 *                                           the block run in the guest
 *   vb_env_exits_wrong(c, index)            its VM exits not as expected
 * and (VB_ENV_FAMILY) for VMPTRST's family (vmptrld ... vmxon-vmxoff):
 *   vb_env_family_prepare(c, insn)          its memory operand, before
 *   vb_env_family_args(c, insn, &val, &acc) its register operands
 *   vb_env_family_result(c, insn, acc)      after the block: what it left
 *                                           (vb_sample.stored), the
 *                                           window's VMCS current again
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
 * RFLAGS: CF and ZF are set before the opening (`cmp %rsp, %rsp; stc`, as
 * the kernel's VMX wrappers do; the cpuid opening's XOR clears CF, ZF
 * stays set), and nothing in a closing changes them (its zeroing of EAX
 * is a MOV), so `setna` after the closing, outside the bracket, says
 * whether the last copy of a VMX instruction ended in VMfail or did not
 * run: a VMX instruction's record with it set is VB_SAMPLE_VMFAIL.  Every
 * copy of a block is the same instruction on the same operands and state,
 * so the last one stands for all (vmptrld other alternates between two
 * VMCSs of the module's, both valid).
 *
 * Unrolling: each block is `.rept N` copies of the instruction, straight
 * line, no loop, one instantiation per power of two up to VB_MAX_UNROLL.
 * tests/kmod/check-blocks.sh reads every block back from the object file.
 *
 * The reference instructions (add, imul, chase) are dependent chains on an
 * accumulator register with known latencies (1 and 3 cycles; an L1 hit for
 * the pointer chase), for measuring the engine itself.  Their "stored"
 * value is the accumulator after the block, checked like a store.
 */
#ifndef VB_ENGINE_H
#define VB_ENGINE_H

#include "vmptrst_bench_abi.h"


#define VB_TSC_BEGIN	"mov %%eax, %k[b_lo]\n\tmov %%edx, %k[b_hi]\n\t"
#define VB_TSC_END	"mov %%eax, %k[e_lo]\n\tmov %%edx, %k[e_hi]\n\t"

#define VB_OPEN_LFENCE	"lfence\n\trdtsc\n\t" VB_TSC_BEGIN "lfence\n\t"
#define VB_CLOSE_LFENCE	"lfence\n\trdtsc\n\t" VB_TSC_END "lfence\n\t"
#define VB_CLOSE_MFENCE	"mfence\n\t" VB_CLOSE_LFENCE
#define VB_OPEN_CPUID	"xor %%eax, %%eax\n\tcpuid\n\trdtsc\n\t" VB_TSC_BEGIN
#define VB_CLOSE_CPUID	"rdtscp\n\t" VB_TSC_END "mov $0, %%eax\n\tcpuid\n\t"

#define VB_BODY_NONE	""
#define VB_BODY_VMPTRST	"vmptrst (%[op])\n\t"
#define VB_BODY_MOV	"movq %[val], (%[op])\n\t"
#define VB_BODY_ADD	"add $1, %[acc]\n\t"
#define VB_BODY_IMUL	"imul %[acc], %[acc]\n\t"
#define VB_BODY_CHASE	"mov (%[acc]), %[acc]\n\t"
/* The family: [op] the memory operand, [val] the encoding or the type. */
#define VB_BODY_VMPTRLD	"vmptrld (%[op])\n\t"
#define VB_BODY_VMCLEAR	"vmclear (%[op])\n\t"
#define VB_BODY_VMREAD	"vmread %[val], %[acc]\n\t"
#define VB_BODY_VMWRITE	"vmwrite %[acc], %[val]\n\t"
#define VB_BODY_INVVPID	"invvpid (%[op]), %[val]\n\t"
#define VB_BODY_INVEPT	"invept (%[op]), %[val]\n\t"
#define VB_BODY_VMXON	"vmxoff\n\tvmxon (%[op])\n\t"

/* N copies of BODY. */
#define VB_REPT(BODY)	".rept %c[n]\n\t" BODY ".endr\n\t"
/*
 * vmptrld other: N loads alternating between [op] (the module's second
 * VMCS) and [val] (the address of the window's VMCS address), first [op].
 */
#define VB_REPT_ALT	".rept %c[n] / 2\n\t" VB_BODY_VMPTRLD		\
			"vmptrld (%[val])\n\t.endr\n\t"			\
			".if %c[n] & 1\n\t" VB_BODY_VMPTRLD ".endif\n\t"

/* The TSC and the counters read around one block. */
struct vb_reading {
	u64 tsc_begin, tsc_end;
	u64 pmc_begin[VB_MAX_EVENTS], pmc_end[VB_MAX_EVENTS];
	u8 vmfail;	/* CF or ZF after the block (see RFLAGS above) */
};

/*
 * One timed block.  All four TSC halves live in registers the bracket does
 * not touch; RAX, RBX, RCX, RDX are clobbered by RDTSC(P) and CPUID, so
 * neither the operand's address nor the accumulator is ever in one of them.
 * Counters are read right before the opening and right after the closing
 * sequence, so the counted interval holds the bracket, as for the baseline.
 */
#define VB_BLOCK_FN(name, OPEN, COPIES, CLOSE)				\
static __always_inline u64 name(struct vb_ctx *c, void *op, u64 val,	\
				u64 acc, int n, struct vb_reading *rd)	\
{									\
	u32 b_lo, b_hi, e_lo, e_hi;					\
	u8 fl;								\
									\
	vb_env_pmc_read(c, rd->pmc_begin);				\
	asm volatile("cmp %%rsp, %%rsp\n\tstc\n\t"			\
		     OPEN COPIES CLOSE					\
		     "setna %[fl]\n\t"					\
		     : [b_lo] "=&r"(b_lo), [b_hi] "=&r"(b_hi),		\
		       [e_lo] "=&r"(e_lo), [e_hi] "=&r"(e_hi),		\
		       [acc] "+r"(acc), [fl] "=&r"(fl)			\
		     : [op] "r"(op), [val] "r"(val), [n] "i"(n)		\
		     : "rax", "rbx", "rcx", "rdx", "cc", "memory");	\
	vb_env_pmc_read(c, rd->pmc_end);				\
	rd->vmfail = fl;						\
	rd->tsc_begin = (u64)b_hi << 32 | b_lo;				\
	rd->tsc_end = (u64)e_hi << 32 | e_lo;				\
	return acc;							\
}

#define VB_BLOCK_FNS_OF(insn, COPIES)					\
	VB_BLOCK_FN(vb_##insn##_lfence, VB_OPEN_LFENCE, COPIES, VB_CLOSE_LFENCE) \
	VB_BLOCK_FN(vb_##insn##_mfence, VB_OPEN_LFENCE, COPIES, VB_CLOSE_MFENCE) \
	VB_BLOCK_FN(vb_##insn##_cpuid, VB_OPEN_CPUID, COPIES, VB_CLOSE_CPUID)
#define VB_BLOCK_FNS(insn, BODY)	VB_BLOCK_FNS_OF(insn, VB_REPT(BODY))

VB_BLOCK_FNS(none, VB_BODY_NONE)
VB_BLOCK_FNS(vmptrst, VB_BODY_VMPTRST)
VB_BLOCK_FNS(mov, VB_BODY_MOV)
VB_BLOCK_FNS(add, VB_BODY_ADD)
VB_BLOCK_FNS(imul, VB_BODY_IMUL)
VB_BLOCK_FNS(chase, VB_BODY_CHASE)
VB_BLOCK_FNS(vmptrld, VB_BODY_VMPTRLD)
VB_BLOCK_FNS_OF(vmptrld_other, VB_REPT_ALT)
VB_BLOCK_FNS(vmclear, VB_BODY_VMCLEAR)
VB_BLOCK_FNS(vmread, VB_BODY_VMREAD)
VB_BLOCK_FNS(vmwrite, VB_BODY_VMWRITE)
VB_BLOCK_FNS(invvpid, VB_BODY_INVVPID)
VB_BLOCK_FNS(invept, VB_BODY_INVEPT)
VB_BLOCK_FNS(vmxon, VB_BODY_VMXON)

typedef u64 (*vb_block_fn)(struct vb_ctx *c, void *op, u64 val, u64 acc,
			   u32 unroll, struct vb_reading *rd);

/* One noinline function per block kind, switching on the unroll count. */
#define VB_UNROLLED(name)						\
static noinline u64 name##_n(struct vb_ctx *c, void *op, u64 val,	\
			     u64 acc, u32 unroll, struct vb_reading *rd) \
{									\
	switch (unroll) {						\
	case 1: return name(c, op, val, acc, 1, rd);			\
	case 2: return name(c, op, val, acc, 2, rd);			\
	case 4: return name(c, op, val, acc, 4, rd);			\
	case 8: return name(c, op, val, acc, 8, rd);			\
	case 16: return name(c, op, val, acc, 16, rd);			\
	case 32: return name(c, op, val, acc, 32, rd);			\
	case 64: return name(c, op, val, acc, 64, rd);			\
	case 128: return name(c, op, val, acc, 128, rd);		\
	case 256: return name(c, op, val, acc, 256, rd);		\
	default: VB_ENV_BUG(); return 0;				\
	}								\
}
_Static_assert(VB_MAX_UNROLL == 256, "add cases to VB_UNROLLED");

/* The baseline block is empty whatever the unroll count. */
#define VB_EMPTY(name)							\
static noinline u64 name##_n(struct vb_ctx *c, void *op, u64 val,	\
			     u64 acc, u32 unroll, struct vb_reading *rd) \
{									\
	(void)unroll;							\
	return name(c, op, val, acc, 0, rd);				\
}

#define VB_UNROLLED_FNS(insn)						\
	VB_UNROLLED(vb_##insn##_lfence)					\
	VB_UNROLLED(vb_##insn##_mfence)					\
	VB_UNROLLED(vb_##insn##_cpuid)

VB_EMPTY(vb_none_lfence)
VB_EMPTY(vb_none_mfence)
VB_EMPTY(vb_none_cpuid)
VB_UNROLLED_FNS(vmptrst)
VB_UNROLLED_FNS(mov)
VB_UNROLLED_FNS(add)
VB_UNROLLED_FNS(imul)
VB_UNROLLED_FNS(chase)
VB_UNROLLED_FNS(vmptrld)
VB_UNROLLED_FNS(vmptrld_other)
VB_UNROLLED_FNS(vmclear)
VB_UNROLLED_FNS(vmread)
VB_UNROLLED_FNS(vmwrite)
VB_UNROLLED_FNS(invvpid)
VB_UNROLLED_FNS(invept)
VB_UNROLLED_FNS(vmxon)

/* The row of vb_blocks[][] for vmptrld other, after the instructions'. */
#define VB_ROW_VMPTRLD_OTHER	VB_INSN_COUNT

#define VB_ROW(insn) { vb_##insn##_lfence_n, vb_##insn##_cpuid_n, \
		       vb_##insn##_mfence_n }
static const vb_block_fn vb_blocks[VB_INSN_COUNT + 1][VB_SER_COUNT] = {
	[VB_INSN_NONE] = VB_ROW(none),
	[VB_INSN_VMPTRST] = VB_ROW(vmptrst),
	[VB_INSN_MOV] = VB_ROW(mov),
	[VB_INSN_ADD] = VB_ROW(add),
	[VB_INSN_IMUL] = VB_ROW(imul),
	[VB_INSN_CHASE] = VB_ROW(chase),
	[VB_INSN_VMPTRLD] = VB_ROW(vmptrld),
	[VB_INSN_VMCLEAR] = VB_ROW(vmclear),
	[VB_INSN_VMREAD] = VB_ROW(vmread),
	[VB_INSN_VMWRITE] = VB_ROW(vmwrite),
	[VB_INSN_INVVPID] = VB_ROW(invvpid),
	[VB_INSN_INVEPT] = VB_ROW(invept),
	[VB_INSN_VMXON] = VB_ROW(vmxon),
	[VB_ROW_VMPTRLD_OTHER] = VB_ROW(vmptrld_other),
};
_Static_assert(VB_SER_LFENCE == 0 && VB_SER_CPUID == 1 && VB_SER_MFENCE == 2,
	       "vb_blocks[][] is laid out in enum vb_serialize order");
/*
 * The VM-exit references' rows (cpuid, vmcall, rdmsr, io, xsetbv, invd,
 * cr3-load) stay empty: they are mode=guest's (vb_point_invalid).
 */
_Static_assert(VB_INSN_COUNT == 20, "a row of vb_blocks[][] per instruction");

/* The row of vb_blocks[][] for a record of @insn. */
static __always_inline u32 vb_block_row(const struct vb_ctx *c, u8 insn)
{
	return insn == VB_INSN_VMPTRLD &&
	       c->point.target == VB_TARGET_OTHER ? VB_ROW_VMPTRLD_OTHER : insn;
}

#ifndef VB_ENV_FAMILY	/* user space: the family is the module's only */
static __always_inline void vb_env_family_prepare(struct vb_ctx *c, u8 insn)
{
	(void)c;
	(void)insn;
	VB_ENV_BUG();
}

static __always_inline void vb_env_family_args(struct vb_ctx *c, u8 insn,
					       u64 *val, u64 *acc)
{
	(void)c;
	(void)insn;
	(void)val;
	(void)acc;
	VB_ENV_BUG();
}

static __always_inline u64 vb_env_family_result(struct vb_ctx *c, u8 insn,
						u64 acc)
{
	(void)c;
	(void)insn;
	(void)acc;
	VB_ENV_BUG();
	return 0;
}
#endif

static __always_inline void vb_clflush(void *p)
{
	asm volatile("clflush %0" : "+m"(*(volatile char *)p));
}

static __always_inline void vb_clflushopt(void *p)
{
	asm volatile("clflushopt %0" : "+m"(*(volatile char *)p));
}

/* The accumulator a block starts with, and what it must end with. */
static __always_inline u64 vb_acc_in(const struct vb_ctx *c, u8 insn)
{
	return insn == VB_INSN_CHASE ? (u64)(unsigned long)c->operand : 1;
}

static __always_inline u64 vb_acc_out(const struct vb_ctx *c, u8 insn)
{
	return insn == VB_INSN_ADD ? 1 + (u64)c->point.unroll :
				     vb_acc_in(c, insn);
}

/*
 * The per-sample setup, before the block's opening TSC read: the poison
 * store (for the pointer chase: the operand's own address, so every load
 * finds the next pointer); flush the operand's lines (then MFENCE, so the
 * flushes are done); then what only the kernel can do (A/D bits, INVLPG).
 */
static __always_inline void vb_prepare(struct vb_ctx *c, u8 insn)
{
	vb_env_store64(c->operand, insn == VB_INSN_CHASE ?
		       (u64)(unsigned long)c->operand : VB_POISON);
	if (vb_insn_is_family(insn))
		vb_env_family_prepare(c, insn);
	if (c->point.cache != VB_CACHE_HOT) {
		unsigned int i;

		for (i = 0; i < c->nlines; i++) {
			if (c->point.cache == VB_CACHE_FLUSHOPT)
				vb_clflushopt(c->line[i]);
			else
				vb_clflush(c->line[i]);
		}
		asm volatile("mfence" : : : "memory");
	}
	vb_env_prepare_paging(c);
}


/*
 * mode=guest (the module only: its environment defines VB_ENV_GUEST and
 * vb_env_guest_block(), which runs the block in the guest and handles its
 * exits; false ends the window, the record not taken).  The counters are
 * read around the guest's entry and its last exit.
 */

#ifdef VB_ENV_GUEST
static __always_inline bool vb_guest_record(struct vb_ctx *c, u8 insn,
					    u32 index, struct vb_reading *rd)
{
	bool ok;

	vb_env_pmc_read(c, rd->pmc_begin);
	ok = vb_env_guest_block(c, insn, index, &rd->tsc_begin,
				&rd->tsc_end);
	vb_env_pmc_read(c, rd->pmc_end);
	return ok;
}
#else	/* user space: the planner never asks it for mode=guest */
static __always_inline bool vb_guest_record(struct vb_ctx *c, u8 insn,
					    u32 index, struct vb_reading *rd)
{
	(void)c;
	(void)insn;
	(void)index;
	(void)rd;
	VB_ENV_BUG();
	return false;
}

static __always_inline bool vb_env_exits_wrong(struct vb_ctx *c, u32 index)
{
	(void)c;
	(void)index;
	return false;
}
#endif

/*
 * One record: set up, time the block, check what it left behind.  False
 * if the record could not be taken (mode=guest: the guest failed).
 */
static bool vb_record(struct vb_ctx *c, u8 insn, u32 sample, u32 index)
{
	struct vb_sample *r = &c->rec[index];
	struct vb_env_rec s;
	struct vb_reading rd;
	u64 want, acc = 0, val = c->expected;

	vb_env_record_begin(c, &s);
	vb_prepare(c, insn);
	rd.vmfail = 0;
	if (c->point.mode == VB_MODE_GUEST) {
		if (!vb_guest_record(c, insn, index, &rd))
			return false;
	} else {
		acc = vb_acc_in(c, insn);
		if (vb_insn_is_family(insn))
			vb_env_family_args(c, insn, &val, &acc);
		acc = vb_blocks[vb_block_row(c, insn)][c->point.serialize](
			c, c->operand, val, acc, c->point.unroll, &rd);
	}
	if (vb_insn_is_chain(insn)) {
		r->stored = acc;
		want = vb_acc_out(c, insn);
	} else if (vb_insn_is_family(insn)) {
		r->stored = vb_env_family_result(c, insn, acc);
		want = c->expected;
	} else {
		r->stored = vb_env_load64(c->operand);
		want = vb_insn_stores(insn) ? c->expected : VB_POISON;
	}
	r->tsc_begin = rd.tsc_begin;
	r->tsc_end = rd.tsc_end;
	r->sample = sample;
	r->instruction = insn;
	r->window = (u8)c->windows;
	r->flags = 0;
	if (c->point.mode == VB_MODE_ROOT && vb_insn_is_vmx(insn) && rd.vmfail)
		r->flags |= VB_SAMPLE_VMFAIL;
	if (r->stored != want || r->flags || vb_env_exits_wrong(c, index)) {
		r->flags |= VB_SAMPLE_MISMATCH;
		c->mismatches++;
	}
	vb_env_record_end(c, r, index, &rd, &s);
	return true;
}

/*
 * Take samples until the run is complete, the window's deadline (TSC) has
 * passed, or VB_WINDOW_MAX_SAMPLES samples were taken.  With an instruction, each sample is
 * a pair of records, the baseline and the instruction, their order
 * alternating so that neither always runs first.
 */
static void vb_engine_take_samples(struct vb_ctx *c, u64 deadline)
{
	u32 n, insn = c->point.instruction;

	for (n = 0; n < VB_WINDOW_MAX_SAMPLES && c->done < c->point.samples;
	     n++) {
		u32 i = c->done;

		if (insn == VB_INSN_NONE) {
			if (!vb_record(c, VB_INSN_NONE, i, i))
				break;
		} else {
			u8 first = i & 1 ? insn : VB_INSN_NONE;
			u8 second = i & 1 ? VB_INSN_NONE : insn;

			if (!vb_record(c, first, i, 2 * i) ||
			    !vb_record(c, second, i, 2 * i + 1))
				break;	/* the pair is taken again, or never */
		}
		c->done++;
		if (vb_env_rdtsc() >= deadline)
			break;
	}
}

#endif /* VB_ENGINE_H */
