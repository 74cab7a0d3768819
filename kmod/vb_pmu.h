/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Performance counters around the timed blocks, through the kernel's
 * perf_event API (vb_pmu.c).  A counter is created pinned on the target CPU
 * so perf cannot multiplex it away mid-run; each window first checks that
 * every counter is active on this CPU, and reads none of them if one is not
 * (its samples are then flagged invalid, never written as zero).
 *
 * Core-PMU events are read with RDPMC at the event's rdpmc index (the
 * pattern of the kernel's resctrl pseudo-locking measurement); software
 * events have no hardware counter and are read through their PMU's read
 * callback, which is what perf_event_read_local() does (not exported).  The
 * software path exists so that creation, the per-window check and release
 * are exercised where there is no PMU, as in the emulators.
 */
#ifndef VB_PMU_H
#define VB_PMU_H

#include <linux/perf_event.h>
#include <asm/msr.h>
#include "vmptrst_bench_abi.h"

/* Counter width when CPUID.0AH does not say (Intel's usual 48 bits). */
#define VB_PMC_WIDTH_DEFAULT	48
/* An rdpmc index with this bit names a fixed-function counter. */
#define VB_RDPMC_FIXED		(1u << 30)

struct vb_pmu {
	u32 n;				/* events asked for */
	struct perf_event *ev[VB_MAX_EVENTS];	/* NULL: not available */
	u32 kind[VB_MAX_EVENTS];	/* enum vb_event_kind */
	int err[VB_MAX_EVENTS];		/* why not available (-errno) */
	/* per window, set on the target CPU with interrupts off */
	int idx[VB_MAX_EVENTS];		/* rdpmc index */
	u64 mask[VB_MAX_EVENTS];	/* the counter's width, as a mask */
	bool valid;			/* every available counter is active here */
};

int vb_pmu_create(struct vb_pmu *p, const struct vb_event *events, u32 n,
		  u32 cpu);
bool vb_pmu_window_start(struct vb_pmu *p);
void vb_pmu_totals(struct vb_pmu *p, __u64 *total);
void vb_pmu_release(struct vb_pmu *p);

/*
 * A bare RDPMC: native_read_pmc() may call the rdpmc tracepoint, which has
 * no place between a block and its counter reads.
 */
static __always_inline u64 vb_rdpmc(u32 idx)
{
	u32 lo, hi;

	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(idx));
	return (u64)hi << 32 | lo;
}

/* Read every counter into v[]; nothing at all when the window is invalid. */
static __always_inline void vb_pmu_read(struct vb_pmu *p, u64 *v)
{
	u32 i;

	if (!p->valid)
		return;
	for (i = 0; i < p->n; i++) {
		if (p->kind[i] == VB_EVENT_RDPMC) {
			v[i] = vb_rdpmc(p->idx[i]);
		} else if (p->kind[i] == VB_EVENT_SOFTWARE) {
			p->ev[i]->pmu->read(p->ev[i]);
			v[i] = local64_read(&p->ev[i]->count);
		}
	}
}

#endif /* VB_PMU_H */
