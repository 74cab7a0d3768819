/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: one option table (name, type, range, default, help)
 * serving getopt_long, the defaults, validation and --help of every
 * subcommand; the sweep keys come from keys.h's table, which the config
 * file shares.
 */
#ifndef VB_CLI_H
#define VB_CLI_H

#include <stdio.h>

#include "bench.h"
#include "config.h"

enum vb_cmd { VB_CMD_RUN, VB_CMD_PLAN, VB_CMD_INFO, VB_CMD_SELFTEST,
	      VB_CMD_EVENTS, VB_CMD_DOCTOR, VB_CMD_PROBE, VB_CMD_CONFORM,
	      VB_CMD_COUNT };

/* Where `run` executes the engine (--backend). */
enum vb_backend {
	VB_BACKEND_MODULE,	/* /dev/vmptrst_bench: ring 0, VMX, IRQs off */
	VB_BACKEND_USER,	/* bench/userdev.c: ring 3, this thread */
	VB_BACKEND_COUNT
};
extern const char *const vb_backend_names[VB_BACKEND_COUNT + 1];

struct vb_opts {
	unsigned int backend;		/* run, conform: enum vb_backend */
	unsigned int cpu;		/* info, selftest, doctor, probe, conform */
	unsigned int samples;		/* probe */
	struct vb_section flags;	/* run, plan: sweep keys given (line 0) */
	const char *config;		/* -c FILE, or NULL */
	unsigned int platform;		/* enum vb_platform, AUTO: detect */
	const char *outdir;
	const char *pattern;		/* events: PATTERN, or NULL */
	int force;
	int help;
};

/* -1 if name is not a subcommand. */
int vb_cmd_lookup(const char *name);
const char *vb_cmd_name(enum vb_cmd cmd);
const char *vb_cmd_summary(enum vb_cmd cmd);

/*
 * argv[0] is the subcommand's name.  Returns VB_EXIT_OK (o->help set if
 * --help was asked for) or VB_EXIT_USAGE after one line on env->err.
 */
int vb_cli_parse(enum vb_cmd cmd, int argc, char **argv, struct vb_opts *o,
		 const struct vb_env *env);
void vb_cli_help(enum vb_cmd cmd, FILE *f);

#endif /* VB_CLI_H */
