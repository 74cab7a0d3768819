/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The group being expanded (sweep.c), as the rules on combinations
 * (sweeprules.c) see it: each key's effective setting and where it comes
 * from, so that an error names the file and line to blame.
 */
#ifndef VB_SWEEPCTX_H
#define VB_SWEEPCTX_H

#include <stddef.h>

#include "sweep.h"

/* Where an effective key comes from, most specific first. */
enum rank { R_DEFAULT, R_GLOBAL, R_FLAGS, R_GROUP };

struct eff {
	const struct vb_setting *s;
	enum rank rank;
};

/* Values of one variant key for one instruction: {0} where it takes none. */
#define VB_MAX_VARIANTS	8
struct vb_variant_list {
	unsigned int n;
	unsigned int v[VB_MAX_VARIANTS];
};

/* The group being expanded. */
struct ctx {
	const struct vb_config *c;
	const char *group;	/* NULL without a config */
	struct eff key[VB_KEY_COUNT];
	/* [k - VB_KEY_TARGET][instruction]: the values each one gets */
	struct vb_variant_list var[3][VB_INSN_COUNT];
	char *err;
	size_t len;
};

/* "FILE:LINE: [group] " or "command line: [group] " (sweeprules.c) */
void vb_sweep_where(const struct ctx *x, const struct eff *e,
		    unsigned int line, char *buf, size_t len);

/*
 * The rules on combinations, for one point's raw values (offset
 * unresolved): 0 with *offset resolved, or -1 with the error in x->err
 * (sweeprules.c).
 */
int vb_sweep_check_point(struct ctx *x, const unsigned int *v,
			 unsigned int *offset);
/*
 * Then the ABI's own rules (vb_point_invalid()) on the point as its RUNs
 * will ask for it (d, offset resolved), those on mode among them: 0, or -1
 * with the error in x->err naming mode and the key the rule names.
 */
int vb_sweep_check_abi(struct ctx *x, const unsigned int *v,
		       const struct vb_point_desc *d);

/*
 * The variants (sweepvariant.c): each instruction of the group gets the
 * values of its own key (target, field or type) that it takes, every one
 * it takes when the key is not set, and the others none (0).  0, or -1
 * with the error in x->err naming the key's line: a value that no
 * instruction of the group takes (unless the key comes from a less
 * specific place than the group's instruction list), or an instruction
 * left with no value.
 */
int vb_sweep_variants(struct ctx *x);
/* Values of axis a at the odometer's position idx (the variants': of the
   instruction at idx). */
unsigned int vb_sweep_values(const struct ctx *x, enum vb_key a,
			     const unsigned int *idx);
/* The value of axis a at idx. */
unsigned int vb_sweep_value(const struct ctx *x, enum vb_key a,
			    const unsigned int *idx);
/* Points of the group, or more than VB_MAX_POINTS when it has more. */
unsigned long vb_sweep_count(const struct ctx *x);

#endif /* VB_SWEEPCTX_H */
