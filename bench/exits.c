// SPDX-License-Identifier: GPL-2.0
/* The VM exits of a mode=guest RUN: see exits.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exits.h"
#include "keys.h"

const struct vb_exit_rec *vb_exit_of(const struct vb_run *run, uint32_t i)
{
	if (!run->exit_buf)
		return NULL;
	return &((const struct vb_exit_rec *)(uintptr_t)run->exit_buf)[i];
}

/* VM exits a record of instruction insn must have caused. */
static uint32_t exits_wanted(const struct vb_run *run, uint32_t insn)
{
	return vb_insn_exits(insn) ? run->point.unroll : 0;
}

const char *vb_exit_invalid(const struct vb_run *run,
			    const struct vb_sample *rec,
			    const struct vb_exit_rec *e)
{
	if (run->point.mode != VB_MODE_GUEST)
		return NULL;
	if (!e)
		return "exits";
	return vb_exit_rec_invalid(rec->instruction, run->point.unroll, e);
}

/* What the qualification @insn's exits must carry stands for. */
static const char *qual_meaning(uint32_t insn)
{
	switch (insn) {
	case VB_INSN_VMPTRST:
		return "the operand's displacement";
	case VB_INSN_IO:
		return "OUT, 1 byte, immediate port 0x80";
	case VB_INSN_CR3_LOAD:
		return "MOV to CR3 from RCX";
	default:
		return "cleared: the instruction has none";
	}
}

const char *vb_exit_describe(const struct vb_run *run,
			     const struct vb_sample *rec,
			     const struct vb_exit_rec *e, char *buf,
			     size_t len)
{
	const char *field = vb_exit_invalid(run, rec, e);
	const char *insn = vb_enum_name(VB_KEY_INSTRUCTION, rec->instruction);
	uint32_t reason, ilen, info;

	vb_guest_exit_want(rec->instruction, &reason, &ilen);
	if (!field) {
		snprintf(buf, len, "its VM exits are as expected");
	} else if (!e) {
		snprintf(buf, len, "exits: no exit record (vb_run.exit_buf unset)");
	} else if (!strcmp(field, "exits")) {
		snprintf(buf, len, "exits %" PRIu32 ", expected %" PRIu32 " (%s, unroll %" PRIu32 ")",
			 e->exits, exits_wanted(run, rec->instruction), insn,
			 run->point.unroll);
	} else if (!strcmp(field, "reason")) {
		snprintf(buf, len, "reason 0x%" PRIx32 " (basic %" PRIu32 "), expected %" PRIu32 " for %s",
			 e->reason, e->reason & 0xffff, reason, insn);
	} else if (!strcmp(field, "qualification")) {
		snprintf(buf, len, "qualification 0x%" PRIx64 ", expected 0x%" PRIx64 " (%s)",
			 (uint64_t)e->qualification,
			 (uint64_t)vb_guest_exit_qual(rec->instruction),
			 qual_meaning(rec->instruction));
	} else if (!strcmp(field, "instruction information")) {
		info = e->insn_info;
		snprintf(buf, len, "instruction information 0x%" PRIx32 " (address size %" PRIu32 ", segment %" PRIu32 ", base %" PRIu32 "%s%s), expected address size %d (64-bit), segment %d (DS), base %d (RBX), no index",
			 info, VB_II_ADDR_SIZE(info), VB_II_SEG(info),
			 VB_II_BASE(info), info & VB_II_NO_BASE ? " invalid" : "",
			 info & VB_II_NO_INDEX ? ", no index" : ", an index",
			 VB_II_ADDR64, VB_II_DS, VB_II_RBX);
	} else if (!strcmp(field, "length")) {
		snprintf(buf, len, "length %" PRIu32 ", expected %" PRIu32 " (the encoding of %s)",
			 e->insn_len, ilen, insn);
	} else {
		snprintf(buf, len, "%s", field);
	}
	return buf;
}

int64_t vb_exit_last(const struct vb_run *run, const struct vb_sample *rec,
		     uint32_t n)
{
	uint32_t i;

	for (i = n; i-- > 0; ) {
		const struct vb_exit_rec *e = vb_exit_of(run, i);

		if (e && e->exits && vb_insn_exits(rec[i].instruction))
			return i;
	}
	return -1;
}

enum vb_split vb_exit_split_of(const struct vb_run *run,
			       const struct vb_sample *rec, uint32_t i,
			       uint64_t *exit_half, uint64_t *entry_half)
{
	const struct vb_exit_rec *e = vb_exit_of(run, i);
	int flagged = !!(rec->flags & VB_SAMPLE_SPLIT_BAD);
	__u64 x, n;
	int ok;

	if (run->point.mode != VB_MODE_GUEST)
		return flagged ? VB_SPLIT_MALFORMED : VB_SPLIT_NONE;
	/* without an exit there is nothing to split, flagged or not */
	if (!vb_insn_exits(rec->instruction) || !e || !e->exits)
		return VB_SPLIT_NONE;
	ok = vb_exit_split(rec, e, &x, &n);
	if (ok == flagged)
		return VB_SPLIT_DISAGREE;
	if (!ok)
		return VB_SPLIT_BAD;
	*exit_half = x;
	*entry_half = n;
	return VB_SPLIT_OK;
}

int vb_exit_fields(FILE *f, const struct vb_exit_rec *e)
{
	if (!e)
		return fputs(",,,,", f) == EOF ? -1 : 0;
	return fprintf(f, ",0x%" PRIx32 ",0x%" PRIx64 ",0x%" PRIx32 ",0x%" PRIx32,
		       e->reason, (uint64_t)e->qualification, e->insn_info,
		       e->insn_len) < 0 ? -1 : 0;
}
