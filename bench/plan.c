// SPDX-License-Identifier: GPL-2.0
/*
 * From the command line to the plan (config file, flags over [global]),
 * shared by `run` and `plan`; and `vmptrst-bench plan` itself, which
 * prints the points without opening the device (vb_plan_print()).
 */
#include <stdio.h>
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

void vb_point_describe(const struct vb_point *pt, char *buf, size_t len)
{
	size_t used = 0;
	char v[32];
	int k;

	buf[0] = '\0';
	for (k = 0; k < VB_N_AXES && used < len; k++)
		if (!vb_key_is_variant(k) || vb_point_axis(&pt->desc, k))
			used += (size_t)snprintf(buf + used, len - used,
				"%s=%s ", vb_keys[k].name,
				vb_key_value_name(k, vb_point_axis(&pt->desc, k),
						  v, sizeof(v)));
	if (used < len)
		snprintf(buf + used, len - used, "samples=%u",
			 pt->desc.samples);
}

void vb_plan_print(const struct vb_plan *p, FILE *f)
{
	char line[512];
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		const struct vb_point *pt = &p->pt[i];

		vb_point_describe(pt, line, sizeof(line));
		fprintf(f, "point %u [%s]: %s records=%u", pt->index,
			p->group[pt->group], line, vb_point_records(pt));
		if (pt->evset != VB_NO_EVSET)
			fprintf(f, " events=%u passes=%u",
				p->evset[pt->evset].n, vb_point_passes(p, pt));
		if (p->gkeys[pt->group].wait_vmx)
			fprintf(f, " wait-vmx=%us",
				p->gkeys[pt->group].wait_vmx);
		fputc('\n', f);
	}
	for (i = 0; i < p->n_evset; i++) {
		const struct vb_evset *es = &p->evset[i];
		unsigned int e, k;

		for (k = 0; k < es->npass; k++)
			for (e = es->pass_start[k]; e < es->pass_start[k + 1];
			     e++)
				fprintf(f, "event [%s]%s%s: %s pass=%u type=%u config=0x%llx config1=0x%llx config2=0x%llx (%s)\n",
					p->group[es->group],
					es->core_type ? " " : "",
					es->core_type ? es->core_type : "",
					es->ev[e].name, k, es->ev[e].ev.type,
					(unsigned long long)es->ev[e].ev.config,
					(unsigned long long)es->ev[e].ev.config1,
					(unsigned long long)es->ev[e].ev.config2,
					es->ev[e].fstr);
	}
	/* a samples.csv row is about 60 bytes */
	fprintf(f, "plan: %u point%s in %u group%s, %llu samples, %llu records (samples.csv about %.1f MB) from %s",
		p->n,
		p->n == 1 ? "" : "s", p->n_groups, p->n_groups == 1 ? "" : "s", (unsigned long long)p->samples,
		(unsigned long long)p->records, (double)p->records * 60 / 1e6,
		p->source);
	if (p->rounds > 1)
		fprintf(f, ", in %u interleaved rounds", p->rounds);
	fputc('\n', f);
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
