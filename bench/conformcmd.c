// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench conform` (the table on the terminal, with -o DIR also
 * DIR/conformance.csv) and the conformance.csv `run` writes into every
 * run folder before its sweep.  See conform.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "conform.h"
#include "diag.h"
#include "meta.h"
#include "outdir.h"

#define USER_NO_MODULE	"the user backend: no module"

int vb_conform_write(const struct vb_conformance *c, const char *dir,
		     char *msg, size_t len)
{
	struct vb_outfile of = { .f = NULL };

	if (vb_outfile_open(&of, dir, "conformance.csv", msg, len))
		return -1;
	errno = 0;
	if (vb_conform_csv(of.f, c)) {
		vb_write_failed(msg, len, of.tmp);
		vb_outfile_abort(&of);
		return -1;
	}
	return vb_outfile_commit(&of, msg, len);
}

/* Pinned to cpu, the module open with INFO (not for the user backend). */
static int setup(const struct vb_opts *o, const struct vb_env *env,
		 struct vb_dev *dev, struct vb_info *info,
		 struct vb_conf_src *s)
{
	char msg[512];
	int ret = env->pin_cpu(o->cpu);

	memset(s, 0, sizeof(*s));
	s->env = env;
	s->cpu = o->cpu;
	s->user = o->backend == VB_BACKEND_USER;
	s->nodev = USER_NO_MODULE;
	dev->fd = -1;
	if (ret) {
		vb_err(env, "conform: CPU %u: cannot pin to it (%s): offline or no such CPU",
		       o->cpu, strerror(-ret));
		return -1;
	}
	if (s->user)
		return 0;
	ret = vb_dev_open(dev, env->dev_ops, env->dev_priv, env->device_path,
			  env->root);
	if (!ret) {
		ret = vb_dev_info(dev, o->cpu, info);
		if (ret)
			vb_dev_explain(dev, VB_OP_INFO, -ret, o->cpu, msg,
				       sizeof(msg));
	} else {
		vb_dev_explain(dev, VB_OP_OPEN, -ret, o->cpu, msg, sizeof(msg));
	}
	if (ret) {
		vb_err(env, "%s (--backend user observes the ring-3 rows without it)", msg);
		return -1;
	}
	s->dev = dev;
	s->info = info;
	return 0;
}

int vb_cmd_conform(const struct vb_opts *o, const struct vb_env *env)
{
	struct vb_conformance *c = NULL;
	struct vb_conf_src s;
	struct vb_info info;
	struct vb_dev dev;
	char msg[512], counts[96];
	int rc = VB_EXIT_ERROR;

	if (setup(o, env, &dev, &info, &s))
		goto out;
	if (o->outdir && vb_outdir_prepare(o->outdir, o->force, msg,
					   sizeof(msg))) {
		vb_err(env, "%s", msg);
		goto out;
	}
	c = malloc(sizeof(*c));
	if (!c) {
		vb_err(env, "out of memory");
		goto out;
	}
	vb_conform_probe(&s, c);
	fprintf(env->out, "conform: CPU %u (%s): VMPTRST on the %d branches of the reference page\n",
		o->cpu, s.user ? "user backend" : "module", VB_CB_COUNT);
	vb_conform_print(env->out, c);
	if (o->outdir) {
		if (vb_conform_write(c, o->outdir, msg, sizeof(msg))) {
			vb_err(env, "%s", msg);
			goto out;
		}
		fprintf(env->out, "conform: wrote %s/conformance.csv\n",
			o->outdir);
	}
	fprintf(env->out, "conform: %s\n",
		vb_conform_counts(c, counts, sizeof(counts)));
	rc = VB_EXIT_OK;
out:
	free(c);
	vb_dev_close(&dev);
	return rc;
}

void vb_run_conformance(const struct vb_conf_src *s, const char *dir,
			struct vb_meta *meta)
{
	struct vb_conformance *c = malloc(sizeof(*c));
	const struct vb_env *env = s->env;
	char msg[512], counts[96];

	if (env->progress)
		fprintf(env->err, "\r\033[K%s: conformance: CPU %u: VMPTRST on the %d branches of the reference page",
			VB_TOOL_NAME, s->cpu, VB_CB_COUNT);
	if (!c) {
		vb_meta_set(meta, "conformance", "not written: out of memory");
		vb_err(env, "warning: conformance.csv not written (out of memory); the run goes on");
		return;
	}
	vb_conform_probe(s, c);
	vb_conform_counts(c, counts, sizeof(counts));
	if (vb_conform_write(c, dir, msg, sizeof(msg))) {
		vb_meta_set(meta, "conformance", "not written: %s", msg);
		vb_err(env, "warning: conformance.csv not written (%s); the run goes on", msg);
	} else {
		vb_meta_set(meta, "conformance", "conformance.csv from CPU %u: %u as-documented; %u differs; %u not-reachable-here",
			    s->cpu, c->count[VB_AS_DOCUMENTED],
			    c->count[VB_DIFFERS], c->count[VB_NOT_REACHABLE]);
	}
	if (env->progress) {
		fprintf(env->err, "\r\033[K%s: conformance: %s (conformance.csv)",
			VB_TOOL_NAME, counts);
		fflush(env->err);
	}
	free(c);
}
