// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench doctor`: what is ready for a native run, what is not, and
 * how to fix it.  One line per check, `PASS|WARN|FAIL  what: detail (fix:
 * ...)`, then a summary; exit 0 when nothing FAILs.  Every source is read
 * below env->root and through env's device, CPUID, pinning and perf ops,
 * so tests drive each verdict.  The checks are doctorvmx.c and
 * doctorhost.c, each line printed by doctorline.c; this file runs them
 * in order and prints the summary.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "doctor.h"

int vb_cmd_doctor(const struct vb_opts *o, const struct vb_env *env)
{
	struct doctor d;
	int ret;

	memset(&d, 0, sizeof(d));
	d.env = env;
	d.root = env->root;
	d.cpu = o->cpu;
	ret = env->pin_cpu(o->cpu);
	if (ret)
		vb_doctor_line(&d, FAIL, "target cpu",
			       "pick an online CPU with --cpu",
			       "CPU %u: cannot pin to it (%s)", o->cpu,
			       strerror(-ret));
	else
		vb_doctor_line(&d, PASS, "target cpu", NULL, "CPU %u (pinned)",
			       o->cpu);
	vb_doctor_vmx(&d);
	vb_doctor_host(&d);
	fprintf(env->out, "doctor: CPU %u: %u passed, %u warnings, %u failed: %s\n",
		o->cpu, d.n[PASS], d.n[WARN], d.n[FAIL], d.n[FAIL] ?
		"a native run cannot proceed until the FAIL lines are fixed" :
		d.n[WARN] ? "a native run can proceed; the warnings cost trustworthiness" : "ready for a native run");
	return d.n[FAIL] ? VB_EXIT_ERROR : VB_EXIT_OK;
}
