/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands, each returning an exit code (enum vb_exit). */
#ifndef VB_COMMANDS_H
#define VB_COMMANDS_H

#include "bench.h"
#include "cli.h"
#include "config.h"
#include "sweep.h"

/*
 * One handler per command, as the dispatcher's table holds them; cmdline
 * is the driver's argv joined, for meta.csv.
 */
typedef int vb_cmd_fn(const struct vb_opts *o, const char *cmdline,
		      const struct vb_env *env);

int vb_cmd_run(const struct vb_opts *o, const char *cmdline,
	       const struct vb_env *env);			/* run.c */
int vb_cmd_plan(const struct vb_opts *o, const struct vb_env *env); /* plan.c */
/*
 * o->config (if any) and the flags into a plan; on a bad config one line on
 * env->err and VB_EXIT_USAGE.  Free both with vb_plan_free, vb_config_free.
 */
int vb_plan_from_opts(const struct vb_opts *o, struct vb_config *cfg,
		      struct vb_plan *plan, const struct vb_env *env);
int vb_cmd_info(const struct vb_opts *o, const struct vb_env *env); /* inspect.c */
int vb_cmd_selftest(const struct vb_opts *o, const struct vb_env *env);
/* Preflight: PASS/WARN/FAIL per check, exit 1 on any FAIL (doctor.c). */
int vb_cmd_doctor(const struct vb_opts *o, const struct vb_env *env);
/* VMPTRST at ring 3: which fault, and its cost against UD2 (probe.c). */
int vb_cmd_probe(const struct vb_opts *o, const char *cmdline,
		 const struct vb_env *env);
/* VMPTRST on every branch of the reference page (conformcmd.c). */
int vb_cmd_conform(const struct vb_opts *o, const struct vb_env *env);
/* The PMU events libpfm4 offers here, matching o->pattern. */
int vb_cmd_events(const struct vb_opts *o, const struct vb_env *env);

/* The name of an exception vector: "#UD", "#GP", "#PF", "no fault" (-1). */
const char *vb_trap_name(int trap);

#endif /* VB_COMMANDS_H */
