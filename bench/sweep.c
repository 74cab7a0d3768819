// SPDX-License-Identifier: GPL-2.0
/* The sweep: see sweep.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

/* Nesting of the product: the first varies slowest. */
static const enum vb_key nesting[VB_N_AXES] = {
	VB_KEY_CPU, VB_KEY_INSTRUCTION, VB_KEY_VMCS, VB_KEY_PAGE,
	VB_KEY_MEMTYPE, VB_KEY_OFFSET, VB_KEY_CACHE, VB_KEY_TLB, VB_KEY_AD,
	VB_KEY_SERIALIZE, VB_KEY_UNROLL,
};

/* Where an effective key comes from, most specific first. */
enum rank { R_DEFAULT, R_GLOBAL, R_FLAGS, R_GROUP };

struct eff {
	const struct vb_setting *s;
	enum rank rank;
};

/* The group being expanded. */
struct ctx {
	const struct vb_config *c;
	const char *group;	/* NULL without a config */
	struct eff key[VB_KEY_COUNT];
	char *err;
	size_t len;
};

uint32_t vb_point_records(const struct vb_point *pt)
{
	return VB_RECORDS_NEEDED(pt->axis[VB_KEY_INSTRUCTION], pt->samples);
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

/* "FILE:LINE: [group] " or "command line: [group] " */
static void where(const struct ctx *x, const struct eff *e, unsigned int line,
		  char *buf, size_t len)
{
	char grp[80] = "";

	if (x->group)
		snprintf(grp, sizeof(grp), "[%s] ", x->group);
	if (e && (e->rank == R_FLAGS || e->rank == R_DEFAULT))
		snprintf(buf, len, "command line: %s", grp);
	else if (x->c)
		snprintf(buf, len, "%s:%u: %s", x->c->path,
			 e ? e->s->line : line, grp);
	else
		snprintf(buf, len, "command line: %s", grp);
}

/* The key to blame for a bad combination of a and b. */
static const struct eff *blame(const struct ctx *x, enum vb_key a,
			       enum vb_key b)
{
	const struct eff *ea = &x->key[a], *eb = &x->key[b];

	if (ea->rank != eb->rank)
		return ea->rank > eb->rank ? ea : eb;
	return ea->s->line >= eb->s->line ? ea : eb;
}

__attribute__((format(printf, 5, 6)))
static int combo_error(struct ctx *x, enum vb_key a, enum vb_key b,
		       const unsigned int *val, const char *fmt, ...)
{
	char loc[600], name_a[32], name_b[32], msg[512];
	va_list ap;

	where(x, blame(x, a, b), 0, loc, sizeof(loc));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(x->err, x->len, "%s%s=%s with %s=%s: %s", loc, vb_keys[a].name,
		 vb_key_value_name(a, val[a], name_a, sizeof(name_a)),
		 vb_keys[b].name,
		 vb_key_value_name(b, val[b], name_b, sizeof(name_b)), msg);
	return -1;
}

/* The rules on combinations, for one point's raw values (offset unresolved). */
static int check_point(struct ctx *x, const unsigned int *v,
		       unsigned int *offset)
{
	static const char *const page_span[VB_PAGE_COUNT] = {
		[VB_PAGE_4K] = "8192", [VB_PAGE_2M] = "4 MiB",
		[VB_PAGE_1G] = "4 MiB",
	};
	enum vb_key setup = VB_N_AXES;

	if (v[VB_KEY_CACHE] != VB_CACHE_HOT)
		setup = VB_KEY_CACHE;
	else if (v[VB_KEY_TLB] == VB_TLB_COLD)
		setup = VB_KEY_TLB;
	else if (v[VB_KEY_AD] == VB_AD_CLEAR)
		setup = VB_KEY_AD;
	if (setup != VB_N_AXES && v[VB_KEY_UNROLL] != 1)
		return combo_error(x, setup, VB_KEY_UNROLL, v,
			"a per-sample setup (cache flushed or flushopt, tlb "
			"cold, ad clear) needs unroll 1, or it would hold for "
			"the first copy only: give these points their own "
			"group with unroll = 1");
	if (v[VB_KEY_AD] == VB_AD_CLEAR && v[VB_KEY_PAGE] != VB_PAGE_4K)
		return combo_error(x, VB_KEY_AD, VB_KEY_PAGE, v,
			"ad=clear works on 4k pages only: give it its own "
			"group with page = 4k");
	if (vb_offset_resolve(v[VB_KEY_OFFSET], v[VB_KEY_PAGE], offset)) {
		if (v[VB_KEY_OFFSET] == (VB_OFFSET_NAMED | VB_OFF_PAGE_SPLIT))
			return combo_error(x, VB_KEY_OFFSET, VB_KEY_PAGE, v,
				"the 1g buffer lies inside one 1 GiB page, "
				"there is no boundary to split: give 1g a "
				"group without page-split");
		return combo_error(x, VB_KEY_OFFSET, VB_KEY_PAGE, v,
			"out of range 0..%u for %s pages (offset + 8 <= %s)",
			VB_MAX_OFFSET(v[VB_KEY_PAGE]),
			vb_pagesize_names[v[VB_KEY_PAGE]],
			page_span[v[VB_KEY_PAGE]]);
	}
	return 0;
}

static int grow(struct vb_plan *p, unsigned long more, struct ctx *x,
		unsigned int line)
{
	struct vb_point *pt;

	if (p->n + more > VB_MAX_POINTS) {
		char loc[600];

		where(x, NULL, line, loc, sizeof(loc));
		snprintf(x->err, x->len, "%s%lu points make the plan larger "
			 "than %u points: split the sweep into several runs",
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
	unsigned long count = 1;
	int i, a;

	for (i = 0; i < VB_N_AXES; i++) {
		count *= x->key[i].s->val.n;
		if (count > VB_MAX_POINTS)
			break;
	}
	if (grow(p, count, x, line))
		return -1;
	for (;;) {
		struct vb_point *pt = &p->pt[p->n];

		for (i = 0; i < VB_N_AXES; i++)
			v[i] = x->key[i].s->val.v[idx[i]];
		if (check_point(x, v, &offset))
			return -1;
		memset(pt, 0, sizeof(*pt));
		pt->index = p->n;
		pt->group = p->n_groups - 1;
		memcpy(pt->axis, v, sizeof(v));
		pt->axis[VB_KEY_OFFSET] = offset;
		pt->samples = x->key[VB_KEY_SAMPLES].s->val.v[0];
		p->samples += pt->samples;
		p->records += vb_point_records(pt);
		if (vb_point_records(pt) > p->max_records)
			p->max_records = vb_point_records(pt);
		p->n++;
		/* the odometer: the last of nesting[] turns fastest */
		for (i = VB_N_AXES - 1; i >= 0; i--) {
			a = nesting[i];
			if (++idx[a] < x->key[a].s->val.n)
				break;
			idx[a] = 0;
		}
		if (i < 0)
			return 0;
	}
}

static int add_group(struct vb_plan *p, struct ctx *x, const char *name,
		     const struct vb_section *group,
		     const struct vb_section *flags,
		     const struct vb_section *global,
		     const struct vb_section *def, unsigned int line)
{
	char (*g)[64] = realloc(p->group, (p->n_groups + 1) * sizeof(*g));

	if (!g) {
		snprintf(x->err, x->len, "out of memory");
		return -1;
	}
	p->group = g;
	snprintf(p->group[p->n_groups++], sizeof(*g), "%s", name);
	x->group = x->c ? name : NULL;
	effective(x, group, flags, global, def);
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
	p->pt = NULL;
	p->group = NULL;
	p->n = p->n_groups = 0;
}

void vb_point_describe(const struct vb_point *pt, char *buf, size_t len)
{
	size_t used = 0;
	char v[32];
	int k;

	buf[0] = '\0';
	for (k = 0; k < VB_N_AXES && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s=%s ",
			vb_keys[k].name,
			vb_key_value_name(k, pt->axis[k], v, sizeof(v)));
	if (used < len)
		snprintf(buf + used, len - used, "samples=%u", pt->samples);
}

void vb_plan_print(const struct vb_plan *p, FILE *f)
{
	char line[512];
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		vb_point_describe(&p->pt[i], line, sizeof(line));
		fprintf(f, "point %u [%s]: %s records=%u\n", p->pt[i].index,
			p->group[p->pt[i].group], line,
			vb_point_records(&p->pt[i]));
	}
	/* a samples.csv row is about 60 bytes */
	fprintf(f, "plan: %u point%s in %u group%s, %llu samples, %llu records "
		"(samples.csv about %.1f MB) from %s\n", p->n,
		p->n == 1 ? "" : "s", p->n_groups, p->n_groups == 1 ? "" : "s", (unsigned long long)p->samples,
		(unsigned long long)p->records, (double)p->records * 60 / 1e6,
		p->source);
}
