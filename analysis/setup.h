/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A group's setup: its axis values but the point number and the pass.  The
 * sweep's reference setup is, per axis, the value most of the plotted
 * instruction's points hold (a sweep varies one axis at a time around it;
 * ties go to the configs' defaults, then to the value seen first), so
 * "like with like" means: every other axis at its reference value.
 */
#ifndef AZ_SETUP_H
#define AZ_SETUP_H

#include <stddef.h>

#include "dataset.h"

struct az_reference {
	const char *insn;	/* the instruction plotted: vmptrst, else mov,
				   else the one with the most points */
	const char **val;	/* [naxis]: the reference value; NULL for the
				   point, pass and instruction columns */
};

/* Is axis a part of a setup (not point, pass or instruction)? */
int az_setup_axis(const struct az_dataset *ds, size_t a);
/* The reference of ds; insn NULL when ds has no instruction group. */
void az_reference_find(const struct az_dataset *ds, struct az_reference *r);
void az_reference_free(struct az_reference *r);
/*
 * Setup axes in which g differs from the reference; *which (may be NULL)
 * gets the last such axis.
 */
size_t az_setup_diff(const struct az_dataset *ds, const struct az_reference *r,
		     const struct az_group *g, size_t *which);
/* "memtype=wc offset=60", or "reference" when g differs in none. */
void az_setup_label(const struct az_dataset *ds, const struct az_reference *r,
		    const struct az_group *g, char *buf, size_t len);
/* The same, leaving out axis skip (e.g. unroll for a family over it). */
void az_setup_label_but(const struct az_dataset *ds,
			const struct az_reference *r, const struct az_group *g,
			size_t skip, char *buf, size_t len);
/*
 * Order of an axis's values as configured: numeric when every value is a
 * number, else by first appearance in point order.  Negative, 0, positive.
 */
int az_setup_value_cmp(const struct az_dataset *ds, size_t a, const char *x,
		       const char *y);

/*
 * VMPTRST's family: vmptrld and vmclear take a target, vmread and vmwrite
 * a field, invvpid and invept a type (samples.csv's columns after
 * instruction, empty where an instruction takes none).  A headline row is
 * named by its instruction and variant, "vmread field=guest-rip".
 */
extern const char *const az_variant_cols[3];	/* target, field, type */
/* Is a column of that name a variant? */
int az_variant_col(const char *name);
/* Is insn one of the family (vmptrld ... vmxon-vmxoff)? */
int az_insn_family(const char *insn);
/*
 * "vmread field=guest-rip": insn and the variants that are set, val[k]
 * the value of az_variant_cols[k] (NULL or "": none).
 */
void az_insn_label(const char *insn, const char *const val[3], char *buf,
		   size_t len);
/* Does insn exit in mode guest, each copy a round trip through the
   module's handler (vmptrst and the VM-exit references)? */
int az_insn_exits(const char *insn);
/*
 * A headline row's name: az_insn_label()'s, and for a mode=guest row of an
 * instruction that exits the part of the round trip it reports (headline.csv's
 * part: "exit", "entry"; empty: the round trip), "vmcall
 * field=exception-bitmap: exit", "vmcall: round trip".  mode and part may
 * be NULL (a headline.csv without the column).
 */
void az_row_label(const char *insn, const char *const val[3],
		  const char *mode, const char *part, char *buf, size_t len);
/* The same for group g of ds (a run without the columns: insn alone). */
void az_group_insn_label(const struct az_dataset *ds,
			 const struct az_group *g, char *buf, size_t len);

#endif /* AZ_SETUP_H */
