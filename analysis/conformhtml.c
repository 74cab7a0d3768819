// SPDX-License-Identifier: GPL-2.0
/* The report's behaviour parts: the line in the conditions box and the
   section with conformance.csv's table. */
#include <stdio.h>
#include <string.h>

#include "conform.h"
#include "conformhtml.h"
#include "html.h"

const char az_conf_css[] = "table.conform td,table.conform th{text-align:left;vertical-align:top}table.conform td.cond,table.conform td.why{max-width:20em;font-size:85%}table.conform td.obs{max-width:16em}table.conform tr.differs td{background:#fde4e4}table.conform tr.differs td.verdict{color:#b00;font-weight:bold}table.conform tr.unreach td{color:#777}table.conform td.verdict,table.conform td.br{white-space:nowrap}table.conform td.br,table.conform td.code{font-family:monospace}";

/* az_conf_summary()'s text, the differing branches in the warning colour. */
static void counts(FILE *f, const struct az_conf *c)
{
	size_t d = c->count[AZ_CV_DIFFERS];
	char names[512];

	az_conf_names(c, AZ_CV_DIFFERS, names, sizeof(names));
	fprintf(f, "Behaviour: %zu of %zu branches as documented, ",
		c->count[AZ_CV_DOCUMENTED], c->nrow);
	if (d) {
		fprintf(f, "<span class=\"warn\">%zu %s (", d, d == 1 ? "differs" : "differ");
		az_html_esc(f, names);
		fputs(")</span>", f);
	} else {
		fputs("0 differ", f);
	}
	fprintf(f, ", %zu not reachable here", c->count[AZ_CV_UNREACHABLE]);
}

void az_conf_html_line(FILE *f, const struct az_conf *c)
{
	if (!c->present) {
		fputs("<div class=\"na\" id=\"behaviour-line\">Behaviour: " AZ_CONF_ABSENT "</div>\n", f);
		return;
	}
	fprintf(f, "<div class=\"%s\" id=\"behaviour-line\">",
		c->count[AZ_CV_DIFFERS] ? "plain" : "ok");
	counts(f, c);
	fputs(" (<a href=\"#behaviour\">table</a>)</div>\n", f);
}

static void td(FILE *f, const char *cls, const char *s)
{
	if (cls)
		fprintf(f, "<td class=\"%s\">", cls);
	else
		fputs("<td>", f);
	az_html_esc(f, s);
	fputs("</td>", f);
}

static void row(FILE *f, const struct az_conf_row *r)
{
	static const char *const cls[AZ_CV_N] = { "doc", "differs", "unreach" };
	char buf[600];

	fprintf(f, "<tr class=\"%s\">", cls[r->verdict]);
	td(f, "br", r->f[AZ_CF_BRANCH]);
	td(f, NULL, r->f[AZ_CF_CPL]);
	td(f, NULL, r->f[AZ_CF_OPERATION]);
	td(f, "cond", r->f[AZ_CF_CONDITION]);
	az_conf_vector(r, 0, buf, sizeof(buf));
	td(f, "code", buf);
	az_conf_vector(r, 1, buf, sizeof(buf));
	fputs("<td class=\"code obs\">", f);
	az_html_esc(f, buf);
	if (*r->f[AZ_CF_STORED]) {
		fputs("<br><span class=\"ci\">stored ", f);
		az_html_esc(f, r->f[AZ_CF_STORED]);
		fputs("</span>", f);
	}
	fputs("</td>", f);
	td(f, "code", r->f[AZ_CF_CR2]);
	td(f, NULL, r->f[AZ_CF_MEMORY]);
	td(f, NULL, r->f[AZ_CF_FLAGS]);
	td(f, "verdict", r->f[AZ_CF_VERDICT]);
	td(f, "why", r->f[AZ_CF_REASON]);
	fputs("</tr>\n", f);
}

void az_conf_html_section(FILE *f, const struct az_conf *c)
{
	size_t i;

	fputs("<h2 id=\"behaviour\">Behaviour: the reference page's branches</h2>\n", f);
	if (!c->present) {
		fputs("<p>" AZ_CONF_ABSENT ".</p>\n", f);
		return;
	}
	fputs("<p>", f);
	counts(f, c);
	fputs(".</p>\n<div style=\"overflow-x:auto\"><table class=\"conform\"><thead><tr><th>branch</th><th>CPL</th><th>operation</th><th>condition (the page's words)</th><th>expected</th><th>observed</th><th>CR2</th><th>memory changed</th><th>flags after</th><th>verdict</th><th>reason</th></tr></thead><tbody>\n", f);
	for (i = 0; i < c->nrow; i++)
		row(f, &c->row[i]);
	fputs("</tbody></table></div>\n<p class=\"expl\">From <code>" AZ_CONF_FILE "</code>: VMPTRST executed once on each branch of the reference page's Operation and exceptions sections, at the CPL and in the operation named. <b>expected</b>: what the page says (a vector with its error code, <code>none</code>: VMsucceed, <code>vm-exit</code> with its reason); <b>observed</b>: what the CPU did (empty: not executed), with the value a completed execution stored. <b>CR2</b> after a #PF; <b>memory changed</b>: the destination's 8 bytes after against before (<code>partial</code>: the first page's bytes of a split store); <b>flags after</b>: the arithmetic flags still set after a completed execution (all six were set before). <b>differs</b> rows are highlighted; the reason says why, and why a branch is not reachable here.</p>\n", f);
}
