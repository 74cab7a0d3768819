// SPDX-License-Identifier: GPL-2.0
/*
 * The sweep's rules on combinations: what one point of a group may not
 * combine, checked as the group is expanded (sweep.c), each error naming
 * the key to blame where it was set.  See sweepctx.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sweepctx.h"

/* "FILE:LINE: [group] " or "command line: [group] " */
void vb_sweep_where(const struct ctx *x, const struct eff *e,
		    unsigned int line, char *buf, size_t len)
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

	vb_sweep_where(x, blame(x, a, b), 0, loc, sizeof(loc));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(x->err, x->len, "%s%s=%s with %s=%s: %s", loc, vb_keys[a].name,
		 vb_key_value_name(a, val[a], name_a, sizeof(name_a)),
		 vb_keys[b].name,
		 vb_key_value_name(b, val[b], name_b, sizeof(name_b)), msg);
	return -1;
}

int vb_sweep_check_point(struct ctx *x, const unsigned int *v,
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
			"a per-sample setup (cache flushed or flushopt, tlb cold, ad clear) needs unroll 1, or it would hold for the first copy only: give these points their own group with unroll = 1");
	if (v[VB_KEY_AD] == VB_AD_CLEAR && v[VB_KEY_PAGE] != VB_PAGE_4K)
		return combo_error(x, VB_KEY_AD, VB_KEY_PAGE, v,
			"ad=clear works on 4k pages only: give it its own group with page = 4k");
	if (vb_offset_resolve(v[VB_KEY_OFFSET], v[VB_KEY_PAGE], offset)) {
		if (v[VB_KEY_OFFSET] == (VB_OFFSET_NAMED | VB_OFF_PAGE_SPLIT))
			return combo_error(x, VB_KEY_OFFSET, VB_KEY_PAGE, v,
				"the 1g buffer lies inside one 1 GiB page, there is no boundary to split: give 1g a group without page-split");
		return combo_error(x, VB_KEY_OFFSET, VB_KEY_PAGE, v,
			"out of range 0..%u for %s pages (offset + 8 <= %s)",
			VB_MAX_OFFSET(v[VB_KEY_PAGE]),
			vb_pagesize_names[v[VB_KEY_PAGE]],
			page_span[v[VB_KEY_PAGE]]);
	}
	if (*offset + vb_operand_bytes(v[VB_KEY_INSTRUCTION]) >
	    VB_SPAN(v[VB_KEY_PAGE]))
		return combo_error(x, VB_KEY_OFFSET, VB_KEY_INSTRUCTION, v,
			"the operand is a 16-byte descriptor: out of range 0..%u for %s pages (offset + 16 <= %s)",
			VB_SPAN(v[VB_KEY_PAGE]) - 16,
			vb_pagesize_names[v[VB_KEY_PAGE]],
			page_span[v[VB_KEY_PAGE]]);
	return 0;
}

/*
 * The key a rule of vb_point_invalid() names ("tlb and ad (mode guest: warm
 * and set only)": tlb or ad) that this point does not hold at its default,
 * else the first one named; VB_N_AXES when it names none.
 */
static enum vb_key rule_key(const char *rule, const unsigned int *v)
{
	size_t len = strcspn(rule, "(");
	enum vb_key k, first = VB_N_AXES;
	struct vb_values def;
	char err[128];

	for (k = 0; k < VB_N_AXES; k++) {
		const char *name = vb_keys[k].name, *at = rule;
		size_t n = strlen(name);

		/* a whole word of the names before the rule's parenthesis */
		while ((at = strstr(at, name)) && at < rule + len &&
		       ((at > rule && at[-1] != ' ') ||
			(at[n] != ' ' && at[n] != '\0')))
			at += n;
		if (!at || at >= rule + len)
			continue;
		if (first == VB_N_AXES)
			first = k;
		if (vb_keys[k].def &&
		    !vb_key_parse(k, vb_keys[k].def, &def, err, sizeof(err)) &&
		    def.n == 1 && v[k] != def.v[0])
			return k;
	}
	return first;
}

int vb_sweep_check_abi(struct ctx *x, const unsigned int *v,
		       const struct vb_point_desc *d)
{
	const char *rule = vb_point_invalid(d), *why;
	struct vb_point_desc fam = *d;
	enum vb_key k, with;
	char loc[600], name[32];
	int n;

	if (!rule)
		return 0;
	/*
	 * In mode guest the ABI reads field as the exit handler's VMWRITE
	 * and refuses vmread's and vmwrite's before the family's own rule;
	 * the family's rule is the one to say: ask for it as the family
	 * member without a variant (vmxon-vmxoff).
	 */
	if (d->mode == VB_MODE_GUEST && vb_insn_is_family(d->instruction)) {
		fam.instruction = VB_INSN_VMXON;
		fam.target = fam.field = fam.type = 0;
		if (vb_point_invalid(&fam))
			rule = vb_point_invalid(&fam);
	}
	/* the rule in words: "instruction (cpuid and vmcall need ...)" */
	why = strchr(rule, '(');
	n = why ? (int)strcspn(why + 1, ")") : (int)strlen(rule);
	why = why ? why + 1 : rule;
	k = rule_key(rule, v);
	/* the family's rules are the instruction's; the others, mode's */
	with = vb_insn_is_family(d->instruction) && k != VB_KEY_MODE &&
	       k != VB_KEY_INSTRUCTION ? VB_KEY_INSTRUCTION : VB_KEY_MODE;
	if (k != VB_N_AXES && k != with)
		return combo_error(x, k, with, v,
			"%.*s; the module refuses the combination: give these points a group of their own", n, why);
	vb_sweep_where(x, &x->key[k == VB_N_AXES ? VB_KEY_MODE : k], 0, loc,
		       sizeof(loc));
	snprintf(x->err, x->len, "%s%s=%s: the module refuses the point: %s", loc,
		 vb_keys[VB_KEY_MODE].name,
		 vb_key_value_name(VB_KEY_MODE, v[VB_KEY_MODE], name,
				   sizeof(name)), rule);
	return -1;
}
