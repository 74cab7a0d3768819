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
/* Its operands as --help's usage line has them: "[-c FILE] -o DIR", or "". */
const char *vb_cmd_usage(enum vb_cmd cmd);

/* One option of a command, as --help and the man page describe it. */
struct vb_cli_doc {
	const char *name;	/* --name */
	char shortopt;		/* -c, or '\0' */
	const char *arg;	/* its value's name; NULL: a flag */
	const char *help;
	char values[192];	/* "hot|flushed|flushopt, default hot", or "" */
	int sweep_key;		/* one of vb_keys[] (run, plan) */
};

/*
 * The options of cmd in --help's order, from *i (start at 0): 0 with the
 * next one in *doc, -1 after the last.
 */
int vb_cli_doc(enum vb_cmd cmd, size_t *i, struct vb_cli_doc *doc);

/* The exit codes and their meaning (lines split where --help splits them). */
struct vb_exit_doc {
	int code;		/* -1 ends the table */
	const char *text;
};
extern const struct vb_exit_doc vb_exit_docs[];

/*
 * argv[0] is the subcommand's name.  Returns VB_EXIT_OK (o->help set if
 * --help was asked for) or VB_EXIT_USAGE after one line on env->err.
 */
int vb_cli_parse(enum vb_cmd cmd, int argc, char **argv, struct vb_opts *o,
		 const struct vb_env *env);

/* clihelp.c: the help of the command line, from the tables above. */
void vb_cli_help(enum vb_cmd cmd, FILE *f);	/* COMMAND --help */
void vb_cli_exit_help(FILE *f);			/* --help's exit codes */
/*
 * The man page vmptrst-bench(1)'s parts, in mdoc(7): "synopsis",
 * "commands" (each command, its options and notes), "keys" (the sweep keys'
 * flags), "exit" (the exit codes).  0, or -1 for an unknown part or a write
 * error.
 */
int vb_cli_mdoc(FILE *out, const char *part);

#endif /* VB_CLI_H */
