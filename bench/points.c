// SPDX-License-Identifier: GPL-2.0
/* points.csv: see points.h. */
#include <inttypes.h>
#include <stdio.h>

#include "csv.h"
#include "exits.h"
#include "points.h"
#include "records.h"

const char *const vb_point_status_names[VB_PT_COUNT + 1] = {
	[VB_PT_MEASURED] = "measured",
	[VB_PT_SKIPPED] = "skipped",
	[VB_PT_INTERRUPTED] = "interrupted",
	[VB_PT_NOT_RUN] = "not-run",
	[VB_PT_FAILED] = "failed",
	[VB_PT_STOPPED] = "stopped",
};

static const char *const columns[] = {
	"point", "instruction", "target", "field", "type", "mode", "cpu",
	"offset", "cache", "memtype", "page", "tlb", "ad", "vmcs", "serialize",
	"unroll", "samples", "status",
	"reason", "records", "mismatches", "windows", "max_window_tsc",
	"page_kib", "vmx_wait_ms", "exit_reason", "exit_qualification",
	"exit_insn_info", "exit_insn_len", "section",
};

int vb_point_ran(enum vb_point_status s)
{
	return s == VB_PT_MEASURED || s == VB_PT_INTERRUPTED ||
	       s == VB_PT_STOPPED;
}

const char *vb_skip_reason(const struct vb_run *run, char *buf, size_t len)
{
	char page[24];

	switch (run->skip_reason) {
	case VB_SKIP_PAGE_SIZE:
		snprintf(buf, len, "page size %s not available (the buffer got %s pages)",
			 vb_enum_name(VB_KEY_PAGE, run->point.page),
			 vb_page_name(run->page_kib, page, sizeof(page)));
		break;
	case VB_SKIP_MEMTYPE:
		snprintf(buf, len, "memory type %s not available to the module",
			 vb_enum_name(VB_KEY_MEMTYPE, run->point.memtype));
		break;
	case VB_SKIP_NO_CLFLUSHOPT:
		snprintf(buf, len, "the CPU has no CLFLUSHOPT");
		break;
	case VB_SKIP_NO_RDTSCP:
		snprintf(buf, len, "the CPU has no RDTSCP (CPUID.80000001H:EDX[27]): serialize=cpuid executes it");
		break;
	case VB_SKIP_NO_VPID:
		snprintf(buf, len, "mode=guest needs VPID and INVVPID: this CPU's VMX lacks one of them");
		break;
	case VB_SKIP_FRED:
		snprintf(buf, len, "mode=guest, and the kernel runs with FRED: its NMI entry and host state are not the ones the module's guest hands NMIs to");
		break;
	case VB_SKIP_NO_INVVPID_TYPE:
		snprintf(buf, len, "invvpid type=%s: this CPU's VMX does not offer it (IA32_VMX_EPT_VPID_CAP lacks one of: VPID; INVVPID; this type)",
			 vb_enum_name(VB_KEY_TYPE, run->point.type));
		break;
	case VB_SKIP_NO_INVEPT_TYPE:
		snprintf(buf, len, "invept type=%s: this CPU's VMX does not offer it (IA32_VMX_EPT_VPID_CAP lacks one of: EPT; INVEPT; this type; a 4-level WB or UC EPTP)",
			 vb_enum_name(VB_KEY_TYPE, run->point.type));
		break;
	case VB_SKIP_NO_OSXSAVE:
		snprintf(buf, len, "xsetbv in mode=guest needs CR4.OSXSAVE: the kernel runs with it clear (the guest's CR4 is the kernel's) and XSETBV would raise #UD rather than exit");
		break;
	default:
		snprintf(buf, len, "skipped by the module (reason %" PRIu32 ")",
			 run->skip_reason);
		break;
	}
	return buf;
}

static int field_u64(FILE *f, int show, uint64_t v)
{
	char buf[24] = "";

	if (show)
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return vb_csv_field(f, buf, 0);
}

int vb_points_header(FILE *f)
{
	return vb_csv_row(f, columns, sizeof(columns) / sizeof(columns[0]));
}

int vb_points_write(FILE *f, const struct vb_point *pt,
		    const struct vb_point_result *r)
{
	int ran = vb_point_ran(r->status);
	char v[32];
	int k;

	if (fprintf(f, "%u", pt->index) < 0)
		return -1;
	for (k = 0; k < VB_N_AXES; k++)
		if (vb_csv_field(f, vb_key_value_name(k,
				vb_point_axis(&pt->desc, k), v, sizeof(v)), 0))
			return -1;
	if (field_u64(f, 1, pt->desc.samples) ||
	    vb_csv_field(f, vb_point_status_names[r->status], 0) ||
	    vb_csv_field(f, r->reason, 0) ||
	    field_u64(f, ran || r->status == VB_PT_SKIPPED, r->records) ||
	    field_u64(f, ran, r->mismatches) ||
	    field_u64(f, ran, r->windows) ||
	    field_u64(f, ran, r->max_window_tsc) ||
	    field_u64(f, r->page_kib != 0, r->page_kib) ||
	    field_u64(f, ran || r->status == VB_PT_SKIPPED, r->vmx_wait_ms) ||
	    vb_exit_fields(f, ran && r->has_exit ? &r->exit : NULL) ||
	    vb_csv_field(f, pt->section ? pt->section : "", 0))
		return -1;
	return vb_csv_end_row(f);
}
