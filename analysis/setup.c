// SPDX-License-Identifier: GPL-2.0
/* Setups and the sweep's reference setup: see setup.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "setup.h"

/* The configs' defaults (configs/README.md), for ties. */
static const char *const defaults[][2] = {
	{ "offset", "0" }, { "cache", "hot" }, { "memtype", "wb" },
	{ "page", "4k" }, { "tlb", "warm" }, { "ad", "set" },
	{ "vmcs", "loaded" }, { "serialize", "lfence" }, { "unroll", "1" },
	{ "mode", "root" }, { "target", "" }, { "field", "" }, { "type", "" },
};

const char *const az_variant_cols[3] = { "target", "field", "type" };

int az_variant_col(const char *name)
{
	size_t k;

	for (k = 0; k < 3; k++)
		if (!strcmp(name, az_variant_cols[k]))
			return 1;
	return 0;
}

int az_insn_family(const char *insn)
{
	static const char *const family[] = { "vmptrld", "vmclear", "vmread",
		"vmwrite", "invvpid", "invept", "vmxon-vmxoff" };
	size_t i;

	for (i = 0; i < sizeof(family) / sizeof(family[0]); i++)
		if (!strcmp(insn, family[i]))
			return 1;
	return 0;
}

int az_insn_exits(const char *insn)
{
	static const char *const exits[] = { "vmptrst", "cpuid", "vmcall",
		"rdmsr", "io", "xsetbv", "invd", "cr3-load" };
	size_t i;

	for (i = 0; i < sizeof(exits) / sizeof(exits[0]); i++)
		if (!strcmp(insn, exits[i]))
			return 1;
	return 0;
}

void az_row_label(const char *insn, const char *const val[3],
		  const char *mode, const char *part, char *buf, size_t len)
{
	size_t o;

	az_insn_label(insn, val, buf, len);
	if (!mode || strcmp(mode, "guest") || !az_insn_exits(insn))
		return;
	o = strlen(buf);
	snprintf(buf + o, len - o, ": %s", part && *part ? part : "round trip");
}

void az_insn_label(const char *insn, const char *const val[3], char *buf,
		   size_t len)
{
	size_t k, o;

	o = (size_t)snprintf(buf, len, "%s", insn);
	for (k = 0; k < 3 && o < len; k++)
		if (val[k] && *val[k])
			o += (size_t)snprintf(buf + o, len - o, " %s=%s",
					      az_variant_cols[k], val[k]);
}

void az_group_insn_label(const struct az_dataset *ds,
			 const struct az_group *g, char *buf, size_t len)
{
	const char *val[3] = { NULL, NULL, NULL };
	size_t a, k;

	for (a = 0; a < ds->naxis; a++)
		for (k = 0; k < 3; k++)
			if (!strcmp(ds->col[a], az_variant_cols[k]))
				val[k] = g->axis[a];
	az_insn_label(g->instruction, val, buf, len);
}

int az_setup_axis(const struct az_dataset *ds, size_t a)
{
	return a < ds->naxis && a != ds->point_col && a != ds->insn_col &&
	       a != ds->pass_col;
}

static int is_default(const struct az_dataset *ds, size_t a, const char *v)
{
	size_t i;

	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (!strcmp(ds->col[a], defaults[i][0]))
			return !strcmp(v, defaults[i][1]);
	return 0;
}

static const char *choose_insn(const struct az_dataset *ds)
{
	const char *best = NULL;
	size_t gi, gj, best_n = 0;

	for (gi = 0; gi < ds->ngroup; gi++)
		if (!ds->groups[gi].baseline &&
		    !strcmp(ds->groups[gi].instruction, "vmptrst"))
			return "vmptrst";
	for (gi = 0; gi < ds->ngroup; gi++)
		if (!ds->groups[gi].baseline &&
		    !strcmp(ds->groups[gi].instruction, "mov"))
			return "mov";
	for (gi = 0; gi < ds->ngroup; gi++) {
		const char *in = ds->groups[gi].instruction;
		size_t n = 0;

		if (ds->groups[gi].baseline)
			continue;
		for (gj = 0; gj < ds->ngroup; gj++)
			n += !strcmp(ds->groups[gj].instruction, in);
		if (n > best_n) {
			best_n = n;
			best = in;
		}
	}
	return best ? best : ds->ngroup ? "none" : NULL;
}

void az_reference_find(const struct az_dataset *ds, struct az_reference *r)
{
	size_t a, gi, gj;

	r->insn = choose_insn(ds);
	r->val = az_malloc((ds->naxis + 1) * sizeof(*r->val));
	for (a = 0; a < ds->naxis; a++) {
		const char *best = NULL;
		size_t best_n = 0;

		r->val[a] = NULL;
		if (!az_setup_axis(ds, a) || !r->insn)
			continue;
		/* groups are in point order: the first seen wins a tie */
		for (gi = 0; gi < ds->ngroup; gi++) {
			const struct az_group *g = &ds->groups[gi];
			size_t n = 0;

			if (strcmp(g->instruction, r->insn))
				continue;
			for (gj = 0; gj < ds->ngroup; gj++)
				n += !strcmp(ds->groups[gj].instruction, r->insn) &&
				     !strcmp(ds->groups[gj].axis[a], g->axis[a]);
			if (n > best_n || (n == best_n && best &&
					   !is_default(ds, a, best) &&
					   is_default(ds, a, g->axis[a]))) {
				best_n = n;
				best = g->axis[a];
			}
		}
		r->val[a] = best;
	}
}

void az_reference_free(struct az_reference *r)
{
	free(r->val);
	r->val = NULL;
}

size_t az_setup_diff(const struct az_dataset *ds, const struct az_reference *r,
		     const struct az_group *g, size_t *which)
{
	size_t a, n = 0;

	for (a = 0; a < ds->naxis; a++)
		if (r->val[a] && strcmp(r->val[a], g->axis[a])) {
			n++;
			if (which)
				*which = a;
		}
	return n;
}

void az_setup_label(const struct az_dataset *ds, const struct az_reference *r,
		    const struct az_group *g, char *buf, size_t len)
{
	az_setup_label_but(ds, r, g, AZ_NO_GROUP, buf, len);
}

void az_setup_label_but(const struct az_dataset *ds,
			const struct az_reference *r, const struct az_group *g,
			size_t skip, char *buf, size_t len)
{
	size_t a, o = 0;

	buf[0] = '\0';
	for (a = 0; a < ds->naxis && o < len; a++)
		if (a != skip && r->val[a] && strcmp(r->val[a], g->axis[a])) {
			int k = snprintf(buf + o, len - o, "%s%s=%s",
					 o ? " " : "", ds->col[a], g->axis[a]);

			if (k < 0)
				break;
			o += (size_t)k;
		}
	if (!o)
		snprintf(buf, len, "reference");
}

static int number(const char *s, double *v)
{
	char *e;

	*v = strtod(s, &e);
	return e != s && !*e;
}

static size_t first_seen(const struct az_dataset *ds, size_t a, const char *v)
{
	size_t gi;

	for (gi = 0; gi < ds->ngroup; gi++)
		if (!strcmp(ds->groups[gi].axis[a], v))
			return gi;
	return gi;
}

int az_setup_value_cmp(const struct az_dataset *ds, size_t a, const char *x,
		       const char *y)
{
	double u, v;
	size_t i, j;

	if (number(x, &u) && number(y, &v))
		return (u > v) - (u < v);
	i = first_seen(ds, a, x);
	j = first_seen(ds, a, y);
	return (i > j) - (i < j);
}
