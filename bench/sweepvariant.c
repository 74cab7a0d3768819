// SPDX-License-Identifier: GPL-2.0
/*
 * The family's variants in the sweep: target, field and type are axes
 * whose values belong to instructions (vmptrld and vmclear take a target,
 * vmread and vmwrite a field, invvpid and invept a type), so each
 * instruction of a group gets the values of its own key that it takes and
 * the others get none.  The rules are the ABI's (vb_variant_invalid());
 * the errors name the key's line.  See sweepctx.h.
 */
#include <stdio.h>
#include <string.h>

#include "sweepctx.h"

#define VAR(k)	((k) - VB_KEY_TARGET)

/* The values key k holds in the group: as set, or every value when not. */
static void key_values(const struct ctx *x, enum vb_key k,
		       struct vb_variant_list *out)
{
	const struct vb_setting *s = x->key[k].s;
	unsigned int v;

	out->n = 0;
	if (s->set) {
		for (v = 0; v < s->val.n && out->n < VB_MAX_VARIANTS; v++)
			out->v[out->n++] = s->val.v[v];
		return;
	}
	for (v = 1; vb_keys[k].names[v] && out->n < VB_MAX_VARIANTS; v++)
		out->v[out->n++] = v;
}

/* "a|b" of the values of key k that insn takes. */
static void takes_text(enum vb_key k, unsigned int insn, char *buf,
		       size_t len)
{
	size_t used = 0;
	unsigned int v;

	buf[0] = '\0';
	for (v = 1; vb_keys[k].names[v] && used < len; v++)
		if (vb_variant_takes(k, insn, v))
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%s", used ? "|" : "",
						 vb_keys[k].names[v]);
}

/* "vmptrld and vmclear": the instructions that take key k. */
static void takers_text(enum vb_key k, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < VB_INSN_COUNT && used < len; i++)
		if (vb_variant_key(i) == (int)k)
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%s", used ? " and " : "",
						 vb_insn_names[i]);
}

/* "a, b": the values of a setting, as a user writes them. */
static void setting_text(enum vb_key k, const struct vb_setting *s, char *buf,
			 size_t len)
{
	size_t used = 0;
	unsigned int i;
	char name[64];

	buf[0] = '\0';
	for (i = 0; i < s->val.n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "",
					 vb_key_value_name(k, s->val.v[i], name,
							   sizeof(name)));
}

/* Value v of key k, which no instruction of the group takes. */
static int taken_by_none(struct ctx *x, enum vb_key k, unsigned int v)
{
	const struct vb_values *insn = &x->key[VB_KEY_INSTRUCTION].s->val;
	char loc[600], why[400], list[256];
	size_t used = 0;
	unsigned int i;

	why[0] = '\0';
	for (i = 0; i < insn->n && used < sizeof(why); i++) {
		if (vb_variant_key(insn->v[i]) != (int)k)
			continue;
		takes_text(k, insn->v[i], list, sizeof(list));
		used += (size_t)snprintf(why + used, sizeof(why) - used,
					 "%s%s takes %s", used ? ", " : "",
					 vb_insn_names[insn->v[i]], list);
	}
	vb_sweep_where(x, &x->key[k], 0, loc, sizeof(loc));
	if (used) {
		snprintf(x->err, x->len, "%s%s=%s: no instruction of the group takes %s %s (%s)",
			 loc, vb_keys[k].name, vb_keys[k].names[v],
			 vb_keys[k].name, vb_keys[k].names[v], why);
		return -1;
	}
	takers_text(k, why, sizeof(why));
	setting_text(VB_KEY_INSTRUCTION, x->key[VB_KEY_INSTRUCTION].s, list,
		     sizeof(list));
	snprintf(x->err, x->len, "%s%s=%s: no instruction of the group takes a %s (%s do%s; the group's instruction: %s)",
		 loc, vb_keys[k].name, vb_keys[k].names[v], vb_keys[k].name,
		 why, k == VB_KEY_FIELD ? ", and in mode guest vmptrst and the VM-exit references" : "",
		 list);
	return -1;
}

/* Instruction insn, which takes key k but none of its values listed. */
static int left_without(struct ctx *x, enum vb_key k, unsigned int insn)
{
	char loc[600], list[256], given[256];

	vb_sweep_where(x, &x->key[k], 0, loc, sizeof(loc));
	takes_text(k, insn, list, sizeof(list));
	setting_text(k, x->key[k].s, given, sizeof(given));
	snprintf(x->err, x->len, "%s%s=%s: %s takes %s %s, none of them listed: add one, or give %s a group of its own",
		 loc, vb_keys[k].name, given, vb_insn_names[insn],
		 vb_keys[k].name, list, vb_insn_names[insn]);
	return -1;
}

/*
 * Does insn take the group's listed values of key k as the exit handler's
 * VMWRITE (keys.h, vb_exit_takes_field()): k is field, set at least as
 * specifically as the instruction list (by), and the group's modes hold
 * guest.
 */
static int exit_field(const struct ctx *x, enum vb_key k, unsigned int insn,
		      enum rank by)
{
	const struct vb_values *mode = &x->key[VB_KEY_MODE].s->val;
	unsigned int m;

	if (!vb_exit_takes_field(k, insn) || !x->key[k].s->set ||
	    x->key[k].rank < by)
		return 0;
	for (m = 0; m < mode->n; m++)
		if (mode->v[m] == VB_MODE_GUEST)
			return 1;
	return 0;
}

int vb_sweep_variants(struct ctx *x)
{
	const struct vb_values *insn = &x->key[VB_KEY_INSTRUCTION].s->val;
	/* a [global] or flag value meets the group's own instruction list */
	enum rank by = x->key[VB_KEY_INSTRUCTION].rank;
	struct vb_variant_list vals;
	enum vb_key k;
	unsigned int i, j, n;

	for (k = VB_KEY_TARGET; k <= VB_KEY_TYPE; k++) {
		key_values(x, k, &vals);
		for (i = 0; i < VB_INSN_COUNT; i++) {
			struct vb_variant_list *l = &x->var[VAR(k)][i];

			l->n = 0;
			if (exit_field(x, k, i, by)) {
				/* every value listed: the ABI's rule decides */
				for (j = 0; j < vals.n; j++)
					l->v[l->n++] = vals.v[j];
				continue;
			}
			if (vb_variant_key(i) != (int)k) {
				l->v[l->n++] = 0;
				continue;
			}
			for (j = 0; j < vals.n; j++)
				if (vb_variant_takes(k, i, vals.v[j]))
					l->v[l->n++] = vals.v[j];
		}
		for (j = 0; x->key[k].s->set && x->key[k].rank >= by &&
			    j < vals.n; j++) {
			for (i = 0, n = 0; i < insn->n; i++)
				n += vb_variant_takes(k, insn->v[i], vals.v[j]) ||
				     exit_field(x, k, insn->v[i], by);
			if (!n)
				return taken_by_none(x, k, vals.v[j]);
		}
		for (i = 0; i < insn->n; i++)
			if (!x->var[VAR(k)][insn->v[i]].n)
				return left_without(x, k, insn->v[i]);
	}
	return 0;
}

unsigned int vb_sweep_values(const struct ctx *x, enum vb_key a,
			     const unsigned int *idx)
{
	unsigned int insn;

	if (!vb_key_is_variant(a))
		return x->key[a].s->val.n;
	insn = x->key[VB_KEY_INSTRUCTION].s->val.v[idx[VB_KEY_INSTRUCTION]];
	return x->var[VAR(a)][insn].n;
}

unsigned int vb_sweep_value(const struct ctx *x, enum vb_key a,
			    const unsigned int *idx)
{
	unsigned int insn;

	if (!vb_key_is_variant(a))
		return x->key[a].s->val.v[idx[a]];
	insn = x->key[VB_KEY_INSTRUCTION].s->val.v[idx[VB_KEY_INSTRUCTION]];
	return x->var[VAR(a)][insn].v[idx[a]];
}

unsigned long vb_sweep_count(const struct ctx *x)
{
	const struct vb_values *insn = &x->key[VB_KEY_INSTRUCTION].s->val;
	unsigned long count = 0, per;
	unsigned int i;
	enum vb_key k;

	/* each instruction with its variants: one of the keys has several */
	for (i = 0; i < insn->n; i++) {
		per = 1;
		for (k = VB_KEY_TARGET; k <= VB_KEY_TYPE; k++)
			per *= x->var[VAR(k)][insn->v[i]].n;
		count += per;
	}
	for (k = 0; k < VB_N_AXES && count <= VB_MAX_POINTS; k++)
		if (k != VB_KEY_INSTRUCTION && !vb_key_is_variant(k))
			count *= x->key[k].s->val.n;
	return count;
}
