// SPDX-License-Identifier: GPL-2.0
/*
 * The conformance table's observations: see vb_conform_probe() in
 * conform.h.  The module's CONFORM gives the CPL 0 rows (vector, CR2,
 * RFLAGS, the destination's bytes; a fault's error code it cannot see);
 * ring3.c's executions the CPL 3 rows, their error code from the signal
 * frame; one small mode=guest RUN the VMX non-root row, its exit record
 * checked by vb_exit_rec_invalid().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "conform.h"
#include "diag.h"
#include "exits.h"
#include "points.h"

#define NO_HOLD "needs VMX held on while user space runs: the module users load never leaves VMX on outside its IRQ-off windows (the tests' build's HOLD does)"
#define GUEST_SAMPLES	4u	/* the VMX non-root row's RUN */

static const char *skip_words(uint32_t skip, char *buf, size_t len)
{
	switch (skip) {
	case VB_CONF_SKIP_NONE:
		return "the module did not execute it and gave no reason";
	case VB_CONF_SKIP_NO_VMX:
		return "the CPU has no usable VMX (the kernel log says why)";
	case VB_CONF_SKIP_VMX_OWNED:
		return "another hypervisor has VMX on on this CPU: the module does not enter VMX under it";
	case VB_CONF_SKIP_NO_COVER:
		return "the kernel's crash-time VMXOFF callback cannot cover the module (kvm is loaded): unload kvm_intel and kvm";
	case VB_CONF_SKIP_VMX_FAILED:
		return "VMXON, VMCLEAR or VMPTRLD failed (the kernel log says which)";
	case VB_CONF_SKIP_NO_WP:
		return "CR0.WP is clear: a read-only page does not fault at CPL 0";
	case VB_CONF_SKIP_NO_PTE:
		return "the module's buffer is not mapped by 4 KiB PTEs, which the #PF branches change";
	}
	snprintf(buf, len, "the module did not execute it (skip reason %u)",
		 (unsigned int)skip);
	return buf;
}

static void module_row(struct vb_cobs *o, enum vb_cbranch b,
		       const struct vb_conf_row *row)
{
	if (!(row->flags & VB_CONF_RAN)) {
		char buf[64];

		vb_cobs_unreachable(o, "%s", skip_words(row->skip, buf,
							sizeof(buf)));
		return;
	}
	memset(o, 0, sizeof(*o));
	o->ran = 1;
	o->vector = row->vector < 0 ? VB_VEC_NONE : row->vector;
	o->mem = b != VB_CB_REGISTER;
	o->reg = !o->mem;
	o->address = row->address;
	o->before = row->before;
	o->after = row->after;
	o->expected = row->expected;
	o->has_cr2 = o->vector == 14;
	o->cr2 = row->cr2;
	o->has_flags = o->vector == VB_VEC_NONE;
	o->rflags = row->rflags;
	o->rdseed = (row->flags & VB_CONF_RDSEED) != 0;
	o->code_hidden = vb_vector_has_error_code(o->vector);
}

/* The CPL 0 rows: the module's CONFORM on s->cpu. */
static void module_rows(const struct vb_conf_src *s, struct vb_conformance *c)
{
	struct vb_conform cf;
	char why[512] = "";
	int b, ret = -ENODEV;

	if (s->dev) {
		ret = vb_dev_conform(s->dev, s->cpu, &cf);
		if (ret)
			vb_dev_explain(s->dev, VB_OP_CONFORM, -ret, s->cpu,
				       why, sizeof(why));
	}
	for (b = 0; b < VB_CB_COUNT; b++) {
		int m = vb_cbranches[b].module;

		if (m < 0)
			continue;
		if (!s->dev)
			vb_cobs_unreachable(&c->obs[b], "%s", s->nodev);
		else if (ret)
			vb_cobs_unreachable(&c->obs[b], "%s", why);
		else if ((uint32_t)m >= cf.rows || cf.row[m].branch != (uint32_t)m)
			vb_cobs_unreachable(&c->obs[b], "the module's CONFORM answered no row for it (%u rows)",
					    (unsigned int)cf.rows);
		else
			module_row(&c->obs[b], b, &cf.row[m]);
	}
}

/* The record whose exits speak for the row: the last VMPTRST that exited,
   else the last VMPTRST; -1 if none. */
static int64_t guest_record(const struct vb_run *run,
			    const struct vb_sample *rec, uint32_t n)
{
	int64_t last = vb_exit_last(run, rec, n);
	uint32_t i;

	for (i = n; last < 0 && i-- > 0; )
		if (rec[i].instruction == VB_INSN_VMPTRST)
			last = i;
	return last;
}

/* VMX non-root: a mode=guest RUN of VMPTRST, its exit record. */
static void non_root_row(const struct vb_conf_src *s, struct vb_cobs *o)
{
	struct vb_sample rec[2 * GUEST_SAMPLES];
	struct vb_exit_rec ex[2 * GUEST_SAMPLES];
	const struct vb_exit_rec *e;
	struct vb_run run;
	char why[512];
	int64_t last;
	int ret;

	if (!s->dev) {
		vb_cobs_unreachable(o, "%s", s->nodev);
		return;
	}
	memset(&run, 0, sizeof(run));
	memset(rec, 0, sizeof(rec));
	memset(ex, 0, sizeof(ex));
	run.point.cpu = s->cpu;
	run.point.instruction = VB_INSN_VMPTRST;
	run.point.unroll = 1;
	run.point.samples = GUEST_SAMPLES;
	run.point.vmcs = VB_VMCS_LOADED;
	run.point.serialize = VB_SER_LFENCE;
	run.point.mode = VB_MODE_GUEST;
	run.buf = (uint64_t)(uintptr_t)rec;
	run.buf_len = 2 * GUEST_SAMPLES;
	run.exit_buf = (uint64_t)(uintptr_t)ex;
	ret = vb_dev_run(s->dev, &run);
	if (ret) {
		vb_dev_explain(s->dev, VB_OP_RUN, -ret, s->cpu, why, sizeof(why));
		vb_cobs_unreachable(o, "the guest RUN failed: %s", why);
		return;
	}
	if (run.result_flags & VB_RUN_SKIPPED) {
		vb_cobs_unreachable(o, "%s", vb_skip_reason(&run, why, sizeof(why)));
		return;
	}
	last = guest_record(&run, rec, run.records < run.buf_len ?
			    run.records : run.buf_len);
	if (last < 0) {
		vb_cobs_unreachable(o, "the guest RUN returned no VMPTRST record (%u records)",
				    (unsigned int)run.records);
		return;
	}
	e = &ex[last];
	memset(o, 0, sizeof(*o));
	o->ran = 1;
	o->exits = e->exits;
	o->exit_reason = e->reason;
	o->vector = e->exits ? VB_VEC_EXIT : VB_VEC_NONE;
	o->exit_wrong = vb_exit_rec_invalid(VB_INSN_VMPTRST, 1, e);
	if (e->exits)
		snprintf(o->error_code, sizeof(o->error_code), "reason %u qualification 0x%llx info 0x%x length %u",
			 (unsigned int)e->reason,
			 (unsigned long long)e->qualification,
			 (unsigned int)e->insn_info, (unsigned int)e->insn_len);
	else
		snprintf(o->note, sizeof(o->note), "the guest's VMPTRST record shows no VM exit");
}

/* A CPL 3 row from one execution. */
static void ring3_row(struct vb_cobs *o, const struct vb_ring3_obs *r)
{
	if (!r->reached) {
		vb_cobs_unreachable(o, "%s", r->why);
		return;
	}
	memset(o, 0, sizeof(*o));
	o->ran = 1;
	o->vector = r->f.sig ? vb_ring3_vector(&r->f) : VB_VEC_NONE;
	o->mem = 1;
	o->before = r->before;
	o->after = r->after;
	if (r->f.sig && vb_vector_has_error_code(o->vector))
		snprintf(o->error_code, sizeof(o->error_code),
			 r->f.err ? "0x%llx" : "%llu",
			 (unsigned long long)r->f.err);
	o->has_cr2 = o->vector == 14;
	o->cr2 = r->f.addr;
	o->has_flags = !r->f.sig;
	o->rflags = r->rflags;
}

static void both_unreachable(struct vb_conformance *c, const char *why)
{
	vb_cobs_unreachable(&c->obs[VB_CB_CPL3_VMX_64], "%s", why);
	vb_cobs_unreachable(&c->obs[VB_CB_CPL3_VMX_COMPAT], "%s", why);
}

/* Both VMX rows at CPL 3, with a note. */
static void vmx_rows(struct vb_conformance *c, const struct vb_ring3_obs *r64,
		     const struct vb_ring3_obs *r32, const char *note)
{
	ring3_row(&c->obs[VB_CB_CPL3_VMX_64], r64);
	ring3_row(&c->obs[VB_CB_CPL3_VMX_COMPAT], r32);
	if (c->obs[VB_CB_CPL3_VMX_64].ran)
		snprintf(c->obs[VB_CB_CPL3_VMX_64].note,
			 sizeof(c->obs[0].note), "%s", note);
	if (c->obs[VB_CB_CPL3_VMX_COMPAT].ran)
		snprintf(c->obs[VB_CB_CPL3_VMX_COMPAT].note,
			 sizeof(c->obs[0].note), "%s", note);
}

/*
 * VMX on while user space runs: the tests' build's HOLD.  Only the CPU's
 * own signals get through while it is held; SIGINT, SIGTERM and the rest
 * are delivered after the release.
 */
static void held_rows(const struct vb_conf_src *s, struct vb_conformance *c)
{
	struct vb_ring3_obs r64, r32;
	sigset_t all, old;
	char why[512], note[640];
	int on, off = 0;

	if (!s->dev) {
		both_unreachable(c, s->user ? "the user backend: no module to hold VMX on while user space runs" : s->nodev);
		return;
	}
	sigfillset(&all);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGTRAP);
	sigprocmask(SIG_BLOCK, &all, &old);
	on = vb_dev_hold(s->dev, s->cpu, VB_HOLD_ON);
	if (!on) {
		vb_ring3_vmptrst(&r64);
		vb_ring3_vmptrst_compat(&r32);
		off = vb_dev_hold(s->dev, s->cpu, VB_HOLD_OFF);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (on == -ENOTTY || on == -EOPNOTSUPP) {
		both_unreachable(c, NO_HOLD);
		return;
	}
	if (on) {
		vb_dev_explain(s->dev, VB_OP_HOLD, -on, s->cpu, why, sizeof(why));
		snprintf(note, sizeof(note), "HOLD failed: %s", why);
		both_unreachable(c, note);
		return;
	}
	snprintf(note, sizeof(note), "VMX held on CPU %u by the tests' build's HOLD", s->cpu);
	if (off) {
		vb_dev_explain(s->dev, VB_OP_HOLD, -off, s->cpu, why, sizeof(why));
		snprintf(note, sizeof(note), "VMX held on CPU %u by the tests' build's HOLD, whose release failed (%s): unload the module to turn VMX off", s->cpu, why);
		vb_err(s->env, "warning: CPU %u: releasing the conformance probe's HOLD failed (%s): unload the module to turn VMX off", s->cpu, why);
	}
	vmx_rows(c, &r64, &r32, note);
}

/* The CPL 3 rows: 64-bit mode at once, the VMX branches where VMX is on. */
static void ring3_rows(const struct vb_conf_src *s, struct vb_conformance *c)
{
	struct vb_cobs *out = &c->obs[VB_CB_OUTSIDE_CPL3];
	struct vb_ring3_obs r64, r32;

	vb_ring3_vmptrst(&r64);
	if (s->info && (s->info->flags & VB_INFO_VMX_IN_USE)) {
		char note[256];

		vb_ring3_vmptrst_compat(&r32);
		snprintf(note, sizeof(note), "VMX on on CPU %u by another hypervisor (INFO: vmx in use)", s->cpu);
		vmx_rows(c, &r64, &r32, note);
		vb_cobs_unreachable(out, "CPU %u is in VMX operation: another hypervisor has VMX on there (INFO: vmx in use), so VMPTRST at CPL 3 takes the page's VMX branches (cpl3-vmx-64bit)", s->cpu);
		return;
	}
	ring3_row(out, &r64);
	if (s->user && out->ran && out->vector == 13)
		snprintf(out->note, sizeof(out->note), "#GP at CPL 3 is the page's branch for a CPU in VMX operation: does a hypervisor hold VMX on this CPU? The user backend has no INFO to tell");
	held_rows(s, c);
}

void vb_conform_probe(const struct vb_conf_src *s, struct vb_conformance *c)
{
	memset(c, 0, sizeof(*c));
	c->cpu = s->cpu;
	module_rows(s, c);
	non_root_row(s, &c->obs[VB_CB_NON_ROOT]);
	ring3_rows(s, c);
	vb_conform_judge(c);
}
