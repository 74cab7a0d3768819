// SPDX-License-Identifier: GPL-2.0
/*
 * The report's plots: every plot of all.gp inlined as SVG once, grouped by
 * the config section of points.csv that holds most of its points, the
 * per-point histograms and CDFs collapsed per section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "html.h"
#include "report.h"

/* Per-point plots (hist-, cdf-) or the others. */
static int per_point(const char *name)
{
	return !strncmp(name, "hist-", 5) || !strncmp(name, "cdf-", 4);
}

static int shown_has(const struct az_shown *sh, const char *name)
{
	size_t i;

	for (i = 0; i < sh->n; i++)
		if (!strcmp(sh->name[i], name))
			return 1;
	return 0;
}

void az_shown_free(struct az_shown *sh)
{
	size_t i;

	for (i = 0; i < sh->n; i++)
		free(sh->name[i]);
	free(sh->name);
}

/* Which plots a part of the report wants: NAME without ".gp". */
typedef int (*want_fn)(const char *name, const void *ctx);

/*
 * Inline PLOTS/NAME.svg, in all.gp's order, for every plot not shown yet
 * that want() accepts.
 */
static int plots(FILE *f, const char *pdir, want_fn want, const void *ctx,
		 struct az_shown *sh)
{
	char *all = az_path(pdir, "all.gp"), line[600], name[520];
	FILE *a = fopen(all, "r");
	int rc = 0;

	free(all);
	if (!a)
		return 0;
	while (fgets(line, sizeof(line), a)) {
		char *svg, buf[65536];
		FILE *s;
		size_t n;
		int skip = 1;

		if (sscanf(line, "load '%511[^']", name) != 1)
			continue;
		n = strlen(name);
		if (n > 3 && !strcmp(name + n - 3, ".gp"))
			name[n - 3] = '\0';
		if (shown_has(sh, name) || !want(name, ctx))
			continue;
		sh->name = az_realloc(sh->name, (sh->n + 1) * sizeof(char *));
		sh->name[sh->n++] = az_strdup(name);
		strcat(name, ".svg");
		svg = az_path(pdir, name);
		s = fopen(svg, "r");
		if (!s) {
			az_syserr(svg, "cannot read");
			rc = -1;
			free(svg);
			continue;
		}
		fputs("<figure>", f);
		/* drop the XML declaration and doctype: start at "<svg" */
		while ((n = fread(buf, 1, sizeof(buf) - 1, s)) > 0) {
			char *start = buf;

			buf[n] = '\0';
			if (skip) {
				start = strstr(buf, "<svg");
				if (!start)
					continue;
				skip = 0;
			}
			fwrite(start, 1, n - (size_t)(start - buf), f);
		}
		fprintf(f, "<figcaption>%s</figcaption></figure>\n", name);
		fclose(s);
		free(svg);
	}
	fclose(a);
	return rc;
}

static int want_across(const char *name, const void *ctx)
{
	(void)ctx;
	return !per_point(name);
}

static int want_point(const char *name, const void *ctx)
{
	(void)ctx;
	return per_point(name);
}

/* One config section of points.csv: what its plots are. */
struct section {
	const struct az_rows *pts;
	const char *name;
	const char *pdir;
};

static int in_section(const struct section *sc, size_t i)
{
	return !strcmp(az_cell(sc->pts, i, "section"), sc->name);
}

static size_t sections(const struct az_rows *pts, const char **name, size_t max);

/* The section holding most of the points NAME.dat's "# points:" line
   lists (ties: the one configured first); NULL when there is none. */
static const char *owner(const struct section *sc, const char *name)
{
	char path[600], line[8192], *tok, *save = NULL;
	const char *sec[256];
	size_t ns = sections(sc->pts, sec, 256), cnt[256] = { 0 }, i, k, best = 0;
	FILE *d;

	snprintf(path, sizeof(path), "%s/%s.dat", sc->pdir, name);
	d = fopen(path, "r");
	if (!d)
		return NULL;
	if (!fgets(line, sizeof(line), d) || strncmp(line, "# points:", 9)) {
		fclose(d);
		return NULL;
	}
	fclose(d);
	for (tok = strtok_r(line + 9, " \r\n", &save); tok;
	     tok = strtok_r(NULL, " \r\n", &save))
		for (i = 1; i < sc->pts->n; i++)
			if (!strcmp(az_cell(sc->pts, i, "point"), tok))
				for (k = 0; k < ns; k++)
					if (!strcmp(sec[k], az_cell(sc->pts, i, "section")))
						cnt[k]++;
	for (k = 1; k < ns; k++)
		if (cnt[k] > cnt[best])
			best = k;
	return ns && cnt[best] ? sec[best] : NULL;
}

/* Axis plots, unroll lines and the heatmap: under the section holding
   most of their points. */
static int want_section(const char *name, const void *ctx)
{
	const struct section *sc = ctx;
	const char *o;

	if (per_point(name) || !strncmp(name, "box-point", 9))
		return 0;
	o = owner(sc, name);
	return o && !strcmp(o, sc->name);
}

/* hist-[net-]pP..., cdf-[net-]pP...: point P in the section. */
static int want_section_point(const char *name, const void *ctx)
{
	const struct section *sc = ctx;
	const char *p = strstr(name, "-p");
	char id[64];
	size_t i;

	if (!per_point(name) || !p || sscanf(p + 2, "%63[^-]", id) != 1)
		return 0;
	for (i = 1; i < sc->pts->n; i++)
		if (in_section(sc, i) && !strcmp(az_cell(sc->pts, i, "point"), id))
			return 1;
	return 0;
}

/* The sections of points.csv in the order configured; count returned. */
static size_t sections(const struct az_rows *pts, const char **name, size_t max)
{
	size_t i, j, n = 0;

	for (i = 1; i < pts->n; i++) {
		const char *s = az_cell(pts, i, "section");

		if (!*s)
			continue;
		for (j = 0; j < n && strcmp(name[j], s); j++)
			;
		if (j == n && n < max)
			name[n++] = s;
	}
	return n;
}

/* Plots across setups: per section as configured, then the rest. */
int az_report_plots(FILE *f, const char *pdir, const struct az_rows *pts,
		    struct az_shown *sh)
{
	const char *name[256];
	size_t n = sections(pts, name, 256), k, i;
	int rc = 0;

	for (k = 0; k < n; k++) {
		struct section sc = { pts, name[k], pdir };
		size_t np = 0;

		for (i = 1; i < pts->n; i++)
			np += in_section(&sc, i);
		fputs("<h3>[", f);
		az_html_esc(f, name[k]);
		fprintf(f, "] <span class=\"ci\">%zu point%s", np, np == 1 ? "" : "s");
		for (i = 1; i < pts->n; i++)
			if (in_section(&sc, i)) {
				fputs(i == 1 || !in_section(&sc, i - 1) ? ": " : ", ", f);
				az_html_esc(f, az_cell(pts, i, "point"));
			}
		fputs("</span></h3>\n", f);
		if (plots(f, pdir, want_section, &sc, sh))
			rc = -1;
	}
	if (n)
		fputs("<h3>Every point, per instruction</h3>\n", f);
	if (plots(f, pdir, want_across, NULL, sh))
		rc = -1;
	return rc;
}

/* Per-point plots, collapsed, one <details> per section. */
int az_report_point_plots(FILE *f, const char *pdir,
			  const struct az_rows *pts, struct az_shown *sh)
{
	const char *name[256];
	size_t n = sections(pts, name, 256), k;
	int rc = 0;

	for (k = 0; k < n; k++) {
		struct section sc = { pts, name[k], pdir };

		fputs("<details><summary>[", f);
		az_html_esc(f, name[k]);
		fputs("]: histograms and CDFs per point (window TSC with the baseline; per-pair net value)</summary>\n", f);
		if (plots(f, pdir, want_section_point, &sc, sh))
			rc = -1;
		fputs("</details>\n", f);
	}
	fputs("<details><summary>", f);
	fputs(n ? "other points" : "histograms and CDFs of every point (window TSC with the baseline; per-pair net value)", f);
	fputs("</summary>\n", f);
	if (plots(f, pdir, want_point, NULL, sh))
		rc = -1;
	fputs("</details>\n", f);
	return rc;
}
