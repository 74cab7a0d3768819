// SPDX-License-Identifier: GPL-2.0
/*
 * The sweep: see sweep.h.  Here the expansion of a config's groups into
 * points and the plan's printing; the rules on combinations are
 * sweeprules.c, the events and their passes sweepevents.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweepctx.h"

/*
 * Nesting of the product: the first varies slowest.  The variants (target,
 * field, type) nest right inside the instruction whose values they are.
 */
static const enum vb_key nesting[VB_N_AXES] = {
	VB_KEY_CPU, VB_KEY_MODE, VB_KEY_INSTRUCTION, VB_KEY_TARGET,
	VB_KEY_FIELD, VB_KEY_TYPE, VB_KEY_VMCS, VB_KEY_PAGE, VB_KEY_MEMTYPE,
	VB_KEY_OFFSET, VB_KEY_CACHE, VB_KEY_TLB, VB_KEY_AD, VB_KEY_SERIALIZE,
	VB_KEY_UNROLL,
};

/* Where struct vb_point_desc holds each axis, and samples, and its size. */
#define AT(f) { offsetof(struct vb_point_desc, f), \
		sizeof(((struct vb_point_desc *)0)->f) }
static const struct { size_t off, size; } field[VB_N_AXES + 1] = {
	[VB_KEY_INSTRUCTION] = AT(instruction),
	[VB_KEY_TARGET] = AT(target),
	[VB_KEY_FIELD] = AT(field),
	[VB_KEY_TYPE] = AT(type),
	[VB_KEY_MODE] = AT(mode),
	[VB_KEY_CPU] = AT(cpu),
	[VB_KEY_OFFSET] = AT(offset),
	[VB_KEY_CACHE] = AT(cache),
	[VB_KEY_MEMTYPE] = AT(memtype),
	[VB_KEY_PAGE] = AT(page),
	[VB_KEY_TLB] = AT(tlb),
	[VB_KEY_AD] = AT(ad),
	[VB_KEY_VMCS] = AT(vmcs),
	[VB_KEY_SERIALIZE] = AT(serialize),
	[VB_KEY_UNROLL] = AT(unroll),
	[VB_KEY_SAMPLES] = AT(samples),
};

unsigned int vb_point_axis(const struct vb_point_desc *d, enum vb_key k)
{
	const char *at = (const char *)d + field[k].off;

	return field[k].size == 1 ? *(const __u8 *)at : *(const __u32 *)at;
}

static void set_axis(struct vb_point_desc *d, enum vb_key k, unsigned int v)
{
	char *at = (char *)d + field[k].off;

	if (field[k].size == 1)
		*(__u8 *)at = (__u8)v;
	else
		*(__u32 *)at = v;
}

uint32_t vb_point_records(const struct vb_point *pt)
{
	return VB_RECORDS_NEEDED(pt->desc.instruction, pt->desc.samples);
}

static int defaults(struct vb_section *d, char *err, size_t len)
{
	int k;

	memset(d, 0, sizeof(*d));
	for (k = 0; k < VB_KEY_COUNT; k++) {
		if (!vb_keys[k].def)
			continue;
		if (vb_key_parse(k, vb_keys[k].def, &d->key[k].val, err, len))
			return -1;	/* a bad table: cannot happen */
		d->key[k].set = 1;
	}
	return 0;
}

static void effective(struct ctx *x, const struct vb_section *group,
		      const struct vb_section *flags,
		      const struct vb_section *global,
		      const struct vb_section *def)
{
	int k;

	for (k = 0; k < VB_KEY_COUNT; k++) {
		struct eff *e = &x->key[k];

		if (group && group->key[k].set)
			*e = (struct eff){ &group->key[k], R_GROUP };
		else if (flags && flags->key[k].set)
			*e = (struct eff){ &flags->key[k], R_FLAGS };
		else if (global && global->key[k].set)
			*e = (struct eff){ &global->key[k], R_GLOBAL };
		else
			*e = (struct eff){ &def->key[k], R_DEFAULT };
	}
}

static int grow(struct vb_plan *p, unsigned long more, struct ctx *x,
		unsigned int line)
{
	struct vb_point *pt;

	if (p->n + more > VB_MAX_POINTS) {
		char loc[600];

		vb_sweep_where(x, NULL, line, loc, sizeof(loc));
		snprintf(x->err, x->len, "%s%lu points make the plan larger than %u points: split the sweep into several runs",
			 loc, p->n + more, VB_MAX_POINTS);
		return -1;
	}
	pt = realloc(p->pt, (p->n + more) * sizeof(*pt));
	if (!pt) {
		snprintf(x->err, x->len, "out of memory for %lu points",
			 p->n + more);
		return -1;
	}
	p->pt = pt;
	return 0;
}

static int expand(struct ctx *x, struct vb_plan *p, unsigned int line)
{
	unsigned int idx[VB_N_AXES] = { 0 }, v[VB_N_AXES], offset;
	unsigned long count;
	int i, a;

	if (vb_sweep_variants(x))
		return -1;
	count = vb_sweep_count(x);
	if (grow(p, count, x, line))
		return -1;
	for (;;) {
		struct vb_point *pt = &p->pt[p->n];

		for (i = 0; i < VB_N_AXES; i++)
			v[i] = vb_sweep_value(x, i, idx);
		if (vb_sweep_check_point(x, v, &offset))
			return -1;
		memset(pt, 0, sizeof(*pt));
		pt->index = p->n;
		pt->group = p->n_groups - 1;
		for (i = 0; i < VB_N_AXES; i++)
			set_axis(&pt->desc, i, v[i]);
		pt->desc.offset = offset;
		pt->desc.samples = x->key[VB_KEY_SAMPLES].s->val.v[0];
		if (vb_sweep_check_abi(x, v, &pt->desc))
			return -1;
		pt->evset = VB_NO_EVSET;
		p->samples += pt->desc.samples;
		p->records += vb_point_records(pt);
		if (vb_point_records(pt) > p->max_records)
			p->max_records = vb_point_records(pt);
		p->n++;
		/* the odometer: the last of nesting[] turns fastest */
		for (i = VB_N_AXES - 1; i >= 0; i--) {
			a = nesting[i];
			if (++idx[a] < vb_sweep_values(x, a, idx))
				break;
			idx[a] = 0;
		}
		if (i < 0)
			return 0;
	}
}

/* rounds: one value for the run, and no more than a group's samples. */
static int rounds_check(struct vb_plan *p, struct ctx *x, unsigned int line)
{
	const struct vb_group_keys *gk = &p->gkeys[p->n_groups - 1];
	unsigned int samples = x->key[VB_KEY_SAMPLES].s->val.v[0];
	char loc[600];

	vb_sweep_where(x, &x->key[VB_KEY_ROUNDS], line, loc, sizeof(loc));
	if (p->n_groups > 1 && gk->rounds != p->rounds) {
		snprintf(x->err, x->len, "%srounds: %u here but %u in [%s]: rounds interleaves the whole run's points, so it is one value; set it in [global]",
			 loc, gk->rounds, p->rounds, p->group[0]);
		return -1;
	}
	if (samples < gk->rounds) {
		snprintf(x->err, x->len, "%srounds: %u rounds but samples = %u: every round takes at least one sample of each point",
			 loc, gk->rounds, samples);
		return -1;
	}
	p->rounds = gk->rounds;
	return 0;
}

unsigned int vb_round_samples(const struct vb_point *pt, unsigned int rounds,
			      unsigned int r, unsigned int *first)
{
	unsigned int q = pt->desc.samples / rounds;
	unsigned int extra = pt->desc.samples % rounds;

	if (first)
		*first = r * q + (r < extra ? r : extra);
	return q + (r < extra);
}

static int add_group(struct vb_plan *p, struct ctx *x, const char *name,
		     const struct vb_section *group,
		     const struct vb_section *flags,
		     const struct vb_section *global,
		     const struct vb_section *def, unsigned int line)
{
	char (*g)[64] = realloc(p->group, (p->n_groups + 1) * sizeof(*g));
	struct vb_group_keys *gk;

	if (g)
		p->group = g;
	gk = realloc(p->gkeys, (p->n_groups + 1) * sizeof(*gk));
	if (!g || !gk) {
		snprintf(x->err, x->len, "out of memory");
		return -1;
	}
	p->gkeys = gk;
	gk = &p->gkeys[p->n_groups];
	snprintf(p->group[p->n_groups++], sizeof(*g), "%s", name);
	x->group = x->c ? name : NULL;
	effective(x, group, flags, global, def);
	memset(gk, 0, sizeof(*gk));
	snprintf(gk->events, sizeof(gk->events), "%s",
		 x->key[VB_KEY_EVENTS].s->val.text);
	vb_sweep_where(x, &x->key[VB_KEY_EVENTS], line, gk->where,
		       sizeof(gk->where));
	gk->require_events = x->key[VB_KEY_REQUIRE_EVENTS].s->val.v[0];
	gk->cross_check = x->key[VB_KEY_CROSS_CHECK].s->val.v[0];
	gk->wait_vmx = x->key[VB_KEY_WAIT_VMX].s->val.v[0];
	gk->rounds = x->key[VB_KEY_ROUNDS].s->val.v[0];
	if (rounds_check(p, x, line))
		return -1;
	return expand(x, p, line);
}

int vb_plan_build(const struct vb_config *c, const struct vb_section *flags,
		  struct vb_plan *p, char *err, size_t len)
{
	struct vb_section *def = malloc(sizeof(*def));
	struct ctx *x = calloc(1, sizeof(*x));
	unsigned int i;
	int ret = -1;

	memset(p, 0, sizeof(*p));
	p->source = c ? c->path : "command line";
	if (!def || !x) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	x->c = c;
	x->err = err;
	x->len = len;
	if (defaults(def, err, len))
		goto out;
	if (!c) {
		ret = add_group(p, x, "command-line", NULL, flags, NULL, def, 0);
	} else if (!c->n_groups) {	/* [global] alone is the one group */
		ret = add_group(p, x, "global", NULL, flags, &c->global, def,
				c->global.line);
	} else {
		for (i = 0, ret = 0; i < c->n_groups && !ret; i++)
			ret = add_group(p, x, c->groups[i].name, &c->groups[i],
					flags, &c->global, def,
					c->groups[i].line);
	}
	/* the group names moved while groups were added: point to them now */
	for (i = 0; !ret && i < p->n; i++)
		p->pt[i].section = p->group[p->pt[i].group];
out:
	free(def);
	free(x);
	if (ret)
		vb_plan_free(p);
	return ret;
}

void vb_plan_free(struct vb_plan *p)
{
	free(p->pt);
	free(p->group);
	free(p->gkeys);
	free(p->evset);
	free(p->evcol);
	p->pt = NULL;
	p->group = NULL;
	p->gkeys = NULL;
	p->evset = NULL;
	p->evcol = NULL;
	p->n = p->n_groups = p->n_evset = p->n_evcol = 0;
}
