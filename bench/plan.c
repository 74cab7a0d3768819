// SPDX-License-Identifier: GPL-2.0
/*
 * From the command line to the plan (config file, flags over [global]),
 * shared by `run` and `plan`; and `vmptrst-bench plan` itself, which
 * prints the points without opening the device.
 */
#include <string.h>

#include "commands.h"
#include "diag.h"

int vb_plan_from_opts(const struct vb_opts *o, struct vb_config *cfg,
		      struct vb_plan *plan, const struct vb_env *env)
{
	char err[1024];

	memset(cfg, 0, sizeof(*cfg));
	memset(plan, 0, sizeof(*plan));
	if (o->config && vb_config_load(o->config, cfg, err, sizeof(err))) {
		vb_err(env, "%s", err);
		return VB_EXIT_USAGE;
	}
	if (vb_plan_build(o->config ? cfg : NULL, &o->flags, plan, err,
			  sizeof(err)) ||
	    vb_plan_events(plan, env->root, err, sizeof(err))) {
		vb_err(env, "%s", err);
		vb_plan_free(plan);
		vb_config_free(cfg);
		return VB_EXIT_USAGE;
	}
	return VB_EXIT_OK;
}

int vb_cmd_plan(const struct vb_opts *o, const struct vb_env *env)
{
	struct vb_config cfg;
	struct vb_plan plan;
	int rc = vb_plan_from_opts(o, &cfg, &plan, env);

	if (rc)
		return rc;
	vb_plan_print(&plan, env->out);
	vb_plan_free(&plan);
	vb_config_free(&cfg);
	return VB_EXIT_OK;
}
