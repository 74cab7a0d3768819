// SPDX-License-Identifier: GPL-2.0
/*
 * The plan's events: each group's event names encoded with libpfm4 for the
 * core type of its points' CPUs, split into passes that fit the PMU's
 * counters, and samples.csv's event columns.  See sweep.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

unsigned int vb_point_passes(const struct vb_plan *p, const struct vb_point *pt)
{
	return pt->evset == VB_NO_EVSET ? 1 : p->evset[pt->evset].npass;
}

/* The samples.csv column of an event name, added if new; -1: no memory. */
static int event_column(struct vb_plan *p, const char *name)
{
	char (*c)[VB_EVENT_NAME_MAX];
	unsigned int i;

	for (i = 0; i < p->n_evcol; i++)
		if (!strcmp(p->evcol[i], name))
			return (int)i;
	c = realloc(p->evcol, (p->n_evcol + 1) * sizeof(*c));
	if (!c)
		return -1;
	p->evcol = c;
	snprintf(p->evcol[p->n_evcol], sizeof(*c), "%s", name);
	return (int)p->n_evcol++;
}

/*
 * Passes, greedily in list order: each takes events while it holds fewer
 * than VB_MAX_EVENTS and, for hardware events, fewer than the generic
 * counters of the PMU (4 where libpfm4 does not know them).  Fixed
 * counters are not told apart: an event on one takes a generic slot, which
 * can only make more passes, never too few counters.
 */
static void split_passes(struct vb_evset *es)
{
	unsigned int i, hw = 0, in_pass = 0, size = 0;

	for (i = 0; i < es->n; i++)
		if (es->ev[i].hw && es->ev[i].counters &&
		    (!size || es->ev[i].counters < size))
			size = es->ev[i].counters;
	if (!size)
		size = 4;
	if (size > VB_MAX_EVENTS)
		size = VB_MAX_EVENTS;
	es->group_size = size;
	es->npass = 0;
	for (i = 0; i < es->n; i++) {
		if (!in_pass || in_pass == VB_MAX_EVENTS ||
		    (es->ev[i].hw && hw == size)) {
			es->pass_start[es->npass++] = i;
			in_pass = hw = 0;
		}
		in_pass++;
		hw += es->ev[i].hw != 0;
	}
	es->pass_start[es->npass] = es->n;
}

static int new_evset(struct vb_plan *p, unsigned int group,
		     const char *core_type, char *err, size_t len)
{
	const struct vb_group_keys *gk = &p->gkeys[group];
	char (*names)[VB_EVENT_NAME_MAX] = NULL, msg[768];
	const char *pfm = vb_pmu_for_core_type(core_type);
	struct vb_evset *es;
	unsigned int i;
	int col;

	es = realloc(p->evset, (p->n_evset + 1) * sizeof(*es));
	if (es)
		p->evset = es;
	names = calloc(VB_MAX_EVENT_NAMES, sizeof(*names));
	if (!es || !names)
		goto nomem;
	es = &p->evset[p->n_evset];
	memset(es, 0, sizeof(*es));
	es->group = group;
	es->core_type = core_type;
	es->n = vb_events_split(gk->events, names);
	for (i = 0; i < es->n; i++) {
		if (vb_pmu_encode(names[i], pfm, &es->ev[i], msg, sizeof(msg))) {
			snprintf(err, len, "%sevents: %s: %s%s%s", gk->where,
				 names[i], msg, core_type ? " for " : "",
				 core_type ? core_type : "");
			free(names);
			return -1;
		}
		col = event_column(p, names[i]);
		if (col < 0)
			goto nomem;
		es->col[i] = (unsigned int)col;
	}
	free(names);
	split_passes(es);
	if (es->npass > p->max_passes)
		p->max_passes = es->npass;
	return (int)p->n_evset++;
nomem:
	free(names);
	snprintf(err, len, "out of memory");
	return -1;
}

int vb_plan_events(struct vb_plan *p, const char *root, char *err, size_t len)
{
	const char *ct = NULL;
	unsigned int i, j, cpu = ~0u;

	p->max_passes = 0;
	for (i = 0; i < p->n; i++) {
		struct vb_point *pt = &p->pt[i];

		pt->evset = VB_NO_EVSET;
		if (!p->gkeys[pt->group].events[0])
			continue;
		if (pt->desc.cpu != cpu) {
			cpu = pt->desc.cpu;
			ct = vb_pmu_core_type(root, cpu);
		}
		for (j = 0; j < p->n_evset; j++)
			if (p->evset[j].group == pt->group &&
			    p->evset[j].core_type == ct)
				break;
		if (j < p->n_evset) {
			pt->evset = j;
		} else {
			int es = new_evset(p, pt->group, ct, err, len);

			if (es < 0)
				return -1;
			pt->evset = (unsigned int)es;
		}
		p->records += (uint64_t)vb_point_records(pt) *
			      (p->evset[pt->evset].npass - 1);
	}
	return 0;
}
