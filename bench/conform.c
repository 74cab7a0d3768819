// SPDX-License-Identifier: GPL-2.0
/*
 * The conformance table's branches, their words (vector names, flags,
 * memory_changed) and the verdict rules: see conform.h.  A
 * row is as-documented when what the CPU did is what the page says:
 *   - the vector (or completion, or VM exit) is the page's;
 *   - a fault left the destination as it was (any change differs; on
 *     pf-split even the first page's bytes alone: "partial");
 *   - a #PF's CR2 is the destination (pf-split: inside the second page);
 *   - a ring-3 fault's error code, where the frame has one, is the page's;
 *   - a completion stored what it must (the current-VMCS pointer, all ones
 *     without one) and left none of CF PF AF ZF SF OF set (all set before);
 *   - a VM exit is what vb_exit_rec_invalid() accepts;
 *   - the register form: #UD where CPUID has no RDSEED; where it has, the
 *     encoding is RDSEED and page and CPUID disagree: differs, saying so.
 * A branch not executed is not-reachable-here, with why.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conform.h"

#define PF_WORDS "If a page fault occurs in accessing the memory destination operand."

const struct vb_cbranch_def vb_cbranches[VB_CB_COUNT] = {
	[VB_CB_OUTSIDE_CPL0] = { "outside-vmx-cpl0", 0, "outside-vmx",
		"If not in VMX operation.", 6, "", VB_BR_OUTSIDE_VMX },
	[VB_CB_OUTSIDE_CPL3] = { "outside-vmx-cpl3", 3, "outside-vmx",
		"If not in VMX operation.", 6, "", -1 },
	[VB_CB_STORE] = { "store", 0, "vmx-root",
		"ELSE 64-bit in-memory destination operand := current-VMCS pointer; VMsucceed",
		VB_VEC_NONE, "", VB_BR_STORE },
	[VB_CB_NO_VMCS] = { "no-current-vmcs", 0, "vmx-root",
		"ELSE 64-bit in-memory destination operand := current-VMCS pointer (no current VMCS: FFFFFFFF_FFFFFFFFH); VMsucceed",
		VB_VEC_NONE, "", VB_BR_NO_VMCS },
	[VB_CB_LOCK] = { "lock-prefix", 0, "vmx-root",
		"not on the page: a LOCK prefix on an instruction that is not lockable is #UD (SDM Vol. 2, LOCK)",
		6, "", VB_BR_LOCK },
	[VB_CB_REGISTER] = { "register-operand", 0, "vmx-root",
		"If operand is a register.", 6, "", VB_BR_REGISTER },
	[VB_CB_NONCANON_DS] = { "noncanonical-ds", 0, "vmx-root",
		"If the destination operand is in the CS, DS, ES, FS, or GS segments and the memory address is in a non-canonical form.",
		13, "0", VB_BR_NONCANON_DS },
	[VB_CB_NONCANON_SS] = { "noncanonical-ss", 0, "vmx-root",
		"If the destination operand is in the SS segment and the memory address is in a non-canonical form.",
		12, "0", VB_BR_NONCANON_SS },
	[VB_CB_PF_NOT_PRESENT] = { "pf-not-present", 0, "vmx-root",
		PF_WORDS " (the page not present)", 14, "P=0 W=1",
		VB_BR_PF_NOT_PRESENT },
	[VB_CB_PF_READ_ONLY] = { "pf-read-only", 0, "vmx-root",
		PF_WORDS " (the page read-only, CR0.WP = 1)", 14, "P=1 W=1",
		VB_BR_PF_READ_ONLY },
	[VB_CB_PF_SPLIT] = { "pf-split", 0, "vmx-root",
		PF_WORDS " (the 8 bytes across two pages, the second not present)",
		14, "P=0 W=1", VB_BR_PF_SPLIT },
	[VB_CB_CPL3_VMX_64] = { "cpl3-vmx-64bit", 3, "vmx-root",
		"ELSIF CPL > 0 THEN #GP(0); If the current privilege level is not 0.",
		13, "0", -1 },
	[VB_CB_CPL3_VMX_COMPAT] = { "cpl3-vmx-compat", 3, "vmx-root",
		"(IA32_EFER.LMA = 1 and CS.L = 0) THEN #UD; The VMPTRST instruction is not recognized in compatibility mode.",
		6, "", -1 },
	[VB_CB_NON_ROOT] = { "vmx-non-root", 0, "vmx-non-root",
		"ELSIF in VMX non-root operation THEN VMexit", VB_VEC_EXIT,
		"reason 22", -1 },
};

const char *const vb_verdict_names[VB_VERDICT_COUNT + 1] = {
	[VB_AS_DOCUMENTED] = "as-documented",
	[VB_DIFFERS] = "differs",
	[VB_NOT_REACHABLE] = "not-reachable-here",
};

const char *vb_vector_name(int v, char *buf, size_t len)
{
	switch (v) {
	case VB_VEC_NONE:	return "none";
	case VB_VEC_EXIT:	return "vm-exit";
	case 6:			return "#UD";
	case 12:		return "#SS";
	case 13:		return "#GP";
	case 14:		return "#PF";
	}
	snprintf(buf, len, "vector %d", v);
	return buf;
}

const char *vb_cbranch_code(enum vb_cbranch b, char *buf, size_t len)
{
	uint32_t reason, ilen;

	if (b != VB_CB_NON_ROOT)
		return vb_cbranches[b].error_code;
	vb_guest_exit_want(VB_INSN_VMPTRST, &reason, &ilen);
	snprintf(buf, len, "reason %u", (unsigned int)reason);
	return buf;
}

const char *vb_flags_set(uint64_t rflags, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *name; } fl[] = {
		{ 1u << 0, "CF" }, { 1u << 2, "PF" }, { 1u << 4, "AF" },
		{ 1u << 6, "ZF" }, { 1u << 7, "SF" }, { 1u << 11, "OF" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		if ((rflags & fl[i].bit) && used + 4 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? " " : "", fl[i].name);
	return used ? buf : "none";
}

const char *vb_cobs_memory(enum vb_cbranch b, const struct vb_cobs *o)
{
	uint64_t diff = o->before ^ o->after, first_page;
	unsigned int in_first = (unsigned int)(4096 - (o->address & 4095));

	if (!o->ran || !o->mem)
		return "";
	if (!diff)
		return "no";
	if (b != VB_CB_PF_SPLIT || in_first >= 8)
		return "yes";
	first_page = (1ull << (8 * in_first)) - 1;	/* little-endian */
	return diff & ~first_page ? "yes" : "partial";
}

void vb_cobs_unreachable(struct vb_cobs *o, const char *fmt, ...)
{
	va_list ap;

	memset(o, 0, sizeof(*o));
	va_start(ap, fmt);
	vsnprintf(o->note, sizeof(o->note), fmt, ap);
	va_end(ap);
}

/* Appends "; " and the text to the reason. */
static void __attribute__((format(printf, 3, 4)))
add(char *r, size_t len, const char *fmt, ...)
{
	size_t used = strlen(r);
	va_list ap;

	if (used && used + 2 < len) {
		memcpy(r + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(r + used, len - used, fmt, ap);
	va_end(ap);
}

/* What the CPU did, and what the page says, in words. */
static const char *did(int v, char *buf, size_t len)
{
	char n[24];

	if (v == VB_VEC_NONE)
		return "completed (VMsucceed)";
	if (v == VB_VEC_EXIT)
		return "a VM exit";
	snprintf(buf, len, "raised %s", vb_vector_name(v, n, sizeof(n)));
	return buf;
}

static const char *says(int v, char *buf, size_t len)
{
	if (v == VB_VEC_NONE)
		return "VMsucceed";
	if (v == VB_VEC_EXIT)
		return "a VM exit";
	return vb_vector_name(v, buf, len);
}

/* The register form: #UD as the page says, unless the encoding is RDSEED. */
static int register_form(const struct vb_cobs *o, char *r, size_t len)
{
	char w[40];

	if (o->rdseed && o->vector == VB_VEC_NONE) {
		add(r, len, "completed as RDSEED: CPUID.(EAX=7,ECX=0):EBX[18] is set on this CPU and 0F C7 /7 with a register operand is RDSEED's encoding; the page says #UD for a register operand");
		return 1;
	}
	if (o->rdseed) {
		add(r, len, "%s, as the page says for a register operand, but CPUID.(EAX=7,ECX=0):EBX[18] says RDSEED, whose encoding this is: page and CPUID disagree",
		    did(o->vector, w, sizeof(w)));
		return 1;
	}
	if (o->vector == 6)
		return 0;
	add(r, len, "%s without RDSEED in CPUID.(EAX=7,ECX=0):EBX[18]; the page says #UD for a register operand",
	    did(o->vector, w, sizeof(w)));
	return 1;
}

/* A fault must leave the destination (the register form: RAX) alone. */
static int fault_kept(enum vb_cbranch b, const struct vb_cobs *o, char *r,
		      size_t len)
{
	const char *m = vb_cobs_memory(b, o);
	char buf[24];
	const char *n = vb_vector_name(o->vector, buf, sizeof(buf));
	if (!strcmp(m, "partial"))
		add(r, len, "the first page's %u bytes were written before the #PF (0x%016llx -> 0x%016llx); the page stores nothing when it faults",
		    (unsigned int)(4096 - (o->address & 4095)),
		    (unsigned long long)o->before,
		    (unsigned long long)o->after);
	else if (!strcmp(m, "yes"))
		add(r, len, "the destination changed although it raised %s (0x%016llx -> 0x%016llx)",
		    n, (unsigned long long)o->before,
		    (unsigned long long)o->after);
	else if (o->reg && o->before != o->after)
		add(r, len, "RAX changed although it raised %s", n);
	else
		return 0;
	return 1;
}

/* The expected fault: CR2 and the error code where they can be seen. */
static int fault_checks(enum vb_cbranch b, const struct vb_cobs *o,
			char *r, size_t len)
{
	const char *want = vb_cbranches[b].error_code;
	uint64_t page2 = (o->address & ~4095ull) + 4096;
	int bad = 0;

	if (o->vector == 14 && o->has_cr2 && b == VB_CB_PF_SPLIT &&
	    (o->cr2 & ~4095ull) != page2) {
		add(r, len, "CR2 0x%llx is not in the second page (0x%llx): the destination 0x%llx",
		    (unsigned long long)o->cr2, (unsigned long long)page2,
		    (unsigned long long)o->address);
		bad = 1;
	} else if (o->vector == 14 && o->has_cr2 && b != VB_CB_PF_SPLIT &&
		   o->cr2 != o->address) {
		add(r, len, "CR2 0x%llx, expected 0x%llx (the destination)",
		    (unsigned long long)o->cr2,
		    (unsigned long long)o->address);
		bad = 1;
	}
	if (o->error_code[0] && !strcmp(want, "0") &&
	    strcmp(o->error_code, "0")) {
		add(r, len, "error code %s, the page says 0", o->error_code);
		bad = 1;
	}
	return bad;
}

/* VMsucceed: the right value stored, the six arithmetic flags clear. */
static int completion_checks(enum vb_cbranch b, const struct vb_cobs *o,
			     char *r, size_t len)
{
	int bad = 0;

	if (o->mem && o->after != o->expected) {
		add(r, len, "stored 0x%016llx, expected 0x%016llx (%s)",
		    (unsigned long long)o->after,
		    (unsigned long long)o->expected,
		    b == VB_CB_NO_VMCS ? "all ones: no current VMCS" :
		    "the current VMCS's physical address");
		bad = 1;
	}
	if (o->has_flags && (o->rflags & VB_RFLAGS_ARITH)) {
		char flags[40];

		add(r, len, "%s still set after VMsucceed (it clears CF PF AF ZF SF OF; all six were set before)",
		    vb_flags_set(o->rflags, flags, sizeof(flags)));
		bad = 1;
	}
	return bad;
}

enum vb_verdict vb_conform_verdict(enum vb_cbranch b, const struct vb_cobs *o,
				   char *r, size_t len)
{
	const struct vb_cbranch_def *d = &vb_cbranches[b];
	char w1[40], w2[24];
	int bad = 0;

	r[0] = '\0';
	if (!o->ran) {
		snprintf(r, len, "%s", o->note[0] ? o->note : "not executed");
		return VB_NOT_REACHABLE;
	}
	if (b == VB_CB_REGISTER) {
		bad |= register_form(o, r, len);
	} else if (o->vector != d->vector) {
		add(r, len, "%s, the page says %s", did(o->vector, w1, sizeof(w1)),
		    says(d->vector, w2, sizeof(w2)));
		bad = 1;
	}
	if (o->vector >= 0)
		bad |= fault_kept(b, o, r, len);
	if (o->vector >= 0 && o->vector == d->vector)
		bad |= fault_checks(b, o, r, len);
	if (o->vector == VB_VEC_NONE && d->vector == VB_VEC_NONE)
		bad |= completion_checks(b, o, r, len);
	if (o->vector == VB_VEC_EXIT && o->exit_wrong &&
	    !strcmp(o->exit_wrong, "exits")) {
		add(r, len, "%u VM exits for one VMPTRST, expected 1",
		    (unsigned int)o->exits);
		bad = 1;
	} else if (o->vector == VB_VEC_EXIT && o->exit_wrong) {
		add(r, len, "the VM exit's %s is not what the reference and the guest's encoding say (vmptrst 0x%x(%%rbx): reason %u, qualification 0x%x, 64-bit address size, DS, base RBX, no index, length %u)",
		    o->exit_wrong, VB_GUEST_DISP, VB_EXIT_VMPTRST,
		    VB_GUEST_DISP, VB_GUEST_VMPTRST_LEN);
		bad = 1;
	}
	if (o->code_hidden)
		add(r, len, "error code not observable from the module's exception fixup");
	if (o->note[0])
		add(r, len, "%s", o->note);
	return bad ? VB_DIFFERS : VB_AS_DOCUMENTED;
}

void vb_conform_judge(struct vb_conformance *c)
{
	int b;

	memset(c->count, 0, sizeof(c->count));
	for (b = 0; b < VB_CB_COUNT; b++) {
		c->verdict[b] = vb_conform_verdict(b, &c->obs[b], c->reason[b],
						   sizeof(c->reason[b]));
		c->count[c->verdict[b]]++;
	}
}
