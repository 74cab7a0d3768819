// SPDX-License-Identifier: GPL-2.0
/* The command line: see cli.h. */
#define _GNU_SOURCE	/* CPU_SETSIZE */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "platform.h"
#include "records.h"

enum vb_opt_type { VB_OPT_UINT, VB_OPT_POW2, VB_OPT_ENUM, VB_OPT_STR,
		   VB_OPT_FLAG, VB_OPT_HELP };

#define CMD(c)		(1u << (c))
#define ALL_CMDS	(CMD(VB_CMD_RUN) | CMD(VB_CMD_INFO) | CMD(VB_CMD_SELFTEST))
#define OFF(field)	offsetof(struct vb_opts, field)

struct vb_option {
	const char *name;
	int key;			/* short option, or 256 + index */
	enum vb_opt_type type;
	size_t off;
	unsigned long min, max;
	const char *def;		/* parsed like user input; NULL: none */
	const char *const *names;	/* VB_OPT_ENUM, indexed by value */
	unsigned int cmds;
	const char *arg;
	const char *help;
};

static const struct vb_option options[] = {
	{ "cpu", 256, VB_OPT_UINT, OFF(cpu), 0, CPU_SETSIZE - 1, "0", NULL,
	  ALL_CMDS, "N", "target CPU (logical CPU number)" },
	{ "samples", 257, VB_OPT_UINT, OFF(samples), 1, VB_MAX_SAMPLES,
	  "10000", NULL, CMD(VB_CMD_RUN), "N",
	  "samples of the instruction; the interleaved baseline adds as many" },
	{ "unroll", 258, VB_OPT_POW2, OFF(unroll), 1, VB_MAX_UNROLL, "1",
	  NULL, CMD(VB_CMD_RUN), "U",
	  "instructions per timed window, a power of two" },
	{ "vmcs", 259, VB_OPT_ENUM, OFF(vmcs), 0, 0, "loaded", vb_vmcs_names,
	  CMD(VB_CMD_RUN), "STATE",
	  "a current VMCS (loaded) or none (VMPTRST stores all ones)" },
	{ "instruction", 260, VB_OPT_ENUM, OFF(instruction), 0, 0, "vmptrst",
	  vb_insn_names, CMD(VB_CMD_RUN), "INSN",
	  "instruction under test; mov is the control store, none the "
	  "baseline alone" },
	{ "offset", 261, VB_OPT_UINT, OFF(offset), 0, VB_MAX_OFFSET, "0",
	  NULL, CMD(VB_CMD_RUN), "BYTES",
	  "operand offset in its two-page buffer, bytes" },
	{ "platform", 262, VB_OPT_ENUM, OFF(platform), 0, 0, NULL,
	  vb_platform_names, CMD(VB_CMD_RUN), "P",
	  "label the run's platform (default: detect from DMI and CPUID)" },
	{ "output", 'o', VB_OPT_STR, OFF(outdir), 0, 0, NULL, NULL,
	  CMD(VB_CMD_RUN), "DIR",
	  "write DIR/meta.csv and DIR/samples.csv (DIR created)" },
	{ "force", 263, VB_OPT_FLAG, OFF(force), 0, 0, NULL, NULL,
	  CMD(VB_CMD_RUN), NULL, "overwrite an existing DIR/samples.csv" },
	{ "help", 'h', VB_OPT_HELP, OFF(help), 0, 0, NULL, NULL, ALL_CMDS,
	  NULL, "this help" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static const struct {
	const char *name, *summary;
} cmds[VB_CMD_COUNT] = {
	[VB_CMD_RUN] = { "run", "measure one point; write meta.csv and "
			 "samples.csv" },
	[VB_CMD_INFO] = { "info", "what the module and the CPU offer" },
	[VB_CMD_SELFTEST] = { "selftest", "VMPTRST outside VMX operation "
			      "must raise #UD" },
};

int vb_cmd_lookup(const char *name)
{
	int i;

	for (i = 0; i < VB_CMD_COUNT; i++)
		if (!strcmp(name, cmds[i].name))
			return i;
	return -1;
}

const char *vb_cmd_name(enum vb_cmd cmd)
{
	return cmds[cmd].name;
}

const char *vb_cmd_summary(enum vb_cmd cmd)
{
	return cmds[cmd].summary;
}

static void join_names(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *names && used < len; names++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? "|" : "", *names);
}

/* Decimal, or hexadecimal after 0x; no sign, no space, no junk. */
static int parse_ulong(const char *s, unsigned long *v)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 10 ? !isdigit((unsigned char)*s)
		       : !isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, base);
	return (errno || *end) ? -1 : 0;
}

static int set_option(const struct vb_option *opt, const char *val,
		      struct vb_opts *o, const char *cmd,
		      const struct vb_env *env)
{
	void *field = (char *)o + opt->off;
	unsigned long v;
	char list[128];
	int i;

	switch (opt->type) {
	case VB_OPT_UINT:
	case VB_OPT_POW2:
		if (parse_ulong(val, &v)) {
			vb_err(env, "%s: --%s=%s: not a number", cmd,
			       opt->name, val);
			return -1;
		}
		if (v < opt->min || v > opt->max) {
			vb_err(env, "%s: --%s=%s: out of range %lu..%lu", cmd,
			       opt->name, val, opt->min, opt->max);
			return -1;
		}
		if (opt->type == VB_OPT_POW2 && (v & (v - 1))) {
			vb_err(env, "%s: --%s=%s: not a power of two in "
			       "%lu..%lu", cmd, opt->name, val, opt->min,
			       opt->max);
			return -1;
		}
		*(unsigned int *)field = (unsigned int)v;
		return 0;
	case VB_OPT_ENUM:
		for (i = 0; opt->names[i]; i++) {
			if (!strcmp(val, opt->names[i])) {
				*(unsigned int *)field = (unsigned int)i;
				return 0;
			}
		}
		join_names(opt->names, list, sizeof(list));
		vb_err(env, "%s: --%s=%s: not one of %s", cmd, opt->name, val,
		       list);
		return -1;
	case VB_OPT_STR:
		if (!*val) {
			vb_err(env, "%s: --%s: empty value", cmd, opt->name);
			return -1;
		}
		*(const char **)field = val;
		return 0;
	case VB_OPT_FLAG:
	case VB_OPT_HELP:
		*(int *)field = 1;
		return 0;
	}
	return -1;
}

static const struct vb_option *by_key(int key)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (options[i].key == key)
			return &options[i];
	return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static void unknown_option(enum vb_cmd cmd, const char *arg,
			   const struct vb_env *env)
{
	char name[64];
	const char *best = NULL;
	size_t i, best_d = 3, n;

	/* "--name=value" or "--name" -> "name" */
	n = strcspn(arg + strspn(arg, "-"), "=");
	snprintf(name, sizeof(name), "%.*s", (int)n, arg + strspn(arg, "-"));
	for (i = 0; i < N_OPTIONS; i++) {
		size_t d;

		if (!(options[i].cmds & CMD(cmd)))
			continue;
		d = edit_distance(name, options[i].name);
		if (d < best_d) {
			best_d = d;
			best = options[i].name;
		}
	}
	if (best)
		vb_err(env, "%s: unknown option '%s' (did you mean --%s?)",
		       cmds[cmd].name, arg, best);
	else
		vb_err(env, "%s: unknown option '%s' (see '%s %s --help')",
		       cmds[cmd].name, arg, VB_TOOL_NAME, cmds[cmd].name);
}

static void build_getopt(enum vb_cmd cmd, struct option *lo, char *so)
{
	size_t i, nl = 0, ns = 0;

	so[ns++] = ':';		/* tell a missing value from an unknown option */
	for (i = 0; i < N_OPTIONS; i++) {
		const struct vb_option *opt = &options[i];
		int has_arg = opt->type != VB_OPT_FLAG &&
			      opt->type != VB_OPT_HELP;

		if (!(opt->cmds & CMD(cmd)))
			continue;
		lo[nl].name = opt->name;
		lo[nl].has_arg = has_arg ? required_argument : no_argument;
		lo[nl].flag = NULL;
		lo[nl++].val = opt->key;
		if (opt->key < 256) {
			so[ns++] = (char)opt->key;
			if (has_arg)
				so[ns++] = ':';
		}
	}
	memset(&lo[nl], 0, sizeof(lo[nl]));
	so[ns] = '\0';
}

int vb_cli_parse(enum vb_cmd cmd, int argc, char **argv, struct vb_opts *o,
		 const struct vb_env *env)
{
	struct option lo[N_OPTIONS + 1];
	char so[2 * N_OPTIONS + 2];
	const char *name = cmds[cmd].name;
	const struct vb_option *opt;
	size_t i;
	int c;

	memset(o, 0, sizeof(*o));
	o->platform = VB_PLATFORM_AUTO;
	for (i = 0; i < N_OPTIONS; i++)
		if ((options[i].cmds & CMD(cmd)) && options[i].def &&
		    set_option(&options[i], options[i].def, o, name, env))
			return VB_EXIT_USAGE;	/* a bad table: cannot happen */

	build_getopt(cmd, lo, so);
	opterr = 0;
	optind = 0;		/* full reset: parse may run more than once */
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == '?' && optopt >= 256) {
			opt = by_key(optopt);
			vb_err(env, "%s: option '--%s' takes no value", name,
			       opt ? opt->name : "?");
			return VB_EXIT_USAGE;
		}
		if (c == '?') {
			char shortopt[3] = { '-', (char)optopt, '\0' };

			unknown_option(cmd, optopt ? shortopt : argv[optind - 1],
				       env);
			return VB_EXIT_USAGE;
		}
		if (c == ':') {
			opt = by_key(optopt);
			vb_err(env, "%s: option '--%s' needs a value (%s)", name,
			       opt ? opt->name : "?", opt ? opt->arg : "?");
			return VB_EXIT_USAGE;
		}
		opt = by_key(c);
		if (!opt || set_option(opt, optarg ? optarg : "", o, name, env))
			return VB_EXIT_USAGE;
	}
	if (o->help)
		return VB_EXIT_OK;
	if (optind < argc) {
		vb_err(env, "%s: unexpected argument '%s'", name, argv[optind]);
		return VB_EXIT_USAGE;
	}
	if (cmd == VB_CMD_RUN && !o->outdir) {
		vb_err(env, "%s: -o DIR is required", name);
		return VB_EXIT_USAGE;
	}
	return VB_EXIT_OK;
}

void vb_cli_help(enum vb_cmd cmd, FILE *f)
{
	size_t i;

	fprintf(f, "usage: %s %s [OPTIONS]%s\n\n%s.\n\noptions:\n",
		VB_TOOL_NAME, cmds[cmd].name,
		cmd == VB_CMD_RUN ? " -o DIR" : "", cmds[cmd].summary);
	for (i = 0; i < N_OPTIONS; i++) {
		const struct vb_option *opt = &options[i];
		char lhs[64];

		if (!(opt->cmds & CMD(cmd)))
			continue;
		if (opt->key < 256)
			snprintf(lhs, sizeof(lhs), "-%c, --%s%s%s", opt->key,
				 opt->name, opt->arg ? " " : "",
				 opt->arg ? opt->arg : "");
		else
			snprintf(lhs, sizeof(lhs), "    --%s%s%s", opt->name,
				 opt->arg ? " " : "", opt->arg ? opt->arg : "");
		fprintf(f, "  %-24s %s\n", lhs, opt->help);
		if (opt->type == VB_OPT_ENUM) {
			char list[128];

			join_names(opt->names, list, sizeof(list));
			fprintf(f, "%27s%s", "", list);
		} else if (opt->type == VB_OPT_UINT ||
			   opt->type == VB_OPT_POW2) {
			fprintf(f, "%27s%lu..%lu", "", opt->min, opt->max);
		} else {
			continue;
		}
		if (opt->def)
			fprintf(f, ", default %s", opt->def);
		fputc('\n', f);
	}
	if (cmd == VB_CMD_RUN)
		fputs("\nsamples.csv has one row per record; its tsc column is "
		      "TSC ticks\n(tsc_end - tsc_begin) per timed window of U "
		      "instructions.\n", f);
}
