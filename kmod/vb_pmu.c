// SPDX-License-Identifier: GPL-2.0
/* Performance counters for a RUN: create, check per window, total, release. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/perf_event.h>
#include <linux/smp.h>
#include <linux/string.h>
#include "vb_compat.h"
#include "vb_pmu.h"
#include "vb_internal.h"

/* The core PMU: "cpu", or "cpu_core" / "cpu_atom" on hybrid parts. */
static bool vb_core_pmu(const struct perf_event *ev)
{
	const char *name = ev->pmu->name;

	return name && (!strcmp(name, "cpu") || !strncmp(name, "cpu_", 4));
}

/*
 * Create the counters on @cpu, in process context.  A counter that cannot
 * be had is left out with its reason in p->err[]; the RUN goes on with the
 * others (and, with none, with the TSC alone).  Returns 0 or -EINVAL.
 */
int vb_pmu_create(struct vb_pmu *p, const struct vb_event *events, u32 n,
		  u32 cpu)
{
	u32 i;

	memset(p, 0, sizeof(*p));
	p->n = n;
	p->valid = true;
	for (i = 0; i < n; i++) {
		struct perf_event_attr attr = {
			.size = sizeof(attr),
			.type = events[i].type,
			.config = events[i].config,
			.config1 = events[i].config1,
			.config2 = events[i].config2,
			.pinned = 1,		/* never multiplexed away */
			.exclude_user = 1,	/* the windows run in the kernel */
		};
		struct perf_event *ev;

		ev = vb_injected(VB_FAULT_PMU) ? ERR_PTR(-ENODEV) :
			perf_event_create_kernel_counter(&attr, cpu, NULL, NULL,
							 NULL);
		if (IS_ERR(ev)) {
			p->err[i] = PTR_ERR(ev);
			continue;
		}
		if (vb_is_software_event(ev)) {
			p->kind[i] = VB_EVENT_SOFTWARE;
		} else if (vb_core_pmu(ev)) {
			p->kind[i] = VB_EVENT_RDPMC;
		} else {	/* uncore, MSR, ...: no rdpmc index to read */
			perf_event_release_kernel(ev);
			p->err[i] = -EOPNOTSUPP;
			continue;
		}
		p->ev[i] = ev;
	}
	return 0;
}

/*
 * The width of this CPU's counters as masks (CPUID.0AH: EAX[23:16] for
 * the general-purpose ones, EDX[12:5] for the fixed ones from version 2).
 */
static void vb_pmc_masks(u64 *gp, u64 *fixed)
{
	unsigned int eax, ebx, ecx, edx, w;

	cpuid(0xa, &eax, &ebx, &ecx, &edx);
	w = (eax >> 16) & 0xff;
	*gp = GENMASK_ULL((w ? w : VB_PMC_WIDTH_DEFAULT) - 1, 0);
	w = (eax & 0xff) >= 2 ? (edx >> 5) & 0xff : 0;
	*fixed = GENMASK_ULL((w ? w : VB_PMC_WIDTH_DEFAULT) - 1, 0);
}

/*
 * On the target CPU, interrupts off: is every counter we have active here
 * now?  Caches the rdpmc indices and widths for this window.
 */
bool vb_pmu_window_start(struct vb_pmu *p)
{
	int cpu = smp_processor_id();
	u64 gp = 0, fixed = 0;
	u32 i;

	p->valid = true;
	for (i = 0; i < p->n; i++) {
		struct perf_event *ev = p->ev[i];

		if (!ev)
			continue;
		if (READ_ONCE(ev->state) != PERF_EVENT_STATE_ACTIVE ||
		    READ_ONCE(ev->oncpu) != cpu) {
			p->valid = false;
			continue;
		}
		if (p->kind[i] != VB_EVENT_RDPMC)
			continue;
		if (!gp)
			vb_pmc_masks(&gp, &fixed);
		p->idx[i] = ev->hw.event_base_rdpmc;
		p->mask[i] = p->idx[i] & VB_RDPMC_FIXED ? fixed : gp;
	}
	return p->valid;
}

/* Each counter's count over the whole RUN (0 where not available). */
void vb_pmu_totals(struct vb_pmu *p, __u64 *total)
{
	u64 enabled, running;
	u32 i;

	for (i = 0; i < p->n; i++)
		total[i] = p->ev[i] ?
			perf_event_read_value(p->ev[i], &enabled, &running) : 0;
}

void vb_pmu_release(struct vb_pmu *p)
{
	u32 i;

	for (i = 0; i < p->n; i++) {
		if (p->ev[i])
			perf_event_release_kernel(p->ev[i]);
		p->ev[i] = NULL;
	}
}
