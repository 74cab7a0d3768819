// SPDX-License-Identifier: GPL-2.0
/*
 * compare's pairing: each run's comparable distributions (the net per
 * instruction, or a baseline-only point's TSC per window), paired by every
 * axis but point and cpu, and the setup columns they are shown under.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "diag.h"

/* The comparable distributions of a run. */
struct az_cmp_unit *az_cmp_units(const struct az_dataset *ds, size_t *n)
{
	struct az_cmp_unit *u = az_malloc((ds->ngroup + 1) * sizeof(*u));
	size_t gi;

	*n = 0;
	for (gi = 0; gi < ds->ngroup; gi++) {
		const struct az_group *g = &ds->groups[gi];
		const struct az_point *p = &ds->points[g->point];

		if (g->baseline && p->ngroup > 1)
			continue;	/* the baseline of instruction rows */
		u[*n].g = g;
		u[*n].key = az_group_key(ds, g);
		u[*n].net = !g->baseline;
		u[*n].v = u[*n].net ? g->net[0] : g->val[0];
		u[*n].d = u[*n].net ? &g->dnet[0] : &g->d[0];
		u[*n].used = 0;
		(*n)++;
	}
	return u;
}

void az_cmp_units_free(struct az_cmp_unit *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(u[i].key);
	free(u);
}

static size_t col_index(const struct az_dataset *ds, const char *name)
{
	size_t i;

	for (i = 0; i < ds->naxis; i++)
		if (!strcmp(ds->col[i], name))
			return i;
	return AZ_NO_GROUP;
}

static void setup_add(struct az_cmp_setup *s, const char *name,
		      const struct az_dataset *da, const struct az_dataset *db)
{
	size_t i;

	if (!strcmp(name, "point") || !strcmp(name, "cpu"))
		return;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return;
	s->name[s->n] = name;
	s->col_a[s->n] = col_index(da, name);
	s->col_b[s->n] = col_index(db, name);
	s->varies[s->n] = 0;
	s->value[s->n] = NULL;
	s->n++;
}

const char *az_cmp_setup_value(const struct az_cmp_setup *s, size_t i,
			       const struct az_cmp_unit *ua,
			       const struct az_cmp_unit *ub)
{
	if (ua && s->col_a[i] != AZ_NO_GROUP)
		return ua->g->axis[s->col_a[i]];
	if (ub && s->col_b[i] != AZ_NO_GROUP)
		return ub->g->axis[s->col_b[i]];
	return "";
}

void az_cmp_setup_of(struct az_cmp_setup *s, const struct az_dataset *da,
		     const struct az_dataset *db, const struct az_cmp_unit *ua,
		     size_t na, const struct az_cmp_unit *ub, size_t nb)
{
	size_t i, k, cap = da->naxis + db->naxis + 1;

	s->n = 0;
	s->name = az_malloc(cap * sizeof(*s->name));
	s->value = az_malloc(cap * sizeof(*s->value));
	s->col_a = az_malloc(cap * sizeof(size_t));
	s->col_b = az_malloc(cap * sizeof(size_t));
	s->varies = az_malloc(cap * sizeof(int));
	for (i = 0; i < da->naxis; i++)
		setup_add(s, da->col[i], da, db);
	for (i = 0; i < db->naxis; i++)
		setup_add(s, db->col[i], da, db);
	for (k = 0; k < s->n; k++) {
		for (i = 0; i < na + nb; i++) {
			const char *v = i < na ? az_cmp_setup_value(s, k, &ua[i], NULL) :
					az_cmp_setup_value(s, k, NULL, &ub[i - na]);

			if (!s->value[k])
				s->value[k] = v;
			else if (strcmp(s->value[k], v))
				s->varies[k] = 1;
		}
		if (!s->value[k])
			s->value[k] = "";
	}
}

void az_cmp_setup_free(struct az_cmp_setup *s)
{
	free(s->name);
	free(s->value);
	free(s->col_a);
	free(s->col_b);
	free(s->varies);
}

/* Pair A's units with B's: match[i] is B's index or AZ_NO_GROUP. */
size_t az_cmp_match(struct az_cmp_unit *ua, size_t na, struct az_cmp_unit *ub,
		    size_t nb, size_t *match)
{
	size_t i, j, n = 0;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!ub[j].used && ub[j].net == ua[i].net &&
			    !strcmp(ua[i].key, ub[j].key))
				break;
		match[i] = j < nb ? j : AZ_NO_GROUP;
		if (j < nb) {
			ua[i].used = ub[j].used = 1;
			n++;
		}
	}
	return n;
}
