// SPDX-License-Identifier: GPL-2.0
/* The records a RUN returns: see records.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "exits.h"
#include "records.h"

static const char *const columns[] = {
	"point", "instruction", "target", "field", "type", "mode", "cpu",
	"offset", "cache", "memtype", "page", "tlb", "ad", "vmcs", "serialize",
	"unroll", "pass", "sample", "tsc", "exit_ticks", "entry_ticks", "check", "flag_nmi", "flag_smi",
};

const char *vb_insn_name(unsigned int insn)
{
	return insn < VB_INSN_COUNT && vb_insn_names[insn] ? vb_insn_names[insn]
						  : "unknown";
}

const char *vb_insn_label(const struct vb_point_desc *p, char *buf,
			  size_t len)
{
	int k = vb_variant_key(p->instruction);
	unsigned int v;

	if (k < 0 && p->field)	/* mode guest: the VMWRITE before VMRESUME */
		k = VB_KEY_FIELD;
	v = k == VB_KEY_TARGET ? p->target : k == VB_KEY_FIELD ? p->field :
	    k == VB_KEY_TYPE ? p->type : 0;
	if (v)
		snprintf(buf, len, "%s %s=%s", vb_insn_name(p->instruction),
			 vb_keys[k].name, vb_enum_name(k, v));
	else
		snprintf(buf, len, "%s", vb_insn_name(p->instruction));
	return buf;
}

const char *vb_page_name(uint32_t kib, char *buf, size_t len)
{
	unsigned int page;

	for (page = 0; page < VB_PAGE_COUNT; page++)
		if (kib == vb_page_kib(page))
			break;
	if (kib == 0)
		snprintf(buf, len, "unknown");
	else if (page < VB_PAGE_COUNT)
		snprintf(buf, len, "%s", vb_enum_name(VB_KEY_PAGE, page));
	else
		snprintf(buf, len, "%" PRIu32 "k", kib);
	return buf;
}

uint64_t vb_family_expected(const struct vb_run *run)
{
	const struct vb_point_desc *p = &run->point;

	switch (p->instruction) {
	case VB_INSN_INVVPID:
	case VB_INSN_INVEPT:
		return 0;		/* nothing to read back */
	case VB_INSN_VMXON:
		return ~0ULL;		/* VMXON leaves no VMCS current */
	case VB_INSN_VMCLEAR:
		if (p->target == VB_TARGET_CURRENT)
			return ~0ULL;	/* it cleared the current one */
		/* fall through */
	default:
		return run->expected;
	}
}

int vb_record_ok(const struct vb_run *run, const struct vb_sample *rec)
{
	if (rec->instruction >= VB_INSN_COUNT)
		return 0;
	if (rec->flags & VB_SAMPLE_VMFAIL)
		return 0;
	if (vb_insn_stores(rec->instruction))
		return rec->stored == run->expected;
	if (vb_insn_is_family(rec->instruction))
		return rec->stored == vb_family_expected(run);
	switch (rec->instruction) {
	/* the reference chains: the accumulator after the block */
	case VB_INSN_ADD:
		return rec->stored == 1 + (uint64_t)run->point.unroll;
	case VB_INSN_IMUL:
		return rec->stored == 1;
	case VB_INSN_CHASE:	/* the operand's own address */
		return rec->stored &&
		       (rec->stored & 0xfff) == (run->point.offset & 0xfff);
	default:	/* none, the VM-exit references: the poison kept */
		return rec->stored == run->poison;
	}
}

int vb_record_passes(const struct vb_run *run, const struct vb_sample *rec,
		     uint32_t i)
{
	return vb_record_ok(run, &rec[i]) &&
	       !vb_exit_invalid(run, &rec[i], vb_exit_of(run, i));
}

/* Record i's exit/entry split, counted (exits.h: vb_exit_split_of()). */
static void split_check(const struct vb_run *run, const struct vb_sample *rec,
			uint32_t i, struct vb_check *c)
{
	uint64_t x, n;
	enum vb_split s = vb_exit_split_of(run, &rec[i], i, &x, &n);

	if (s == VB_SPLIT_MALFORMED) {
		c->bad_records++;	/* SPLIT_BAD: of a guest exit only */
		return;
	}
	if (s == VB_SPLIT_NONE)
		return;
	c->split_records++;
	if (s == VB_SPLIT_OK)
		return;
	if (s == VB_SPLIT_DISAGREE)
		c->flag_disagree++;
	if (!c->split_bad++)
		c->first_split_bad = i;
}

void vb_records_check(const struct vb_run *run, uint32_t buf_len,
		      const struct vb_sample *rec, struct vb_check *c)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->first_exit = UINT32_MAX;
	c->first_vmfail = UINT32_MAX;
	c->first_split_bad = UINT32_MAX;
	c->needed = VB_RECORDS_NEEDED(run->point.instruction,
				      run->point.samples);
	c->records = run->records;
	if (c->records > buf_len) {
		c->overflow = 1;
		c->records = buf_len;
	}
	c->module_mismatches = run->mismatches;
	c->short_run = c->records < c->needed &&
		       !(run->result_flags & VB_RUN_PARTIAL);
	for (i = 0; i < c->records; i++) {
		const struct vb_sample *r = &rec[i];
		int stored = vb_record_ok(run, r);
		int vmfail = !!(r->flags & VB_SAMPLE_VMFAIL);
		int exits = !vb_exit_invalid(run, r, vb_exit_of(run, i));

		if ((r->instruction != VB_INSN_NONE &&
		     r->instruction != run->point.instruction) ||
		    r->sample >= run->point.samples ||
		    ((r->flags & VB_SAMPLE_VMFAIL) &&
		     (!vb_insn_is_vmx(r->instruction) ||
		      run->point.mode != VB_MODE_ROOT)))
			c->bad_records++;	/* VMfail: of a VMX block only */
		if ((r->flags & VB_SAMPLE_VMFAIL) && !c->vmfails++)
			c->first_vmfail = i;
		c->stored_mismatches += !stored && !vmfail;
		if (!exits && !c->exit_mismatches++)
			c->first_exit = i;
		if (!stored || !exits)
			c->mismatches++;
		if (!(stored && exits) != !!(r->flags & VB_SAMPLE_MISMATCH))
			c->flag_disagree++;
		if (r->tsc_end < r->tsc_begin)
			c->tsc_backwards++;
		split_check(run, rec, i, c);
	}
	c->inconsistent = c->overflow || c->short_run || c->bad_records ||
			  c->flag_disagree ||
			  c->mismatches != c->module_mismatches;
}

int vb_records_header(FILE *f, const char (*evcol)[VB_EVENT_NAME_MAX],
		      unsigned int ncols)
{
	size_t i, n = sizeof(columns) / sizeof(columns[0]);

	for (i = 0; i < n; i++)
		if (vb_csv_field(f, columns[i], i == 0))
			return -1;
	for (i = 0; i < ncols; i++)
		if (vb_csv_field(f, evcol[i], 0))
			return -1;
	return vb_csv_end_row(f);
}

int vb_record_pmc_valid(const struct vb_run *run, unsigned int i,
			const struct vb_sample *rec)
{
	return i < run->nevents && i < VB_MAX_EVENTS && !run->event_err[i] &&
	       run->event_kind[i] != VB_EVENT_NONE &&
	       !(rec->flags & VB_SAMPLE_PMC_INVALID);
}

/* ",v" or "," for each event column of the file. */
static int event_fields(FILE *f, const struct vb_run *run,
			const struct vb_sample *rec, uint32_t r,
			const struct vb_row_events *ev)
{
	unsigned int c, i;

	for (c = 0; c < ev->ncols; c++) {
		for (i = 0; i < run->nevents && i < VB_MAX_EVENTS; i++)
			if (ev->col[i] == c)
				break;
		if (i < run->nevents && i < VB_MAX_EVENTS &&
		    vb_record_pmc_valid(run, i, rec)) {
			if (fprintf(f, ",%" PRIu64,
				    ev->pmc[(size_t)r * run->nevents + i]) < 0)
				return -1;
		} else if (putc(',', f) == EOF) {
			return -1;
		}
	}
	return 0;
}

/* "exit,entry" of record i's split, or "," without one (never a made-up 0). */
static void split_fields(const struct vb_run *run, const struct vb_sample *rec,
			 uint32_t i, char *buf, size_t len)
{
	uint64_t x, n;

	if (vb_exit_split_of(run, &rec[i], i, &x, &n) == VB_SPLIT_OK)
		snprintf(buf, len, "%" PRIu64 ",%" PRIu64, x, n);
	else
		snprintf(buf, len, ",");
}

int vb_records_write(FILE *f, unsigned int point, const struct vb_run *run,
		     const struct vb_sample *rec, uint32_t n,
		     uint32_t sample_base, const struct vb_row_events *ev)
{
	const struct vb_point_desc *p = &run->point;
	char page[24], tsc[24], split[48], prefix[256];
	uint32_t i;

	/* the point's columns after `instruction`, up to `unroll` */
	vb_page_name(run->page_kib, page, sizeof(page));
	snprintf(prefix, sizeof(prefix), "%s,%s,%s,%s,%" PRIu32 ",%" PRIu32 ",%s,%s,%s,%s,%s,%s,%s,%" PRIu32,
		 vb_enum_name(VB_KEY_TARGET, p->target),
		 vb_enum_name(VB_KEY_FIELD, p->field),
		 vb_enum_name(VB_KEY_TYPE, p->type),
		 vb_enum_name(VB_KEY_MODE, p->mode), p->cpu, p->offset,
		 vb_enum_name(VB_KEY_CACHE, p->cache),
		 vb_enum_name(VB_KEY_MEMTYPE, p->memtype), page,
		 vb_enum_name(VB_KEY_TLB, p->tlb),
		 vb_enum_name(VB_KEY_AD, p->ad),
		 vb_enum_name(VB_KEY_VMCS, p->vmcs),
		 vb_enum_name(VB_KEY_SERIALIZE, p->serialize), p->unroll);
	for (i = 0; i < n; i++) {
		const struct vb_sample *r = &rec[i];

		if (r->tsc_end >= r->tsc_begin)
			snprintf(tsc, sizeof(tsc), "%" PRIu64,
				 (uint64_t)(r->tsc_end - r->tsc_begin));
		else
			tsc[0] = '\0';	/* not measurable: never a made-up 0 */
		split_fields(run, rec, i, split, sizeof(split));
		if (fprintf(f, "%u,%s,%s,%u,%" PRIu32 ",%s,%s,%s,%d,%d", point,
			    vb_insn_name(r->instruction), prefix,
			    ev ? ev->pass : 0, sample_base + r->sample, tsc,
			    split,
			    vb_record_passes(run, rec, i) ? "ok" : "mismatch",
			    !!(r->flags & VB_SAMPLE_NMI),
			    !!(r->flags & VB_SAMPLE_SMI)) < 0 ||
		    (ev && event_fields(f, run, r, i, ev)) ||
		    fputs(VB_CSV_EOL, f) == EOF)
			return -1;
	}
	return 0;
}
