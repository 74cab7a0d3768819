/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sweep: a config's groups (each inheriting the [global] keys it does
 * not set, the command line's flags overriding [global]) expanded into the
 * plan, the cartesian product of each group's axes, with the rules on
 * combinations checked and offset names resolved per page size.
 */
#ifndef VB_SWEEP_H
#define VB_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "pmu.h"

#define VB_MAX_POINTS	100000u

#define VB_NO_EVSET	(~0u)

/*
 * A point of the plan: what it measures, as its RUNs ask for it (the ABI's
 * struct; samples: the point's in all, over every round), and where it
 * comes from.
 */
struct vb_point {
	unsigned int index;		/* point number in the run */
	unsigned int group;		/* into vb_plan.group */
	struct vb_point_desc desc;	/* offset in bytes (names resolved) */
	unsigned int evset;		/* into vb_plan.evset, or VB_NO_EVSET */
	const char *section;		/* the config's section name: vb_plan.group */
};

/*
 * The value of axis k (or VB_KEY_SAMPLES) in d: the key table's view of
 * the ABI's fields, for code that goes over every axis.
 */
unsigned int vb_point_axis(const struct vb_point_desc *d, enum vb_key k);

/* A group's keys that are not axes. */
struct vb_group_keys {
	char events[VB_EVENTS_TEXT];	/* "a,b,c", or "" for none */
	char where[640];		/* "FILE:LINE: [group] " of events */
	unsigned int require_events, cross_check;
	unsigned int wait_vmx;		/* seconds: vb_run.wait_vmx_ms / 1000 */
	unsigned int rounds;		/* the plan's, the same in every group */
};

/*
 * A group's events, encoded for one core type: run in passes, pass p
 * holding events pass_start[p] .. pass_start[p + 1] - 1, each pass at most
 * VB_MAX_EVENTS events and `group_size` hardware events.
 */
struct vb_evset {
	unsigned int group;
	const char *core_type;		/* "cpu_core", "cpu_atom", NULL */
	unsigned int n;
	struct vb_event_enc ev[VB_MAX_EVENT_NAMES];
	unsigned int col[VB_MAX_EVENT_NAMES];	/* into vb_plan.evcol */
	unsigned int group_size;
	unsigned int npass;
	unsigned int pass_start[VB_MAX_EVENT_NAMES + 1];
};

struct vb_plan {
	struct vb_point *pt;
	unsigned int n;
	char (*group)[64];
	struct vb_group_keys *gkeys;	/* per group */
	unsigned int n_groups;
	struct vb_evset *evset;		/* after vb_plan_events */
	unsigned int n_evset;
	char (*evcol)[VB_EVENT_NAME_MAX];	/* samples.csv's event columns */
	unsigned int n_evcol;
	unsigned int max_passes;
	uint64_t samples, records;	/* totals; records with the baseline */
	uint32_t max_records;		/* of one point */
	unsigned int rounds;		/* interleaved rounds, 1 or more */
	const char *source;		/* the config's path, or "command line" */
};

/* Records a point's RUN returns: VB_RECORDS_NEEDED. */
uint32_t vb_point_records(const struct vb_point *pt);
/* Samples of point pt in round r of rounds: samples / rounds, the first
   samples % rounds rounds one more; and the first one's index. */
unsigned int vb_round_samples(const struct vb_point *pt, unsigned int rounds,
			      unsigned int r, unsigned int *first);

/*
 * c may be NULL (the flags alone make the one group).  0, or -1 with one
 * line in err: "FILE:LINE: [group] ..." or "command line: ...".
 */
int vb_plan_build(const struct vb_config *c, const struct vb_section *flags,
		  struct vb_plan *p, char *err, size_t len);
void vb_plan_free(struct vb_plan *p);
/*
 * Encodes every group's events with libpfm4 for the core type of each
 * point's CPU (root: the /sys prefix), splits them into passes, names the
 * event columns and counts the records of every pass.  0, or -1 with one
 * line in err: "FILE:LINE: [group] events: NAME: why (did you mean ...?)".
 */
int vb_plan_events(struct vb_plan *p, const char *root, char *err, size_t len);
/* Passes of point pt: 1 without events. */
unsigned int vb_point_passes(const struct vb_plan *p, const struct vb_point *pt);
/* The most passes of any point: 1 without events (max_passes is 0 then). */
static inline unsigned int vb_plan_passes(const struct vb_plan *p)
{
	return p->max_passes ? p->max_passes : 1;
}

/* One line per point (every axis value), then the totals. */
void vb_plan_print(const struct vb_plan *p, FILE *f);
/* "instruction=vmptrst cpu=0 ... unroll=1 samples=N" */
void vb_point_describe(const struct vb_point *pt, char *buf, size_t len);

#endif /* VB_SWEEP_H */
