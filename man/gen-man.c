// SPDX-License-Identifier: GPL-2.0
/*
 * gen-man [-a ANALYZE] TEMPLATE: the template on stdout, each line
 *   .\" generated: vmptrst-bench PART    (synopsis, commands, keys, exit)
 *   .\" generated: keys
 *   .\" generated: vmptrst-analyze PART  (synopsis, commands, notes)
 * replaced by that part in mdoc(7), written from the driver's own tables:
 * its command line (bench/cli.c, bench/clihelp.c) and its sweep keys
 * (bench/keytab.c, through bench/keyref.c, which also writes
 * configs/README.md's table); vmptrst-analyze's parts from the --help of
 * the program ANALYZE (analyze-help.c).  Exit 1 on an unknown part, a
 * failed --help or a write error.
 */
#include <stdio.h>
#include <string.h>

#include "analyze-help.h"
#include "cli.h"
#include "keys.h"

#define MARK ".\\\" generated: "

static const char *analyze;

static int part(const char *name)
{
	if (!strncmp(name, "vmptrst-analyze ", 16))
		return analyze ? az_man_part(stdout, analyze, name + 16) : -1;
	if (!strcmp(name, "keys"))
		return vb_keys_reference(stdout, VB_REF_MDOC);
	if (!strncmp(name, "vmptrst-bench ", 14))
		return vb_cli_mdoc(stdout, name + 14);
	return -1;
}

int main(int argc, char **argv)
{
	char line[4096];
	FILE *in;
	int n = 0;

	if (argc == 4 && !strcmp(argv[1], "-a")) {
		analyze = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: gen-man [-a ANALYZE] TEMPLATE\n");
		return 2;
	}
	in = fopen(argv[1], "r");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	while (fgets(line, sizeof(line), in)) {
		n++;
		if (strncmp(line, MARK, strlen(MARK))) {
			fputs(line, stdout);
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		if (part(line + strlen(MARK))) {
			fprintf(stderr, "%s:%d: no such part, or a write error: %s\n",
				argv[1], n, line + strlen(MARK));
			return 1;
		}
	}
	fclose(in);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
