// SPDX-License-Identifier: GPL-2.0
/* compare in core cycles: see comparecyc.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparecyc.h"
#include "csv.h"
#include "diag.h"
#include "headline.h"

/* A headline row: its setup key and cycles. */
struct cyc_row {
	char *key;		/* "instruction=… axis=value …" but cpu */
	double v, lo, hi;
	char *source;
};

static char *str_cat(char *s, const char *a, const char *b, const char *c)
{
	size_t l = s ? strlen(s) : 0;
	char *r = az_realloc(s, l + strlen(a) + strlen(b) + strlen(c) + 2);

	sprintf(r + l, "%s%s%s%s", l ? " " : "", a, b, c);
	return r;
}

/* The run's headline rows, computed afresh (as summary writes them). */
static size_t rows_of(const struct az_run *run, struct cyc_row **out)
{
	FILE *f = tmpfile();
	struct csv_reader r;
	char **head = NULL;
	size_t nh = 0, n = 0, i, pts = 0, c[5] = { 0, 0, 0, 0, 0 };
	static const char *const want[] = { "cycles_per_insn", "cycles_ci_low",
		"cycles_ci_high", "cycles_source", "instruction" };
	struct cyc_row *rows = NULL;

	*out = NULL;
	if (!f || az_headline_write(f, run)) {
		if (f)
			fclose(f);
		return 0;
	}
	rewind(f);
	csv_init(&r, f, "headline.csv");
	while (csv_next(&r) == 1) {
		if (!head) {
			nh = r.nfield;
			head = az_malloc((nh + 1) * sizeof(*head));
			for (i = 0; i < nh; i++) {
				head[i] = az_strdup(r.field[i]);
				if (!strcmp(head[i], "points"))
					pts = i;
				for (size_t k = 0; k < 5; k++)
					if (!strcmp(head[i], want[k]))
						c[k] = i;
			}
			continue;
		}
		if (r.nfield != nh)
			continue;
		rows = az_realloc(rows, (n + 1) * sizeof(*rows));
		rows[n].key = str_cat(NULL, "instruction=", r.field[c[4]], "");
		for (i = 1; i < pts; i++)	/* empty: no variant */
			if (strcmp(head[i], "cpu") && *r.field[i])
				rows[n].key = str_cat(rows[n].key, head[i], "=", r.field[i]);
		if (csv_number(r.field[c[0]], &rows[n].v))
			rows[n].v = NAN;
		if (csv_number(r.field[c[1]], &rows[n].lo))
			rows[n].lo = NAN;
		if (csv_number(r.field[c[2]], &rows[n].hi))
			rows[n].hi = NAN;
		rows[n].source = az_strdup(r.field[c[3]]);
		n++;
	}
	csv_close(&r);
	fclose(f);
	for (i = 0; i < nh; i++)
		free(head[i]);
	free(head);
	*out = rows;
	return n;
}

static void rows_free(struct cyc_row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].key);
		free(r[i].source);
	}
	free(r);
}

/* B - A with its 95% CI from the two intervals (each half-width taken as
   1.96 standard errors), and the verdict. */
static const char *verdict(const struct cyc_row *a, const struct cyc_row *b,
			   double thr, double d[3])
{
	double sa = (a->hi - a->lo) / (2 * AZ_Z95);
	double sb = (b->hi - b->lo) / (2 * AZ_Z95);
	double h = AZ_Z95 * sqrt(sa * sa + sb * sb);

	d[0] = b->v - a->v;
	d[1] = d[0] - h;
	d[2] = d[0] + h;
	if (!(h == h) || a->v != a->v || b->v != b->v)
		return "";
	if (d[1] > 0 && d[0] >= thr / 100 * fabs(a->v))
		return "slower";
	if (d[2] < 0 && -d[0] >= thr / 100 * fabs(a->v))
		return "faster";
	return "same";
}

int az_compare_cycles(const struct az_run *a, const struct az_run *b,
		      const char *out, double thr, struct az_cyc_tally *t)
{
	struct cyc_row *ra, *rb;
	size_t na = rows_of(a, &ra), nb = rows_of(b, &rb), i, j;
	char *path = az_path(out, "compare-cycles.csv");
	FILE *f = fopen(path, "wb");
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!f) {
		az_syserr(path, "cannot create");
		rc = -1;
		goto out;
	}
	fputs("setup,cycles_a,cycles_a_ci_low,cycles_a_ci_high,cycles_b,cycles_b_ci_low,cycles_b_ci_high,diff,diff_ci_low,diff_ci_high,diff_pct,cycles_source_a,cycles_source_b,verdict,reason\r\n", f);
	for (i = 0; i < na; i++) {
		double d[3] = { NAN, NAN, NAN };
		const char *v = "", *why = "";

		for (j = 0; j < nb && strcmp(ra[i].key, rb[j].key); j++)
			;
		if (j == nb)
			continue;
		if (ra[i].v != ra[i].v || rb[j].v != rb[j].v)
			why = "core clock unknown in a run: no cycles";
		else
			v = verdict(&ra[i], &rb[j], thr, d);
		if (!*v && !*why)
			why = "no cycles interval in a run";
		csv_put(f, ra[i].key);
		fprintf(f, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4g,",
			ra[i].v, ra[i].lo, ra[i].hi, rb[j].v, rb[j].lo,
			rb[j].hi, d[0], d[1], d[2], 100 * d[0] / fabs(ra[i].v));
		csv_put(f, ra[i].source);
		CSV_SEP(f);
		csv_put(f, rb[j].source);
		fprintf(f, ",%s,", v);
		csv_put(f, why);
		CSV_EOL(f);
		if (!*v) {
			t->none++;
			continue;
		}
		t->same += !strcmp(v, "same");
		t->slower += !strcmp(v, "slower");
		t->faster += !strcmp(v, "faster");
		printf("cycles: %-6s %s: %.4g [%.4g, %.4g] -> %.4g [%.4g, %.4g] (%+.2f %%)\n",
		       v, ra[i].key, ra[i].v, ra[i].lo, ra[i].hi, rb[j].v,
		       rb[j].lo, rb[j].hi, 100 * d[0] / fabs(ra[i].v));
	}
	if (fclose(f)) {
		az_syserr(path, "write error");
		rc = -1;
	}
out:
	free(path);
	rows_free(ra, na);
	rows_free(rb, nb);
	return rc;
}
