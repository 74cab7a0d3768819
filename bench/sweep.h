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

#define VB_MAX_POINTS	100000u

struct vb_point {
	unsigned int index;		/* point number in the run */
	unsigned int group;		/* into vb_plan.group */
	unsigned int axis[VB_N_AXES];	/* enums; cpu; offset in bytes; unroll */
	unsigned int samples;
};

struct vb_plan {
	struct vb_point *pt;
	unsigned int n;
	char (*group)[64];
	unsigned int n_groups;
	uint64_t samples, records;	/* totals; records with the baseline */
	uint32_t max_records;		/* of one point */
	const char *source;		/* the config's path, or "command line" */
};

/* Records a point's RUN returns: VB_RECORDS_NEEDED. */
uint32_t vb_point_records(const struct vb_point *pt);

/*
 * c may be NULL (the flags alone make the one group).  0, or -1 with one
 * line in err: "FILE:LINE: [group] ..." or "command line: ...".
 */
int vb_plan_build(const struct vb_config *c, const struct vb_section *flags,
		  struct vb_plan *p, char *err, size_t len);
void vb_plan_free(struct vb_plan *p);

/* One line per point (every axis value), then the totals. */
void vb_plan_print(const struct vb_plan *p, FILE *f);
/* "instruction=vmptrst cpu=0 ... unroll=1 samples=N" */
void vb_point_describe(const struct vb_point *pt, char *buf, size_t len);

#endif /* VB_SWEEP_H */
