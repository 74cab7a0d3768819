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
#include "diag.h"
#include "keys.h"
#include "platform.h"

enum vb_opt_type { VB_OPT_UINT, VB_OPT_ENUM, VB_OPT_STR, VB_OPT_FLAG,
		   VB_OPT_HELP, VB_OPT_KEY };

#define CMD(c)		(1u << (c))
#define SWEEP_CMDS	(CMD(VB_CMD_RUN) | CMD(VB_CMD_PLAN))
#define ALL_CMDS	((1u << VB_CMD_COUNT) - 1)
#define OFF(field)	offsetof(struct vb_opts, field)
#define KEY_BASE	300	/* getopt value of sweep key k: KEY_BASE + k */

struct vb_option {
	const char *name;
	int key;			/* short option, or >= 256 */
	enum vb_opt_type type;
	size_t off;			/* VB_OPT_KEY: enum vb_key */
	unsigned long min, max;
	const char *def;		/* parsed like user input; NULL: none */
	const char *const *names;	/* VB_OPT_ENUM, indexed by value */
	unsigned int cmds;
	const char *arg;
	const char *help;
};

/* The options that are not sweep keys; those follow from vb_keys[]. */
const char *const vb_backend_names[VB_BACKEND_COUNT + 1] = {
	[VB_BACKEND_MODULE] = "module",
	[VB_BACKEND_USER] = "user",
};

static const struct vb_option fixed[] = {
	{ "config", 'c', VB_OPT_STR, OFF(config), 0, 0, NULL, NULL, SWEEP_CMDS,
	  "FILE", "sweep configuration (INI); the flags below act as [global] values that override the file's [global]" },
	{ "cpu", 256, VB_OPT_UINT, OFF(cpu), 0, CPU_SETSIZE - 1, "0", NULL,
	  CMD(VB_CMD_INFO) | CMD(VB_CMD_SELFTEST) | CMD(VB_CMD_DOCTOR) |
	  CMD(VB_CMD_PROBE) | CMD(VB_CMD_CONFORM), "N",
	  "target CPU (logical CPU number)" },
	{ "samples", 264, VB_OPT_UINT, OFF(samples), 1, VB_MAX_SAMPLES, "2000",
	  NULL, CMD(VB_CMD_PROBE), "N", "sample pairs (VMPTRST, UD2) timed with -o DIR" },
	{ "backend", 265, VB_OPT_ENUM, OFF(backend), 0, 0, "module",
	  vb_backend_names, CMD(VB_CMD_RUN) | CMD(VB_CMD_CONFORM), "B",
	  "module (/dev/vmptrst_bench: ring 0, VMX, IRQs off) or user (the same engine at ring 3 on this thread: no module, no root, no VT-x; instructions mov, none, add, imul, chase; memtype wb, tlb warm, ad set; interrupts stay on)" },
	{ "platform", 262, VB_OPT_ENUM, OFF(platform), 0, 0, NULL,
	  vb_platform_names, CMD(VB_CMD_RUN), "P",
	  "label the run's platform (default: detect from DMI and CPUID)" },
	{ "output", 'o', VB_OPT_STR, OFF(outdir), 0, 0, NULL, NULL,
	  CMD(VB_CMD_RUN) | CMD(VB_CMD_PROBE) | CMD(VB_CMD_CONFORM), "DIR",
	  "the output directory, created: run writes meta.csv, points.csv, samples.csv, windows.csv and conformance.csv there, probe meta.csv and samples.csv, conform conformance.csv" },
	{ "force", 263, VB_OPT_FLAG, OFF(force), 0, 0, NULL, NULL,
	  CMD(VB_CMD_RUN) | CMD(VB_CMD_PROBE) | CMD(VB_CMD_CONFORM), NULL,
	  "write into a DIR whose samples.csv holds measured rows (run, probe: overwrite it)" },
	{ "help", 'h', VB_OPT_HELP, OFF(help), 0, 0, NULL, NULL, ALL_CMDS,
	  NULL, "this help" },
};

#define N_FIXED		(sizeof(fixed) / sizeof(fixed[0]))
#define N_OPTIONS	(N_FIXED + VB_KEY_COUNT)

/* Option i of the whole table: the fixed ones, then one per sweep key. */
static struct vb_option option(size_t i)
{
	const struct vb_key_def *k;

	if (i < N_FIXED)
		return fixed[i];
	k = &vb_keys[i - N_FIXED];
	return (struct vb_option){
		.name = k->name, .key = KEY_BASE + (int)(i - N_FIXED),
		.type = VB_OPT_KEY, .off = i - N_FIXED, .min = k->min,
		.max = k->max, .def = k->def, .names = k->names,
		.cmds = SWEEP_CMDS, .arg = k->arg, .help = k->help,
	};
}

/* Each command's name, summary and operands after [OPTIONS]. */
static const struct {
	const char *name, *summary, *usage;
} cmds[VB_CMD_COUNT] = {
	[VB_CMD_RUN] = { "run", "measure a sweep (-c FILE) or the one point of the flags; write meta.csv, points.csv, samples.csv, windows.csv and conformance.csv", "[-c FILE] -o DIR" },
	[VB_CMD_PLAN] = { "plan", "print the points a run would measure and the sample and record counts (no device needed)", "[-c FILE]" },
	[VB_CMD_INFO] = { "info", "what the module and the CPU offer", "" },
	[VB_CMD_SELFTEST] = { "selftest", "VMPTRST outside VMX operation must raise #UD", "" },
	[VB_CMD_EVENTS] = { "events", "list the PMU events libpfm4 knows for this CPU, one line each (name, description); PATTERN: a substring or glob, any case", "[PATTERN]" },
	[VB_CMD_DOCTOR] = { "doctor", "preflight for a native run: PASS/WARN/FAIL per check with its fix; exit 1 on any FAIL", "" },
	[VB_CMD_PROBE] = { "probe", "VMPTRST at ring 3 (no module, no root): #UD, #GP or a stored value, and with -o DIR the cost of that fault against UD2", "[-o DIR]" },
	[VB_CMD_CONFORM] = { "conform", "VMPTRST on every branch of the reference page: what the page says, what this CPU did, the verdict; -o DIR writes DIR/conformance.csv", "[-o DIR]" },
};

/* The exit codes, as --help and the man page list them. */
const struct vb_exit_doc vb_exit_docs[] = {
	{ VB_EXIT_OK, "success" },
	{ VB_EXIT_ERROR, "error: device, system or output (one line on stderr);\nalso a run the module stopped because another hypervisor took VMX\n(or kvm took the crash-time VMXOFF callback): its rows kept" },
	{ VB_EXIT_USAGE, "bad command line or config file (FILE:LINE: what)" },
	{ VB_EXIT_CHECK, "check failed: records whose stored value was wrong, or module and\ndriver disagree (all rows still written); selftest saw no #UD" },
	{ VB_EXIT_INTERRUPTED, "interrupted by SIGINT/SIGTERM; what was measured is written" },
	{ -1, NULL },
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

const char *vb_cmd_usage(enum vb_cmd cmd)
{
	return cmds[cmd].usage;
}

/* The values line of --help: "hot|flushed|flushopt, default hot". */
static void doc_values(const struct vb_option *opt, char *buf, size_t len)
{
	enum vb_key_type kt = opt->type == VB_OPT_KEY ?
			      vb_keys[opt->off].type : VB_KT_UINT;
	char list[128];
	int w;

	buf[0] = '\0';
	if (opt->type == VB_OPT_ENUM ||
	    (opt->type == VB_OPT_KEY && kt == VB_KT_ENUM)) {
		vb_join_names(opt->names, list, sizeof(list));
		w = snprintf(buf, len, "%s", list);
	} else if (opt->type == VB_OPT_KEY && kt == VB_KT_OFFSET) {
		vb_join_names(opt->names, list, sizeof(list));
		w = snprintf(buf, len, "%lu..%lu|%s", opt->min, opt->max, list);
	} else if (opt->type == VB_OPT_UINT || (opt->type == VB_OPT_KEY &&
		   kt != VB_KT_EVENTS && kt != VB_KT_BOOL)) {
		w = snprintf(buf, len, "%lu..%lu", opt->min, opt->max);
	} else {
		return;
	}
	if (opt->type == VB_OPT_KEY && !opt->def && vb_keys[opt->off].def_doc)
		snprintf(buf + w, len - (size_t)w, ", default %s",
			 vb_keys[opt->off].def_doc);
	else if (opt->def && w >= 0 && (size_t)w < len)
		snprintf(buf + w, len - (size_t)w, ", default %s", opt->def);
}

int vb_cli_doc(enum vb_cmd cmd, size_t *i, struct vb_cli_doc *doc)
{
	for (; *i < N_OPTIONS; (*i)++) {
		struct vb_option opt = option(*i);

		if (!(opt.cmds & CMD(cmd)))
			continue;
		doc->name = opt.name;
		doc->shortopt = opt.key < 256 ? (char)opt.key : '\0';
		doc->arg = opt.arg;
		doc->help = opt.help;
		doc->sweep_key = opt.type == VB_OPT_KEY;
		doc_values(&opt, doc->values, sizeof(doc->values));
		(*i)++;
		return 0;
	}
	return -1;
}

static int set_option(const struct vb_option *opt, const char *val,
		      struct vb_opts *o, const char *cmd,
		      const struct vb_env *env)
{
	void *field = (char *)o + opt->off;
	struct vb_setting *set;
	unsigned long v;
	char list[128], msg[256];
	int i;

	switch (opt->type) {
	case VB_OPT_KEY:
		set = &o->flags.key[opt->off];
		if (vb_keys[opt->off].type == VB_KT_BOOL)
			val = "yes";	/* a flag on the command line */
		if (vb_key_parse(opt->off, val, &set->val, msg, sizeof(msg))) {
			vb_err(env, "%s: --%s=%s: %s", cmd, opt->name, val, msg);
			return -1;
		}
		set->set = 1;
		set->line = 0;
		return 0;
	case VB_OPT_UINT:
		if (vb_parse_range(val, opt->min, opt->max, &v, msg,
				   sizeof(msg))) {
			vb_err(env, "%s: --%s=%s: %s", cmd, opt->name, val, msg);
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
		vb_join_names(opt->names, list, sizeof(list));
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

static int by_key(enum vb_cmd cmd, int key, struct vb_option *out)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++) {
		*out = option(i);
		if (out->key == key && (out->cmds & CMD(cmd)))
			return 0;
	}
	return -1;
}

static void unknown_option(enum vb_cmd cmd, const char *arg,
			   const struct vb_env *env)
{
	const char *names[N_OPTIONS], *best;
	char name[64];
	size_t i, n;

	/* "--name=value" or "--name" -> "name" */
	n = strcspn(arg + strspn(arg, "-"), "=");
	snprintf(name, sizeof(name), "%.*s", (int)n, arg + strspn(arg, "-"));
	for (i = 0; i < N_OPTIONS; i++) {
		struct vb_option opt = option(i);

		names[i] = (opt.cmds & CMD(cmd)) ? opt.name : NULL;
	}
	best = vb_closest(name, names, N_OPTIONS);
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
		struct vb_option opt = option(i);
		int has_arg = opt.type != VB_OPT_FLAG &&
			      opt.type != VB_OPT_HELP &&
			      !(opt.type == VB_OPT_KEY &&
				vb_keys[opt.off].type == VB_KT_BOOL);

		if (!(opt.cmds & CMD(cmd)))
			continue;
		lo[nl].name = opt.name;
		lo[nl].has_arg = has_arg ? required_argument : no_argument;
		lo[nl].flag = NULL;
		lo[nl++].val = opt.key;
		if (opt.key < 256) {
			so[ns++] = (char)opt.key;
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
	struct vb_option opt;
	size_t i;
	int c;

	memset(o, 0, sizeof(*o));
	o->platform = VB_PLATFORM_AUTO;
	for (i = 0; i < N_FIXED; i++)	/* sweep keys: defaults in sweep.c */
		if ((fixed[i].cmds & CMD(cmd)) && fixed[i].def &&
		    set_option(&fixed[i], fixed[i].def, o, name, env))
			return VB_EXIT_USAGE;	/* a bad table: cannot happen */

	build_getopt(cmd, lo, so);
	opterr = 0;
	optind = 0;		/* full reset: parse may run more than once */
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == '?' && optopt >= 256) {
			by_key(cmd, optopt, &opt);
			vb_err(env, "%s: option '--%s' takes no value", name,
			       opt.name);
			return VB_EXIT_USAGE;
		}
		if (c == '?') {
			char shortopt[3] = { '-', (char)optopt, '\0' };

			unknown_option(cmd, optopt ? shortopt : argv[optind - 1],
				       env);
			return VB_EXIT_USAGE;
		}
		if (c == ':') {
			if (by_key(cmd, optopt, &opt))
				opt.name = opt.arg = "?";
			vb_err(env, "%s: option '--%s' needs a value (%s)", name,
			       opt.name, opt.arg);
			return VB_EXIT_USAGE;
		}
		if (by_key(cmd, c, &opt) ||
		    set_option(&opt, optarg ? optarg : "", o, name, env))
			return VB_EXIT_USAGE;
	}
	if (o->help)
		return VB_EXIT_OK;
	if (cmd == VB_CMD_EVENTS && optind < argc)
		o->pattern = argv[optind++];
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
