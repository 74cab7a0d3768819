// SPDX-License-Identifier: GPL-2.0
/* vmptrst-analyze: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"

static void usage(FILE *f)
{
	fputs("usage: " AZ_TOOL " COMMAND ARGS\n"
	      "\n"
	      "  summary DIR                    DIR/summary.csv: statistics per point\n"
	      "  plot DIR                       DIR/plots/: gnuplot scripts, PNG, SVG\n"
	      "  report DIR                     DIR/report.html (summary, plot, report)\n"
	      "  compare DIR_A DIR_B [-o DIR]   compare.csv: B against A, per point\n"
	      "  export DIR --format json|md    the run as JSON or Markdown, on stdout\n"
	      "  catalog add|list|show|history|compare|table|merge DB ...  the run catalogue (SQLite)\n"
	      "  fleet DIR                      DIR/fleet.csv: a fleet run across hosts\n"
	      "\n"
	      "DIR is a run directory (meta.csv, samples.csv).  COMMAND --help for\n"
	      "details.  Exit: 0 ok, 1 bad data or I/O, 2 bad command line,\n"
	      "4 compare --fail-on matched.\n", f);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmd[] = {
		{ "summary", az_cmd_summary },
		{ "plot", az_cmd_plot },
		{ "report", az_cmd_report },
		{ "compare", az_cmd_compare },
		{ "export", az_cmd_export },
		{ "catalog", az_cmd_catalog },
		{ "fleet", az_cmd_fleet },
	};
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return AZ_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return AZ_EXIT_OK;
	}
	for (i = 0; i < sizeof(cmd) / sizeof(cmd[0]); i++)
		if (!strcmp(argv[1], cmd[i].name))
			return cmd[i].fn(argc - 1, argv + 1);
	az_err(NULL, 0, "unknown command \"%s\" (summary, plot, report, compare, export, catalog, fleet)",
	       argv[1]);
	return AZ_EXIT_USAGE;
}
