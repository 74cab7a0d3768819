// SPDX-License-Identifier: GPL-2.0
/* The records a RUN returns: see records.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "records.h"

static const char *const columns[] = {
	"point", "instruction", "cpu", "offset", "cache", "memtype", "page",
	"tlb", "ad", "vmcs", "serialize", "unroll", "sample", "tsc", "check",
};

const char *vb_insn_name(unsigned int insn)
{
	return insn < VB_INSN_COUNT ? vb_insn_names[insn] : "unknown";
}

const char *vb_page_name(uint32_t kib, char *buf, size_t len)
{
	if (kib == 0)
		snprintf(buf, len, "unknown");
	else if (kib == 4)
		snprintf(buf, len, "4k");
	else if (kib == 2048)
		snprintf(buf, len, "2m");
	else if (kib == 1024 * 1024)
		snprintf(buf, len, "1g");
	else
		snprintf(buf, len, "%" PRIu32 "k", kib);
	return buf;
}

int vb_record_ok(const struct vb_run *run, const struct vb_sample *rec)
{
	switch (rec->instruction) {
	case VB_INSN_VMPTRST:
	case VB_INSN_MOV:
		return rec->stored == run->expected;
	case VB_INSN_NONE:
		return rec->stored == run->poison;
	default:
		return 0;
	}
}

void vb_records_check(const struct vb_run *run, uint32_t buf_len,
		      const struct vb_sample *rec, struct vb_check *c)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->needed = VB_RECORDS_NEEDED(run->instruction, run->samples);
	c->records = run->records;
	if (c->records > buf_len) {
		c->overflow = 1;
		c->records = buf_len;
	}
	c->module_mismatches = run->mismatches;
	c->short_run = c->records < c->needed &&
		       !(run->result_flags & VB_RUN_INTERRUPTED);
	for (i = 0; i < c->records; i++) {
		const struct vb_sample *r = &rec[i];
		int ok = vb_record_ok(run, r);

		if ((r->instruction != VB_INSN_NONE &&
		     r->instruction != run->instruction) ||
		    r->sample >= run->samples)
			c->bad_records++;
		if (!ok)
			c->mismatches++;
		if (!ok != !!(r->flags & VB_SAMPLE_MISMATCH))
			c->flag_disagree++;
		if (r->tsc_end < r->tsc_begin)
			c->tsc_backwards++;
	}
	c->inconsistent = c->overflow || c->short_run || c->bad_records ||
			  c->flag_disagree ||
			  c->mismatches != c->module_mismatches;
}

int vb_records_header(FILE *f)
{
	return vb_csv_row(f, columns, sizeof(columns) / sizeof(columns[0]));
}

int vb_records_write(FILE *f, unsigned int point, const struct vb_run *run,
		     const struct vb_sample *rec, uint32_t n)
{
	char page[24], tsc[24], prefix[256];
	uint32_t i;

	/* the point's columns after `instruction`, up to `unroll` */
	vb_page_name(run->page_kib, page, sizeof(page));
	snprintf(prefix, sizeof(prefix), "%" PRIu32 ",%" PRIu32 ",%s,%s,%s,"
		 "%s,%s,%s,%s,%" PRIu32, run->cpu, run->offset,
		 vb_enum_name(VB_KEY_CACHE, run->cache),
		 vb_enum_name(VB_KEY_MEMTYPE, run->memtype), page,
		 vb_enum_name(VB_KEY_TLB, run->tlb),
		 vb_enum_name(VB_KEY_AD, run->ad),
		 vb_enum_name(VB_KEY_VMCS, run->vmcs),
		 vb_enum_name(VB_KEY_SERIALIZE, run->serialize), run->unroll);
	for (i = 0; i < n; i++) {
		const struct vb_sample *r = &rec[i];

		if (r->tsc_end >= r->tsc_begin)
			snprintf(tsc, sizeof(tsc), "%" PRIu64,
				 (uint64_t)(r->tsc_end - r->tsc_begin));
		else
			tsc[0] = '\0';	/* not measurable: never a made-up 0 */
		if (fprintf(f, "%u,%s,%s,%" PRIu32 ",%s,%s" VB_CSV_EOL, point,
			    vb_insn_name(r->instruction), prefix, r->sample,
			    tsc, vb_record_ok(run, r) ? "ok" : "mismatch") < 0)
			return -1;
	}
	return 0;
}
