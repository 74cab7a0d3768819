/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the in-guest checkers (vb_check.c, vb_fuzz.c, vb_guest_probe.c). */

#ifndef VB_EXPECT_H
#define VB_EXPECT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmptrst_bench_abi.h"

#define VB_PAT_LIST	"/sys/kernel/debug/x86/pat_memtype_list"

/* One TAP line per check, counted in the checker's own int passed and
   failed: "ok - what" or "not ok - FILE:LINE: what". */
#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			passed++;                                          \
			printf("ok - ");                                   \
		} else {                                                   \
			failed++;                                          \
			printf("not ok - %s:%d: ", __FILE__, __LINE__);    \
		}                                                          \
		printf(__VA_ARGS__);                                       \
		putchar('\n');                                             \
	} while (0)

/*
 * Lines of @path containing @needle (every line if NULL); -1 if it cannot
 * be read.  The kernel's PAT list and vmallocinfo, before and after.
 */
static inline int count_lines(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !needle || strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/*
 * What a record must hold afterwards: the poison (baseline, the VM-exit
 * references: cpuid, vmcall, rdmsr, io, xsetbv, invd, cr3-load),
 * the expected pointer (vmptrst, mov), or for the reference chains the accumulator: 1 +
 * unroll (add), 1 (imul), the operand's own address (chase: taken from the
 * first chase record, which must sit at the operand's offset in its page).
 */
static inline uint64_t record_want(uint8_t insn, const struct vb_run *r,
			    uint64_t chase_addr)
{
	switch (insn) {
	case VB_INSN_NONE:
	case VB_INSN_CPUID:	/* mode=guest: exits that store nothing */
	case VB_INSN_VMCALL:
	case VB_INSN_RDMSR:
	case VB_INSN_IO:
	case VB_INSN_XSETBV:
	case VB_INSN_INVD:
	case VB_INSN_CR3_LOAD:
		return r->poison;
	case VB_INSN_ADD:
		return 1 + (uint64_t)r->point.unroll;
	case VB_INSN_IMUL:
		return 1;
	case VB_INSN_CHASE:
		return chase_addr &&
		       (chase_addr & 0xfff) == (r->point.offset & 0xfff) ?
		       chase_addr : ~chase_addr;
	default:
		return r->expected;
	}
}

/* vb_family.c's value for vmread and vmwrite, written again. */
#define VB_FAMILY_PATTERN_HERE	0x5a5aa5a55a5aa5a5ULL

/* The width of a VMCS field of the family's, written again (SDM App. B). */
static inline uint64_t vb_field_mask_here(uint8_t field)
{
	switch (field) {
	case VB_FIELD_GUEST_CS_SEL:
		return 0xffff;
	case VB_FIELD_EXCEPTION_BITMAP:
	case VB_FIELD_VM_INSN_ERROR:
		return 0xffffffff;
	default:
		return ~0ULL;
	}
}

/*
 * What a family instruction's records must hold, as far as user space can
 * know it: an exact value, or (*vmcs) a VMCS address (page-aligned, not
 * all ones) that vb_run.expected names.
 */
static inline uint64_t vb_family_want(const struct vb_point_desc *p, int *vmcs)
{
	*vmcs = 0;
	switch (p->instruction) {
	case VB_INSN_VMREAD:
		return p->field == VB_FIELD_VM_INSN_ERROR ? 12 :
		       VB_FAMILY_PATTERN_HERE & vb_field_mask_here(p->field);
	case VB_INSN_VMWRITE:
		return VB_FAMILY_PATTERN_HERE & vb_field_mask_here(p->field);
	case VB_INSN_INVVPID:
	case VB_INSN_INVEPT:
		return 0;
	case VB_INSN_VMXON:
		return ~0ULL;
	case VB_INSN_VMCLEAR:
		if (p->target == VB_TARGET_CURRENT)
			return ~0ULL;
		break;
	}
	*vmcs = 1;
	return 0;
}

/* The tests' build's fault injection (module parameter inject_fault,
   enum vb_fault in kmod/vb_test_hooks.h) set to k: 0, or -1. */
static inline int vb_set_fault(int k)
{
	FILE *f = fopen("/sys/module/vmptrst_bench/parameters/inject_fault", "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%d\n", k) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/*
 * The guest checkers' command line: --expect-vmx yes|no, --cpu N (into
 * *cpu), and the flags of @flags (NULL-terminated; bit i of *seen for the
 * i-th).  1 for yes, 0 for no, -1 when it is missing, bad or unknown.
 */
static inline int vb_parse_args(int argc, char **argv,
				const char *const *flags, unsigned int *seen,
				unsigned int *cpu)
{
	int expect = -1, i, k;

	*seen = 0;
	for (i = 1; i < argc; i++) {
		for (k = 0; flags[k] && strcmp(argv[i], flags[k]); k++)
			;
		if (flags[k]) {
			*seen |= 1u << k;
		} else if (!strcmp(argv[i], "--expect-vmx") && i + 1 < argc) {
			i++;
			expect = !strcmp(argv[i], "yes") ? 1 :
				 !strcmp(argv[i], "no") ? 0 : -1;
			if (expect < 0)
				return -1;
		} else if (!strcmp(argv[i], "--cpu") && i + 1 < argc) {
			*cpu = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else {
			return -1;
		}
	}
	return expect;
}

#endif /* VB_EXPECT_H */
