// SPDX-License-Identifier: GPL-2.0
/*
 * The sweep: expansion (counts, order, inheritance from [global], flags
 * over [global] and under the groups), offset names per page size, the
 * rules on combinations with their FILE:LINE messages, `plan` output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "harness.h"
#include "sweep.h"

/* The plan of a config text (NULL: none) and command-line flags. */
static int plan_of(struct harness *h, const char *text, struct vb_plan *p,
		   char *err, size_t len, ...)
{
	char *argv[32], *path = NULL;
	struct vb_config c;
	struct vb_opts o;
	va_list ap;
	int argc = 0, ret;

	argv[argc++] = "plan";
	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	assert_int_equal(vb_cli_parse(VB_CMD_PLAN, argc, argv, &o, &h->env),
			 VB_EXIT_OK);
	memset(&c, 0, sizeof(c));
	if (text) {
		path = harness_file(h, "t.ini", text);
		if (vb_config_load(path, &c, err, len)) {
			free(path);
			return -1;
		}
	}
	ret = vb_plan_build(text ? &c : NULL, &o.flags, p, err, len);
	/* the plan keeps the path for its source: keep it in the test */
	if (!ret)
		p->source = "t.ini";
	vb_config_free(&c);
	free(path);
	return ret;
}

#define AX(p, i, k)	vb_point_axis(&(p)->pt[i].desc, VB_KEY_##k)

static void test_defaults(void **state)
{
	struct harness *h = *state;
	struct vb_plan p;
	char err[512];

	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), NULL), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.n_groups, 1);
	assert_string_equal(p.group[0], "command-line");
	assert_int_equal(AX(&p, 0, INSTRUCTION), VB_INSN_VMPTRST);
	assert_int_equal(AX(&p, 0, CPU), 0);
	assert_int_equal(AX(&p, 0, OFFSET), 0);
	assert_int_equal(AX(&p, 0, CACHE), VB_CACHE_HOT);
	assert_int_equal(AX(&p, 0, MEMTYPE), VB_MEM_WB);
	assert_int_equal(AX(&p, 0, PAGE), VB_PAGE_4K);
	assert_int_equal(AX(&p, 0, TLB), VB_TLB_WARM);
	assert_int_equal(AX(&p, 0, AD), VB_AD_SET);
	assert_int_equal(AX(&p, 0, VMCS), VB_VMCS_LOADED);
	assert_int_equal(AX(&p, 0, SERIALIZE), VB_SER_LFENCE);
	assert_int_equal(AX(&p, 0, UNROLL), 1);
	assert_int_equal(p.pt[0].desc.samples, 10000);
	assert_int_equal(p.samples, 10000);
	assert_int_equal(p.records, 20000);
	assert_int_equal(p.max_records, 20000);
	vb_plan_free(&p);
}

static void test_product_order(void **state)
{
	struct harness *h = *state;
	struct vb_plan p;
	char err[512];
	unsigned int i;

	/* 2 cpus x 3 instructions x 2 unrolls; cpu slowest, unroll fastest */
	assert_int_equal(plan_of(h, "[global]\nsamples = 5\n"
				 "[g]\nunroll = 4, 1\ncpu = 3, 1\n"
				 "instruction = none, vmptrst, mov\n",
				 &p, err, sizeof(err), NULL), 0);
	assert_int_equal(p.n, 12);
	assert_int_equal(p.n_groups, 1);
	for (i = 0; i < p.n; i++) {
		assert_int_equal(p.pt[i].index, i);
		assert_int_equal(p.pt[i].group, 0);
		assert_int_equal(AX(&p, i, CPU), i < 6 ? 3 : 1);
		assert_int_equal(AX(&p, i, INSTRUCTION), (i / 2) % 3 == 0 ?
				 VB_INSN_NONE : (i / 2) % 3 == 1 ?
				 VB_INSN_VMPTRST : VB_INSN_MOV);
		assert_int_equal(AX(&p, i, UNROLL), i % 2 ? 1 : 4);
	}
	/* none: one record per sample; with an instruction, two */
	assert_int_equal(p.samples, 60);
	assert_int_equal(p.records, 4 * 5 + 8 * 10);
	assert_int_equal(p.max_records, 10);
	vb_plan_free(&p);
}

static const char inherit_ini[] =
	"[global]\n"
	"samples = 7\n"
	"vmcs = loaded, none\n"
	"serialize = cpuid\n"
	"[a]\n"
	"[b]\n"
	"vmcs = none\n"
	"samples = 9\n";

static void test_inheritance_and_flags(void **state)
{
	struct harness *h = *state;
	struct vb_plan p;
	char err[512];

	/* [a] inherits everything; [b] keeps what it sets */
	assert_int_equal(plan_of(h, inherit_ini, &p, err, sizeof(err), NULL), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.n_groups, 2);
	assert_string_equal(p.group[0], "a");
	assert_string_equal(p.group[1], "b");
	assert_int_equal(AX(&p, 0, VMCS), VB_VMCS_LOADED);
	assert_int_equal(AX(&p, 1, VMCS), VB_VMCS_NONE);
	assert_int_equal(AX(&p, 2, VMCS), VB_VMCS_NONE);
	assert_int_equal(p.pt[0].desc.samples, 7);
	assert_int_equal(p.pt[2].desc.samples, 9);
	assert_int_equal(p.pt[2].group, 1);
	/* each point names its section (points.csv's `section`), once the
	   group names have stopped moving */
	assert_string_equal(p.pt[0].section, "a");
	assert_string_equal(p.pt[2].section, "b");
	assert_ptr_equal(p.pt[2].section, p.group[1]);
	assert_int_equal(AX(&p, 2, SERIALIZE), VB_SER_CPUID);
	vb_plan_free(&p);

	/* flags override [global], the groups still override the flags */
	assert_int_equal(plan_of(h, inherit_ini, &p, err, sizeof(err),
				 "--samples", "11", "--vmcs", "loaded",
				 "--serialize", "mfence,lfence", NULL), 0);
	assert_int_equal(p.n, 4);
	assert_int_equal(AX(&p, 0, VMCS), VB_VMCS_LOADED);
	assert_int_equal(AX(&p, 0, SERIALIZE), VB_SER_MFENCE);
	assert_int_equal(AX(&p, 1, SERIALIZE), VB_SER_LFENCE);
	assert_int_equal(p.pt[0].desc.samples, 11);
	assert_int_equal(AX(&p, 2, VMCS), VB_VMCS_NONE);	/* [b] */
	assert_int_equal(p.pt[2].desc.samples, 9);
	vb_plan_free(&p);

	/* a file of [global] alone: that is the one group */
	assert_int_equal(plan_of(h, "[global]\nunroll = 1, 2\n", &p, err,
				 sizeof(err), "--cpu", "5", NULL), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.group[0], "global");
	assert_int_equal(AX(&p, 1, CPU), 5);
	vb_plan_free(&p);
}

static void test_offset_names(void **state)
{
	static const struct {
		const char *page;
		unsigned int want[5];
	} cases[] = {
		{ "4k", { 0, 1, 60, 4092, 8184 } },
		{ "2m", { 0, 1, 60, (2u << 20) - 4, 8184 } },
	};
	struct harness *h = *state;
	struct vb_plan p;
	char err[512];
	size_t i, j;

	for (i = 0; i < 2; i++) {
		assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--page",
					 cases[i].page, "--offset", "aligned,"
					 "misaligned,line-split,page-split,8184",
					 NULL), 0);
		assert_int_equal(p.n, 5);
		for (j = 0; j < 5; j++)
			assert_int_equal(AX(&p, j, OFFSET), cases[i].want[j]);
		vb_plan_free(&p);
	}
	/* the large pages' span: 4 MiB */
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--page",
				 "2m,1g", "--offset", "4194296", NULL), 0);
	assert_int_equal(AX(&p, 1, OFFSET), 4194296);
	vb_plan_free(&p);
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--page", "1g",
				 "--offset", "aligned,line-split", NULL), 0);
	assert_int_equal(AX(&p, 1, OFFSET), 60);
	vb_plan_free(&p);
}

struct bad {
	const char *text;
	const char *want;	/* after "t.ini path:" */
};

static const struct bad bad[] = {
	{ "[g]\ncache = hot, flushed\nunroll = 1, 8\n", "3: [g] cache=flushed "
	  "with unroll=8: a per-sample setup (cache flushed or flushopt, tlb "
	  "cold, ad clear) needs unroll 1, or it would hold for the first "
	  "copy only: give these points their own group with unroll = 1" },
	/* the group's key is blamed over [global]'s */
	{ "[global]\nunroll = 2\n[g]\ncache = flushopt\n", "4: [g] "
	  "cache=flushopt with unroll=2: a per-sample setup" },
	{ "[global]\ntlb = cold\n[ok]\n[g]\nunroll = 4\n", "5: [g] tlb=cold with "
	  "unroll=4: a per-sample setup" },
	/* both in the group: the later line */
	{ "[g]\nunroll = 16\n\nad = clear\n", "4: [g] ad=clear with unroll=16: a "
	  "per-sample setup" },
	{ "[g]\npage = 4k, 2m\nad = set, clear\n", "3: [g] ad=clear with "
	  "page=2m: ad=clear works on 4k pages only: give it its own group "
	  "with page = 4k" },
	{ "[g]\npage = 1g\noffset = aligned, page-split\n", "3: [g] "
	  "offset=page-split with page=1g: the 1g buffer lies inside one "
	  "1 GiB page, there is no boundary to split: give 1g a group "
	  "without page-split" },
	{ "[global]\noffset = 8185\n[g]\npage = 2m, 4k\n", "4: [g] offset=8185 "
	  "with page=4k: out of range 0..8184 for 4k pages (offset + 8 <= "
	  "8192)" },
	/* mode: the ABI's rules (vb_point_invalid()), the key it names */
	{ "[g]\nmode = root, guest\ninstruction = vmptrst, add\n", "3: [g] "
	  "instruction=add with mode=guest: add, imul and chase run in mode "
	  "root; the module refuses the combination: give these points a "
	  "group of their own" },
	{ "[g]\ninstruction = vmcall\n", "2: [g] instruction=vmcall with "
	  "mode=root: cpuid, vmcall, rdmsr, io, xsetbv, invd and cr3-load "
	  "need mode guest; the module refuses the combination" },
	/* [global]'s serialize, the group's mode: the group's line */
	{ "[global]\nserialize = lfence, cpuid\n\n[guest]\nmode = guest\n",
	  "5: [guest] serialize=cpuid with mode=guest: cpuid is a VM exit in "
	  "mode guest; the module refuses the combination" },
	{ "[g]\nmode = guest\nvmcs = none\n", "3: [g] vmcs=none with "
	  "mode=guest: mode guest runs in the loaded VMCS; the module refuses "
	  "the combination" },
	{ "[g]\ntlb = cold\nmode = guest\n", "3: [g] tlb=cold with "
	  "mode=guest: mode guest: warm and set only; the module refuses" },
	{ "[g]\nmode = guest\n\nad = set, clear\n", "4: [g] ad=clear with "
	  "mode=guest: mode guest: warm and set only; the module refuses" },
	/* the per-sample rule first: its own words */
	{ "[g]\nmode = guest\ntlb = cold\nunroll = 4\n", "4: [g] tlb=cold "
	  "with unroll=4: a per-sample setup" },
	/* the family's variants: a value no instruction of the group takes */
	{ "[g]\ninstruction = vmread\ntarget = same\n", "3: [g] target=same: "
	  "no instruction of the group takes a target (vmptrld and vmclear "
	  "do; the group's instruction: vmread)" },
	{ "[g]\ninstruction = vmptrld, vmread\ntarget = same, current\n",
	  "3: [g] target=current: no instruction of the group takes target "
	  "current (vmptrld takes same|other)" },
	{ "[g]\ninstruction = invvpid, invept\ntype = address, single, all,"
	  " single-global, global\nfield = guest-rip\n", "4: [g] "
	  "field=guest-rip: no instruction of the group takes a field" },
	/* vmwrite cannot write the read-only error field: vmread can */
	{ "[g]\ninstruction = vmwrite\nfield = vm-instruction-error\n",
	  "3: [g] field=vm-instruction-error: no instruction of the group "
	  "takes field vm-instruction-error (vmwrite takes guest-cs-sel|"
	  "exception-bitmap|guest-debugctl|guest-rip)" },
	/* ... and an instruction left with none of its values */
	{ "[g]\ninstruction = vmptrld, vmclear\ntarget = same\n", "3: [g] "
	  "target=same: vmclear takes target other|current, none of them "
	  "listed: add one, or give vmclear a group of its own" },
	/* a [global] target in a global-only file: no group list to meet */
	{ "[global]\ntarget = other\n", "2: [global] target=other: no "
	  "instruction of the group takes a target" },
	/* the family's ABI rules name the instruction */
	{ "[g]\ninstruction = vmclear\nunroll = 1, 4\n", "3: [g] unroll=4 "
	  "with instruction=vmclear: vmclear current needs unroll 1; the "
	  "module refuses the combination: give these points a group of "
	  "their own" },
	{ "[g]\ninstruction = vmxon-vmxoff\nunroll = 16, 32\n", "3: [g] "
	  "unroll=32 with instruction=vmxon-vmxoff: vmxon-vmxoff: 16 at most" },
	{ "[g]\ninstruction = vmptrst, vmread\nvmcs = loaded, none\n", "3: [g] "
	  "vmcs=none with instruction=vmread: the family runs with the "
	  "window's VMCS loaded; the module refuses the combination" },
	{ "[g]\nmode = guest\ninstruction = invept\n", "3: [g] "
	  "instruction=invept with mode=guest: the VMX family runs in mode "
	  "root; the module refuses the combination" },
	/* a 16-byte descriptor at the end of the buffer */
	{ "[g]\ninstruction = vmptrst, invvpid\noffset = 8180\n", "3: [g] "
	  "offset=8180 with instruction=invvpid: the operand is a 16-byte "
	  "descriptor: out of range 0..8176 for 4k pages (offset + 16 <= "
	  "8192)" },
	{ "[g]\ncpu = 0-1023\nunroll = 1,2,4,8,16,32,64,128,256\n"
	  "vmcs = loaded, none\nserialize = lfence, cpuid, mfence\n"
	  "memtype = wb, wc, uc-, wt\n",
	  "1: [g] 221184 points make the plan larger than 100000 points: split "
	  "the sweep into several runs" },
};

static void test_combination_rules(void **state)
{
	struct harness *h = *state;
	char err[1024], want[1024], *path;
	struct vb_plan p;
	size_t i;

	path = harness_file(h, "t.ini", "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		snprintf(want, sizeof(want), "%s:%s", path, bad[i].want);
		if (plan_of(h, bad[i].text, &p, err, sizeof(err), NULL) != -1 ||
		    strncmp(err, want, strlen(want)))
			fail_msg("case %zu: got '%s', want '%s'", i, err, want);
	}
	free(path);
}

/*
 * The family's variants: each instruction gets the values of its own key
 * that it takes (every one when the key is not set), the others none, the
 * variant nested right inside its instruction.
 */
static void test_family_variants(void **state)
{
	struct harness *h = *state;
	struct vb_plan p;
	char err[1024];
	unsigned int i, n[VB_INSN_COUNT] = { 0 };

	/* target: vmptrld same, other; vmclear other; field, type unset */
	assert_int_equal(plan_of(h, "[g]\ninstruction = vmptrst, vmptrld, "
				 "vmclear, vmread, vmwrite, invvpid, invept, "
				 "vmxon-vmxoff, mov\ntarget = same, other\n"
				 "unroll = 1, 8\n", &p, err, sizeof(err), NULL),
			 0);
	/* (1 + 2 + 1 + 5 + 4 + 4 + 2 + 1 + 1) x 2 unrolls */
	assert_int_equal(p.n, 42);
	for (i = 0; i < p.n; i++) {
		const struct vb_point_desc *d = &p.pt[i].desc;
		int k = vb_variant_key(d->instruction);

		n[d->instruction]++;
		assert_null(vb_point_invalid(d));
		/* a variant on the family only, the one key it takes */
		assert_int_equal(d->target, k == VB_KEY_TARGET ? d->target : 0);
		assert_int_equal(d->field, k == VB_KEY_FIELD ? d->field : 0);
		assert_int_equal(d->type, k == VB_KEY_TYPE ? d->type : 0);
		if (k >= 0)
			assert_int_not_equal(AX(&p, i, TARGET) + AX(&p, i, FIELD) +
					     AX(&p, i, TYPE), 0);
	}
	assert_int_equal(n[VB_INSN_VMPTRST], 2);
	assert_int_equal(n[VB_INSN_VMPTRLD], 4);
	assert_int_equal(n[VB_INSN_VMCLEAR], 2);
	assert_int_equal(n[VB_INSN_VMREAD], 10);
	assert_int_equal(n[VB_INSN_VMWRITE], 8);
	assert_int_equal(n[VB_INSN_INVVPID], 8);
	assert_int_equal(n[VB_INSN_INVEPT], 4);
	assert_int_equal(n[VB_INSN_VMXON], 2);
	assert_int_equal(n[VB_INSN_MOV], 2);
	/* the order: the variant inside its instruction, unroll fastest */
	assert_int_equal(AX(&p, 2, INSTRUCTION), VB_INSN_VMPTRLD);
	assert_int_equal(AX(&p, 2, TARGET), VB_TARGET_SAME);
	assert_int_equal(AX(&p, 3, UNROLL), 8);
	assert_int_equal(AX(&p, 4, TARGET), VB_TARGET_OTHER);
	assert_int_equal(AX(&p, 6, INSTRUCTION), VB_INSN_VMCLEAR);
	assert_int_equal(AX(&p, 6, TARGET), VB_TARGET_OTHER);
	assert_int_equal(AX(&p, 8, FIELD), VB_FIELD_GUEST_CS_SEL);
	assert_int_equal(AX(&p, 16, FIELD), VB_FIELD_VM_INSN_ERROR);
	assert_int_equal(AX(&p, 18, INSTRUCTION), VB_INSN_VMWRITE);
	assert_int_equal(AX(&p, 24, FIELD), VB_FIELD_GUEST_RIP);
	assert_int_equal(AX(&p, 26, TYPE), VB_TYPE_ADDRESS);
	assert_int_equal(AX(&p, 34, INSTRUCTION), VB_INSN_INVEPT);
	assert_int_equal(AX(&p, 34, TYPE), VB_TYPE_SINGLE);
	assert_int_equal(AX(&p, 36, TYPE), VB_TYPE_GLOBAL);
	assert_int_equal(p.records, 42 * 2 * 10000u);
	vb_plan_free(&p);

	/* values in the order given, each instruction taking its own */
	assert_int_equal(plan_of(h, "[g]\ninstruction = invept, invvpid\n"
				 "type = global, address\n", &p, err,
				 sizeof(err), NULL), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(AX(&p, 0, TYPE), VB_TYPE_GLOBAL);
	assert_int_equal(AX(&p, 1, INSTRUCTION), VB_INSN_INVVPID);
	assert_int_equal(AX(&p, 1, TYPE), VB_TYPE_ADDRESS);
	vb_plan_free(&p);

	/*
	 * A [global] (or command-line) target meets a group's own instruction
	 * list: it applies where it applies, not an error in [vmptrst]
	 */
	assert_int_equal(plan_of(h, "[global]\ntarget = other\n[vmptrst]\n"
				 "instruction = vmptrst\n[f]\ninstruction = "
				 "vmptrld, vmclear\n", &p, err, sizeof(err),
				 NULL), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(AX(&p, 0, TARGET), 0);
	assert_int_equal(AX(&p, 1, TARGET), VB_TARGET_OTHER);
	assert_int_equal(AX(&p, 2, TARGET), VB_TARGET_OTHER);
	vb_plan_free(&p);
	assert_int_equal(plan_of(h, "[vmptrst]\ninstruction = vmptrst\n[f]\n"
				 "instruction = vmread\n", &p, err, sizeof(err),
				 "--field", "guest-rip", NULL), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(AX(&p, 1, FIELD), VB_FIELD_GUEST_RIP);
	vb_plan_free(&p);
	/* with the flags alone they make the group: an error */
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--field",
				 "guest-rip", NULL), -1);
	assert_string_equal(err, "command line: field=guest-rip: no instruction of the group takes a field (vmread and vmwrite do, and in mode guest vmptrst and the VM-exit references; the group's instruction: vmptrst)");
}

/* A point's rounds take all its samples, numbered on without a gap. */
/* Each axis, and samples, is read from its own field of the ABI's point. */
static void test_point_axis(void **state)
{
	static const struct vb_point_desc d = {
		.cpu = 1, .instruction = 2, .unroll = 3, .samples = 4,
		.vmcs = 5, .serialize = 6, .offset = 7, .cache = 8,
		.memtype = 9, .page = 10, .tlb = 11, .ad = 12, .mode = 13,
		.target = 14, .field = 15, .type = 16,
	};
	static const unsigned int want[VB_N_AXES + 1] = {
		[VB_KEY_CPU] = 1, [VB_KEY_INSTRUCTION] = 2,
		[VB_KEY_UNROLL] = 3, [VB_KEY_SAMPLES] = 4, [VB_KEY_VMCS] = 5,
		[VB_KEY_SERIALIZE] = 6, [VB_KEY_OFFSET] = 7,
		[VB_KEY_CACHE] = 8, [VB_KEY_MEMTYPE] = 9, [VB_KEY_PAGE] = 10,
		[VB_KEY_TLB] = 11, [VB_KEY_AD] = 12, [VB_KEY_MODE] = 13,
		[VB_KEY_TARGET] = 14, [VB_KEY_FIELD] = 15, [VB_KEY_TYPE] = 16,
	};
	int k;

	(void)state;
	for (k = 0; k <= VB_KEY_SAMPLES; k++)
		assert_int_equal(vb_point_axis(&d, k), want[k]);
}

static void test_round_samples(void **state)
{
	static const unsigned int samples[] = { 1, 7, 10, 1000, 2001 };
	static const unsigned int rounds[] = { 1, 2, 3, 7, 10 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		for (j = 0; j < sizeof(rounds) / sizeof(rounds[0]); j++) {
			struct vb_point pt = { .desc.samples = samples[i] };
			unsigned int r, next = 0, first, n, lo = ~0u, hi = 0;

			if (rounds[j] > samples[i])
				continue;
			for (r = 0; r < rounds[j]; r++) {
				n = vb_round_samples(&pt, rounds[j], r, &first);
				if (first != next)
					fail_msg("samples %u rounds %u: round %u starts at %u, not %u",
						 samples[i], rounds[j], r, first, next);
				next += n;
				lo = n < lo ? n : lo;
				hi = n > hi ? n : hi;
			}
			assert_int_equal(next, samples[i]);
			assert_true(hi - lo <= 1 && lo >= 1);
		}
}

static void test_combination_rules_flags(void **state)
{
	struct harness *h = *state;
	char err[1024], *path;
	struct vb_plan p;

	/* only the command line: its own location */
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--cache",
				 "flushed", "--unroll", "2", NULL), -1);
	assert_string_equal(err, "command line: cache=flushed with unroll=2: a "
			    "per-sample setup (cache flushed or flushopt, tlb "
			    "cold, ad clear) needs unroll 1, or it would hold "
			    "for the first copy only: give these points their "
			    "own group with unroll = 1");
	/* a flag against [global]: the flag is the more specific */
	assert_int_equal(plan_of(h, "[global]\ntlb = cold\n", &p, err,
				 sizeof(err), "--unroll", "8", NULL), -1);
	assert_string_equal(err, "command line: [global] tlb=cold with unroll=8: "
			    "a per-sample setup (cache flushed or flushopt, tlb "
			    "cold, ad clear) needs unroll 1, or it would hold "
			    "for the first copy only: give these points their "
			    "own group with unroll = 1");
	/* a flag against a group's key: the group's line */
	path = harness_file(h, "t.ini", "");
	assert_int_equal(plan_of(h, "[g]\n\nad = clear\n", &p, err, sizeof(err),
				 "--page", "1g", NULL), -1);
	assert_true(!strncmp(err, path, strlen(path)));
	assert_string_equal(err + strlen(path), ":3: [g] ad=clear with page=1g: "
			    "ad=clear works on 4k pages only: give it its own "
			    "group with page = 4k");
	free(path);
	/* mode: a flag against a group's instruction: the group's line */
	path = harness_file(h, "t.ini", "");
	assert_int_equal(plan_of(h, "[g]\ninstruction = chase\n", &p, err,
				 sizeof(err), "--mode", "guest", NULL), -1);
	assert_true(!strncmp(err, path, strlen(path)));
	assert_string_equal(err + strlen(path), ":2: [g] instruction=chase "
			    "with mode=guest: add, imul and chase run in mode "
			    "root; the module refuses the combination: give "
			    "these points a group of their own");
	free(path);
	/* ... and the flag against [global]'s: the flag */
	assert_int_equal(plan_of(h, "[global]\ninstruction = cpuid\n", &p,
				 err, sizeof(err), "--mode", "root", NULL), -1);
	assert_string_equal(err, "command line: [global] instruction=cpuid with "
			    "mode=root: cpuid, vmcall, rdmsr, io, xsetbv, invd "
			    "and cr3-load need mode guest; the module refuses "
			    "the combination: give these points a group of "
			    "their own");
	/* what mode guest takes: 5 instructions x 2 brackets, mode slowest */
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--mode",
				 "root,guest", "--instruction",
				 "vmptrst,mov,none", "--serialize",
				 "lfence,mfence", NULL), 0);
	assert_int_equal(p.n, 12);
	assert_int_equal(AX(&p, 0, MODE), VB_MODE_ROOT);
	assert_int_equal(AX(&p, 5, MODE), VB_MODE_ROOT);
	assert_int_equal(AX(&p, 6, MODE), VB_MODE_GUEST);
	assert_int_equal(AX(&p, 6, INSTRUCTION), VB_INSN_VMPTRST);
	vb_plan_free(&p);
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--mode",
				 "guest", "--instruction",
				 "vmptrst,cpuid,vmcall,mov,none", NULL), 0);
	assert_int_equal(p.n, 5);
	vb_plan_free(&p);
	/* the other VM-exit references: mode guest, in the enum's order */
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--mode",
				 "guest", "--instruction",
				 "rdmsr,io,xsetbv,invd,cr3-load", NULL), 0);
	assert_int_equal(p.n, 5);
	assert_int_equal(AX(&p, 0, INSTRUCTION), VB_INSN_RDMSR);
	assert_int_equal(AX(&p, 4, INSTRUCTION), VB_INSN_CR3_LOAD);
	vb_plan_free(&p);
	assert_int_equal(plan_of(h, "[global]\ninstruction = invd\n", &p,
				 err, sizeof(err), "--mode", "root", NULL), -1);
	assert_string_equal(err, "command line: [global] instruction=invd with "
			    "mode=root: cpuid, vmcall, rdmsr, io, xsetbv, invd "
			    "and cr3-load need mode guest; the module refuses "
			    "the combination: give these points a group of "
			    "their own");
	/* a valid product of per-sample setups */
	assert_int_equal(plan_of(h, NULL, &p, err, sizeof(err), "--cache",
				 "hot,flushed,flushopt", "--tlb", "warm,cold",
				 "--ad", "set,clear", NULL), 0);
	assert_int_equal(p.n, 12);
	vb_plan_free(&p);
}

static void test_plan_command(void **state)
{
	struct harness *h = *state;
	char *path = harness_file(h, "p.ini", "[global]\nsamples = 3\n[x]\n"
				  "instruction = none, mov\n[y]\noffset = "
				  "page-split\npage = 2m\n");
	char want[512];

	h->fake.open_err = ENOENT;	/* the device is never needed */
	assert_int_equal(harness_main(h, "plan", "-c", path, "--cpu", "2", NULL),
			 VB_EXIT_OK);
	assert_int_equal(h->fake.opens, 0);
	assert_int_equal(h->err_len, 0);
	assert_int_equal(count_lines(h->out_buf), 4);
	assert_non_null(strstr(h->out_buf,
		"point 0 [x]: instruction=none mode=root cpu=2 offset=0 cache=hot "
		"memtype=wb page=4k tlb=warm ad=set vmcs=loaded serialize=lfence "
		"unroll=1 samples=3 records=3\n"
		"point 1 [x]: instruction=mov mode=root cpu=2 offset=0 cache=hot memtype=wb "
		"page=4k tlb=warm ad=set vmcs=loaded serialize=lfence unroll=1 "
		"samples=3 records=6\n"
		"point 2 [y]: instruction=vmptrst mode=root cpu=2 offset=2097148 cache=hot "
		"memtype=wb page=2m tlb=warm ad=set vmcs=loaded serialize=lfence "
		"unroll=1 samples=3 records=6\n"));
	snprintf(want, sizeof(want), "plan: 3 points in 2 groups, 9 samples, "
		 "15 records (samples.csv about 0.0 MB) from %s\n", path);
	assert_non_null(strstr(h->out_buf, want));

	/* a bad one: exit 2, one line, nothing on stdout */
	assert_int_equal(harness_main(h, "plan", "--ad", "clear", "--page", "2m",
				      NULL), VB_EXIT_USAGE);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_int_equal(h->out_len, 0);
	assert_non_null(strstr(h->err_buf, "command line: ad=clear with page=2m"));
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_product_order, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_inheritance_and_flags, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_offset_names, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_combination_rules, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_combination_rules_flags, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_family_variants, harness_setup, harness_teardown),
		cmocka_unit_test(test_point_axis),
		cmocka_unit_test(test_round_samples),
		cmocka_unit_test_setup_teardown(test_plan_command, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
