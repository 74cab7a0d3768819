// SPDX-License-Identifier: GPL-2.0
/*
 * The end of a run on the terminal, read from the run's result: warnings,
 * failed checks, a stop or an interruption on env->err, or the one line of
 * success on env->out; and the exit code they add up to.  See runresult.h.
 */
#include <inttypes.h>
#include <string.h>

#include "diag.h"
#include "records.h"
#include "runresult.h"

/* One line: the RUN the module stopped, what happened, what to do. */
static void report_stop(const struct vb_run_result *r,
			const struct vb_env *env)
{
	const struct vb_run_totals *t = &r->t;
	char kept[128], fix[256];

	snprintf(kept, sizeof(kept), "kept the point's %" PRIu32 " of %" PRIu32 " records, %u points not run (see points.csv)", t->stop_records, t->stop_needed, t->not_run);
	if (t->stop_flag == VB_RUN_NO_COVER) {
		if (t->stop_wait)
			snprintf(fix, sizeof(fix), "kvm was still loaded after --wait-vmx %u: unload kvm_intel and kvm and rerun", t->stop_wait);
		else
			snprintf(fix, sizeof(fix), "unload kvm_intel and kvm and rerun (or rerun with --wait-vmx SECONDS to wait for that)");
		vb_err(env, "run stopped at point %d: kvm was loaded during the run, and on this kernel KVM takes the kernel's single crash-time VMXOFF callback whenever it turns VMX on, so the module could not keep a crash or kdump from hanging CPU %u; %s; %s", t->stopped_at, t->stop_cpu, kept, fix);
		return;
	}
	if (t->stop_owner == VB_OWNER_KVM_AT_LOAD)
		snprintf(fix, sizeof(fix), "rmmod kvm_intel kvm, or reload kvm with enable_virt_at_load=0, and rerun");
	else if (t->stop_wait)
		snprintf(fix, sizeof(fix), "it still held VMX after --wait-vmx %u: rerun with a longer wait, or once it is done", t->stop_wait);
	else
		snprintf(fix, sizeof(fix), "rerun with --wait-vmx SECONDS to wait for it");
	vb_err(env, "run stopped at point %d: another hypervisor turned VMX on on CPU %u during the run (%s); %s; %s", t->stopped_at, t->stop_cpu, t->stop_owner == VB_OWNER_VM ? "KVM does while it has VMs: a VM started" : t->stop_owner == VB_OWNER_KVM_AT_LOAD ? "kvm_intel does when it is loaded with kvm.enable_virt_at_load=Y" : "kvm_intel is not loaded: some other hypervisor", kept, fix);
}

int vb_run_report(const struct vb_run_result *r, const char *outdir,
		  const struct vb_env *env)
{
	const struct vb_run_totals *t = &r->t;
	int rc = VB_EXIT_OK;

	if (t->tsc_backwards)
		vb_err(env, "warning: %" PRIu32 " records have tsc_end < tsc_begin; their tsc is left empty",
		       t->tsc_backwards);
	if (r->noise.records_nmi || r->noise.records_smi)
		vb_err(env, "warning: %" PRIu64 " records saw an NMI and %" PRIu64 " an SMI (%" PRIu64 " windows with an SMI): flagged in samples.csv (flag_nmi, flag_smi) and left out by vmptrst-analyze; see windows.csv",
		       r->noise.records_nmi, r->noise.records_smi,
		       r->noise.smi_windows);
	if (t->mismatches) {
		if (t->first_bad >= 0)
			vb_err(env, "%" PRIu64 " of %" PRIu64 " records failed the check (first at point %d: stored value != 0x%" PRIx64 " expected, 0x%" PRIx64 " poison); all rows written, see the check column",
			       t->mismatches, t->records,
			       t->first_bad, t->bad_expected, t->bad_poison);
		else
			vb_err(env, "%" PRIu64 " of %" PRIu64 " records failed the check; all rows written, see the check column",
			       t->mismatches, t->records);
		rc = VB_EXIT_CHECK;
	}
	if (t->vmfails) {
		char label[64];

		vb_err(env, "%" PRIu64 " of %" PRIu64 " records ended in VMfail (CF or ZF set after the block: the VMX instruction failed), counted as mismatches; the first at point %d (%s), sample %" PRIu32 "; the kernel log may say more",
		       t->vmfails, t->records, t->first_vmfail,
		       vb_insn_label(&r->plan->pt[t->first_vmfail].desc, label,
				     sizeof(label)),
		       t->first_vmfail_sample);
	}
	if (t->split_bad) {
		char label[64];

		vb_err(env, "warning: %" PRIu64 " of %" PRIu64 " mode=guest records with a VM exit had their exit/entry split out of order (VB_SAMPLE_SPLIT_BAD: the TSC the CPU stored at the exit, the handler's RDTSCs and the guest's bracket not in sequence), in %u point%s, the first at point %d (%s), sample %" PRIu32 ": their exit_ticks and entry_ticks are empty, their round trips and checks kept (meta.csv split_bad)",
		       t->split_bad, t->split_records, t->split_bad_points,
		       t->split_bad_points == 1 ? "" : "s", t->first_split_bad,
		       vb_insn_label(&r->plan->pt[t->first_split_bad].desc,
				     label, sizeof(label)),
		       t->first_split_bad_sample);
	}
	if (t->exit_mismatches)
		vb_err(env, "%" PRIu64 " of %" PRIu64 " records failed the VM-exit check (mode=guest), the first at point %d, record %" PRIu32 " (sample %" PRIu32 "): %s",
		       t->exit_mismatches, t->records, t->first_exit,
		       t->first_exit_record, t->first_exit_sample,
		       t->first_exit_why);
	if (t->inconsistent) {
		char extra[256] = "";

		if (t->wrong_page)
			snprintf(extra, sizeof(extra), "; %" PRIu32 " points measured on another page size than asked",
				 t->wrong_page);
		if (r->noise.bad)
			snprintf(extra + strlen(extra), sizeof(extra) -
				 strlen(extra), "; %" PRIu32 " window descriptions that fit no records",
				 r->noise.bad);
		vb_err(env, "inconsistent results from the module: %" PRIu64 " mismatches counted by the module, %" PRIu64 " by the driver; %" PRIu64 " records of %" PRIu64 " expected%s; %" PRIu32 " malformed; %" PRIu32 " with a wrong mismatch flag%s",
		       t->module_mismatches, t->mismatches,
		       t->records, t->needed,
		       t->overflow ? " (module overran the buffer)" : "",
		       t->bad_records, t->flag_disagree, extra);
		rc = VB_EXIT_CHECK;
	}
	if (t->stop_flag) {
		report_stop(r, env);
		if (rc == VB_EXIT_OK)
			rc = VB_EXIT_ERROR;
	}
	if (r->interrupted) {
		if (t->interrupted)
			vb_err(env, "interrupted at point %d of %u: kept its %" PRIu32 " of %" PRIu32 " records; %u points not run (see points.csv)",
			       t->stopped_at,
			       r->plan->n, t->stop_records, t->stop_needed,
			       t->not_run);
		else
			vb_err(env, "interrupted after %u of %u points; %u points not run (see points.csv)",
			       t->measured + t->skipped, r->plan->n,
			       t->not_run);
		if (rc == VB_EXIT_OK)
			rc = VB_EXIT_INTERRUPTED;
	}
	if (rc == VB_EXIT_OK)
		fprintf(env->out, "%s: %" PRIu64 " records from %u point%s (%u measured, %u skipped: see points.csv) in %s/samples.csv\n",
			VB_TOOL_NAME, t->records, r->plan->n,
			r->plan->n == 1 ? "" : "s", t->measured, t->skipped,
			outdir);
	return rc;
}
