// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench probe`: VMPTRST at ring 3, no module, no root.  The
 * reference's Operation section leaves three outcomes for CPL 3: #UD (not
 * in VMX operation, or a hypervisor that refuses nested VMX: SIGILL), #GP
 * (the CPU is in VMX root operation, e.g. KVM ran VMXON on it: SIGSEGV),
 * or a VM exit whose handler stores a value (impossible on bare metal).
 * Then the cost of that fault path against a UD2 fault, sample by sample
 * (rdtsc, the instruction, the handler's siglongjmp back, rdtsc), into a run
 * directory that vmptrst-analyze reads like any other.  The execution and
 * its signal are ring3.c's, which the conformance table shares.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "csv.h"
#include "diag.h"
#include "meta.h"
#include "outdir.h"
#include "records.h"
#include "ring3.h"

#define PROBE_POISON	VB_RING3_POISON

struct probe {
	const struct vb_opts *o;
	const struct vb_env *env;
	struct vb_ring3_handlers old;
	int sig;			/* what VMPTRST raised */
	uint64_t stored;		/* the operand after it */
	uint32_t inconsistent;		/* samples that disagreed with sig */
	char msg[512];
};

static const char *result_name(int sig)
{
	return sig == SIGILL ? "ud" : sig == SIGSEGV ? "gp" : "stored";
}

static void meaning(const struct probe *p, int guest, char *buf, size_t len)
{
	if (p->sig == SIGILL)
		snprintf(buf, len, "#UD (SIGILL): this CPU is not in VMX operation%s", guest ? ", or the hypervisor refuses nested VMX (this is a guest: the time includes its VM exit if it intercepts VMPTRST)" : ": no hypervisor holds VMX on it");
	else if (p->sig == SIGSEGV)
		snprintf(buf, len, "#GP (SIGSEGV): this CPU is in VMX root operation (a hypervisor such as KVM ran VMXON on it) and CPL 3 > 0");
	else
		snprintf(buf, len, "stored 0x%016" PRIx64 " at CPL 3: impossible on bare metal (the reference allows only #UD or #GP there); a hypervisor or emulator answered VMPTRST",
			 p->stored);
}

/*
 * One row of samples.csv, the columns of a run's (records.h); target,
 * field and type empty (no variant), mode, page and vmcs empty: ring 3,
 * outside the module; exit_ticks and entry_ticks empty: no VM exit.
 */
static int row(FILE *f, unsigned int cpu, unsigned int offset,
	       const char *insn, uint32_t sample, uint64_t ticks, int ok)
{
	return fprintf(f, "0,%s,,,,,%u,%u,hot,wb,,warm,set,,lfence,1,0,%" PRIu32 ",%" PRIu64 ",,,%s,,%s",
		       insn, cpu, offset, sample, ticks,
		       ok ? "ok" : "mismatch", VB_CSV_EOL) < 0 ? -1 : 0;
}

/*
 * Sample pairs, interleaved, the order swapped every pair: VMPTRST must
 * raise what it raised the first time and leave the operand alone (else
 * the row says mismatch); UD2 must raise SIGILL.
 */
static int measure(struct probe *p, FILE *f, uint32_t samples)
{
	static uint64_t operand __attribute__((aligned(8)));
	unsigned int cpu = p->o->cpu;
	unsigned int off = (unsigned int)((uintptr_t)&operand & 4095);
	uint64_t ticks;
	uint32_t k;
	int j, sig;

	for (k = 0; k < samples; k++) {
		for (j = 0; j < 2; j++) {
			int vm = (j == 0) == (k % 2 == 0);

			operand = PROBE_POISON;
			sig = vb_ring3_timed(vm ? VB_RING3_VMPTRST : VB_RING3_UD2,
					 &operand, &ticks);
			if (vm) {
				int ok = sig == p->sig && (sig == 0 ||
					 operand == PROBE_POISON);

				p->inconsistent += !ok;
				if (row(f, cpu, off, "vmptrst-fault", k, ticks,
					ok))
					return -1;
			} else if (row(f, cpu, off, "ud2", k, ticks,
				       sig == SIGILL)) {
				return -1;
			} else {
				p->inconsistent += sig != SIGILL;
			}
		}
	}
	return 0;
}

static void set_meta(struct vb_meta *m, const struct probe *p,
		     const char *cmdline, uint32_t samples)
{
	char buf[512];
	const char *guest = vb_meta_get(m, "hypervisor");

	meaning(p, guest && strcmp(guest, "none"), buf, sizeof(buf));
	vb_meta_set(m, "probe_result", "%s", result_name(p->sig));
	vb_meta_set(m, "probe_meaning", "%s", buf);
	vb_meta_set(m, "probe_signal", "%s", p->sig == SIGILL ? "SIGILL" :
		    p->sig == SIGSEGV ? "SIGSEGV" : "none");
	if (p->sig)
		vb_meta_set(m, "probe_stored_value", "none");
	else
		vb_meta_set(m, "probe_stored_value", "0x%016" PRIx64,
			    p->stored);
	vb_meta_set(m, "probe_baseline", "ud2 (#UD, SIGILL): the same fault path without VMPTRST");
	vb_meta_set(m, "baseline_instruction", "ud2");
	vb_meta_set(m, "probe_inconsistent", "%" PRIu32, p->inconsistent);
	vb_meta_set(m, "instruction", "vmptrst-fault ud2");
	vb_meta_set(m, "config", "none");
	vb_meta_set(m, "config_sha256", "none");
	vb_meta_set(m, "points", "1");
	vb_meta_set(m, "points_measured", "1");
	vb_meta_set(m, "points_skipped", "0");
	vb_meta_set(m, "samples", "%" PRIu32, samples);
	vb_meta_set(m, "records", "%" PRIu64, 2 * (uint64_t)samples);
	vb_meta_set(m, "mismatches", "%" PRIu32, p->inconsistent);
	vb_meta_set(m, "unroll", "1");
	vb_meta_set(m, "cache", "hot");
	vb_meta_set(m, "memtype", "wb");
	vb_meta_set(m, "serialize", "lfence");
	vb_meta_set(m, "tlb", "warm");
	vb_meta_set(m, "ad", "set");
	vb_meta_set(m, "events", "none");
	vb_meta_set(m, "pmu", "not requested");
	vb_meta_set(m, "cross_check", "not requested");
	vb_meta_set(m, "interrupted", "no");
	vb_meta_set(m, "command_line", "%s", cmdline);
}

static int write_run(struct probe *p, const char *cmdline)
{
	const char *dir = p->o->outdir;
	uint32_t samples = p->o->samples;
	struct vb_outfile meta = { .f = NULL }, smp = { .f = NULL };
	struct vb_meta m;
	int ret = -1;

	if (vb_outdir_prepare(dir, p->o->force, p->msg, sizeof(p->msg)))
		return -1;
	vb_meta_init(&m);
	vb_meta_collect_host(&m, p->env, p->o->cpu, VB_PLATFORM_AUTO);
	vb_meta_collect_system(&m, p->env->root, &p->o->cpu, 1);
	vb_meta_set_time(&m, "start_time", time(NULL));
	if (vb_outfile_open_direct(&smp, dir, "samples.csv", p->msg,
				   sizeof(p->msg)))
		goto out;
	vb_ring3_catch(&p->old);
	ret = vb_records_header(smp.f, NULL, 0) || measure(p, smp.f, samples);
	vb_ring3_release(&p->old);
	if (ret) {
		snprintf(p->msg, sizeof(p->msg), "%.400s/samples.csv: write failed: %s",
			 dir, strerror(errno));
		ret = -1;
		goto out;
	}
	ret = -1;
	if (vb_outfile_close(&smp, p->msg, sizeof(p->msg)))
		goto out;
	vb_meta_set_time(&m, "end_time", time(NULL));
	set_meta(&m, p, cmdline, samples);
	if (vb_outfile_open(&meta, dir, "meta.csv", p->msg, sizeof(p->msg)))
		goto out;
	if (vb_meta_write(&m, meta.f)) {
		snprintf(p->msg, sizeof(p->msg), "%.400s: write failed: %s",
			 meta.tmp, strerror(errno));
		vb_outfile_abort(&meta);
		goto out;
	}
	ret = vb_outfile_commit(&meta, p->msg, sizeof(p->msg));
out:
	vb_outfile_close(&smp, NULL, 0);
	vb_meta_free(&m);
	return ret;
}

int vb_cmd_probe(const struct vb_opts *o, const char *cmdline,
		 const struct vb_env *env)
{
	struct probe p;
	uint64_t ticks;
	char what[512];
	int ret;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.env = env;
	ret = env->pin_cpu(o->cpu);
	if (ret) {
		vb_err(env, "probe: CPU %u: cannot pin to it (%s): offline or no such CPU",
		       o->cpu, strerror(-ret));
		return VB_EXIT_ERROR;
	}
	p.stored = PROBE_POISON;
	vb_ring3_catch(&p.old);
	p.sig = vb_ring3_timed(VB_RING3_VMPTRST, &p.stored, &ticks);
	vb_ring3_release(&p.old);
	{
		struct vb_cpu_id id;

		vb_cpu_identify(env->cpuid, &id);
		meaning(&p, id.hypervisor, what, sizeof(what));
	}
	fprintf(env->out, "probe: CPU %u: VMPTRST at CPL 3: %s: %s\n", o->cpu,
		result_name(p.sig), what);
	if (!o->outdir) {
		fprintf(env->out, "probe: -o DIR times the fault path against UD2 (%u samples)\n",
			o->samples);
		return VB_EXIT_OK;
	}
	if (write_run(&p, cmdline)) {
		vb_err(env, "%s", p.msg);
		return VB_EXIT_ERROR;
	}
	if (p.inconsistent)
		vb_err(env, "warning: %" PRIu32 " samples did not fault as the first VMPTRST did (check=mismatch in samples.csv): did VMX change hands during the probe?",
		       p.inconsistent);
	fprintf(env->out, "probe: %u sample pairs (vmptrst-fault, ud2) in %s/samples.csv; statistics: vmptrst-analyze summary %s\n",
		o->samples, o->outdir, o->outdir);
	return VB_EXIT_OK;
}
