// SPDX-License-Identifier: GPL-2.0
/*
 * The command line's help, from cli.c's tables: COMMAND --help on a
 * terminal, and the same in mdoc(7) for the man page vmptrst-bench(1)
 * (man/gen-man splices it into man/vmptrst-bench.1.in).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mdoc.h"

/* After the options of run and plan. */
static const char sweep_note[] =
	"A sweep key's value may be a comma list: an axis. The points are the\n"
	"cartesian product of the axes (see configs/README.md, or\n"
	"man 5 vmptrst-bench.ini).\n";

/* After the options (and the sweep note): what the command prints or writes. */
static const char *const notes[VB_CMD_COUNT] = {
	[VB_CMD_RUN] =
	"samples.csv has one row per record; its tsc column is TSC ticks\n"
	"(tsc_end - tsc_begin) per timed window of U instructions; each event's column\n"
	"counts that window's bracket (empty: not counted in this row's pass, or no\n"
	"valid count). Its header:\n"
	"point,<axes>,pass,sample,tsc,exit_ticks,entry_ticks,check,flag_nmi,flag_smi,\n"
	"<events>; exit_ticks and entry_ticks split a mode=guest record's last VM\n"
	"exit in TSC ticks (empty without one, or when its readings were out of order);\n"
	"flag_nmi/flag_smi are 1 when an NMI hit the record or an SMI its window\n"
	"(vmptrst-analyze leaves such rows out). windows.csv has one row per\n"
	"IRQ-off window (empty: not readable):\n"
	"point,pass,window,first_sample,samples,tsc_ticks,aperf,mperf,freq_ratio,smi,nmi.\n",
	[VB_CMD_DOCTOR] =
	"One line per check: PASS|WARN|FAIL  what: detail (fix: ...), then a summary.\n"
	"Exit 0 when a native run can proceed (no FAIL), 1 otherwise.\n",
	[VB_CMD_PROBE] =
	"Prints which branch of VMPTRST's Operation the CPU took at CPL 3: ud (#UD,\n"
	"SIGILL: not in VMX operation, or a hypervisor refusing nested VMX), gp (#GP,\n"
	"SIGSEGV: the CPU is in VMX root operation) or stored (impossible on bare\n"
	"metal). With -o DIR: meta.csv (probe_result, probe_meaning) and samples.csv,\n"
	"instruction vmptrst-fault and ud2 rows interleaved pair by pair, tsc in TSC\n"
	"ticks from before the instruction to after the handler's siglongjmp. Exit 0\n"
	"when the classification succeeded, whatever it was.\n",
	[VB_CMD_CONFORM] =
	"One line per branch of the reference page (14: CPL 0 from the module's\n"
	"CONFORM, CPL 3 on this thread, VMX non-root from a guest RUN): branch,\n"
	"expected, observed, verdict (as-documented, differs, not-reachable-here)\n"
	"and reason, then \"conform: N as documented, N differ, N not reachable\n"
	"here\". --backend user observes the ring-3 rows without the module.\n"
	"conformance.csv's columns and verdicts: bench/README.md, \"conformance.csv\".\n"
	"Exit 0 when the table could be made (differs is data, not an error), 1 with\n"
	"one line otherwise.\n",
};

static int sweeps(enum vb_cmd cmd)
{
	return cmd == VB_CMD_RUN || cmd == VB_CMD_PLAN;
}

void vb_cli_help(enum vb_cmd cmd, FILE *f)
{
	struct vb_cli_doc d;
	size_t i = 0;
	char lhs[64];

	fprintf(f, "usage: %s %s [OPTIONS]%s%s\n\n%s.\n\noptions:\n",
		VB_TOOL_NAME, vb_cmd_name(cmd), *vb_cmd_usage(cmd) ? " " : "",
		vb_cmd_usage(cmd), vb_cmd_summary(cmd));
	while (!vb_cli_doc(cmd, &i, &d)) {
		if (d.shortopt)
			snprintf(lhs, sizeof(lhs), "-%c, --%s%s%s", d.shortopt,
				 d.name, d.arg ? " " : "", d.arg ? d.arg : "");
		else
			snprintf(lhs, sizeof(lhs), "    --%s%s%s", d.name,
				 d.arg ? " " : "", d.arg ? d.arg : "");
		fprintf(f, "  %-24s %s\n", lhs, d.help);
		if (d.values[0])
			fprintf(f, "%27s%s\n", "", d.values);
	}
	if (sweeps(cmd))
		fprintf(f, "\n%s", sweep_note);
	if (notes[cmd])
		fputs(notes[cmd], f);
}

void vb_cli_exit_help(FILE *f)
{
	const struct vb_exit_doc *e;
	const char *p;

	fputs("\nexit codes:\n", f);
	for (e = vb_exit_docs; e->text; e++) {
		fprintf(f, "  %-4d ", e->code);
		for (p = e->text; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fprintf(f, "%7s", "");
		}
		fputc('\n', f);
	}
}

/* An option as the head of a list item: "Fl c , Fl \-config Ar FILE". */
static void mdoc_option(FILE *out, const struct vb_cli_doc *d)
{
	fputs(".It", out);
	if (d->shortopt)
		fprintf(out, " Fl %c ,", d->shortopt);
	fputs(" Fl \\-", out);
	vb_mdoc_arg(out, d->name);
	if (d->arg) {
		fputs(" Ar ", out);
		vb_mdoc_arg(out, d->arg);
	}
	fputc('\n', out);
}

/* The options of cmd (its sweep keys' only when keys) as a tagged list. */
static void mdoc_options(FILE *out, enum vb_cmd cmd, int keys)
{
	struct vb_cli_doc d;
	char text[1024];
	size_t i = 0;

	fputs(".Bl -tag -width Ds\n", out);
	while (!vb_cli_doc(cmd, &i, &d)) {
		if (d.sweep_key != keys)
			continue;
		mdoc_option(out, &d);
		snprintf(text, sizeof(text), "%s.%s%s%s", d.help,
			 d.values[0] ? " Values: " : "", d.values,
			 d.values[0] ? "." : "");
		vb_mdoc_text(out, text);
	}
	if (sweeps(cmd) && !keys)
		fputs(".It Fl \\-KEY Ar VALUE\nEvery sweep key, as under\n.Sx SWEEP KEY FLAGS .\n",
		      out);
	fputs(".El\n", out);
}

/* "vmptrst-bench run [options] [-c FILE] -o DIR" in the synopsis's form. */
static void mdoc_usage(FILE *out, enum vb_cmd cmd)
{
	fprintf(out, ".Nm\n.Cm %s\n.Op Ar options\n", vb_cmd_name(cmd));
	if (*vb_cmd_usage(cmd)) {
		fputc('.', out);
		vb_mdoc_usage(out, vb_cmd_usage(cmd));
		fputc('\n', out);
	}
}

static void mdoc_synopsis(FILE *out)
{
	int c;

	for (c = 0; c < VB_CMD_COUNT; c++)
		mdoc_usage(out, c);
	fputs(".Nm\n.Ar command\n.Fl \\-help\n"
	      ".Nm\n.Cm help keys\n.Op Fl \\-markdown\n"
	      ".Nm\n.Fl \\-version\n", out);
}

static void mdoc_commands(FILE *out)
{
	char text[512];
	int c;

	fputs(".Bl -tag -width Ds\n", out);
	for (c = 0; c < VB_CMD_COUNT; c++) {
		fputs(".It Xo\n", out);
		mdoc_usage(out, c);
		fputs(".Xc\n", out);
		snprintf(text, sizeof(text), "%s.", vb_cmd_summary(c));
		text[0] = (char)(text[0] >= 'a' && text[0] <= 'z' ?
				 text[0] - 'a' + 'A' : text[0]);
		vb_mdoc_text(out, text);
		mdoc_options(out, c, 0);
		if (sweeps(c) || notes[c])
			fputs(".Pp\n", out);
		if (sweeps(c))
			vb_mdoc_text(out, sweep_note);
		if (sweeps(c) && notes[c])
			fputs(".Pp\n", out);
		if (notes[c])
			vb_mdoc_text(out, notes[c]);
	}
	fputs(".El\n", out);
}

static void mdoc_exit(FILE *out)
{
	const struct vb_exit_doc *e;

	fputs(".Bl -tag -width Ds\n", out);
	for (e = vb_exit_docs; e->text; e++) {
		fprintf(out, ".It %d\n", e->code);
		vb_mdoc_text(out, e->text);
	}
	fputs(".El\n", out);
}

int vb_cli_mdoc(FILE *out, const char *part)
{
	if (!strcmp(part, "synopsis"))
		mdoc_synopsis(out);
	else if (!strcmp(part, "commands"))
		mdoc_commands(out);
	else if (!strcmp(part, "keys"))
		mdoc_options(out, VB_CMD_RUN, 1);
	else if (!strcmp(part, "exit"))
		mdoc_exit(out);
	else
		return -1;
	return ferror(out) ? -1 : 0;
}
