// SPDX-License-Identifier: GPL-2.0
/*
 * The top level: the table of subcommands' handlers, --help, --version.
 * Errors go out through diag.c, below everything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "meta.h"

/* The commands that write no meta.csv have no use for the command line. */
#define WITHOUT_CMDLINE(fn)						\
static int fn##_handler(const struct vb_opts *o, const char *cmdline,	\
			const struct vb_env *env)			\
{									\
	(void)cmdline;							\
	return fn(o, env);						\
}

WITHOUT_CMDLINE(vb_cmd_plan)
WITHOUT_CMDLINE(vb_cmd_info)
WITHOUT_CMDLINE(vb_cmd_selftest)
WITHOUT_CMDLINE(vb_cmd_events)
WITHOUT_CMDLINE(vb_cmd_doctor)
WITHOUT_CMDLINE(vb_cmd_conform)

/*
 * Each command's handler, by enum vb_cmd.  Its name and summary are in
 * cli.c's table (vb_cmd_name, vb_cmd_summary, vb_cmd_lookup): the option
 * parser's messages and each command's --help say them too, and cli.o
 * must not depend on this file, which calls it.
 */
static vb_cmd_fn *const handlers[VB_CMD_COUNT] = {
	[VB_CMD_RUN] = vb_cmd_run,
	[VB_CMD_PLAN] = vb_cmd_plan_handler,
	[VB_CMD_INFO] = vb_cmd_info_handler,
	[VB_CMD_SELFTEST] = vb_cmd_selftest_handler,
	[VB_CMD_EVENTS] = vb_cmd_events_handler,
	[VB_CMD_DOCTOR] = vb_cmd_doctor_handler,
	[VB_CMD_PROBE] = vb_cmd_probe,
	[VB_CMD_CONFORM] = vb_cmd_conform_handler,
};

static void help(FILE *f)
{
	int i;

	fprintf(f, "usage: %s COMMAND [OPTIONS]\n"
		"       %s COMMAND --help\n"
		"       %s help keys [--markdown]   every sweep key (config and flag)\n"
		"       %s --version\n\n"
		"A microbenchmark for the Intel VMX instruction VMPTRST. Needs the\n"
		"vmptrst_bench module (%s) and root.\n\n"
		"commands:\n",
		VB_TOOL_NAME, VB_TOOL_NAME, VB_TOOL_NAME, VB_TOOL_NAME,
		VB_DEVICE_PATH);
	for (i = 0; i < VB_CMD_COUNT; i++)
		fprintf(f, "  %-10s %s\n", vb_cmd_name(i), vb_cmd_summary(i));
	vb_cli_exit_help(f);
}

/* help keys [--markdown]: the key reference (configs/README.md's table). */
static int help_keys(int argc, char **argv, const struct vb_env *env)
{
	int md = argc == 1 && !strcmp(argv[0], "--markdown");

	if (argc > 1 || (argc == 1 && !md)) {
		vb_err(env, "help keys: unknown option '%s' (only --markdown)", argv[0]);
		return VB_EXIT_USAGE;
	}
	if (vb_keys_reference(env->out, md ? VB_REF_MARKDOWN : VB_REF_TEXT) ||
	    fflush(env->out)) {
		vb_err(env, "help keys: write error");
		return VB_EXIT_ERROR;
	}
	return VB_EXIT_OK;
}

int vb_main(int argc, char **argv, const struct vb_env *env)
{
	struct vb_opts o;
	char *cmdline;
	int cmd, rc;

	if (argc < 2) {
		vb_err(env, "no command (see '%s --help')", VB_TOOL_NAME);
		return VB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && !strcmp(argv[2], "keys"))
			return help_keys(argc - 3, argv + 3, env);
		if (argc > 2 && vb_cmd_lookup(argv[2]) >= 0)
			vb_cli_help(vb_cmd_lookup(argv[2]), env->out);
		else
			help(env->out);
		return VB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		fprintf(env->out, "%s %s (commit %s, ABI %u)\n", VB_TOOL_NAME,
			VB_TOOL_VERSION, VB_GIT_COMMIT, (unsigned int)VB_ABI_VERSION);
		return VB_EXIT_OK;
	}
	cmd = vb_cmd_lookup(argv[1]);
	if (cmd < 0) {
		vb_err(env, "unknown %s '%s' (see '%s --help')",
		       argv[1][0] == '-' ? "option" : "command", argv[1],
		       VB_TOOL_NAME);
		return VB_EXIT_USAGE;
	}
	cmdline = vb_join_argv(argc, argv);	/* before getopt permutes argv */
	if (!cmdline) {
		vb_err(env, "out of memory");
		return VB_EXIT_ERROR;
	}
	rc = vb_cli_parse(cmd, argc - 1, argv + 1, &o, env);
	if (rc == VB_EXIT_OK && o.help)
		vb_cli_help(cmd, env->out);
	else if (rc == VB_EXIT_OK)
		rc = handlers[cmd](&o, cmdline, env);
	free(cmdline);
	return rc;
}
