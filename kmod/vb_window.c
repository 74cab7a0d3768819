// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's environment for the timing engine (vb_engine.h): runs on the
 * target CPU with interrupts off, inside VMX root operation (vb_vmx.c
 * brackets each window).  What the engine cannot do at ring 3 is here: the
 * counters through the kernel's perf_event (vb_pmu.h), the PTE A/D bits and
 * INVLPG, the NMI count of each record, and mode=guest's guest.
 *
 * The copies in the timed blocks are not guarded by the exception table:
 * before every window vb_vmx.c executes one guarded VMPTRST on the very
 * same operand in the very same state, so these copies cannot fault where
 * that one did not.
 */
#include <linux/hardirq.h>
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include "vb_compat.h"
#include "vb_guest.h"
#include "vb_internal.h"

#define VB_ENV_BUG()	WARN_ON_ONCE(1)

/* mode=guest: the block runs in the module's guest (vb_guest.c). */
#define VB_ENV_GUEST
static __always_inline bool vb_env_guest_block(struct vb_ctx *c, u8 insn,
					       u32 index, u64 *tsc_begin,
					       u64 *tsc_end)
{
	return vb_guest_block(c, insn, &c->exits[index], tsc_begin, tsc_end);
}

static __always_inline bool vb_env_exits_wrong(struct vb_ctx *c, u32 index)
{
	return c->point.mode == VB_MODE_GUEST && vb_guest_exits_wrong(c, index);
}

/* VMPTRST's family (vb_family.c). */
#define VB_ENV_FAMILY
static __always_inline void vb_env_family_prepare(struct vb_ctx *c, u8 insn)
{
	(void)insn;
	vb_family_prepare(c);
}

static __always_inline void vb_env_family_args(struct vb_ctx *c, u8 insn,
					       u64 *val, u64 *acc)
{
	(void)insn;
	*val = c->fam.val;
	*acc = c->fam.acc;
}

static __always_inline u64 vb_env_family_result(struct vb_ctx *c, u8 insn,
						u64 acc)
{
	(void)insn;
	return vb_family_result(c, acc);
}

struct vb_env_rec {
	u32 nmi;	/* this CPU's NMI count before the record */
};

static __always_inline u64 vb_env_load64(const void *p)
{
	return get_unaligned((const u64 *)p);
}

static __always_inline void vb_env_store64(void *p, u64 v)
{
	put_unaligned(v, (u64 *)p);
}

static __always_inline u64 vb_env_rdtsc(void)
{
	return rdtsc();
}

static __always_inline void vb_env_pmc_read(struct vb_ctx *c, u64 *v)
{
	vb_pmu_read(&c->pmu, v);
}

/*
 * After the flush (CLFLUSH's own page walk may set A): clear the A/D bits
 * of the operand's PTEs, then INVLPG its pages (for tlb=cold, and so that
 * no TLB entry remembers A/D set).
 */
static __always_inline void vb_env_prepare_paging(struct vb_ctx *c)
{
	unsigned int i;

	if (c->point.ad == VB_AD_CLEAR)
		for (i = 0; i < c->npages; i++)
			set_pte(c->pte[i], pte_mkold(pte_mkclean(*c->pte[i])));
	if (c->point.tlb == VB_TLB_COLD || c->point.ad == VB_AD_CLEAR)
		for (i = 0; i < c->npages; i++)
			asm volatile("invlpg (%0)" : : "r"(c->pg[i]) : "memory");
}

static __always_inline void vb_env_record_begin(struct vb_ctx *c,
						struct vb_env_rec *s)
{
	s->nmi = this_cpu_read(irq_stat.__nmi_count);
}

struct vb_reading;	/* vb_engine.h */
static void vb_record_pmc(struct vb_ctx *c, const struct vb_reading *rd,
			  u32 index, struct vb_sample *r);

static __always_inline void vb_env_record_end(struct vb_ctx *c,
					      struct vb_sample *r, u32 index,
					      const struct vb_reading *rd,
					      struct vb_env_rec *s)
{
	if (c->pmu.n)
		vb_record_pmc(c, rd, index, r);
	if (this_cpu_read(irq_stat.__nmi_count) != s->nmi)
		r->flags |= VB_SAMPLE_NMI;
	if (c->point.mode == VB_MODE_GUEST) {
		u64 exit_half, entry_half;

		if (c->guest->rec_nmi)
			r->flags |= VB_SAMPLE_NMI_EXIT;
		if (c->exits[index].exits &&
		    !vb_exit_split(r, &c->exits[index], &exit_half, &entry_half))
			r->flags |= VB_SAMPLE_SPLIT_BAD;
	}
}

#include "vb_engine.h"

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
				 c->pmu.mask[i];
		else
			out[i] = rd->pmc_end[i] - rd->pmc_begin[i];
	}
	if (!c->pmu.valid)
		r->flags |= VB_SAMPLE_PMC_INVALID;
}

void vb_take_samples(struct vb_ctx *c, u64 deadline)
{
	vb_engine_take_samples(c, deadline);
}
