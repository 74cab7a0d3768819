// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench run`: pin, ask INFO, refuse early, RUN once, check every
 * record, write samples.csv and meta.csv.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "meta.h"
#include "outdir.h"
#include "records.h"

static volatile sig_atomic_t vb_stop;

static void on_signal(int sig)
{
	vb_stop = sig;
}

/*
 * No SA_RESTART: a signal during the RUN ioctl makes the module stop
 * between windows and return what it measured (VB_RUN_INTERRUPTED).
 * SA_RESETHAND: a second Ctrl-C kills as usual.
 */
static int measure(struct vb_dev *dev, struct vb_run *run)
{
	struct sigaction sa, old_int, old_term;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	vb_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = vb_stop ? -EINTR : vb_dev_run(dev, run);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}

static void set_run_meta(struct vb_meta *m, const struct vb_opts *o,
			 const struct vb_run *run, const struct vb_check *c,
			 int interrupted)
{
	char page[24];

	vb_meta_set(m, "samples", "%u", o->samples);
	vb_meta_set(m, "unroll", "%u", o->unroll);
	vb_meta_set(m, "instruction", "%s", vb_insn_name(o->instruction));
	vb_meta_set(m, "vmcs", "%s", vb_vmcs_names[o->vmcs]);
	vb_meta_set(m, "offset", "%u", o->offset);
	vb_meta_set(m, "serialize", "%s", vb_serialize_names[VB_SER_LFENCE]);
	vb_meta_set(m, "page", "%s", vb_page_name(run->page_kib, page,
						    sizeof(page)));
	vb_meta_set(m, "records", "%" PRIu32, c->records);
	vb_meta_set(m, "mismatches", "%" PRIu32, c->mismatches);
	vb_meta_set(m, "windows", "%" PRIu32, run->windows);
	vb_meta_set(m, "max_window_tsc", "%" PRIu64,
		    (uint64_t)run->max_window_tsc);
	vb_meta_set(m, "interrupted", "%s", interrupted ? "yes" : "no");
}

static int write_results(const struct vb_opts *o, const struct vb_meta *m,
			 const struct vb_run *run, const struct vb_sample *buf,
			 uint32_t n, const struct vb_env *env)
{
	struct vb_outfile samples = { .f = NULL }, meta = { .f = NULL };
	char msg[512];

	if (vb_outfile_open(&samples, o->outdir, "samples.csv", msg,
			    sizeof(msg)))
		goto out_err;
	if (vb_outfile_open(&meta, o->outdir, "meta.csv", msg, sizeof(msg)))
		goto out_abort_samples;
	if (vb_records_write(samples.f, run, buf, n) ||
	    vb_meta_write(m, meta.f)) {
		snprintf(msg, sizeof(msg), "%s: write failed: %s", o->outdir,
			 strerror(errno));
		goto out_abort_meta;
	}
	if (vb_outfile_commit(&samples, msg, sizeof(msg)))
		goto out_abort_meta;
	if (vb_outfile_commit(&meta, msg, sizeof(msg)))
		goto out_err;
	return 0;

out_abort_meta:
	vb_outfile_abort(&meta);
out_abort_samples:
	vb_outfile_abort(&samples);
out_err:
	vb_err(env, "%s", msg);
	return -1;
}

static int report(const struct vb_opts *o, const struct vb_run *run,
		  const struct vb_check *c, int interrupted,
		  const struct vb_env *env)
{
	int rc = VB_EXIT_OK;

	if (c->tsc_backwards)
		vb_err(env, "warning: %" PRIu32 " records have tsc_end < "
		       "tsc_begin; their tsc is left empty", c->tsc_backwards);
	if (c->mismatches) {
		vb_err(env, "%" PRIu32 " of %" PRIu32 " records failed the "
		       "check (stored value != 0x%" PRIx64 " expected, 0x%"
		       PRIx64 " poison); all rows written, see the check column",
		       c->mismatches, c->records, (uint64_t)run->expected,
		       (uint64_t)run->poison);
		rc = VB_EXIT_CHECK;
	}
	if (c->inconsistent) {
		vb_err(env, "inconsistent results from the module: %" PRIu32
		       " mismatches counted by the module, %" PRIu32 " by the "
		       "driver; %" PRIu32 " records of %" PRIu32 " expected%s; "
		       "%" PRIu32 " malformed; %" PRIu32 " with a wrong "
		       "mismatch flag", c->module_mismatches, c->mismatches,
		       c->records, c->needed,
		       c->overflow ? " (module overran the buffer)" : "",
		       c->bad_records, c->flag_disagree);
		rc = VB_EXIT_CHECK;
	}
	if (interrupted) {
		vb_err(env, "interrupted: wrote the %" PRIu32 " of %" PRIu32
		       " records measured", c->records, c->needed);
		if (rc == VB_EXIT_OK)
			rc = VB_EXIT_INTERRUPTED;
	}
	if (rc == VB_EXIT_OK)
		fprintf(env->out, "%s: %" PRIu32 " records (%u samples of %s, "
			"unroll %u, CPU %u) in %s/samples.csv, %s/meta.csv\n",
			VB_TOOL_NAME, c->records, o->samples,
			vb_insn_name(o->instruction), o->unroll, o->cpu,
			o->outdir, o->outdir);
	return rc;
}

static void fill_run(struct vb_run *run, const struct vb_opts *o,
		     struct vb_sample *buf, uint32_t needed)
{
	memset(run, 0, sizeof(*run));
	run->cpu = o->cpu;
	run->instruction = o->instruction;
	run->unroll = o->unroll;
	run->samples = o->samples;
	run->vmcs = o->vmcs;
	run->serialize = VB_SER_LFENCE;
	run->offset = o->offset;
	run->buf = (uint64_t)(uintptr_t)buf;
	run->buf_len = needed;
}

int vb_cmd_run(const struct vb_opts *o, const char *cmdline,
	       const struct vb_env *env)
{
	uint32_t needed = VB_RECORDS_NEEDED(o->instruction, o->samples);
	struct vb_sample *buf = NULL;
	struct vb_check check;
	struct vb_info info;
	struct vb_meta meta;
	struct vb_run run;
	struct vb_dev dev;
	char msg[512];
	int ret, rc = VB_EXIT_ERROR, interrupted;

	ret = env->pin_cpu(o->cpu);
	if (ret) {
		vb_err(env, "CPU %u: cannot pin to it (%s): offline or no such "
		       "CPU", o->cpu, strerror(-ret));
		return VB_EXIT_ERROR;
	}
	ret = vb_dev_open(&dev, env->dev_ops, env->dev_priv, env->device_path);
	if (ret) {
		vb_dev_explain(&dev, VB_OP_OPEN, -ret, o->cpu, msg, sizeof(msg));
		vb_err(env, "%s", msg);
		return VB_EXIT_ERROR;
	}
	ret = vb_dev_info(&dev, o->cpu, &info);
	if (ret) {
		vb_dev_explain(&dev, VB_OP_INFO, -ret, o->cpu, msg, sizeof(msg));
		goto out_close;
	}
	if (vb_info_refuses(&info, o->cpu, msg, sizeof(msg)))
		goto out_close;
	if (vb_outdir_prepare(o->outdir, o->force, msg, sizeof(msg)))
		goto out_close;
	buf = calloc(needed, sizeof(*buf));
	if (!buf) {
		snprintf(msg, sizeof(msg), "no memory for %" PRIu32 " records",
			 needed);
		goto out_close;
	}

	vb_meta_init(&meta);
	vb_meta_collect_host(&meta, env, o->cpu, o->platform);
	vb_meta_set_info(&meta, &info);
	vb_meta_set(&meta, "command_line", "%s", cmdline);
	fill_run(&run, o, buf, needed);
	vb_meta_set_time(&meta, "start_time", time(NULL));
	ret = measure(&dev, &run);
	vb_meta_set_time(&meta, "end_time", time(NULL));
	if (ret == -EINTR) {	/* stopped before the module returned data */
		run.records = 0;
		run.result_flags |= VB_RUN_INTERRUPTED;
	} else if (ret) {
		vb_dev_explain(&dev, VB_OP_RUN, -ret, o->cpu, msg, sizeof(msg));
		goto out_free_meta;
	}
	interrupted = (run.result_flags & VB_RUN_INTERRUPTED) || vb_stop;
	vb_records_check(&run, needed, buf, &check);
	set_run_meta(&meta, o, &run, &check, interrupted);
	if (write_results(o, &meta, &run, buf, check.records, env))
		rc = VB_EXIT_ERROR;
	else
		rc = report(o, &run, &check, interrupted, env);
	vb_meta_free(&meta);
	free(buf);
	vb_dev_close(&dev);
	return rc;

out_free_meta:
	vb_meta_free(&meta);
	free(buf);
out_close:
	vb_dev_close(&dev);
	vb_err(env, "%s", msg);
	return rc;
}
