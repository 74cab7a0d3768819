// SPDX-License-Identifier: GPL-2.0
/*
 * vmptrst-analyze(1)'s generated parts, from the program's own --help:
 * `vmptrst-analyze --help` names the commands with a line of summary each,
 * `vmptrst-analyze COMMAND --help` gives its usage lines and its text.
 * Usage lines become mdoc macros (mdoc.h's vb_mdoc_usage), paragraphs
 * filled text, indented lines (option tables) literal displays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze-help.h"
#include "mdoc.h"

#define MAX_CMDS	16
#define TOOL		"vmptrst-analyze"

struct cmd {
	char name[32];
	char summary[160];
};

/* The output of `ANALYZE ARGS`, NUL-terminated, or NULL. */
static char *help_of(const char *analyze, const char *args)
{
	char cmd[1024], *text = NULL;
	size_t size = 0;
	FILE *p, *out;
	int c;

	snprintf(cmd, sizeof(cmd), "'%s' %s", analyze, args);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	out = open_memstream(&text, &size);
	if (out) {
		while ((c = fgetc(p)) != EOF)
			fputc(c, out);
		fclose(out);
	}
	if (pclose(p) != 0 || !size) {
		free(text);
		return NULL;
	}
	return text;
}

/* "  summary DIR    DIR/summary.csv: ..." lines of the top --help. */
static int commands(const char *analyze, struct cmd *cmds)
{
	char *text = help_of(analyze, "--help"), *line, *nl, *gap;
	int n = 0;

	if (!text)
		return -1;
	for (line = text; *line && n < MAX_CMDS; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		gap = strstr(line + 2, "  ");
		if (strncmp(line, "  ", 2) || line[2] == ' ' || !gap)
			continue;
		snprintf(cmds[n].name, sizeof(cmds[n].name), "%.*s",
			 (int)strcspn(line + 2, " "), line + 2);
		snprintf(cmds[n].summary, sizeof(cmds[n].summary), "%s",
			 gap + strspn(gap, " "));
		n++;
	}
	free(text);
	return n;
}

/* The top --help's closing paragraph (after the list of commands). */
static int notes(FILE *out, const char *analyze)
{
	char *text = help_of(analyze, "--help"), *p;

	if (!text)
		return -1;
	p = strstr(text, "\n\n");
	p = p ? strstr(p + 2, "\n\n") : NULL;
	if (p)
		vb_mdoc_text(out, p + 2);
	free(text);
	return p ? 0 : -1;
}

/* One usage line, "vmptrst-analyze compare DIR_A ...", as .Nm and a macro line. */
static void usage_line(FILE *out, const char *line)
{
	const char *p = strstr(line, TOOL " ");

	if (!p)
		return;
	fputs(".Nm\n.", out);
	vb_mdoc_usage(out, p + strlen(TOOL) + 1);
	fputc('\n', out);
}

/* Lines after "usage: " that continue it ("       vmptrst-analyze ..."). */
static const char *usage_lines(FILE *out, const char *text, int br)
{
	const char *line = text, *nl;
	char buf[512];

	while (*line) {
		nl = strchr(line, '\n');
		if (!nl || (strncmp(line, "usage: ", 7) &&
			    strncmp(line, "       " TOOL, 7 + strlen(TOOL))))
			break;
		if (br && line != text)
			fputs(".br\n", out);
		snprintf(buf, sizeof(buf), "%.*s", (int)(nl - line), line);
		usage_line(out, buf);
		line = nl + 1;
	}
	return line;
}

/* An indented line of a literal display, escaped. */
static void literal(FILE *out, const char *line, size_t len)
{
	size_t i;

	if (len && (*line == '.' || *line == '\''))
		fputs("\\&", out);
	for (i = 0; i < len; i++)
		if (line[i] == '\\')
			fputs("\\e", out);
		else
			fputc(line[i], out);
	fputc('\n', out);
}

/*
 * The text after the usage: prose paragraphs and literal displays, a
 * blank line a .Pp between two of them.
 */
static void body(FILE *out, const char *text)
{
	char *prose = NULL;
	size_t size = 0, len;
	FILE *para = NULL;
	const char *line, *nl;
	int display = 0, gap = 0;

	for (line = text; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		len = (size_t)(nl - line);
		if (para && (len == 0 || line[0] == ' ')) {
			fclose(para);
			para = NULL;
			vb_mdoc_text(out, prose);
			free(prose);
			prose = NULL;
		}
		if (display && (len == 0 || line[0] != ' ')) {
			fputs(".Ed\n", out);
			display = 0;
		}
		if (len == 0) {
			gap = 1;
		} else if (line[0] == ' ') {
			if (!display)
				fputs(".Bd -literal\n", out);
			display = 1;
			gap = 0;
			literal(out, line, len);
		} else {
			if (gap)
				fputs(".Pp\n", out);
			gap = 0;
			if (!para)
				para = open_memstream(&prose, &size);
			if (para)
				fprintf(para, "%.*s\n", (int)len, line);
		}
		if (!*nl)
			break;
	}
	if (para) {
		fclose(para);
		vb_mdoc_text(out, prose);
		free(prose);
	}
	if (display)
		fputs(".Ed\n", out);
}

static int synopsis(FILE *out, const char *analyze)
{
	struct cmd cmds[MAX_CMDS];
	char args[64], *text;
	int n = commands(analyze, cmds), i;

	for (i = 0; i < n; i++) {
		snprintf(args, sizeof(args), "%.31s --help", cmds[i].name);
		text = help_of(analyze, args);
		if (!text)
			return -1;
		usage_lines(out, text, 0);
		free(text);
	}
	return n > 0 ? 0 : -1;
}

static int command_list(FILE *out, const char *analyze)
{
	struct cmd cmds[MAX_CMDS];
	char args[64], *text;
	const char *rest;
	int n = commands(analyze, cmds), i;

	if (n <= 0)
		return -1;
	fputs(".Bl -tag -width Ds\n", out);
	for (i = 0; i < n; i++) {
		snprintf(args, sizeof(args), "%.31s --help", cmds[i].name);
		text = help_of(analyze, args);
		if (!text)
			return -1;
		fprintf(out, ".It Cm %s\n", cmds[i].name);
		strncat(cmds[i].summary, ".", sizeof(cmds[i].summary) -
			strlen(cmds[i].summary) - 1);
		vb_mdoc_text(out, cmds[i].summary);
		fputs(".Pp\n", out);
		rest = usage_lines(out, text, 1);
		body(out, rest);
		free(text);
	}
	fputs(".El\n", out);
	return 0;
}

int az_man_part(FILE *out, const char *analyze, const char *part)
{
	if (!strcmp(part, "synopsis"))
		return synopsis(out, analyze);
	if (!strcmp(part, "commands"))
		return command_list(out, analyze);
	if (!strcmp(part, "notes"))
		return notes(out, analyze);
	return -1;
}
