// SPDX-License-Identifier: GPL-2.0
/*
 * The conformance table written out: conformance.csv (csv.c's RFC 4180
 * writer; the columns are analysis/'s contract, bench/README.md) and the
 * terminal's table.  See conform.h.
 */
#include <stdio.h>
#include <string.h>

#include "conform.h"
#include "csv.h"

static const char *const columns[] = {
	"branch", "cpl", "operation", "condition", "expected_vector",
	"expected_error_code", "observed_vector", "observed_error_code",
	"cr2", "memory_changed", "flags_after", "stored", "verdict", "reason",
};

static int field(FILE *f, const char *s)
{
	return vb_csv_field(f, s, 0);
}

/* cr2, memory_changed, flags_after, stored: empty where they do not apply. */
static int state_fields(FILE *f, enum vb_cbranch b, const struct vb_cobs *o)
{
	char cr2[24] = "", flags[40] = "", stored[24] = "";
	int done = o->ran && o->vector == VB_VEC_NONE;

	if (o->ran && o->vector == 14 && o->has_cr2)
		snprintf(cr2, sizeof(cr2), "0x%llx", (unsigned long long)o->cr2);
	if (done && o->has_flags) {
		char set[40];

		snprintf(flags, sizeof(flags), "%s",
			 vb_flags_set(o->rflags, set, sizeof(set)));
	}
	if (done && o->mem)
		snprintf(stored, sizeof(stored), "0x%016llx",
			 (unsigned long long)o->after);
	return field(f, cr2) || field(f, vb_cobs_memory(b, o)) ||
	       field(f, flags) || field(f, stored);
}

static int row(FILE *f, const struct vb_conformance *c, enum vb_cbranch b)
{
	const struct vb_cbranch_def *d = &vb_cbranches[b];
	const struct vb_cobs *o = &c->obs[b];
	char n1[24], n2[24], code[24];

	if (vb_csv_field(f, d->name, 1) || field(f, d->cpl ? "3" : "0") ||
	    field(f, d->operation) || field(f, d->condition) ||
	    field(f, vb_vector_name(d->vector, n1, sizeof(n1))) ||
	    field(f, vb_cbranch_code(b, code, sizeof(code))) ||
	    field(f, o->ran ? vb_vector_name(o->vector, n2, sizeof(n2)) : "") ||
	    field(f, o->ran ? o->error_code : "") ||
	    state_fields(f, b, o) || field(f, vb_verdict_names[c->verdict[b]]) ||
	    field(f, c->reason[b]))
		return -1;
	return vb_csv_end_row(f);
}

int vb_conform_csv(FILE *f, const struct vb_conformance *c)
{
	int b;

	if (vb_csv_row(f, columns, sizeof(columns) / sizeof(columns[0])))
		return -1;
	for (b = 0; b < VB_CB_COUNT; b++)
		if (row(f, c, b))
			return -1;
	return 0;
}

const char *vb_conform_counts(const struct vb_conformance *c, char *buf,
			      size_t len)
{
	snprintf(buf, len, "%u as documented, %u differ, %u not reachable here",
		 c->count[VB_AS_DOCUMENTED], c->count[VB_DIFFERS],
		 c->count[VB_NOT_REACHABLE]);
	return buf;
}

/* "#GP(0)", "#PF(P=0 W=1)", "vm-exit(reason 22)", "none". */
static const char *with_code(int v, const char *code, char *buf, size_t len)
{
	char nbuf[24];
	const char *n = vb_vector_name(v, nbuf, sizeof(nbuf));

	if (code[0])
		snprintf(buf, len, "%s(%s)", n, code);
	else
		snprintf(buf, len, "%s", n);
	return buf;
}

void vb_conform_print(FILE *f, const struct vb_conformance *c)
{
	char want[128], got[128], code[24];
	int b;

	fprintf(f, "%-17s %-18s %-18s %-18s %s\n", "branch", "expected",
		"observed", "verdict", "reason");
	for (b = 0; b < VB_CB_COUNT; b++) {
		const struct vb_cobs *o = &c->obs[b];

		with_code(vb_cbranches[b].vector,
			  vb_cbranch_code(b, code, sizeof(code)), want,
			  sizeof(want));
		if (!o->ran)
			snprintf(got, sizeof(got), "-");
		else if (o->vector == VB_VEC_EXIT)
			snprintf(got, sizeof(got), "vm-exit(reason %u)",
				 (unsigned int)o->exit_reason);
		else
			with_code(o->vector, o->error_code, got, sizeof(got));
		if (c->reason[b][0])
			fprintf(f, "%-17s %-18s %-18s %-18s %s\n",
				vb_cbranches[b].name, want, got,
				vb_verdict_names[c->verdict[b]], c->reason[b]);
		else
			fprintf(f, "%-17s %-18s %-18s %s\n",
				vb_cbranches[b].name, want, got,
				vb_verdict_names[c->verdict[b]]);
	}
}
