/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys of a sweep: one table (name, type, range, value names, default,
 * help) that serves the config file, the command line, samples.csv's
 * columns, --help and the key reference alike.  A key whose value is a
 * comma list is an axis.  The table is keytab.c, parsing and naming values
 * keys.c, lists of names names.c, the key reference keyref.c.
 */
#ifndef VB_KEYS_H
#define VB_KEYS_H

#include <stddef.h>
#include <stdio.h>

#include "vmptrst_bench_abi.h"

/* Most interleaved rounds of a run (key `rounds`). */
#define VB_MAX_ROUNDS	10000u

/* The axes first, in samples.csv's column order; then the other keys. */
enum vb_key {
	VB_KEY_INSTRUCTION,
	VB_KEY_TARGET,			/* the family's variants: vmptrld, vmclear */
	VB_KEY_FIELD,			/* ... vmread, vmwrite */
	VB_KEY_TYPE,			/* ... invvpid, invept */
	VB_KEY_MODE,			/* root | guest (VMX non-root) */
	VB_KEY_CPU,
	VB_KEY_OFFSET,
	VB_KEY_CACHE,
	VB_KEY_MEMTYPE,
	VB_KEY_PAGE,
	VB_KEY_TLB,
	VB_KEY_AD,
	VB_KEY_VMCS,
	VB_KEY_SERIALIZE,
	VB_KEY_UNROLL,
	VB_N_AXES,
	VB_KEY_SAMPLES = VB_N_AXES,	/* per point, one value */
	VB_KEY_EVENTS,			/* PMU events: a list, not an axis */
	VB_KEY_REQUIRE_EVENTS,		/* no counters: an error, not TSC only */
	VB_KEY_CROSS_CHECK,		/* count the events from user space too */
	VB_KEY_WAIT_VMX,		/* seconds a RUN may wait for VMX */
	VB_KEY_ROUNDS,			/* the run's points in interleaved rounds */
	VB_KEY_COUNT
};

enum vb_key_type {
	VB_KT_ENUM,		/* one of names[] */
	VB_KT_UINT,		/* min..max */
	VB_KT_POW2,		/* a power of two in min..max */
	VB_KT_OFFSET,		/* bytes, or a name resolved per page size */
	VB_KT_EVENTS,		/* a list of event names (vb_values.text) */
	VB_KT_BOOL,		/* no|yes; on the command line a flag */
};

struct vb_key_def {
	const char *name;
	enum vb_key_type type;
	int axis;		/* may hold a comma list */
	unsigned long min, max;
	const char *const *names;	/* VB_KT_ENUM: NULL-terminated */
	const char *def;	/* parsed like user input; NULL: none */
	const char *def_doc;	/* with def NULL: what the default is, in
				   words, for --help and the reference */
	const char *arg;	/* --help's placeholder */
	const char *unit;	/* of a number, for the reference, or NULL */
	const char *help;	/* --help's line */
	const char *more;	/* the key reference's further text, or NULL */
};

extern const struct vb_key_def vb_keys[VB_KEY_COUNT];

/* Value names, indexed by the ABI's enums, NULL-terminated. */
extern const char *const vb_insn_names[VB_INSN_COUNT + 1];
extern const char *const vb_mode_names[VB_MODE_COUNT + 1];
extern const char *const vb_vmcs_names[VB_VMCS_COUNT + 1];
extern const char *const vb_serialize_names[VB_SER_COUNT + 1];
extern const char *const vb_cache_names[VB_CACHE_COUNT + 1];
extern const char *const vb_memtype_names[VB_MEM_COUNT + 1];
extern const char *const vb_pagesize_names[VB_PAGE_COUNT + 1];
extern const char *const vb_tlb_names[VB_TLB_COUNT + 1];
extern const char *const vb_ad_names[VB_AD_COUNT + 1];
/*
 * The family's variants (target, field, type): the name of 0, not
 * applicable, is "" (an empty field in the CSV files), never a value a
 * user can give.
 */
extern const char *const vb_target_names[VB_TARGET_COUNT + 1];
extern const char *const vb_field_names[VB_FIELD_COUNT + 1];
extern const char *const vb_type_names[VB_TYPE_COUNT + 1];

/* target, field or type: the keys whose values depend on the instruction. */
static inline int vb_key_is_variant(int k)
{
	return k == VB_KEY_TARGET || k == VB_KEY_FIELD || k == VB_KEY_TYPE;
}

/* The variant key instruction insn takes (at most one), or -1. */
static inline int vb_variant_key(unsigned int insn)
{
	switch (insn) {
	case VB_INSN_VMPTRLD:
	case VB_INSN_VMCLEAR:
		return VB_KEY_TARGET;
	case VB_INSN_VMREAD:
	case VB_INSN_VMWRITE:
		return VB_KEY_FIELD;
	case VB_INSN_INVVPID:
	case VB_INSN_INVEPT:
		return VB_KEY_TYPE;
	default:
		return -1;
	}
}

/*
 * Does instruction insn take value v (not 0) of variant key k?  The ABI's
 * rules, vb_variant_invalid().
 */
static inline int vb_variant_takes(int k, unsigned int insn, unsigned int v)
{
	return v && vb_variant_key(insn) == k &&
	       !vb_variant_invalid(insn, k == VB_KEY_TARGET ? v : 0,
				   k == VB_KEY_FIELD ? v : 0,
				   k == VB_KEY_TYPE ? v : 0);
}

/*
 * mode=guest: an instruction that exits (vmptrst and the VM-exit
 * references) takes a field too, the one VMWRITE the exit handler makes
 * before each VMRESUME (the dirty-VMCS cost), but only where its group
 * lists one (none otherwise: the plain round trip); vb_point_invalid()
 * decides which (mode guest; guest-cs-sel, exception-bitmap,
 * guest-debugctl), with its own words.
 */
static inline int vb_exit_takes_field(int k, unsigned int insn)
{
	return k == VB_KEY_FIELD && vb_insn_exits(insn);
}

/*
 * Offset names, stored as VB_OFFSET_NAMED | enum vb_offset_name until the
 * page size of the point resolves them to bytes.
 */
enum vb_offset_name {
	VB_OFF_ALIGNED,		/* 0 */
	VB_OFF_MISALIGNED,	/* 1 */
	VB_OFF_LINE_SPLIT,	/* 60: the 8 bytes cross a 64-byte line */
	VB_OFF_PAGE_SPLIT,	/* page size - 4: they cross the page boundary */
	VB_OFF_NAMES
};
#define VB_OFFSET_NAMED		0x80000000u
extern const char *const vb_offset_names[VB_OFF_NAMES + 1];

/* A parsed value: one element, or the elements of an axis's list. */
#define VB_MAX_VALUES		1024	/* a cpu list may name every CPU */
#define VB_EVENT_NAME_MAX	128	/* one event name, with the NUL */
#define VB_MAX_EVENT_NAMES	32	/* names in one events list */
#define VB_EVENTS_TEXT		2048	/* an events list, with the NUL */
struct vb_values {
	unsigned int n;
	unsigned int v[VB_MAX_VALUES];
	char text[VB_EVENTS_TEXT];	/* VB_KT_EVENTS: "a,b,c" trimmed */
};

extern const char *const vb_bool_names[3];

/*
 * The names of an events list (text as vb_values.text holds it) into
 * names[VB_MAX_EVENT_NAMES]; returns how many.
 */
unsigned int vb_events_split(const char *text,
			     char (*names)[VB_EVENT_NAME_MAX]);

/* -1 when name is no key. */
int vb_key_lookup(const char *name);
/* Decimal, or hexadecimal after 0x; no sign, no space, no junk: 0 or -1. */
int vb_parse_ulong(const char *s, unsigned long *v);
/*
 * vb_parse_ulong within min..max: 0, or -1 with "out of range MIN..MAX"
 * (a decimal number, negative or too large included) or "not a number".
 */
int vb_parse_range(const char *s, unsigned long min, unsigned long max,
		   unsigned long *v, char *err, size_t len);
/*
 * Lists of names (names.c): the candidate nearest to name (edit distance
 * <= 2), or NULL.
 */
const char *vb_closest(const char *name, const char *const *cands, size_t n);
size_t vb_edit_distance(const char *a, const char *b);
/* "a|b|c" */
void vb_join_names(const char *const *names, char *buf, size_t len);

/*
 * Parses text (a comma list for an axis) into out.  On error: -1 and a
 * message without location or key (e.g. "not a power of two in 1..256";
 * "value 3: ..." within a list) in err.
 */
int vb_key_parse(enum vb_key k, const char *text, struct vb_values *out,
		 char *err, size_t len);
/* One element as the user would write it: "flushed", "8", "page-split". */
const char *vb_key_value_name(enum vb_key k, unsigned int v, char *buf,
			      size_t len);
/* The name of an ABI enum value, "unknown" when out of range. */
const char *vb_enum_name(enum vb_key k, unsigned int v);

/*
 * An offset element for a page size (enum vb_page): 0 with the bytes in
 * *bytes, or -1 when it does not fit (offset + 8 > VB_SPAN(page), or
 * page-split on 1g, where the buffer lies inside one 1 GiB page).
 */
int vb_offset_resolve(unsigned int v, unsigned int page, unsigned int *bytes);

/*
 * The key reference, from vb_keys[] alone: VB_REF_MARKDOWN,
 * configs/README.md's table of keys (| key | flag | values | meaning |
 * default |) after two sentences on flags and axes; VB_REF_TEXT, the same
 * for a terminal, wrapped to 79 columns; VB_REF_MDOC, the same as the list
 * (.Bl -tag) of the man page vmptrst-bench.ini(5).  0, or -1 when out could
 * not be written (or a table text outgrew its buffer).
 */
enum vb_ref_format { VB_REF_TEXT, VB_REF_MARKDOWN, VB_REF_MDOC };
int vb_keys_reference(FILE *out, enum vb_ref_format fmt);

#endif /* VB_KEYS_H */
